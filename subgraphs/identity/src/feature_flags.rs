//! Feature flags: switches the apps read, set by platform admins.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, audit};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

/// A switch for a feature, read by every app.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
pub struct FeatureFlag {
    pub key: String,
    pub enabled: bool,
    pub description: String,
    pub updated_at: DateTime<Utc>,
}

/// A flag's key: 2 to 64 characters, lowercase letters, digits, `_`, `.` and `-`,
/// starting with a letter (`store.stripe-checkout`).
struct FlagKey(String);

impl FlagKey {
    fn parse(raw: &str) -> Result<Self, ApiError> {
        let key = raw.trim();
        let well_formed = (2..=64).contains(&key.len())
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
        if well_formed {
            Ok(Self(key.into()))
        } else {
            Err(ApiError::invalid(
                "key",
                "must be 2 to 64 lowercase letters, digits, '_', '.' or '-', starting with a letter",
            ))
        }
    }
}

#[derive(Default)]
pub struct FeatureFlagQuery;

#[Object]
impl FeatureFlagQuery {
    /// Every feature flag, by key.
    async fn feature_flags(&self, ctx: &Context<'_>) -> Result<Vec<FeatureFlag>, ApiError> {
        Ok(sqlx::query_as!(
            FeatureFlag,
            "select key, enabled, description, updated_at from shared.feature_flags order by key"
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

/// Switches a feature on or off, creating the flag if it is new.
#[derive(InputObject)]
pub struct SetFeatureFlagInput {
    key: String,
    enabled: bool,
    /// What the flag controls; kept as it is when left out.
    description: Option<String>,
}

#[derive(Default)]
pub struct FeatureFlagMutation;

#[Object(guard = "SignedIn")]
impl FeatureFlagMutation {
    /// Sets a feature flag; platform admins only.
    async fn set_feature_flag(
        &self,
        ctx: &Context<'_>,
        input: SetFeatureFlagInput,
    ) -> Result<FeatureFlag, ApiError> {
        let admin = caller(ctx).user()?;
        if !admin.is_admin() {
            return Err(ApiError::Forbidden(
                "only platform admins may set feature flags".into(),
            ));
        }
        let key = FlagKey::parse(&input.key)?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            FeatureFlag,
            "select key, enabled, description, updated_at from shared.feature_flags where key = $1 for update",
            key.0
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            FeatureFlag,
            "insert into shared.feature_flags (key, enabled, description) values ($1, $2, coalesce($3, ''))
             on conflict (key) do update set
                enabled = excluded.enabled,
                description = coalesce($3, shared.feature_flags.description),
                updated_at = now()
             returning key, enabled, description, updated_at",
            key.0,
            input.enabled,
            input.description.as_deref().map(str::trim),
        )
        .fetch_one(&mut *tx)
        .await?;
        // Flags are keyed by name; the audit row's entity id is derived from it.
        let entity_id = Uuid::new_v5(&Uuid::NAMESPACE_OID, key.0.as_bytes());
        audit::record(
            &mut tx,
            Some(admin.id),
            "feature_flag.set",
            "feature_flag",
            entity_id,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
