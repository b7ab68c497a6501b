//! `/auth/login` and `/auth/callback`: the authorization-code flow with PKCE, from the
//! browser's departure to the issuer to its return with a session.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Duration;
use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreTokenResponse};
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    Scope, TokenResponse,
};
use serde::Deserialize;
use uuid::Uuid;

use super::answer::{SignInFailure, see_other, sign_in_failed};
use super::cookie::{self, SessionSecret};
use super::return_to::ReturnTo;
use super::store::{self, PendingSignIn};
use super::{PENDING_SIGN_IN_MINUTES, SignInState, tokens};

#[derive(Deserialize)]
pub struct LoginQuery {
    return_to: Option<String>,
}

/// `GET /auth/login`: remembers where to come back to and sends the browser to the issuer.
pub async fn start(
    State(state): State<SignInState>,
    query: Result<Query<LoginQuery>, QueryRejection>,
) -> Response {
    let return_to = ReturnTo::parse(query.ok().and_then(|q| q.0.return_to).as_deref());
    let origin = state.origin();
    let Ok(issuer) = state.sign_in.issuer.discovered().await else {
        return sign_in_failed(SignInFailure::Unavailable, origin);
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = issuer
        .client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        // OIDC Core 11: an issuer may grant offline_access only with prompt=consent (the
        // development server holds to it; Keycloak asks only clients that require consent).
        .add_prompt(CoreAuthPrompt::Consent)
        .set_pkce_challenge(challenge)
        .url();
    let now = state.now();
    let pending = PendingSignIn {
        pkce_verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
        return_to: return_to.as_str().into(),
        created_at: now,
    };
    let stale_before = now - Duration::minutes(PENDING_SIGN_IN_MINUTES);
    if let Err(err) = store::save_pending(&state.db, csrf.secret(), &pending, stale_before).await {
        tracing::error!(error = %err, "cannot keep a pending sign-in");
        return sign_in_failed(SignInFailure::Failed, origin);
    }
    see_other(
        url.as_str(),
        &[cookie::remember_sign_in(csrf.secret(), origin)],
    )
}

/// What the issuer sends the browser back with.
#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback`: trades the code for tokens, starts a session and sends the browser
/// back where it was, or to the front page with the reason it failed.
pub async fn finish(
    State(state): State<SignInState>,
    headers: HeaderMap,
    query: Result<Query<CallbackQuery>, QueryRejection>,
) -> Response {
    let origin = state.origin();
    let Ok(Query(query)) = query else {
        return sign_in_failed(SignInFailure::Failed, origin);
    };
    match sign_in(&state, &headers, query).await {
        Ok((secret, return_to)) => see_other(
            return_to.as_str(),
            &[secret.set_cookie(origin), cookie::forget_sign_in(origin)],
        ),
        Err(failure) => sign_in_failed(failure, origin),
    }
}

async fn sign_in(
    state: &SignInState,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<(SessionSecret, ReturnTo), SignInFailure> {
    let pending = pending_sign_in(state, headers, &query).await?;
    let code = query.code.ok_or(SignInFailure::Failed)?;
    let (response, subject) = redeem(state, code, pending.pkce_verifier, pending.nonce).await?;
    let user_id = user_of(state, &response, &subject).await?;
    let secret = start_session(state, headers, user_id, &response).await?;
    Ok((secret, ReturnTo::parse(Some(&pending.return_to))))
}

/// The pending sign-in the browser comes back for, used up; the issuer's refusal when it
/// sent one.
async fn pending_sign_in(
    state: &SignInState,
    headers: &HeaderMap,
    query: &CallbackQuery,
) -> Result<PendingSignIn, SignInFailure> {
    // Only the browser that left for the issuer may come back with its state: otherwise a
    // link carrying someone else's code would sign a person into that someone's account.
    let csrf = query
        .state
        .as_deref()
        .filter(|csrf| cookie::cookie(headers, cookie::SIGN_IN_COOKIE) == Some(*csrf));
    let pending = match csrf {
        Some(csrf) => store::take_pending(&state.db, csrf)
            .await
            .map_err(|err| failed("cannot read a pending sign-in", &err))?,
        None => None,
    };
    if let Some(error) = &query.error {
        tracing::info!(error, "the issuer ended a sign-in");
        return Err(if error == "access_denied" {
            SignInFailure::Denied
        } else {
            SignInFailure::Failed
        });
    }
    let pending = pending.ok_or(SignInFailure::Expired)?;
    if pending.created_at + Duration::minutes(PENDING_SIGN_IN_MINUTES) <= state.now() {
        return Err(SignInFailure::Expired);
    }
    Ok(pending)
}

/// Trades the code for tokens and verifies the ID token (signature, issuer, audience,
/// expiry, nonce); returns the tokens and the subject the ID token names.
async fn redeem(
    state: &SignInState,
    code: String,
    pkce_verifier: String,
    nonce: String,
) -> Result<(CoreTokenResponse, String), SignInFailure> {
    let issuer = state
        .sign_in
        .issuer
        .discovered()
        .await
        .map_err(|_| SignInFailure::Unavailable)?;
    let response = issuer
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|err| failed("the issuer has no token endpoint", &err))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
        .request_async(&state.sign_in.issuer.http)
        .await
        .map_err(|err| failed("the issuer refused the authorization code", &err))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| failed("the issuer sent no ID token", &"missing id_token"))?;
    let clock = state.sign_in.clock.clone();
    let verifier = issuer
        .client
        .id_token_verifier()
        .set_time_fn(move || clock.now());
    let subject = match id_token.claims(&verifier, &Nonce::new(nonce)) {
        Ok(claims) => claims.subject().as_str().to_owned(),
        Err(err) => {
            // Perhaps the issuer rotated its keys: the next sign-in discovers it again.
            state.sign_in.issuer.forget().await;
            return Err(failed("the ID token did not verify", &err));
        }
    };
    Ok((response, subject))
}

/// Our user for the tokens, created exactly as when a subgraph first sees their access
/// token; the ID token must name the same person.
async fn user_of(
    state: &SignInState,
    response: &CoreTokenResponse,
    subject: &str,
) -> Result<Uuid, SignInFailure> {
    let bearer = format!("Bearer {}", response.access_token().secret());
    let caller = state
        .auth
        .caller(Some(&bearer))
        .await
        .map_err(|err| failed("the issuer's access token was refused", &format!("{err:?}")))?;
    let user_id = caller
        .user_id()
        .ok_or_else(|| failed("the access token names nobody", &"anonymous"))?;
    let known_as = store::subject(&state.db, user_id)
        .await
        .map_err(|err| failed("cannot read the user", &err))?;
    if known_as.as_deref() != Some(subject) {
        return Err(failed(
            "the ID and access tokens name different people",
            &subject,
        ));
    }
    Ok(user_id)
}

/// A new session for `user_id` holding the tokens; the browser's previous one, if it
/// brought one, ends rather than lingers.
async fn start_session(
    state: &SignInState,
    headers: &HeaderMap,
    user_id: Uuid,
    response: &CoreTokenResponse,
) -> Result<SessionSecret, SignInFailure> {
    if let Some(previous) = SessionSecret::from_request(headers) {
        store::take_session(&state.db, &previous.hash())
            .await
            .map_err(|err| failed("cannot end the browser's previous session", &err))?;
    }
    let now = state.now();
    let secret = SessionSecret::generate();
    let tokens = tokens::from_response(response, now);
    let expires_at = SignInState::session_expiry(now, now);
    store::create_session(&state.db, &secret.hash(), user_id, &tokens, now, expires_at)
        .await
        .map_err(|err| failed("cannot start a session", &err))?;
    Ok(secret)
}

/// Logs why a sign-in failed; the browser learns only that it did.
fn failed(what: &str, err: &dyn std::fmt::Display) -> SignInFailure {
    tracing::warn!(error = %err, "{what}");
    SignInFailure::Failed
}
