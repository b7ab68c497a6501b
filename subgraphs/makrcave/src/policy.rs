//! Who may do what in a makerspace, in one place. Deny by default: every rule names who is
//! allowed, and anything not named here is refused.
//!
//! | who | may |
//! |---|---|
//! | anyone, signed in or not | see public spaces, their machines and their status (the database function `makrcave.may_see_space`, which the events service asks too) |
//! | a member (active, any role) | see the space, its calendars, plans and skills; book; see their own bookings |
//! | staff and above | keep equipment and skills, settle bookings and check-offs, check people in and out |
//! | managers and above | invite and manage members, plans, opening hours, blackouts, settings |
//! | a member, of the space's inventory | see its items, levels, places and movements (`require_inside`: anyone outside the space is told there is no such thing) |
//! | staff and above, of the inventory | add items and places, record stock movements |
//! | owners | all of that, and make or unmake other owners |
//! | a platform admin | everything |
//! | a member, of their own membership | leave the space |
//! | the person invited, by their verified email | see, accept or decline their invitation |
//!
//! A suspended member has no role until reinstated. Anything touching an owner's place
//! (inviting one, promoting to or demoting from owner, suspending, reinstating or removing one)
//! is for owners; and a space always keeps at least one active owner (`members`).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum};
use makrx_service::{ApiError, Caller};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::loaders::Loaders;

/// A person's role in a makerspace. Roles are ordered: each may do all that the ones before it
/// may.
#[derive(
    Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MembershipRole {
    Member,
    Staff,
    Manager,
    Owner,
}

impl MembershipRole {
    /// The role's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Staff => "staff",
            Self::Manager => "manager",
            Self::Owner => "owner",
        }
    }
}

/// The caller's role in a makerspace, if they are an active member of it.
/// Whether `caller` may see the space `makerspace_id` (`makrcave.may_see_space`): anyone a
/// public one, the people inside a private one. Batched: asking it of every project in a list
/// costs one statement.
pub async fn may_see_space(
    ctx: &Context<'_>,
    caller: &Caller,
    makerspace_id: Uuid,
) -> Result<bool, ApiError> {
    let key = (makerspace_id, caller.user_id(), caller.is_admin());
    Ok(ctx
        .data_unchecked::<Loaders>()
        .space_visibility
        .load_one(key)
        .await?
        .unwrap_or(false))
}

/// Answers `makrcave.may_see_space` for (space, viewer, whether they are a platform admin).
pub struct SpaceVisibility(pub PgPool);

impl Loader<(Uuid, Option<Uuid>, bool)> for SpaceVisibility {
    type Value = bool;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, Option<Uuid>, bool)],
    ) -> Result<HashMap<(Uuid, Option<Uuid>, bool), bool>, ApiError> {
        let (spaces, viewers, admins): (Vec<Uuid>, Vec<Option<Uuid>>, Vec<bool>) = unzip3(keys);
        let rows = sqlx::query!(
            r#"select k.space as "space!", k.viewer, k.admin as "admin!",
                      makrcave.may_see_space(k.space, k.viewer, k.admin) as "may!"
               from unnest($1::uuid[], $2::uuid[], $3::bool[]) as k(space, viewer, admin)"#,
            &spaces,
            &viewers as &[Option<Uuid>],
            &admins,
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| ((row.space, row.viewer, row.admin), row.may))
            .collect())
    }
}

/// Three lists from a list of triples.
fn unzip3<A: Copy, B: Copy, C: Copy>(items: &[(A, B, C)]) -> (Vec<A>, Vec<B>, Vec<C>) {
    let mut unzipped = (Vec::new(), Vec::new(), Vec::new());
    for (a, b, c) in items {
        unzipped.0.push(*a);
        unzipped.1.push(*b);
        unzipped.2.push(*c);
    }
    unzipped
}

pub async fn role_in(
    ctx: &Context<'_>,
    caller: &Caller,
    makerspace_id: Uuid,
) -> Result<Option<MembershipRole>, ApiError> {
    let Some(user_id) = caller.user_id() else {
        return Ok(None);
    };
    let memberships = ctx
        .data_unchecked::<Loaders>()
        .memberships
        .load_one(user_id)
        .await?;
    Ok(memberships
        .unwrap_or_default()
        .into_iter()
        .find(|membership| membership.makerspace_id == makerspace_id && membership.is_active())
        .map(|membership| membership.role))
}

/// The caller's user id if they hold `at_least` (or a higher role) in the makerspace, or are a
/// platform admin; `UNAUTHENTICATED` without a token, `FORBIDDEN` otherwise.
pub async fn require_role(
    ctx: &Context<'_>,
    caller: &Caller,
    makerspace_id: Uuid,
    at_least: MembershipRole,
) -> Result<Uuid, ApiError> {
    let user = caller.user()?;
    if user.is_admin() {
        return Ok(user.id);
    }
    let role = role_in(ctx, caller, makerspace_id).await?;
    holds(caller, role, at_least)
}

/// `require_role` for what only the space's own people may know exists (its inventory): anyone
/// signed in outside the space gets `NOT_FOUND` (`what`), a member below `at_least` gets
/// `FORBIDDEN`. Inside means what `makrcave.is_inside` says, which the events service asks
/// before telling of the space's stock.
pub async fn require_inside(
    ctx: &Context<'_>,
    caller: &Caller,
    makerspace_id: Uuid,
    at_least: MembershipRole,
    what: &str,
) -> Result<Uuid, ApiError> {
    let user = caller.user()?;
    if user.is_admin() {
        return Ok(user.id);
    }
    match role_in(ctx, caller, makerspace_id).await? {
        None => Err(ApiError::NotFound(what.into())),
        role => holds(caller, role, at_least),
    }
}

/// Whether the caller holds `at_least` (or a higher role) in the makerspace, or is a platform
/// admin: `require_role` as a question.
pub async fn has_role(
    ctx: &Context<'_>,
    caller: &Caller,
    makerspace_id: Uuid,
    at_least: MembershipRole,
) -> Result<bool, ApiError> {
    Ok(caller.is_admin()
        || role_in(ctx, caller, makerspace_id)
            .await?
            .is_some_and(|role| role >= at_least))
}

/// `require_role` for a role already looked up: the caller's id if `role` is `at_least` or
/// they are a platform admin.
pub fn holds(
    caller: &Caller,
    role: Option<MembershipRole>,
    at_least: MembershipRole,
) -> Result<Uuid, ApiError> {
    let user = caller.user()?;
    match role {
        _ if user.is_admin() => Ok(user.id),
        Some(role) if role >= at_least => Ok(user.id),
        _ => Err(ApiError::Forbidden(format!(
            "this needs the role {} or above in the makerspace",
            at_least.name()
        ))),
    }
}

/// Whether the caller may see which spaces `user_id` belongs to: that user, their fellow
/// members, and platform admins. Each membership is checked on its own.
pub async fn may_see_membership(
    ctx: &Context<'_>,
    caller: &Caller,
    user_id: Uuid,
    makerspace_id: Uuid,
) -> Result<bool, ApiError> {
    Ok(caller.user_id() == Some(user_id)
        || caller.is_admin()
        || role_in(ctx, caller, makerspace_id).await?.is_some())
}

/// The least role that may give someone `role` (by invitation or role change).
pub fn role_to_grant(role: MembershipRole) -> MembershipRole {
    if role == MembershipRole::Owner {
        MembershipRole::Owner
    } else {
        MembershipRole::Manager
    }
}

/// The least role that may change a membership that holds `current`, giving it `granted` if
/// that is the change.
pub fn role_to_manage(current: MembershipRole, granted: Option<MembershipRole>) -> MembershipRole {
    granted.map_or(role_to_grant(current), |granted| {
        role_to_grant(current).max(role_to_grant(granted))
    })
}

/// `require_role` decided again inside a transaction that holds the space's membership lock
/// (`members::management::lock_memberships`): a role read there cannot change before the
/// commit, where the first decision may have been overtaken by a concurrent change.
pub async fn require_role_locked(
    tx: &mut PgConnection,
    caller: &Caller,
    makerspace_id: Uuid,
    at_least: MembershipRole,
) -> Result<Uuid, ApiError> {
    let user = caller.user()?;
    if user.is_admin() {
        return Ok(user.id);
    }
    let held = sqlx::query!(
        r#"select role as "role: MembershipRole", suspended_at
           from makrcave.memberships where makerspace_id = $1 and user_id = $2"#,
        makerspace_id,
        user.id,
    )
    .fetch_optional(tx)
    .await?;
    let role = held
        .filter(|held| held.suspended_at.is_none())
        .map(|held| held.role);
    holds(caller, role, at_least)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MembershipRole::{Manager, Member, Owner, Staff};

    #[test]
    fn managers_grant_every_role_but_owner() {
        assert_eq!(role_to_grant(Member), Manager);
        assert_eq!(role_to_grant(Staff), Manager);
        assert_eq!(role_to_grant(Manager), Manager);
        assert_eq!(role_to_grant(Owner), Owner);
    }

    #[test]
    fn anything_touching_an_owner_is_for_owners() {
        assert_eq!(role_to_manage(Member, Some(Manager)), Manager);
        assert_eq!(role_to_manage(Staff, None), Manager);
        assert_eq!(role_to_manage(Manager, Some(Owner)), Owner);
        assert_eq!(role_to_manage(Owner, Some(Member)), Owner);
        assert_eq!(role_to_manage(Owner, None), Owner);
    }
}
