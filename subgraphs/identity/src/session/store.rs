//! The web sign-in's rows: sign-ins waiting for the issuer, and signed-in browsers.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A sign-in that left for the issuer and has not come back yet.
pub struct PendingSignIn {
    pub pkce_verifier: String,
    pub nonce: String,
    pub return_to: String,
    pub created_at: DateTime<Utc>,
}

/// Keeps a new pending sign-in under its `state`, and drops those begun before `stale_before`.
pub async fn save_pending(
    db: &PgPool,
    state: &str,
    pending: &PendingSignIn,
    stale_before: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "delete from shared.pending_sign_ins where created_at < $1",
        stale_before
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into shared.pending_sign_ins (state, pkce_verifier, nonce, return_to, created_at)
         values ($1, $2, $3, $4, $5)",
        state,
        pending.pkce_verifier,
        pending.nonce,
        pending.return_to,
        pending.created_at,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Takes (and so uses up) the pending sign-in of `state`.
pub async fn take_pending(db: &PgPool, state: &str) -> Result<Option<PendingSignIn>, sqlx::Error> {
    sqlx::query_as!(
        PendingSignIn,
        "delete from shared.pending_sign_ins where state = $1
         returning pkce_verifier, nonce, return_to, created_at",
        state
    )
    .fetch_optional(db)
    .await
}

/// What the issuer handed out for a session.
pub struct Tokens {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    /// `None` after a refresh means the issuer kept the refresh token it had.
    pub refresh_token: Option<String>,
    /// `None` after a refresh means the last ID token stays the logout hint.
    pub id_token: Option<String>,
}

/// A signed-in browser.
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Starts a session for `user_id` under the hash of its cookie, and drops sessions that
/// have expired.
pub async fn create_session(
    db: &PgPool,
    cookie_hash: &[u8],
    user_id: Uuid,
    tokens: &Tokens,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "delete from shared.web_sessions where expires_at <= $1",
        now
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into shared.web_sessions (id, cookie_hash, user_id, access_token,
             access_token_expires_at, refresh_token, id_token, created_at, last_used_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
        Uuid::now_v7(),
        cookie_hash,
        user_id,
        tokens.access_token,
        tokens.access_token_expires_at,
        tokens.refresh_token,
        tokens.id_token,
        now,
        expires_at,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The session of a cookie, locked until the transaction ends: a second request of the same
/// browser waits here while the first refreshes, then sees the new tokens.
pub async fn lock_session(
    tx: &mut PgConnection,
    cookie_hash: &[u8],
) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as!(
        Session,
        "select id, user_id, access_token, access_token_expires_at, refresh_token, id_token,
                created_at, expires_at
         from shared.web_sessions where cookie_hash = $1 for update",
        cookie_hash
    )
    .fetch_optional(tx)
    .await
}

/// Stores refreshed tokens, keeping the refresh and ID tokens the issuer did not replace.
pub async fn replace_tokens(
    tx: &mut PgConnection,
    id: Uuid,
    tokens: &Tokens,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update shared.web_sessions set
             access_token = $2,
             access_token_expires_at = $3,
             refresh_token = coalesce($4, refresh_token),
             id_token = coalesce($5, id_token)
         where id = $1",
        id,
        tokens.access_token,
        tokens.access_token_expires_at,
        tokens.refresh_token,
        tokens.id_token,
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Records a use of the session, which moves its expiry.
pub async fn mark_used(
    tx: &mut PgConnection,
    id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update shared.web_sessions set last_used_at = $2, expires_at = $3 where id = $1",
        id,
        now,
        expires_at
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Ends a session.
pub async fn delete_session(tx: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from shared.web_sessions where id = $1", id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Ends the session of a cookie, returning what it held.
pub async fn take_session(db: &PgPool, cookie_hash: &[u8]) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as!(
        Session,
        "delete from shared.web_sessions where cookie_hash = $1
         returning id, user_id, access_token, access_token_expires_at, refresh_token, id_token,
                   created_at, expires_at",
        cookie_hash
    )
    .fetch_optional(db)
    .await
}

/// Who a session belongs to, as the app shows them.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInUser {
    pub id: Uuid,
    pub email: Option<String>,
    pub display_name: String,
}

/// The user `id`.
pub async fn user(db: &PgPool, id: Uuid) -> Result<Option<SignedInUser>, sqlx::Error> {
    sqlx::query_as!(
        SignedInUser,
        "select id, email, display_name from shared.users where id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

/// The issuer's subject for the user `id`.
pub async fn subject(db: &PgPool, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("select subject from shared.users where id = $1", id)
        .fetch_optional(db)
        .await
}
