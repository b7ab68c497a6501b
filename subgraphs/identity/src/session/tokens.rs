//! `/auth/token` and `/auth/logout`: what a signed-in browser's app asks for.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use openidconnect::core::{CoreIdToken, CoreTokenResponse};
use openidconnect::{
    ClientId, OAuth2TokenResponse, PostLogoutRedirectUrl, RefreshToken, RequestTokenError,
    TokenResponse,
};
use serde_json::json;

use super::answer::{SessionError, not_from_the_app, sent_by_the_app};
use super::cookie::{self, SessionSecret};
use super::issuer::Discovered;
use super::store::{self, Session, Tokens};
use super::{REFRESH_MARGIN_SECONDS, SignInState};

/// How long an access token lives when the issuer does not say (it always should).
const ASSUMED_TOKEN_LIFETIME: Duration = Duration::minutes(5);

/// The tokens of a token response received at `now`.
pub fn from_response(response: &CoreTokenResponse, now: DateTime<Utc>) -> Tokens {
    let lifetime = response
        .expires_in()
        .and_then(|lifetime| Duration::from_std(lifetime).ok())
        .unwrap_or(ASSUMED_TOKEN_LIFETIME);
    Tokens {
        access_token: response.access_token().secret().clone(),
        access_token_expires_at: now + lifetime,
        refresh_token: response.refresh_token().map(|token| token.secret().clone()),
        id_token: response.id_token().map(ToString::to_string),
    }
}

/// `POST /auth/token`: the session's access token, refreshed first when it is about to expire.
pub async fn access_token(State(state): State<SignInState>, headers: HeaderMap) -> Response {
    if !sent_by_the_app(&headers) {
        return not_from_the_app();
    }
    let Some(secret) = SessionSecret::from_request(&headers) else {
        return SessionError::Unauthenticated.answer(state.origin());
    };
    match current_token(&state, &secret).await {
        Ok(answer) => Json(answer).into_response(),
        Err(err) => err.answer(state.origin()),
    }
}

async fn current_token(
    state: &SignInState,
    secret: &SessionSecret,
) -> Result<serde_json::Value, SessionError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some(session) = store::lock_session(&mut tx, &secret.hash()).await? else {
        return Err(SessionError::Unauthenticated);
    };
    if session.expires_at <= now {
        store::delete_session(&mut tx, session.id).await?;
        tx.commit().await?;
        return Err(SessionError::Unauthenticated);
    }
    let mut access = (
        session.access_token.clone(),
        session.access_token_expires_at,
    );
    if session.access_token_expires_at - now < Duration::seconds(REFRESH_MARGIN_SECONDS) {
        match refresh(state, &session, now).await {
            Ok(tokens) => {
                store::replace_tokens(&mut tx, session.id, &tokens).await?;
                access = (tokens.access_token, tokens.access_token_expires_at);
            }
            Err(SessionError::Unauthenticated) => {
                store::delete_session(&mut tx, session.id).await?;
                tx.commit().await?;
                return Err(SessionError::Unauthenticated);
            }
            // The issuer is away: the token in hand serves while it lasts.
            Err(err) if session.access_token_expires_at <= now => return Err(err),
            Err(_) => {}
        }
    }
    let expires_at = SignInState::session_expiry(session.created_at, now);
    store::mark_used(&mut tx, session.id, now, expires_at).await?;
    tx.commit().await?;
    let user = store::user(&state.db, session.user_id)
        .await?
        .ok_or(SessionError::Unauthenticated)?;
    Ok(json!({
        "accessToken": access.0,
        "expiresAt": access.1.to_rfc3339_opts(SecondsFormat::Secs, true),
        "user": user,
    }))
}

/// New tokens for `session` from its refresh token; `Unauthenticated` when the issuer
/// refuses (the refresh token expired or was revoked), `Unavailable` when it cannot be asked.
async fn refresh(
    state: &SignInState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<Tokens, SessionError> {
    let Some(refresh_token) = &session.refresh_token else {
        return Err(SessionError::Unauthenticated);
    };
    let issuer = state
        .sign_in
        .issuer
        .discovered()
        .await
        .map_err(|_| SessionError::Unavailable)?;
    let refresh_token = RefreshToken::new(refresh_token.clone());
    let request = issuer
        .client
        .exchange_refresh_token(&refresh_token)
        .map_err(|err| {
            tracing::error!(error = %err, "the issuer has no token endpoint");
            SessionError::Unavailable
        })?;
    match request.request_async(&state.sign_in.issuer.http).await {
        Ok(response) => Ok(from_response(&response, now)),
        Err(RequestTokenError::ServerResponse(refusal)) => {
            tracing::info!(error = %refusal, "the issuer refused to refresh a session");
            Err(SessionError::Unauthenticated)
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot refresh a session at the issuer");
            Err(SessionError::Unavailable)
        }
    }
}

/// `POST /auth/logout`: ends the session here, revokes its refresh token at the issuer, and
/// answers where the browser ends its session at the issuer.
pub async fn sign_out(State(state): State<SignInState>, headers: HeaderMap) -> Response {
    if !sent_by_the_app(&headers) {
        return not_from_the_app();
    }
    let session = match SessionSecret::from_request(&headers) {
        Some(secret) => match store::take_session(&state.db, &secret.hash()).await {
            Ok(session) => session,
            Err(err) => return SessionError::from(err).answer(state.origin()),
        },
        None => None,
    };
    let issuer = state.sign_in.issuer.discovered().await.ok();
    if let (Some(issuer), Some(session)) = (&issuer, &session) {
        revoke(&state, issuer, session).await;
    }
    let end_session_url = match &issuer {
        Some(issuer) => end_session_url(&state, issuer, session.as_ref()),
        None => state.origin().url("/"),
    };
    let mut response = Json(json!({ "endSessionUrl": end_session_url })).into_response();
    if let Ok(value) = cookie::clear_session(state.origin()).parse() {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

/// Revokes the session's refresh token (RFC 7009) when the issuer offers revocation. Sent
/// by hand: the `oauth2` crate refuses revocation endpoints that are not https, and the
/// development server's is http.
async fn revoke(state: &SignInState, issuer: &Discovered, session: &Session) {
    let (Some(endpoint), Some(refresh_token)) = (&issuer.revocation, &session.refresh_token) else {
        return;
    };
    let settings = &state.sign_in.settings;
    let sent = state
        .sign_in
        .issuer
        .http
        .post(endpoint.url().clone())
        .basic_auth(&settings.client_id, Some(&settings.client_secret))
        .form(&[
            ("token", refresh_token.as_str()),
            ("token_type_hint", "refresh_token"),
        ])
        .send()
        .await
        .and_then(reqwest::Response::error_for_status);
    if let Err(err) = sent {
        tracing::warn!(error = %err, "the issuer did not revoke a signed-out session's refresh token");
    }
}

/// Where the browser ends its session at the issuer (OIDC RP-initiated logout), then comes
/// back to the app's front page; the app's front page when the issuer has no such endpoint.
fn end_session_url(state: &SignInState, issuer: &Discovered, session: Option<&Session>) -> String {
    let home = state.origin().url("/");
    let (Some(endpoint), Ok(back)) = (
        &issuer.end_session,
        PostLogoutRedirectUrl::new(home.clone()),
    ) else {
        return home;
    };
    let mut request = openidconnect::LogoutRequest::from(endpoint.clone())
        .set_client_id(ClientId::new(state.sign_in.settings.client_id.clone()))
        .set_post_logout_redirect_uri(back);
    let hint = session
        .and_then(|session| session.id_token.as_deref())
        .and_then(|token| token.parse::<CoreIdToken>().ok());
    if let Some(hint) = &hint {
        request = request.set_id_token_hint(hint);
    }
    request.http_get_url().to_string()
}
