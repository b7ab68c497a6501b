//! A space's weekly opening hours, in its local time. Managers and above set them.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, FieldError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::policy;
use crate::policy::MembershipRole;
use crate::timetable::WeeklyHours;

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
pub struct OpeningHoursMutation;

#[Object(guard = "SignedIn")]
impl OpeningHoursMutation {
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
}

pub struct OpeningHoursBySpace(pub PgPool);

impl Loader<Uuid> for OpeningHoursBySpace {
    type Value = Vec<OpeningHours>;
    type Error = ApiError;

    async fn load(&self, space_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<OpeningHours>>, ApiError> {
        let rows = sqlx::query!(
            "select makerspace_id, weekday, opens_minute, closes_minute from makrcave.opening_hours
             where makerspace_id = any($1) order by weekday, opens_minute",
            space_ids
        )
        .fetch_all(&self.0)
        .await?;
        let mut hours: HashMap<Uuid, Vec<OpeningHours>> = HashMap::new();
        for row in rows {
            hours
                .entry(row.makerspace_id)
                .or_default()
                .push(OpeningHours::from_row(
                    row.weekday,
                    row.opens_minute,
                    row.closes_minute,
                )?);
        }
        Ok(hours)
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
