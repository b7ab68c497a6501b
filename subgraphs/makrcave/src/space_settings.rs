//! A makerspace's own rules: its time zone and booking limits, its weekly opening hours and
//! its blackouts (closures of the whole space or of one machine). Managers and above set them.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, FieldError, parse_id};
use serde::Serialize;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::{PgPool, Postgres};
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::makerspaces::Makerspace;
use crate::members::MembershipRole;
use crate::policy;
use crate::timetable::{Span, WeeklyHours};

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
    pub async fn of(db: &PgPool, makerspace_id: Uuid) -> Result<Self, ApiError> {
        sqlx::query_as!(
            BookingRules,
            "select max_booking_minutes, cancellation_notice_minutes, waitlist_offer_minutes
             from makrcave.makerspaces where id = $1",
            makerspace_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("makerspace".into()))
    }
}

/// A day of the week.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    const ALL: [Weekday; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// ISO number: 1 for Monday to 7 for Sunday.
    fn iso(self) -> u32 {
        self as u32 + 1
    }

    fn from_iso(number: u32) -> Option<Self> {
        Self::ALL.get(number.checked_sub(1)? as usize).copied()
    }
}

/// One stretch of a week in which the space is open, in its local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OpeningHours {
    pub weekday: Weekday,
    /// Minutes after local midnight, 0 to 1439.
    opens: u32,
    /// Minutes after local midnight, after `opens`; 1440 is midnight at the end of the day.
    closes: u32,
}

/// One stretch of a week in which the space is open, in its local time.
#[Object]
impl OpeningHours {
    async fn weekday(&self) -> Weekday {
        self.weekday
    }

    /// Local time, `HH:MM`.
    async fn opens(&self) -> String {
        clock_time(self.opens)
    }

    /// Local time, `HH:MM`; `24:00` is midnight at the end of the day.
    async fn closes(&self) -> String {
        clock_time(self.closes)
    }
}

impl OpeningHours {
    /// A stretch as the database keeps it (its constraints hold the ranges); anything else is
    /// an internal error, never a stretch made up.
    pub fn from_row(weekday: i16, opens: i16, closes: i16) -> Result<Self, ApiError> {
        let minutes = |value: i16| u32::try_from(value).ok();
        match (
            u32::try_from(weekday).ok().and_then(Weekday::from_iso),
            minutes(opens),
            minutes(closes),
        ) {
            (Some(weekday), Some(opens), Some(closes)) if opens < closes && closes <= 1440 => {
                Ok(Self {
                    weekday,
                    opens,
                    closes,
                })
            }
            _ => Err(ApiError::internal(format_args!(
                "opening hours out of range: weekday {weekday}, {opens} to {closes} minutes"
            ))),
        }
    }

    pub fn weekly(&self) -> WeeklyHours {
        WeeklyHours {
            weekday: self.weekday.iso(),
            opens: self.opens,
            closes: self.closes,
        }
    }
}

fn clock_time(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight of an `HH:MM` time, `24:00` included.
fn minutes_of(text: &str) -> Option<u32> {
    let (hours, minutes) = text.trim().split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    let total = hours * 60 + minutes;
    (minutes < 60 && total <= 1440).then_some(total)
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

/// A closure of the whole space or of one machine.
#[derive(Clone, Debug, Serialize, SimpleObject)]
pub struct Blackout {
    pub id: ID,
    /// The machine it closes; none when the whole space is closed.
    pub equipment_id: Option<ID>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
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

/// One stretch of opening hours.
#[derive(InputObject)]
pub struct OpeningHoursInput {
    weekday: Weekday,
    /// `HH:MM`, local time.
    opens: String,
    /// `HH:MM`, local time, after `opens`; `24:00` for midnight.
    closes: String,
}

/// The whole week's opening hours, replacing the old ones; an empty list means always open.
#[derive(InputObject)]
pub struct SetOpeningHoursInput {
    makerspace_id: ID,
    hours: Vec<OpeningHoursInput>,
}

/// A closure to add.
#[derive(InputObject)]
pub struct AddBlackoutInput {
    makerspace_id: ID,
    /// The machine to close; leave it out to close the whole space.
    equipment_id: Option<ID>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reason: Option<String>,
}

/// A closure to lift.
#[derive(InputObject)]
pub struct RemoveBlackoutInput {
    blackout_id: ID,
}

/// Checks the week's hours: each stretch well formed and none overlapping another.
fn parse_hours(hours: &[OpeningHoursInput]) -> Result<Vec<OpeningHours>, ApiError> {
    let mut problems = Vec::new();
    let mut week = Vec::with_capacity(hours.len());
    for (index, stretch) in hours.iter().enumerate() {
        let opens = minutes_of(&stretch.opens).filter(|minutes| *minutes < 1440);
        let closes = minutes_of(&stretch.closes);
        match (opens, closes) {
            (Some(opens), Some(closes)) if opens < closes => week.push(OpeningHours {
                weekday: stretch.weekday,
                opens,
                closes,
            }),
            (Some(_), Some(_)) => problems.push(FieldError {
                field: format!("hours.{index}.closes"),
                message: "must be after opens".into(),
            }),
            (opens, _) => problems.push(FieldError {
                field: format!(
                    "hours.{index}.{}",
                    if opens.is_none() { "opens" } else { "closes" }
                ),
                message: "must be a time as HH:MM (00:00 to 24:00)".into(),
            }),
        }
    }
    week.sort();
    let sorted = &week;
    for pair in sorted.windows(2) {
        if pair[0].weekday == pair[1].weekday && pair[1].opens < pair[0].closes {
            problems.push(FieldError {
                field: "hours".into(),
                message: format!("two stretches of {:?} overlap", pair[0].weekday),
            });
        }
    }
    if problems.is_empty() {
        Ok(week)
    } else {
        Err(ApiError::Validation(problems))
    }
}

#[derive(Default)]
pub struct SpaceSettingsQuery;

#[Object]
impl SpaceSettingsQuery {
    /// The space's blackouts that have not ended yet, soonest first; its members only.
    async fn blackouts(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<Vec<Blackout>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Member).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let rows = sqlx::query!(
            r#"select id, equipment_id, lower(during) as "starts_at!", upper(during) as "ends_at!", reason
               from makrcave.blackouts where makerspace_id = $1 and upper(during) > $2
               order by lower(during)"#,
            makerspace_id,
            now,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| Blackout {
                id: ID(row.id.to_string()),
                equipment_id: row.equipment_id.map(|id| ID(id.to_string())),
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                reason: row.reason,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct SpaceSettingsMutation;

#[Object(guard = "SignedIn")]
impl SpaceSettingsMutation {
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

    /// Replaces the space's weekly opening hours; managers and above.
    async fn set_opening_hours(
        &self,
        ctx: &Context<'_>,
        input: SetOpeningHoursInput,
    ) -> Result<Vec<OpeningHours>, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let week = parse_hours(&input.hours)?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let mut before: Vec<OpeningHours> = sqlx::query!(
            "delete from makrcave.opening_hours where makerspace_id = $1
             returning weekday, opens_minute, closes_minute",
            makerspace_id
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| OpeningHours::from_row(row.weekday, row.opens_minute, row.closes_minute))
        .collect::<Result<_, _>>()?;
        before.sort();
        let weekdays: Vec<i16> = week
            .iter()
            .map(|hours| hours.weekday.iso() as i16)
            .collect();
        let opens: Vec<i16> = week.iter().map(|hours| hours.opens as i16).collect();
        let closes: Vec<i16> = week.iter().map(|hours| hours.closes as i16).collect();
        sqlx::query!(
            "insert into makrcave.opening_hours (makerspace_id, weekday, opens_minute, closes_minute)
             select $1, * from unnest($2::smallint[], $3::smallint[], $4::smallint[])",
            makerspace_id,
            &weekdays,
            &opens,
            &closes,
        )
        .execute(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::MAKERSPACE_OPENING_HOURS_SET,
                entity_id: makerspace_id,
                makerspace_id,
                before: Some(&before),
                after: Some(&week),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(week)
    }

    /// Closes the space, or one of its machines, for a while; managers and above.
    async fn add_blackout(
        &self,
        ctx: &Context<'_>,
        input: AddBlackoutInput,
    ) -> Result<Blackout, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let equipment_id = input
            .equipment_id
            .as_ref()
            .map(|id| parse_id(id, "equipmentId"))
            .transpose()?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager).await?;
        let span = Span::new(input.starts_at, input.ends_at)
            .ok_or_else(|| ApiError::invalid("endsAt", "must be after startsAt"))?;
        let reason = input.reason.unwrap_or_default().trim().to_owned();
        if reason.chars().count() > 200 {
            return Err(ApiError::invalid(
                "reason",
                "must be at most 200 characters",
            ));
        }
        let db = ctx.data_unchecked::<PgPool>();
        if let Some(equipment_id) = equipment_id {
            let in_space = sqlx::query_scalar!(
                "select makerspace_id from makrcave.equipment where id = $1",
                equipment_id
            )
            .fetch_optional(db)
            .await?;
            if in_space != Some(makerspace_id) {
                return Err(ApiError::NotFound("equipment".into()));
            }
        }
        let blackout = Blackout {
            id: ID(Uuid::now_v7().to_string()),
            equipment_id: equipment_id.map(|id| ID(id.to_string())),
            starts_at: span.start,
            ends_at: span.end,
            reason,
        };
        let id = parse_id(&blackout.id, "id")?;
        let mut tx = db.begin().await?;
        sqlx::query!(
            "insert into makrcave.blackouts (id, makerspace_id, equipment_id, during, reason, created_by)
             values ($1, $2, $3, tstzrange($4, $5), $6, $7)",
            id,
            makerspace_id,
            equipment_id,
            span.start,
            span.end,
            blackout.reason,
            actor,
        )
        .execute(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::BLACKOUT_ADDED,
                entity_id: id,
                makerspace_id,
                before: None,
                after: Some(&blackout),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(blackout)
    }

    /// Lifts a closure; managers and above. Answers the id of the lifted blackout.
    async fn remove_blackout(
        &self,
        ctx: &Context<'_>,
        input: RemoveBlackoutInput,
    ) -> Result<ID, ApiError> {
        let blackout_id = parse_id(&input.blackout_id, "blackoutId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let not_found = || ApiError::NotFound("blackout".into());
        let makerspace_id = sqlx::query_scalar!(
            "select makerspace_id from makrcave.blackouts where id = $1",
            blackout_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)?;
        let actor = policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Manager)
            .await
            .map_err(|_| not_found())?;
        let mut tx = db.begin().await?;
        let removed = sqlx::query!(
            r#"delete from makrcave.blackouts where id = $1
               returning equipment_id, lower(during) as "starts_at!", upper(during) as "ends_at!", reason"#,
            blackout_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
        let before = Blackout {
            id: ID(blackout_id.to_string()),
            equipment_id: removed.equipment_id.map(|id| ID(id.to_string())),
            starts_at: removed.starts_at,
            ends_at: removed.ends_at,
            reason: removed.reason,
        };
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::BLACKOUT_REMOVED,
                entity_id: blackout_id,
                makerspace_id,
                before: Some(&before),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(input.blackout_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_read_as_minutes_after_midnight() {
        assert_eq!(minutes_of("09:30"), Some(570));
        assert_eq!(minutes_of("24:00"), Some(1440));
        assert_eq!(minutes_of("24:01"), None);
        assert_eq!(minutes_of("9:5"), None);
        assert_eq!(minutes_of("noon"), None);
        assert_eq!(clock_time(1440), "24:00");
    }

    #[test]
    fn overlapping_stretches_of_one_day_are_refused() {
        let stretch = |opens: &str, closes: &str| OpeningHoursInput {
            weekday: Weekday::Tuesday,
            opens: opens.into(),
            closes: closes.into(),
        };
        assert!(parse_hours(&[stretch("09:00", "12:00"), stretch("13:00", "24:00")]).is_ok());
        assert!(parse_hours(&[stretch("09:00", "12:00"), stretch("11:00", "14:00")]).is_err());
        assert!(parse_hours(&[stretch("12:00", "09:00")]).is_err());
    }
}
