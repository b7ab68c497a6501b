//! The store's settings: how long a cart holds stock after it last changed, and how long an
//! order waiting for a card payment keeps its units. Anyone may read them (a checkout shows
//! them); store staff change them.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use makrx_service::ApiError;
use makrx_service::graphql::{SignedIn, caller};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::policy::store_staff;

/// The longest a hold or a payment time may be, in minutes: a day.
const MAX_MINUTES: i32 = 1440;

/// The store's settings.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
pub struct StoreSettings {
    /// How long a cart holds its lines' stock after it last changed.
    pub hold_minutes: i32,
    /// How long an order waiting for a card payment keeps its units after payment starts.
    pub payment_minutes: i32,
}

#[derive(Default)]
pub struct SettingsQuery;

#[Object]
impl SettingsQuery {
    async fn store_settings(&self, ctx: &Context<'_>) -> Result<StoreSettings, ApiError> {
        Ok(sqlx::query_as!(
            StoreSettings,
            "select hold_minutes, payment_minutes from store.settings"
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

#[derive(InputObject)]
pub struct UpdateStoreSettingsInput {
    /// 1 to 1440; left out, it stays.
    pub hold_minutes: Option<i32>,
    /// 1 to 1440; left out, it stays.
    pub payment_minutes: Option<i32>,
}

#[derive(Default)]
pub struct SettingsMutation;

#[Object(guard = "SignedIn")]
impl SettingsMutation {
    /// Changes the store's settings; store staff only. Holds and payment times already running
    /// keep their end; the next change to a cart, or the next payment started, takes the new one.
    async fn update_store_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateStoreSettingsInput,
    ) -> Result<StoreSettings, ApiError> {
        let staff = store_staff(caller(ctx), "change the store's settings")?;
        for (field, minutes) in [
            ("holdMinutes", input.hold_minutes),
            ("paymentMinutes", input.payment_minutes),
        ] {
            if minutes.is_some_and(|minutes| !(1..=MAX_MINUTES).contains(&minutes)) {
                return Err(ApiError::invalid(
                    field,
                    format!("must be 1 to {MAX_MINUTES} minutes"),
                ));
            }
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            StoreSettings,
            "select hold_minutes, payment_minutes from store.settings for update"
        )
        .fetch_one(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            StoreSettings,
            "update store.settings
             set hold_minutes = coalesce($1, hold_minutes),
                 payment_minutes = coalesce($2, payment_minutes), updated_at = now()
             returning hold_minutes, payment_minutes",
            input.hold_minutes,
            input.payment_minutes,
        )
        .fetch_one(&mut *tx)
        .await?;
        // The settings are one row: the audit names it by the nil id.
        changes::record(
            &mut tx,
            staff.id,
            Action::SETTINGS_UPDATED,
            Uuid::nil(),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
