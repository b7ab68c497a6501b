//! Who may do what in a makerspace, in one place. Deny by default: every rule names who is
//! allowed, and anything not named here is refused.
//!
//! | who | may |
//! |---|---|
//! | anyone, signed in or not | see public spaces, their machines and their status (`makerspaces::Visible`) |
//! | a member (active, any role) | see the space, its calendars, plans and skills; book; see their own bookings |
//! | staff and above | keep equipment and skills, settle bookings and check-offs, check people in and out |
//! | managers and above | invite and manage members, plans, opening hours, blackouts, settings |
//! | owners | all of that, and make or unmake other owners |
//! | a platform admin | everything |
//!
//! A suspended member has no role until reinstated.

use async_graphql::Context;
use makrx_service::{ApiError, Caller};
use uuid::Uuid;

use crate::loaders::Loaders;
use crate::members::MembershipRole;

/// The caller's role in a makerspace, if they are an active member of it.
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
