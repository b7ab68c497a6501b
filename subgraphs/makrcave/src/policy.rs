//! Who may do what in a makerspace. Deny by default: every rule names who is allowed.

use async_graphql::Context;
use makrx_service::{ApiError, Caller, CallerUser};
use uuid::Uuid;

use crate::loaders::Loaders;
use crate::members::MembershipRole;

/// The caller's role in a makerspace, if they have one.
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
        .find(|membership| membership.makerspace_id == makerspace_id)
        .map(|membership| membership.role))
}

/// The caller, if they own the makerspace or are a platform admin; `FORBIDDEN` otherwise.
pub async fn require_owner<'a>(
    ctx: &Context<'_>,
    caller: &'a Caller,
    makerspace_id: Uuid,
) -> Result<&'a CallerUser, ApiError> {
    let user = caller.user()?;
    if user.is_admin() || role_in(ctx, caller, makerspace_id).await? == Some(MembershipRole::Owner)
    {
        Ok(user)
    } else {
        Err(ApiError::Forbidden(
            "only the makerspace's owner may do this".into(),
        ))
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
