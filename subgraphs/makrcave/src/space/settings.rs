//! A space's settings: its time zone, visibility, currency and booking limits. Managers and
//! above change them.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, FieldError, parse_id};
use serde::Serialize;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::{PgPool, Postgres};
use uuid::Uuid;

use super::Makerspace;
use crate::changes::{self, Action, Change};
use crate::loaders::Loaders;
use crate::policy;
use crate::policy::MembershipRole;

/// What members may book and cancel in a space.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
pub struct BookingRules {
    /// The longest one booking may last.
    pub max_booking_minutes: i32,
    /// How long before its start a member may still cancel their own booking.
    pub cancellation_notice_minutes: i32,
    /// How long a freed slot is held for the person first on its waitlist.
    pub waitlist_offer_minutes: i32,
}

impl BookingRules {
    /// The rules of the space `makerspace_id`, through the request's loader.
    pub async fn of(ctx: &Context<'_>, makerspace_id: Uuid) -> Result<Self, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .booking_rules
            .load_one(makerspace_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("makerspace".into()))
    }

    /// The last moment the holder of a booking starting at `starts_at` may cancel it.
    pub fn holder_cancels_until(&self, starts_at: DateTime<Utc>) -> DateTime<Utc> {
        starts_at - Duration::minutes(i64::from(self.cancellation_notice_minutes))
    }
}

/// Loads spaces' booking rules by space id.
pub struct BookingRulesBySpace(pub PgPool);

impl Loader<Uuid> for BookingRulesBySpace {
    type Value = BookingRules;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, BookingRules>, ApiError> {
        let rows = sqlx::query!(
            "select id, max_booking_minutes, cancellation_notice_minutes, waitlist_offer_minutes
             from makrcave.makerspaces where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let rules = BookingRules {
                    max_booking_minutes: row.max_booking_minutes,
                    cancellation_notice_minutes: row.cancellation_notice_minutes,
                    waitlist_offer_minutes: row.waitlist_offer_minutes,
                };
                (row.id, rules)
            })
            .collect())
    }
}

/// A space's IANA time zone (`Europe/Berlin`), as `makerspaces.time_zone` keeps it. A name is
/// written only once parsed; one that is no zone fails to decode, loudly, rather than becoming
/// UTC and moving every opening hour and booking of the space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeZone(pub Tz);

impl sqlx::Type<Postgres> for TimeZone {
    fn type_info() -> PgTypeInfo {
        <String as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <String as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for TimeZone {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let name = <&str as sqlx::Decode<Postgres>>::decode(value)?;
        name.parse()
            .map(Self)
            .map_err(|_| format!("the time zone {name:?} is unknown").into())
    }
}

impl Serialize for TimeZone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name())
    }
}

/// A space's settings, as the audit log keeps them before and after a change.
#[derive(Serialize)]
struct Settings {
    time_zone: TimeZone,
    is_public: bool,
    currency: String,
    max_booking_minutes: i32,
    cancellation_notice_minutes: i32,
    waitlist_offer_minutes: i32,
}

/// New settings for a space; what is left out stays as it is.
#[derive(InputObject)]
pub struct UpdateMakerspaceSettingsInput {
    makerspace_id: ID,
    /// An IANA time zone name, such as `Asia/Kolkata` or `Europe/Berlin`.
    time_zone: Option<String>,
    is_public: Option<bool>,
    /// ISO 4217, such as `INR` or `EUR`.
    currency: Option<String>,
    /// 15 to 10,080 (a week).
    max_booking_minutes: Option<i32>,
    /// 0 to 10,080.
    cancellation_notice_minutes: Option<i32>,
    /// 1 to 1,440.
    waitlist_offer_minutes: Option<i32>,
}

#[derive(Default)]
pub struct SettingsMutation;

#[Object(guard = "SignedIn")]
impl SettingsMutation {
    /// Changes a space's time zone, visibility, currency or booking limits; managers and above.
    async fn update_makerspace_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateMakerspaceSettingsInput,
    ) -> Result<Makerspace, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let mut problems = Vec::new();
        let mut check = |field: &str, ok: bool, message: &str| {
            if !ok {
                problems.push(FieldError {
                    field: field.into(),
                    message: message.into(),
                });
            }
        };
        let time_zone = input.time_zone.as_deref().map(str::trim);
        check(
            "timeZone",
            time_zone.is_none_or(|zone| zone.parse::<Tz>().is_ok()),
            "must be an IANA time zone name, such as Europe/Berlin",
        );
        let currency = input.currency.as_deref().map(str::trim);
        check(
            "currency",
            currency
                .is_none_or(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())),
            "must be a three-letter ISO 4217 code, such as INR",
        );
        let in_range = |value: Option<i32>, low: i32, high: i32| {
            value.is_none_or(|v| (low..=high).contains(&v))
        };
        check(
            "maxBookingMinutes",
            in_range(input.max_booking_minutes, 15, 10_080),
            "must be between 15 and 10,080",
        );
        check(
            "cancellationNoticeMinutes",
            in_range(input.cancellation_notice_minutes, 0, 10_080),
            "must be between 0 and 10,080",
        );
        check(
            "waitlistOfferMinutes",
            in_range(input.waitlist_offer_minutes, 1, 1_440),
            "must be between 1 and 1,440",
        );
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            Settings,
            r#"select time_zone as "time_zone: TimeZone", is_public, currency, max_booking_minutes,
                    cancellation_notice_minutes, waitlist_offer_minutes
             from makrcave.makerspaces where id = $1 for update"#,
            makerspace_id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("makerspace".into()))?;
        let row = sqlx::query!(
            r#"update makrcave.makerspaces set
                 time_zone = coalesce($2, time_zone),
                 is_public = coalesce($3, is_public),
                 currency = coalesce($4, currency),
                 max_booking_minutes = coalesce($5, max_booking_minutes),
                 cancellation_notice_minutes = coalesce($6, cancellation_notice_minutes),
                 waitlist_offer_minutes = coalesce($7, waitlist_offer_minutes),
                 updated_at = now()
             where id = $1
             returning id, name, slug, description, location, owner_id,
                       time_zone as "time_zone: TimeZone", is_public, currency, created_at,
                       max_booking_minutes, cancellation_notice_minutes, waitlist_offer_minutes"#,
            makerspace_id,
            time_zone,
            input.is_public,
            currency,
            input.max_booking_minutes,
            input.cancellation_notice_minutes,
            input.waitlist_offer_minutes,
        )
        .fetch_one(&mut *tx)
        .await?;
        let after = Settings {
            time_zone: row.time_zone,
            is_public: row.is_public,
            currency: row.currency.clone(),
            max_booking_minutes: row.max_booking_minutes,
            cancellation_notice_minutes: row.cancellation_notice_minutes,
            waitlist_offer_minutes: row.waitlist_offer_minutes,
        };
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::MAKERSPACE_SETTINGS_UPDATED,
                entity_id: makerspace_id,
                makerspace_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Makerspace {
            id: row.id,
            name: row.name,
            slug: row.slug,
            description: row.description,
            location: row.location,
            owner_id: row.owner_id,
            time_zone: row.time_zone,
            is_public: row.is_public,
            currency: row.currency,
            created_at: row.created_at,
        })
    }
}
