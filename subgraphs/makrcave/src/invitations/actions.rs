//! What people do with invitations: a manager sends or revokes one, the person invited
//! accepts or declines it.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, CallerUser, Clock, error::on_constraint, parse_id};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{INVITATION_LIFETIME, Invitation, InvitationState, verified_email};
use crate::changes::{self, Action, Change};
use crate::email::Email;
use crate::members::Membership;
use crate::policy;
use crate::policy::MembershipRole;

/// Someone to invite to a makerspace.
#[derive(InputObject)]
pub struct InviteMemberInput {
    makerspace_id: ID,
    /// The address the person signs in with.
    email: String,
    /// Their role once they accept; only owners invite an owner.
    role: MembershipRole,
}

/// An invitation to accept, as the person invited.
#[derive(InputObject)]
pub struct AcceptInvitationInput {
    invitation_id: ID,
}

/// An invitation to decline, as the person invited.
#[derive(InputObject)]
pub struct DeclineInvitationInput {
    invitation_id: ID,
}

/// An invitation to withdraw, as a manager of the space.
#[derive(InputObject)]
pub struct RevokeInvitationInput {
    invitation_id: ID,
}

/// Locks an invitation addressed to the caller; anyone else's is not found.
async fn lock_own_invitation(
    tx: &mut PgConnection,
    user: &CallerUser,
    invitation_id: Uuid,
) -> Result<Invitation, ApiError> {
    let not_found = || ApiError::NotFound("invitation".into());
    let email = verified_email(user).ok_or_else(not_found)?;
    sqlx::query_as!(
        Invitation,
        r#"select id, makerspace_id, email, role as "role: _", invited_by,
                  status as "state: _", expires_at, created_at
           from makrcave.invitations where id = $1 and email = $2 for update"#,
        invitation_id,
        email.as_str(),
    )
    .fetch_optional(tx)
    .await?
    .ok_or_else(not_found)
}

/// Sets where a locked invitation stands.
async fn settle(
    tx: &mut PgConnection,
    invitation_id: Uuid,
    state: InvitationState,
    now: DateTime<Utc>,
) -> Result<Invitation, ApiError> {
    let invitation = sqlx::query_as!(
        Invitation,
        r#"update makrcave.invitations set status = $2, updated_at = $3 where id = $1
           returning id, makerspace_id, email, role as "role: _", invited_by,
                     status as "state: _", expires_at, created_at"#,
        invitation_id,
        state as InvitationState,
        now,
    )
    .fetch_one(tx)
    .await?;
    Ok(invitation)
}

/// Records a change to an invitation.
async fn record_change(
    tx: &mut PgConnection,
    actor: Uuid,
    action: Action,
    before: Option<&Invitation>,
    after: &Invitation,
) -> Result<(), ApiError> {
    changes::record(
        tx,
        Change {
            actor,
            action,
            entity_id: after.id,
            makerspace_id: after.makerspace_id,
            before,
            after: Some(after),
        },
    )
    .await
}

#[derive(Default)]
pub struct InvitationMutation;

#[Object(guard = "SignedIn")]
impl InvitationMutation {
    /// Invites a person by email to join a makerspace in a role, for 14 days; managers and
    /// above, and only owners invite an owner.
    async fn invite_member(
        &self,
        ctx: &Context<'_>,
        input: InviteMemberInput,
    ) -> Result<Invitation, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let inviter = policy::require_role(
            ctx,
            caller(ctx),
            makerspace_id,
            policy::role_to_grant(input.role),
        )
        .await?;
        let email = Email::parse(&input.email).map_err(|why| ApiError::invalid("email", why))?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        // Two invitations of one person to one space, sent at once, must not both pass the
        // checks below: they take turns on a lock named after the pair.
        sqlx::query!(
            r#"select true as "locked!" from (select pg_advisory_xact_lock(hashtextextended($1, 0))) as lock"#,
            format!("makrcave.invitation:{makerspace_id}:{}", email.as_str()),
        )
        .fetch_one(&mut *tx)
        .await?;
        // Identity keeps a user's email only once it is verified, as invitations are accepted.
        let already_member = sqlx::query_scalar!(
            r#"select exists (
                 select 1 from makrcave.memberships membership
                 join shared.users person on person.id = membership.user_id
                 where membership.makerspace_id = $1 and lower(person.email) = $2
               ) as "exists!""#,
            makerspace_id,
            email.as_str(),
        )
        .fetch_one(&mut *tx)
        .await?;
        if already_member {
            return Err(ApiError::Conflict(format!(
                "{} is already a member of the makerspace",
                email.as_str()
            )));
        }
        let already_invited = sqlx::query_scalar!(
            r#"select exists (
                 select 1 from makrcave.invitations
                 where makerspace_id = $1 and email = $2 and status = 'pending' and expires_at > $3
               ) as "exists!""#,
            makerspace_id,
            email.as_str(),
            now,
        )
        .fetch_one(&mut *tx)
        .await?;
        if already_invited {
            return Err(ApiError::Conflict(format!(
                "{} already has a pending invitation to the makerspace",
                email.as_str()
            )));
        }
        let invitation = sqlx::query_as!(
            Invitation,
            r#"insert into makrcave.invitations
                 (id, makerspace_id, email, role, invited_by, expires_at, created_at, updated_at)
               values ($1, $2, $3, $4, $5, $6, $7, $7)
               returning id, makerspace_id, email, role as "role: _", invited_by,
                         status as "state: _", expires_at, created_at"#,
            Uuid::now_v7(),
            makerspace_id,
            email.as_str(),
            input.role as MembershipRole,
            inviter,
            now + INVITATION_LIFETIME,
            now,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            on_constraint(err, "invitations_makerspace_id_fkey", || {
                ApiError::NotFound("makerspace".into())
            })
        })?;
        record_change(&mut tx, inviter, Action::INVITATION_SENT, None, &invitation).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Accepts an invitation as the person invited, joining the space in its role.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> Result<Membership, ApiError> {
        let invitation_id = parse_id(&input.invitation_id, "invitationId")?;
        let user = caller(ctx).user()?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = lock_own_invitation(&mut tx, user, invitation_id).await?;
        before.require_pending(now)?;
        let membership = sqlx::query_as!(
            Membership,
            r#"insert into makrcave.memberships (makerspace_id, user_id, role, created_at, updated_at)
               values ($1, $2, $3, $4, $4)
               on conflict (makerspace_id, user_id) do nothing
               returning makerspace_id, user_id, role as "role: _", created_at, suspended_at"#,
            before.makerspace_id,
            user.id,
            before.role as MembershipRole,
            now,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::Conflict("you are already a member of the makerspace".into()))?;
        let after = settle(&mut tx, invitation_id, InvitationState::Accepted, now).await?;
        record_change(
            &mut tx,
            user.id,
            Action::INVITATION_ACCEPTED,
            Some(&before),
            &after,
        )
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor: user.id,
                action: Action::MEMBERSHIP_JOINED,
                entity_id: membership.user_id,
                makerspace_id: membership.makerspace_id,
                before: None,
                after: Some(&membership),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(membership)
    }

    /// Declines an invitation as the person invited.
    async fn decline_invitation(
        &self,
        ctx: &Context<'_>,
        input: DeclineInvitationInput,
    ) -> Result<Invitation, ApiError> {
        let invitation_id = parse_id(&input.invitation_id, "invitationId")?;
        let user = caller(ctx).user()?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = lock_own_invitation(&mut tx, user, invitation_id).await?;
        before.require_pending(now)?;
        let after = settle(&mut tx, invitation_id, InvitationState::Declined, now).await?;
        record_change(
            &mut tx,
            user.id,
            Action::INVITATION_DECLINED,
            Some(&before),
            &after,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Withdraws a pending invitation; managers and above of its space. To anyone else it does
    /// not exist.
    async fn revoke_invitation(
        &self,
        ctx: &Context<'_>,
        input: RevokeInvitationInput,
    ) -> Result<Invitation, ApiError> {
        let invitation_id = parse_id(&input.invitation_id, "invitationId")?;
        let caller = caller(ctx);
        caller.user()?;
        let db = ctx.data_unchecked::<PgPool>();
        let not_found = || ApiError::NotFound("invitation".into());
        let makerspace_id = sqlx::query_scalar!(
            "select makerspace_id from makrcave.invitations where id = $1",
            invitation_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)?;
        let actor = policy::require_role(ctx, caller, makerspace_id, MembershipRole::Manager)
            .await
            .map_err(|err| match err {
                ApiError::Forbidden(_) => not_found(),
                other => other,
            })?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = db.begin().await?;
        let before = sqlx::query_as!(
            Invitation,
            r#"select id, makerspace_id, email, role as "role: _", invited_by,
                      status as "state: _", expires_at, created_at
               from makrcave.invitations where id = $1 for update"#,
            invitation_id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
        before.require_pending(now)?;
        let after = settle(&mut tx, invitation_id, InvitationState::Revoked, now).await?;
        record_change(
            &mut tx,
            actor,
            Action::INVITATION_REVOKED,
            Some(&before),
            &after,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
