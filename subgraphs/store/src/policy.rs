//! Who may do what in the store. Everyone reads the published catalog; store staff (the
//! `store-staff` role of the token) and platform admins manage it and see what is unpublished.

use makrx_service::{ApiError, Caller, CallerUser};

/// The global role of the people who run the store.
pub const STORE_STAFF_ROLE: &str = "store-staff";

/// Whether the caller runs the store.
pub fn is_store_staff(caller: &Caller) -> bool {
    matches!(caller, Caller::User(user) if runs_the_store(user))
}

/// The caller, when they run the store; otherwise why they may not `act`
/// ("manage the catalog").
pub fn store_staff<'a>(caller: &'a Caller, act: &str) -> Result<&'a CallerUser, ApiError> {
    let user = caller.user()?;
    if runs_the_store(user) {
        Ok(user)
    } else {
        Err(ApiError::Forbidden(format!("only store staff may {act}")))
    }
}

fn runs_the_store(user: &CallerUser) -> bool {
    user.is_admin() || user.roles.iter().any(|role| role == STORE_STAFF_ROLE)
}
