//! Who is asking: access tokens verified against the issuer's keys, and the caller they name.
//!
//! Every subgraph verifies tokens itself (RS256, keys from the issuer's JWKS, cached and
//! fetched again when a token names a key we have not seen); the router only forwards the
//! `Authorization` header. A verified user is provisioned in `shared.users` on first sight,
//! so whichever subgraph a person reaches first, they exist as a `User` everywhere. A client
//! sends the same token with every request until it expires, so the caller a token names is
//! kept until then: its signature is checked once.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sqlx::PgPool;
use tokio::sync::{Mutex, RwLock};
use uuid::Uuid;

use crate::ApiError;

/// The global role that may do anything.
pub const ADMIN_ROLE: &str = "admin";
/// The global role of the people who run the store (catalog, stock, orders).
pub const STORE_STAFF_ROLE: &str = "store-staff";

/// Whoever sent a request.
#[derive(Clone, Debug)]
pub enum Caller {
    Anonymous,
    User(CallerUser),
}

/// A signed-in person, as their token and our user table describe them.
#[derive(Clone, Debug)]
pub struct CallerUser {
    pub id: Uuid,
    pub email: Option<String>,
    /// Global roles from the token (`admin`, `provider`, ...).
    pub roles: Vec<String>,
}

impl Caller {
    /// The signed-in user, or `UNAUTHENTICATED`.
    pub fn user(&self) -> Result<&CallerUser, ApiError> {
        match self {
            Self::User(user) => Ok(user),
            Self::Anonymous => Err(ApiError::Unauthenticated("sign in to do this")),
        }
    }

    /// The signed-in user's id, if any.
    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Self::User(user) => Some(user.id),
            Self::Anonymous => None,
        }
    }

    /// Whether the caller is a platform administrator.
    pub fn is_admin(&self) -> bool {
        matches!(self, Self::User(user) if user.is_admin())
    }

    /// Whether the caller runs the store: store staff or a platform administrator.
    pub fn is_store_staff(&self) -> bool {
        matches!(self, Self::User(user) if user.is_store_staff())
    }
}

impl CallerUser {
    /// Whether this user holds the platform's admin role.
    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|role| role == ADMIN_ROLE)
    }

    /// Whether this user runs the store: store staff or a platform administrator.
    pub fn is_store_staff(&self) -> bool {
        self.is_admin() || self.roles.iter().any(|role| role == STORE_STAFF_ROLE)
    }
}

/// The claims MakrX reads from an access token.
#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    /// When the token expires, in seconds since the Unix epoch.
    exp: u64,
    email: Option<String>,
    #[serde(default)]
    email_verified: bool,
    name: Option<String>,
    #[serde(default)]
    realm_access: RealmAccess,
}

#[derive(Debug, Default, Deserialize)]
struct RealmAccess {
    #[serde(default)]
    roles: Vec<String>,
}

/// Turns `Authorization` headers into callers.
#[derive(Clone)]
pub struct Auth {
    keys: Arc<IssuerKeys>,
    audience: String,
    db: PgPool,
    known_users: Arc<RwLock<HashMap<String, Uuid>>>,
    verified: Arc<VerifiedTokens>,
}

impl Auth {
    /// Checks tokens from `issuer` (its discovery document names the keys) meant for `audience`.
    pub fn new(issuer: &str, audience: &str, db: PgPool) -> Self {
        Self {
            keys: Arc::new(IssuerKeys::new(issuer)),
            audience: audience.into(),
            db,
            known_users: Arc::default(),
            verified: Arc::default(),
        }
    }

    /// The caller an `Authorization` header names: anonymous without one, refused when it is
    /// malformed, forged, expired or meant for someone else.
    pub async fn caller(&self, authorization: Option<&str>) -> Result<Caller, ApiError> {
        let Some(header) = authorization else {
            return Ok(Caller::Anonymous);
        };
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or(ApiError::Unauthenticated(
                "the Authorization header must be `Bearer <token>`",
            ))?
            .trim();
        let now = jsonwebtoken::get_current_timestamp();
        if let Some(user) = self.verified.get(token, now) {
            return Ok(Caller::User(user));
        }
        let claims = self.verify(token).await?;
        let user = CallerUser {
            id: self.provision(&claims).await?,
            email: claims.email.filter(|_| claims.email_verified),
            roles: claims.realm_access.roles,
        };
        self.verified.keep(token, user.clone(), claims.exp, now);
        Ok(Caller::User(user))
    }

    async fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let rejected = ApiError::Unauthenticated("the access token is invalid or expired");
        let header = jsonwebtoken::decode_header(token).map_err(|_| rejected.clone())?;
        if header.alg != Algorithm::RS256 {
            return Err(rejected);
        }
        let kid = header.kid.ok_or(rejected.clone())?;
        let key = self.keys.get(&kid).await?.ok_or(rejected.clone())?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[self.keys.issuer.as_str()]);
        validation.set_audience(&[self.audience.as_str()]);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        match jsonwebtoken::decode::<Claims>(token, &key, &validation) {
            Ok(data) => Ok(data.claims),
            Err(err) => {
                tracing::info!(error = %err, "access token refused");
                Err(rejected)
            }
        }
    }

    /// Our id for the token's subject, creating the user on first sight.
    async fn provision(&self, claims: &Claims) -> Result<Uuid, ApiError> {
        if let Some(id) = self.known_users.read().await.get(&claims.sub) {
            return Ok(*id);
        }
        let display_name = claims
            .name
            .clone()
            .or_else(|| {
                claims
                    .email
                    .as_ref()
                    .and_then(|e| e.split('@').next().map(str::to_owned))
            })
            .unwrap_or_else(|| "New maker".into());
        let email = claims.email.as_ref().filter(|_| claims.email_verified);
        let id = sqlx::query_scalar!(
            "insert into shared.users (id, subject, email, display_name, roles)
             values ($1, $2, $3, $4, $5)
             on conflict (subject) do update set email = excluded.email, roles = excluded.roles
             returning id",
            Uuid::now_v7(),
            claims.sub,
            email,
            display_name,
            &claims.realm_access.roles,
        )
        .fetch_one(&self.db)
        .await?;
        self.known_users
            .write()
            .await
            .insert(claims.sub.clone(), id);
        Ok(id)
    }
}

/// Tokens whose signature and claims were checked, with the user each names, until they
/// expire. Only the very same token (its signed bytes) finds its entry.
#[derive(Default)]
struct VerifiedTokens(std::sync::RwLock<HashMap<String, (CallerUser, u64)>>);

/// How many verified tokens are kept: a few thousand clients' worth, a few megabytes.
const VERIFIED_TOKENS: usize = 10_000;

impl VerifiedTokens {
    /// The user `token` names, if it was verified and has not expired by `now` (seconds since
    /// the Unix epoch).
    fn get(&self, token: &str, now: u64) -> Option<CallerUser> {
        let tokens = self.0.read().unwrap_or_else(PoisonError::into_inner);
        let (user, expires_at) = tokens.get(token)?;
        unexpired(*expires_at, now).then(|| user.clone())
    }

    /// Keeps `token`, verified at `now`, until `expires_at`. When full, expired tokens make
    /// room, or else all are dropped and verified again as they come back.
    fn keep(&self, token: &str, user: CallerUser, expires_at: u64, now: u64) {
        let mut tokens = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if tokens.len() >= VERIFIED_TOKENS {
            tokens.retain(|_, (_, expires_at)| unexpired(*expires_at, now));
            if tokens.len() >= VERIFIED_TOKENS {
                tokens.clear();
            }
        }
        tokens.insert(token.to_owned(), (user, expires_at));
    }
}

/// Whether a token that expires at `expires_at` is still good at `now`: up to and including
/// its last second, as `jsonwebtoken` (without leeway) judged it when it was verified.
fn unexpired(expires_at: u64, now: u64) -> bool {
    now <= expires_at
}

/// The issuer's signing keys, fetched lazily and again when a token names an unknown key.
struct IssuerKeys {
    issuer: String,
    http: reqwest::Client,
    keys: RwLock<HashMap<String, DecodingKey>>,
    last_fetch: Mutex<Option<Instant>>,
}

/// Unknown key ids trigger at most one fetch per interval, so forged tokens cannot hammer the issuer.
const REFETCH_INTERVAL: Duration = Duration::from_secs(10);

#[derive(Deserialize)]
struct Discovery {
    jwks_uri: String,
}

impl IssuerKeys {
    fn new(issuer: &str) -> Self {
        Self {
            issuer: issuer.trim_end_matches('/').into(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
            keys: RwLock::default(),
            last_fetch: Mutex::default(),
        }
    }

    async fn get(&self, kid: &str) -> Result<Option<DecodingKey>, ApiError> {
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(Some(key.clone()));
        }
        let mut last_fetch = self.last_fetch.lock().await;
        // Another request may have fetched the keys while this one waited for the lock.
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(Some(key.clone()));
        }
        if last_fetch.is_some_and(|at| at.elapsed() < REFETCH_INTERVAL) {
            return Ok(None);
        }
        *last_fetch = Some(Instant::now());
        let fetched = self.fetch().await.map_err(|err| {
            ApiError::internal(format_args!(
                "cannot fetch the keys of the issuer {}: {err:#}",
                self.issuer
            ))
        })?;
        let mut keys = self.keys.write().await;
        *keys = fetched;
        Ok(keys.get(kid).cloned())
    }

    async fn fetch(&self) -> anyhow::Result<HashMap<String, DecodingKey>> {
        use anyhow::Context;
        let discovery: Discovery = self
            .http
            .get(format!("{}/.well-known/openid-configuration", self.issuer))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .context("Failed to fetch the issuer's discovery document")?
            .json()
            .await
            .context("Failed to read the issuer's discovery document")?;
        let jwks: JwkSet = self
            .http
            .get(&discovery.jwks_uri)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .context("Failed to fetch the issuer's JWKS")?
            .json()
            .await
            .context("Failed to read the issuer's JWKS")?;
        Ok(jwks
            .keys
            .iter()
            .filter_map(|jwk| Some((jwk.common.key_id.clone()?, DecodingKey::from_jwk(jwk).ok()?)))
            .collect())
    }

    /// Whether the issuer answers; for `/ready`.
    async fn reachable(&self) -> bool {
        self.http
            .get(format!("{}/.well-known/openid-configuration", self.issuer))
            .send()
            .await
            .is_ok_and(|response| response.status().is_success())
    }
}

impl Auth {
    /// The issuer whose tokens this checks, as configured (without a trailing `/`).
    pub fn issuer(&self) -> &str {
        &self.keys.issuer
    }

    /// Whether the issuer answers its discovery document.
    pub async fn issuer_reachable(&self) -> bool {
        self.keys.reachable().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> CallerUser {
        CallerUser {
            id: Uuid::now_v7(),
            email: None,
            roles: vec![],
        }
    }

    #[test]
    fn a_verified_token_names_its_user_until_it_expires() {
        let verified = VerifiedTokens::default();
        let kept = user();
        verified.keep("token", kept.clone(), 100, 40);
        assert_eq!(
            verified.get("token", 100).map(|user| user.id),
            Some(kept.id)
        );
        assert!(verified.get("token", 101).is_none(), "expired");
        assert!(verified.get("token2", 50).is_none(), "another token");
        assert!(verified.get("toke", 50).is_none(), "part of the token");
    }

    #[test]
    fn a_full_cache_lets_expired_tokens_go_first() {
        let verified = VerifiedTokens::default();
        for n in 0..VERIFIED_TOKENS - 1 {
            verified.keep(&format!("fresh {n}"), user(), 200, 0);
        }
        verified.keep("expiring", user(), 50, 0);
        verified.keep("new", user(), 200, 60);
        assert!(verified.get("fresh 0", 60).is_some(), "a fresh token stays");
        assert!(verified.get("new", 60).is_some());
        assert_eq!(
            verified.0.read().map(|tokens| tokens.len()).ok(),
            Some(VERIFIED_TOKENS)
        );
        verified.keep("newer", user(), 200, 60);
        assert_eq!(
            verified.0.read().map(|tokens| tokens.len()).ok(),
            Some(1),
            "with none expired, all go"
        );
        assert!(verified.get("newer", 60).is_some());
    }
}
