//! What a machine and its space say about a time, whoever books it: opening hours in the
//! space's time zone, blackouts, the machine's state and how long a booking may last. Read in
//! one statement with the booker's membership of the space, without locks (the booking
//! statement takes those it needs).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use makrx_service::ApiError;
use serde::Deserialize;
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::eligibility::{MembershipTerms, PlanTerms};
use crate::equipment::{EquipmentClass, EquipmentStatus};
use crate::policy::MembershipRole;
use crate::skills::{Grant, RequiredLevel};
use crate::space::TimeZone;
use crate::timetable::{Span, Timetable, WeeklyHours, local_days, monday_of};

/// A closure of the space or the machine.
#[derive(Debug, Deserialize)]
struct Closure {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reason: String,
}

/// A machine with its space's rules, as far as they concern a stretch of time.
pub struct Machine {
    pub makerspace_id: Uuid,
    pub equipment_id: Uuid,
    pub name: String,
    pub class: EquipmentClass,
    status: EquipmentStatus,
    hourly_cost_minor: i64,
    pub requires_approval: bool,
    pub gate: Option<RequiredLevel>,
    pub zone: Tz,
    timetable: Timetable,
    pub currency: String,
    max_booking_minutes: i32,
    pub waitlist_offer_minutes: i32,
    blackouts: Vec<Closure>,
    /// Whether a waitlist offer of the machine has expired and still holds its slot.
    pub has_lapsed_offers: bool,
}

/// A machine with its space's rules and one booker's standing there, as read by
/// `machines_where!`.
struct MachineRow {
    id: Uuid,
    makerspace_id: Uuid,
    name: String,
    class: EquipmentClass,
    status: EquipmentStatus,
    hourly_cost_minor: i64,
    requires_approval: bool,
    required_level: Option<i16>,
    skill_name: Option<String>,
    skill_levels: Option<Vec<String>>,
    time_zone: TimeZone,
    currency: String,
    max_booking_minutes: i32,
    waitlist_offer_minutes: i32,
    weekdays: Vec<i16>,
    opens: Vec<i16>,
    closes: Vec<i16>,
    blackouts: Json<Vec<Closure>>,
    has_lapsed_offers: bool,
    role: Option<MembershipRole>,
    suspended_at: Option<DateTime<Utc>>,
    plan_name: Option<String>,
    plan_classes: Option<Vec<EquipmentClass>>,
    daily_quota_minutes: Option<i32>,
    weekly_quota_minutes: Option<i32>,
    plan_starts_on: Option<NaiveDate>,
    plan_ends_on: Option<NaiveDate>,
    granted_level: Option<i16>,
    grant_expires_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
}

/// The one statement that reads machines for booking, with the filter that picks them:
/// `$1` and `$2` bound the blackouts read, `$3` is the time offers lapse by, `$4` the booker;
/// the filter's own parameters follow. One statement per filter (not `e.id = any($1)` for
/// one machine) so that PostgreSQL can keep a generic plan for booking's single machine:
/// planned afresh for each booking, the statement cost more than the rest of the booking.
macro_rules! machines_where {
    ($filter:literal, $($parameter:expr),+ $(,)?) => {
        sqlx::query_as!(
            MachineRow,
            r#"select e.id, e.makerspace_id, e.name, e.class as "class: EquipmentClass",
                      e.status as "status: EquipmentStatus", e.hourly_cost_minor, e.requires_approval,
                      e.required_level,
                      s.name as "skill_name?", s.levels as "skill_levels?",
                      m.time_zone as "time_zone: TimeZone", m.currency, m.max_booking_minutes, m.waitlist_offer_minutes,
                      array(select h.weekday from makrcave.opening_hours h
                            where h.makerspace_id = m.id order by h.weekday, h.opens_minute) as "weekdays!",
                      array(select h.opens_minute from makrcave.opening_hours h
                            where h.makerspace_id = m.id order by h.weekday, h.opens_minute) as "opens!",
                      array(select h.closes_minute from makrcave.opening_hours h
                            where h.makerspace_id = m.id order by h.weekday, h.opens_minute) as "closes!",
                      (select coalesce(jsonb_agg(jsonb_build_object(
                                  'starts_at', lower(b.during), 'ends_at', upper(b.during), 'reason', b.reason)
                              order by lower(b.during)), '[]')
                       from makrcave.blackouts b
                       where b.makerspace_id = m.id and (b.equipment_id is null or b.equipment_id = e.id)
                         and b.during && tstzrange($1, $2)) as "blackouts!: Json<Vec<Closure>>",
                      exists(select 1 from makrcave.reservations r
                             where r.equipment_id = e.id and r.status = 'offered'
                               and r.offer_expires_at <= $3) as "has_lapsed_offers!",
                      ms.role as "role?: MembershipRole", ms.suspended_at,
                      p.name as "plan_name?", p.equipment_classes as "plan_classes?: Vec<EquipmentClass>",
                      p.daily_quota_minutes as "daily_quota_minutes?",
                      p.weekly_quota_minutes as "weekly_quota_minutes?",
                      mp.starts_on as "plan_starts_on?", mp.ends_on as "plan_ends_on?",
                      g.level as "granted_level?", g.expires_at as "grant_expires_at?",
                      now() as "at!"
               from makrcave.equipment e join makrcave.makerspaces m on m.id = e.makerspace_id
               left join makrcave.skills s on s.id = e.required_skill_id
               left join makrcave.memberships ms
                   on ms.makerspace_id = e.makerspace_id and ms.user_id = $4
               left join makrcave.member_plans mp
                   on mp.makerspace_id = ms.makerspace_id and mp.user_id = ms.user_id
               left join makrcave.plans p on p.id = mp.plan_id
               left join makrcave.skill_grants g
                   on g.skill_id = e.required_skill_id and g.user_id = ms.user_id
               where "# + $filter + " order by e.name",
            $($parameter),+
        )
    };
}

impl Machine {
    /// Reads the machine, its space's rules and the blackouts within `within`, with
    /// `booker`'s membership of the space (if any) and the statement's time (`now()`).
    pub async fn read(
        conn: &mut PgConnection,
        equipment_id: Uuid,
        booker: Uuid,
        within: Span,
        now: DateTime<Utc>,
    ) -> Result<(Self, Option<MembershipTerms>, DateTime<Utc>), ApiError> {
        machines_where!(
            "e.id = $5",
            within.start,
            within.end,
            now,
            booker,
            equipment_id
        )
        .fetch_optional(conn)
        .await?
        .map(MachineRow::into_parts)
        .ok_or_else(|| ApiError::NotFound("equipment".into()))
    }

    /// `read` for a space's machines of one class, in one statement, by name.
    pub async fn read_class(
        conn: &mut PgConnection,
        makerspace_id: Uuid,
        class: EquipmentClass,
        booker: Uuid,
        within: Span,
        now: DateTime<Utc>,
    ) -> Result<Vec<(Self, Option<MembershipTerms>, DateTime<Utc>)>, ApiError> {
        let rows = machines_where!(
            "e.makerspace_id = $5 and e.class = $6",
            within.start,
            within.end,
            now,
            booker,
            makerspace_id,
            class as EquipmentClass,
        )
        .fetch_all(conn)
        .await?;
        Ok(rows.into_iter().map(MachineRow::into_parts).collect())
    }

    /// Checks what the machine and its space say about `span`: not in the past, not too long,
    /// within opening hours, the machine up, no blackout (among those read).
    pub fn check(&self, span: Span, now: DateTime<Utc>) -> Result<(), ApiError> {
        if span.start < now {
            return Err(ApiError::invalid("startsAt", "must not be in the past"));
        }
        if span.duration() > Duration::minutes(i64::from(self.max_booking_minutes)) {
            return Err(ApiError::invalid(
                "endsAt",
                format!(
                    "a booking here may last at most {} minutes",
                    self.max_booking_minutes
                ),
            ));
        }
        if !self.timetable.is_open_throughout(span) {
            return Err(ApiError::invalid(
                "startsAt",
                format!(
                    "the makerspace is closed during part of {}",
                    self.describe(span)
                ),
            ));
        }
        if matches!(
            self.status,
            EquipmentStatus::Maintenance | EquipmentStatus::OutOfOrder
        ) {
            return Err(ApiError::Conflict(format!(
                "{} is {} and cannot be booked",
                self.name,
                if self.status == EquipmentStatus::Maintenance {
                    "under maintenance"
                } else {
                    "out of order"
                }
            )));
        }
        let closed = self.blackouts.iter().find(|blackout| {
            Span {
                start: blackout.starts_at,
                end: blackout.ends_at,
            }
            .overlaps(&span)
        });
        if let Some(blackout) = closed {
            let closed = Span {
                start: blackout.starts_at,
                end: blackout.ends_at,
            };
            return Err(ApiError::Conflict(format!(
                "{} is closed {}{}",
                self.name,
                self.describe(closed),
                if blackout.reason.is_empty() {
                    String::new()
                } else {
                    format!(": {}", blackout.reason)
                }
            )));
        }
        Ok(())
    }

    /// The estimated cost of using the machine for `span`, rounded to the nearest minor unit.
    pub fn cost_minor(&self, span: Span) -> i64 {
        (self.hourly_cost_minor * span.duration().num_minutes() + 30) / 60
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// `at` at the space's offset, as the API answers times.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.zone).fixed_offset()
    }

    pub fn local_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// A span as a person in the space reads it: `from 2026-12-01 10:00 to 11:00 (Europe/Berlin)`.
    pub fn describe(&self, span: Span) -> String {
        let (start, end) = (
            span.start.with_timezone(&self.zone),
            span.end.with_timezone(&self.zone),
        );
        let end = if start.date_naive() == end.date_naive() {
            end.format("%H:%M").to_string()
        } else {
            end.format("%Y-%m-%d %H:%M").to_string()
        };
        format!(
            "from {} to {end} ({})",
            start.format("%Y-%m-%d %H:%M"),
            self.zone.name()
        )
    }

    /// The local days (midnight to midnight) that `span` touches.
    pub fn local_days(&self, span: Span) -> Vec<Span> {
        let last = self.local_date(span.end - Duration::microseconds(1));
        self.local_date(span.start)
            .iter_days()
            .take_while(|day| *day <= last)
            .filter_map(|day| local_days(self.zone, day, 1))
            .collect()
    }

    /// The local weeks (Monday to Monday) that `span` touches.
    pub fn local_weeks(&self, span: Span) -> Vec<Span> {
        let last = monday_of(self.local_date(span.end - Duration::microseconds(1)));
        monday_of(self.local_date(span.start))
            .iter_weeks()
            .take_while(|week| *week <= last)
            .filter_map(|week| local_days(self.zone, week, 7))
            .collect()
    }
}

impl MachineRow {
    fn into_parts(self) -> (Machine, Option<MembershipTerms>, DateTime<Utc>) {
        let hours = self
            .weekdays
            .iter()
            .zip(&self.opens)
            .zip(&self.closes)
            .map(|((weekday, opens), closes)| WeeklyHours {
                weekday: *weekday as u32,
                opens: *opens as u32,
                closes: *closes as u32,
            })
            .collect();
        let zone = self.time_zone.0;
        let membership = self.role.map(|role| MembershipTerms {
            role,
            suspended: self.suspended_at.is_some(),
            plan: match (self.plan_name, self.plan_starts_on) {
                (Some(name), Some(starts_on)) => Some(PlanTerms {
                    name,
                    classes: self.plan_classes.unwrap_or_default(),
                    daily_quota_minutes: self.daily_quota_minutes,
                    weekly_quota_minutes: self.weekly_quota_minutes,
                    starts_on,
                    ends_on: self.plan_ends_on,
                }),
                _ => None,
            },
            grant: self.granted_level.map(|level| Grant {
                level,
                expires_at: self.grant_expires_at,
            }),
        });
        let machine = Machine {
            makerspace_id: self.makerspace_id,
            equipment_id: self.id,
            gate: match (self.skill_name, self.skill_levels, self.required_level) {
                (Some(skill), Some(levels), Some(level)) => {
                    Some(RequiredLevel::new(skill, levels, level))
                }
                _ => None,
            },
            name: self.name,
            class: self.class,
            status: self.status,
            hourly_cost_minor: self.hourly_cost_minor,
            requires_approval: self.requires_approval,
            zone,
            timetable: Timetable { zone, hours },
            currency: self.currency,
            max_booking_minutes: self.max_booking_minutes,
            waitlist_offer_minutes: self.waitlist_offer_minutes,
            blackouts: self.blackouts.0,
            has_lapsed_offers: self.has_lapsed_offers,
        };
        (machine, membership, self.at)
    }
}
