//! Sign-in for the web apps. Identity is their backend: it runs the authorization-code flow
//! with PKCE against the issuer, keeps the refresh tokens, gives the browser an HttpOnly
//! session cookie and hands the app short-lived access tokens. No token reaches a URL or
//! the browser's storage.
//!
//! - `GET /auth/login?return_to=/path`: 303 to the issuer.
//! - `GET /auth/callback`: finishes the sign-in, sets `makrx_session`, 303 to `return_to`, or
//!   to `/?sign_in_error=denied|expired|failed|unavailable`.
//! - `POST /auth/token` (cookie + `X-MakrX-Session: 1`): `{accessToken, expiresAt, user}`,
//!   refreshed first when it has less than a minute left; 401 `UNAUTHENTICATED` without a
//!   live session.
//! - `POST /auth/logout` (same): ends the session here and answers `{endSessionUrl}`, where
//!   the app sends the browser to end it at the issuer too.
//!
//! Every answer is `Cache-Control: no-store`.

mod answer;
mod cookie;
mod issuer;
mod login;
mod return_to;
mod settings;
mod store;
mod tokens;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Duration, Utc};
use makrx_service::{Auth, Clock};
use sqlx::PgPool;

pub use settings::{DEFAULT_WEB_ORIGIN, SignInSettings, WebOrigin};

/// How long a sign-in may stay at the issuer before its state is no longer accepted.
const PENDING_SIGN_IN_MINUTES: i64 = 10;
/// The longest a session lasts, however often it is used.
const SESSION_LIFETIME_DAYS: i64 = 30;
/// How long a session lasts unused.
const SESSION_IDLE_DAYS: i64 = 14;
/// An access token with less time left than this is refreshed before it is handed out.
const REFRESH_MARGIN_SECONDS: i64 = 60;

/// The web sign-in: its settings, the issuer, and the clock that decides expiry.
#[derive(Clone)]
pub struct WebSignIn {
    settings: Arc<SignInSettings>,
    issuer: Arc<issuer::Issuer>,
    clock: Clock,
}

impl WebSignIn {
    /// Sign-in with `settings`, deciding expiry by `clock`. The issuer is asked nothing yet.
    pub fn new(settings: SignInSettings, clock: Clock) -> Self {
        Self {
            issuer: Arc::new(issuer::Issuer::new(settings.clone())),
            settings: Arc::new(settings),
            clock,
        }
    }

    /// Sign-in against the development OIDC server at `issuer`, with the default settings
    /// and the system clock (what tests that do not sign in through a browser need).
    pub fn development(issuer: &str) -> Self {
        Self::new(SignInSettings::development(issuer), Clock::system())
    }
}

/// What the `/auth` handlers share.
#[derive(Clone)]
struct SignInState {
    sign_in: WebSignIn,
    db: PgPool,
    auth: Auth,
}

impl SignInState {
    fn origin(&self) -> &WebOrigin {
        &self.sign_in.settings.web_origin
    }

    fn now(&self) -> DateTime<Utc> {
        self.sign_in.clock.now()
    }

    /// When a session used at `now` expires.
    fn session_expiry(created_at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
        (created_at + Duration::days(SESSION_LIFETIME_DAYS))
            .min(now + Duration::days(SESSION_IDLE_DAYS))
    }
}

/// `/auth/login`, `/auth/callback`, `/auth/token` and `/auth/logout`.
pub fn routes(sign_in: WebSignIn, db: PgPool, auth: Auth) -> Router {
    Router::new()
        .route("/auth/login", get(login::start))
        .route("/auth/callback", get(login::finish))
        .route("/auth/token", post(tokens::access_token))
        .route("/auth/logout", post(tokens::sign_out))
        .with_state(SignInState { sign_in, db, auth })
        .layer(axum::middleware::map_response(no_store))
}

/// Answers about sessions and tokens are for one browser, once: no cache may keep them.
async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
