//! Signing in and out, and the access token every request is sent with.
//!
//! The server keeps the session (an HttpOnly cookie on the app's own origin, refresh tokens
//! with it); the app asks it for a short-lived access token when it starts, holds that in
//! memory only, and renews it before it expires and again, once, when the API refuses it.
//! Components see the session through [`use_session`] under a [`SessionProvider`].

mod context;
mod endpoint;
mod store;
mod timing;
mod urls;

pub use context::{SessionProvider, SessionProviderProps, use_session};
pub(crate) use store::{access_token, renew_rejected};
pub use urls::{SIGN_IN_ERROR, SignInError};

use serde::Deserialize;

/// The signed-in person, as the session endpoint describes them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Their API id.
    pub id: String,
    /// Their email, when the issuer has one.
    #[serde(default)]
    pub email: Option<String>,
    /// The name MakrX shows for them.
    pub display_name: String,
}

/// Whether this browser is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SessionStatus {
    /// Not known yet: the app has just started and is asking.
    #[default]
    Unknown,
    /// Nobody is signed in.
    SignedOut,
    /// Someone is.
    SignedIn(User),
}

/// What components know about the session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionState {
    /// Signed in or not.
    pub status: SessionStatus,
    /// Why the last attempt to sign out failed, until dismissed.
    pub problem: Option<String>,
}

impl SessionState {
    /// The signed-in person, if any.
    pub fn user(&self) -> Option<&User> {
        match &self.status {
            SessionStatus::SignedIn(user) => Some(user),
            _ => None,
        }
    }
}

/// Goes to the issuer's sign-in pages, coming back to this page afterwards.
pub fn sign_in() {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return;
    };
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    let login = urls::login_url(&urls::return_path(&path, &query));
    if let Err(err) = location.assign(&login) {
        crate::console::warn(&format!("session: could not go to {login}: {err:?}"));
    }
}

/// Ends the session here and at the issuer, which comes back to the home page.
pub fn sign_out() {
    store::set_problem(None);
    yew::platform::spawn_local(async {
        match endpoint::end_session().await {
            Ok(end_session_url) => {
                store::forget();
                if let Some(window) = web_sys::window() {
                    // The server's session is gone already; this ends the issuer's too.
                    let _ = window.location().assign(&end_session_url);
                }
            }
            Err(reason) => {
                crate::console::warn(&format!("session: {reason}"));
                store::set_problem(Some(
                    "Signing out did not work: MakrX could not be reached. Please try again."
                        .to_owned(),
                ));
            }
        }
    });
}

/// Puts away the message of a failed sign-out.
pub fn dismiss_problem() {
    store::set_problem(None);
}

/// The signed-in person renamed themselves: shows the new name wherever the session is shown.
pub fn renamed(display_name: String) {
    store::renamed(display_name);
}
