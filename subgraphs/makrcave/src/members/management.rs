//! Managing a space's members: their role, suspension and removal (or leaving), under the
//! rule that a space always keeps at least one active owner.
//!
//! Every change to a space's memberships first locks that space's owner rows
//! (`lock_memberships`), so such changes of one space run one after another: the last-owner rule
//! and the caller's role are decided on rows nobody else can change before the commit.

use async_graphql::{Context, ID, InputObject, Object};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Membership, MembershipRole};
use crate::changes::{self, Action, Change};
use crate::policy;

/// A member's new role.
#[derive(InputObject)]
pub struct ChangeMemberRoleInput {
    makerspace_id: ID,
    user_id: ID,
    role: MembershipRole,
}

/// A member to suspend.
#[derive(InputObject)]
pub struct SuspendMemberInput {
    makerspace_id: ID,
    user_id: ID,
}

/// A suspended member to reinstate.
#[derive(InputObject)]
pub struct ReinstateMemberInput {
    makerspace_id: ID,
    user_id: ID,
}

/// A member to remove; a person may name themselves to leave.
#[derive(InputObject)]
pub struct RemoveMemberInput {
    makerspace_id: ID,
    user_id: ID,
}

fn parse_member(makerspace_id: &ID, user_id: &ID) -> Result<(Uuid, Uuid), ApiError> {
    match (
        parse_id(makerspace_id, "makerspaceId"),
        parse_id(user_id, "userId"),
    ) {
        (Ok(makerspace_id), Ok(user_id)) => Ok((makerspace_id, user_id)),
        (Err(ApiError::Validation(mut first)), Err(ApiError::Validation(second))) => {
            first.extend(second);
            Err(ApiError::Validation(first))
        }
        (Err(err), _) | (_, Err(err)) => Err(err),
    }
}

/// A space's memberships, locked for a change to one of them.
struct Locked {
    /// The space's owners who are not suspended.
    active_owners: Vec<Uuid>,
    /// The membership the change is about.
    target: Membership,
}

/// Locks a space's owner rows, then the row of the member a change is about. Every change to a
/// space's memberships takes the owner rows first, so such changes of one space wait for each
/// other (and, in this order, never deadlock).
async fn lock_memberships(
    tx: &mut PgConnection,
    makerspace_id: Uuid,
    user_id: Uuid,
) -> Result<Locked, ApiError> {
    let owners = sqlx::query!(
        "select user_id, suspended_at from makrcave.memberships
         where makerspace_id = $1 and role = 'owner' order by user_id for update",
        makerspace_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let target = sqlx::query_as!(
        Membership,
        r#"select makerspace_id, user_id, role as "role: _", created_at, suspended_at
           from makrcave.memberships where makerspace_id = $1 and user_id = $2 for update"#,
        makerspace_id,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::NotFound("member".into()))?;
    Ok(Locked {
        active_owners: owners
            .into_iter()
            .filter(|owner| owner.suspended_at.is_none())
            .map(|owner| owner.user_id)
            .collect(),
        target,
    })
}

impl Locked {
    /// Refuses a change after which the space would have no active owner; `stays_active_owner`
    /// says whether the target is an active owner after the change.
    fn keep_an_owner(&self, stays_active_owner: bool) -> Result<(), ApiError> {
        let target = &self.target;
        let loses_an_owner =
            target.role == MembershipRole::Owner && target.is_active() && !stays_active_owner;
        let others = self
            .active_owners
            .iter()
            .filter(|owner| **owner != target.user_id)
            .count();
        if loses_an_owner && others == 0 {
            return Err(ApiError::Conflict(
                "a makerspace keeps at least one active owner: make someone else owner first"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// Records a change to a membership (before it, and after it unless it was removed); the
/// member's id names it.
async fn record_change(
    tx: &mut PgConnection,
    actor: Uuid,
    action: Action,
    before: &Membership,
    after: Option<&Membership>,
) -> Result<(), ApiError> {
    changes::record(
        tx,
        Change {
            actor,
            action,
            entity_id: before.user_id,
            makerspace_id: before.makerspace_id,
            before: Some(before),
            after,
        },
    )
    .await
}

#[derive(Default)]
pub struct MemberMutation;

#[Object(guard = "SignedIn")]
impl MemberMutation {
    /// Gives a member another role; managers and above, and only owners make or unmake an owner.
    async fn change_member_role(
        &self,
        ctx: &Context<'_>,
        input: ChangeMemberRoleInput,
    ) -> Result<Membership, ApiError> {
        let (makerspace_id, user_id) = parse_member(&input.makerspace_id, &input.user_id)?;
        let caller = caller(ctx);
        policy::require_role(ctx, caller, makerspace_id, MembershipRole::Manager).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let locked = lock_memberships(&mut tx, makerspace_id, user_id).await?;
        let needed = policy::role_to_manage(locked.target.role, Some(input.role));
        let actor = policy::require_role_locked(&mut tx, caller, makerspace_id, needed).await?;
        if locked.target.role == input.role {
            return Ok(locked.target);
        }
        locked.keep_an_owner(input.role == MembershipRole::Owner)?;
        let after = sqlx::query_as!(
            Membership,
            r#"update makrcave.memberships set role = $3, updated_at = $4
               where makerspace_id = $1 and user_id = $2
               returning makerspace_id, user_id, role as "role: _", created_at, suspended_at"#,
            makerspace_id,
            user_id,
            input.role as MembershipRole,
            now,
        )
        .fetch_one(&mut *tx)
        .await?;
        record_change(
            &mut tx,
            actor,
            Action::MEMBERSHIP_ROLE_CHANGED,
            &locked.target,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Suspends a member: they keep their place but have no role until reinstated; managers
    /// and above, and only owners suspend an owner.
    async fn suspend_member(
        &self,
        ctx: &Context<'_>,
        input: SuspendMemberInput,
    ) -> Result<Membership, ApiError> {
        let (makerspace_id, user_id) = parse_member(&input.makerspace_id, &input.user_id)?;
        let caller = caller(ctx);
        policy::require_role(ctx, caller, makerspace_id, MembershipRole::Manager).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let locked = lock_memberships(&mut tx, makerspace_id, user_id).await?;
        let needed = policy::role_to_manage(locked.target.role, None);
        let actor = policy::require_role_locked(&mut tx, caller, makerspace_id, needed).await?;
        if !locked.target.is_active() {
            return Ok(locked.target);
        }
        locked.keep_an_owner(false)?;
        let after = sqlx::query_as!(
            Membership,
            r#"update makrcave.memberships set suspended_at = $3, updated_at = $3
               where makerspace_id = $1 and user_id = $2
               returning makerspace_id, user_id, role as "role: _", created_at, suspended_at"#,
            makerspace_id,
            user_id,
            now,
        )
        .fetch_one(&mut *tx)
        .await?;
        record_change(
            &mut tx,
            actor,
            Action::MEMBERSHIP_SUSPENDED,
            &locked.target,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Reinstates a suspended member in their role; managers and above, and only owners
    /// reinstate an owner.
    async fn reinstate_member(
        &self,
        ctx: &Context<'_>,
        input: ReinstateMemberInput,
    ) -> Result<Membership, ApiError> {
        let (makerspace_id, user_id) = parse_member(&input.makerspace_id, &input.user_id)?;
        let caller = caller(ctx);
        policy::require_role(ctx, caller, makerspace_id, MembershipRole::Manager).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let locked = lock_memberships(&mut tx, makerspace_id, user_id).await?;
        let needed = policy::role_to_manage(locked.target.role, None);
        let actor = policy::require_role_locked(&mut tx, caller, makerspace_id, needed).await?;
        if locked.target.is_active() {
            return Ok(locked.target);
        }
        let after = sqlx::query_as!(
            Membership,
            r#"update makrcave.memberships set suspended_at = null, updated_at = $3
               where makerspace_id = $1 and user_id = $2
               returning makerspace_id, user_id, role as "role: _", created_at, suspended_at"#,
            makerspace_id,
            user_id,
            now,
        )
        .fetch_one(&mut *tx)
        .await?;
        record_change(
            &mut tx,
            actor,
            Action::MEMBERSHIP_REINSTATED,
            &locked.target,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Removes a member from a space, answering with the membership as it was: managers and
    /// above, only owners remove an owner, and anyone may remove themselves (leave).
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        input: RemoveMemberInput,
    ) -> Result<Membership, ApiError> {
        let (makerspace_id, user_id) = parse_member(&input.makerspace_id, &input.user_id)?;
        let caller = caller(ctx);
        let leaving = caller.user_id() == Some(user_id);
        if !leaving {
            policy::require_role(ctx, caller, makerspace_id, MembershipRole::Manager).await?;
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let locked = lock_memberships(&mut tx, makerspace_id, user_id).await?;
        let actor = if leaving {
            user_id
        } else {
            let needed = policy::role_to_manage(locked.target.role, None);
            policy::require_role_locked(&mut tx, caller, makerspace_id, needed).await?
        };
        locked.keep_an_owner(false)?;
        sqlx::query!(
            "delete from makrcave.memberships where makerspace_id = $1 and user_id = $2",
            makerspace_id,
            user_id,
        )
        .execute(&mut *tx)
        .await?;
        let action = if leaving {
            Action::MEMBERSHIP_LEFT
        } else {
            Action::MEMBERSHIP_REMOVED
        };
        record_change(&mut tx, actor, action, &locked.target, None).await?;
        tx.commit().await?;
        Ok(locked.target)
    }
}
