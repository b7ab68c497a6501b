//! Who may do what in the store. Everyone reads the published catalog; store staff (the
//! `store-staff` role of the token) and platform admins manage it, see what is unpublished and
//! every order. Who may see an order is the database's `store.may_see_order`.

use makrx_service::{ApiError, Caller, CallerUser};

/// The caller, when they run the store; otherwise why they may not `act`
/// ("manage the catalog").
pub fn store_staff<'a>(caller: &'a Caller, act: &str) -> Result<&'a CallerUser, ApiError> {
    let user = caller.user()?;
    if user.is_store_staff() {
        Ok(user)
    } else {
        Err(ApiError::Forbidden(format!("only store staff may {act}")))
    }
}
