//! How the `/auth` endpoints answer: redirects for the browser's navigations, JSON for the
//! app's requests, and the few error codes an app needs (never internal text).

use axum::Json;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::cookie;
use super::settings::WebOrigin;

/// Why a sign-in ended without a session; the code goes to the app as `?sign_in_error=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInFailure {
    /// The person (or the issuer) declined.
    Denied,
    /// The sign-in is unknown, already used, too old, or belongs to another browser.
    Expired,
    /// The issuer's answer could not be used.
    Failed,
    /// The issuer cannot be reached right now.
    Unavailable,
}

impl SignInFailure {
    fn code(self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::Expired => "expired",
            Self::Failed => "failed",
            Self::Unavailable => "unavailable",
        }
    }
}

/// A 303 to `location`, setting `cookies`.
pub fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = location.parse() {
        headers.insert(LOCATION, location);
    }
    for value in cookies {
        if let Ok(value) = value.parse() {
            headers.append(SET_COOKIE, value);
        }
    }
    response
}

/// Back to the app's front page with the reason a sign-in failed.
pub fn sign_in_failed(failure: SignInFailure, origin: &WebOrigin) -> Response {
    see_other(
        &format!("/?sign_in_error={}", failure.code()),
        &[cookie::forget_sign_in(origin)],
    )
}

/// What a request to `/auth/token` or `/auth/logout` may fail with.
#[derive(Debug, PartialEq, Eq)]
pub enum SessionError {
    /// No live session: the browser must sign in (again).
    Unauthenticated,
    /// The issuer cannot be reached and the session has no usable token meanwhile.
    Unavailable,
    /// Something failed inside; already logged.
    Internal,
}

impl From<sqlx::Error> for SessionError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error in web sign-in");
        Self::Internal
    }
}

impl SessionError {
    /// The answer; a 401 also makes the browser forget its cookie.
    pub fn answer(self, origin: &WebOrigin) -> Response {
        match self {
            Self::Unauthenticated => {
                let mut response = error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
                if let Ok(value) = cookie::clear_session(origin).parse() {
                    response.headers_mut().insert(SET_COOKIE, value);
                }
                response
            }
            Self::Unavailable => error(StatusCode::SERVICE_UNAVAILABLE, "INTERNAL"),
            Self::Internal => error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL"),
        }
    }
}

/// A JSON error the app reads by its `code`.
pub fn error(status: StatusCode, code: &'static str) -> Response {
    (status, Json(json!({ "code": code }))).into_response()
}

/// The header only the app's own script sends: it makes a browser ask before a cross-site
/// request (CORS preflight), which nothing answers, so another site cannot use the session.
pub const SESSION_HEADER: &str = "x-makrx-session";

/// Whether a request came from the app (carries `X-MakrX-Session: 1`).
pub fn sent_by_the_app(headers: &HeaderMap) -> bool {
    headers
        .get(SESSION_HEADER)
        .is_some_and(|value| value.as_bytes() == b"1")
}

/// 403 for a request without the app's header.
pub fn not_from_the_app() -> Response {
    error(StatusCode::FORBIDDEN, "FORBIDDEN")
}
