//! Booking a machine: every rule a booking is checked against, in the order a person would
//! want to hear about them, then the insert on which the exclusion constraint has the last
//! word. A single booking, each occurrence of a weekly series and a taken-up waitlist offer
//! all pass through here.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use makrx_service::graphql::caller;
use makrx_service::{ApiError, CallerUser, Clock, error::violated_constraint, parse_id};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::machine::Machine;
use super::waitlist::settle_expired_offers;
use super::{Reservation, ReservationStatus};
use crate::equipment::EquipmentClass;
use crate::members::MembershipRole;
use crate::timetable::Span;

/// A booking to make.
#[derive(InputObject)]
pub struct CreateReservationInput {
    pub equipment_id: ID,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// What it is for, up to 500 characters.
    pub note: Option<String>,
}

/// The booking's time, parsed: a span on whole minutes.
pub fn parse_span(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Span, ApiError> {
    let whole_minute =
        |at: DateTime<Utc>| at.timestamp() % 60 == 0 && at.timestamp_subsec_nanos() == 0;
    if !whole_minute(starts_at) {
        return Err(ApiError::invalid("startsAt", "must be on a whole minute"));
    }
    if !whole_minute(ends_at) {
        return Err(ApiError::invalid("endsAt", "must be on a whole minute"));
    }
    Span::new(starts_at, ends_at)
        .ok_or_else(|| ApiError::invalid("endsAt", "must be after startsAt"))
}

pub fn parse_note(note: Option<String>) -> Result<String, ApiError> {
    let note = note.unwrap_or_default().trim().to_owned();
    if note.chars().count() > 500 {
        return Err(ApiError::invalid("note", "must be at most 500 characters"));
    }
    Ok(note)
}

/// A member's plan in the space.
struct PlanTerms {
    name: String,
    classes: Vec<EquipmentClass>,
    daily_quota_minutes: Option<i32>,
    weekly_quota_minutes: Option<i32>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

/// What the booker is held to: staff and above (and platform admins) book freely; members
/// need the machine's skill, a plan that covers it and room in their quotas.
enum Standing {
    Staff,
    Member {
        plan: Option<PlanTerms>,
        /// Their level in the machine's skill, and when it lapses.
        grant: Option<(i16, Option<DateTime<Utc>>)>,
    },
}

/// One person about to book one machine: everything the booking is checked against. Their
/// standing is read inside the booking's transaction with their membership locked, so that
/// their concurrent bookings queue up behind each other and quotas hold.
pub struct Bookable {
    pub machine: Machine,
    pub user_id: Uuid,
    standing: Standing,
}

/// Reads the machine on `conn` (outside any transaction), first letting go of its lapsed
/// waitlist offers if it has any (`waitlist::settle_expired_offers`).
pub async fn read_settled(
    conn: &mut PgConnection,
    equipment_id: Uuid,
    within: Span,
    now: DateTime<Utc>,
) -> Result<Machine, ApiError> {
    let machine = Machine::read(conn, equipment_id, within, now).await?;
    if machine.has_lapsed_offers {
        settle_expired_offers(conn, equipment_id, now).await?;
    }
    Ok(machine)
}

impl Bookable {
    /// Reads the machine and locks `booker`'s standing inside `tx`.
    pub async fn load(
        tx: &mut PgConnection,
        equipment_id: Uuid,
        booker: Booker,
        within: Span,
        now: DateTime<Utc>,
    ) -> Result<Self, ApiError> {
        let machine = Machine::read(tx, equipment_id, within, now).await?;
        Self::lock(tx, machine, booker).await
    }

    /// Locks `booker`'s membership of the machine's space inside `tx` and reads their role,
    /// plan and level in the machine's skill.
    pub async fn lock(
        tx: &mut PgConnection,
        machine: Machine,
        booker: Booker,
    ) -> Result<Self, ApiError> {
        let member = sqlx::query!(
            r#"select ms.role as "role: MembershipRole", ms.suspended_at,
                      p.name as "plan_name?", p.equipment_classes as "plan_classes?: Vec<EquipmentClass>",
                      p.daily_quota_minutes as "daily_quota_minutes?",
                      p.weekly_quota_minutes as "weekly_quota_minutes?",
                      mp.starts_on as "plan_starts_on?", mp.ends_on as "plan_ends_on?",
                      g.level as "granted_level?", g.expires_at as "grant_expires_at?"
               from makrcave.memberships ms
               left join makrcave.member_plans mp
                   on mp.makerspace_id = ms.makerspace_id and mp.user_id = ms.user_id
               left join makrcave.plans p on p.id = mp.plan_id
               left join makrcave.skill_grants g on g.skill_id = $3 and g.user_id = ms.user_id
               where ms.makerspace_id = $1 and ms.user_id = $2
               for update of ms"#,
            machine.makerspace_id,
            booker.id,
            machine.gate.as_ref().map(|gate| gate.skill_id),
        )
        .fetch_optional(&mut *tx)
        .await?;
        let standing = match member {
            Some(member) if member.suspended_at.is_some() => {
                return Err(ApiError::Forbidden(
                    "your membership of this makerspace is suspended".into(),
                ));
            }
            Some(member) if member.role >= MembershipRole::Staff => Standing::Staff,
            None if booker.is_admin => Standing::Staff,
            None => {
                return Err(ApiError::Forbidden(
                    "only members of the makerspace may book its machines".into(),
                ));
            }
            Some(member) => Standing::Member {
                plan: match (member.plan_name, member.plan_starts_on) {
                    (Some(name), Some(starts_on)) => Some(PlanTerms {
                        name,
                        classes: member.plan_classes.unwrap_or_default(),
                        daily_quota_minutes: member.daily_quota_minutes,
                        weekly_quota_minutes: member.weekly_quota_minutes,
                        starts_on,
                        ends_on: member.plan_ends_on,
                    }),
                    _ => None,
                },
                grant: member
                    .granted_level
                    .map(|level| (level, member.grant_expires_at)),
            },
        };
        Ok(Self {
            machine,
            user_id: booker.id,
            standing,
        })
    }

    /// Checks every rule but the clash with other bookings (the insert settles that).
    /// `instead_of` is a booking of the same person this one replaces (an offer being taken
    /// up), left out of their quotas.
    pub async fn check(
        &self,
        tx: &mut PgConnection,
        span: Span,
        now: DateTime<Utc>,
        instead_of: Option<Uuid>,
    ) -> Result<(), ApiError> {
        self.machine.check(span, now)?;
        let Standing::Member { plan, grant } = &self.standing else {
            return Ok(());
        };
        self.check_skill(*grant, span)?;
        let plan = self.check_plan(plan.as_ref(), span)?;
        self.check_quotas(tx, plan, span, instead_of).await
    }

    fn check_skill(
        &self,
        grant: Option<(i16, Option<DateTime<Utc>>)>,
        span: Span,
    ) -> Result<(), ApiError> {
        let Some(gate) = &self.machine.gate else {
            return Ok(());
        };
        let needed = format!(
            "booking {} needs {} at level {} or above",
            self.machine.name,
            gate.skill,
            gate.level_name(gate.level)
        );
        match grant {
            None => Err(ApiError::Forbidden(format!(
                "{needed}; you have no level in it"
            ))),
            Some((level, _)) if level < gate.level => Err(ApiError::Forbidden(format!(
                "{needed}; you have {}",
                gate.level_name(level)
            ))),
            Some((_, Some(expires_at))) if expires_at < span.end => {
                Err(ApiError::Forbidden(format!(
                    "{needed}; yours lapses {}",
                    self.machine.local_time(expires_at)
                )))
            }
            Some(_) => Ok(()),
        }
    }

    fn check_plan<'a>(
        &self,
        plan: Option<&'a PlanTerms>,
        span: Span,
    ) -> Result<&'a PlanTerms, ApiError> {
        let Some(plan) = plan else {
            return Err(ApiError::Forbidden(format!(
                "booking {} needs a membership plan, and you are not on one",
                self.machine.name
            )));
        };
        if !plan.classes.contains(&self.machine.class) {
            return Err(ApiError::Forbidden(format!(
                "your plan {} does not cover {}",
                plan.name,
                self.machine.class.name()
            )));
        }
        let first_day = self.machine.local_date(span.start);
        let last_day = self
            .machine
            .local_date(span.end - Duration::microseconds(1));
        if first_day < plan.starts_on || plan.ends_on.is_some_and(|ends_on| last_day > ends_on) {
            return Err(ApiError::Forbidden(format!(
                "your plan {} runs from {}{}, which does not cover {}",
                plan.name,
                plan.starts_on,
                plan.ends_on
                    .map(|ends_on| format!(" to {ends_on}"))
                    .unwrap_or_default(),
                self.machine.describe(span)
            )));
        }
        Ok(plan)
    }

    async fn check_quotas(
        &self,
        tx: &mut PgConnection,
        plan: &PlanTerms,
        span: Span,
        instead_of: Option<Uuid>,
    ) -> Result<(), ApiError> {
        let mut windows = Vec::new();
        if let Some(limit) = plan.daily_quota_minutes {
            windows.extend(
                self.machine
                    .local_days(span)
                    .into_iter()
                    .map(|day| (day, limit, "a day")),
            );
        }
        if let Some(limit) = plan.weekly_quota_minutes {
            windows.extend(
                self.machine
                    .local_weeks(span)
                    .into_iter()
                    .map(|week| (week, limit, "a week")),
            );
        }
        if windows.is_empty() {
            return Ok(());
        }
        let starts: Vec<DateTime<Utc>> = windows.iter().map(|(window, ..)| window.start).collect();
        let ends: Vec<DateTime<Utc>> = windows.iter().map(|(window, ..)| window.end).collect();
        // The member's bookings are looked up once, over all the windows together: the range in
        // the scan itself keeps a cached plan on the member's bookings by time, however long
        // their history (joined window by window, a plan made on a young table read it all).
        let first = starts.iter().min().copied().unwrap_or(span.start);
        let last = ends.iter().max().copied().unwrap_or(span.end);
        // Bookings that used the machine count too: a quota is of time booked, not time left.
        let used = sqlx::query!(
            r#"select coalesce(sum(extract(epoch from
                          least(upper(r.during), w.ends) - greatest(lower(r.during), w.starts)) / 60)
                          filter (where r.id is not null), 0)::bigint as "minutes!"
               from unnest($1::timestamptz[], $2::timestamptz[]) with ordinality as w(starts, ends, position)
               left join (select r.id, r.during from makrcave.reservations r
                          where r.user_id = $3 and r.during && tstzrange($4, $5)
                            and r.makerspace_id = $6
                            and r.status in ('pending', 'approved', 'checked_in', 'completed')
                            and r.id is distinct from $7) r
                   on r.during && tstzrange(w.starts, w.ends)
               group by w.position order by w.position"#,
            &starts,
            &ends,
            self.user_id,
            first,
            last,
            self.machine.makerspace_id,
            instead_of,
        )
        .fetch_all(&mut *tx)
        .await?;
        for ((window, limit, per), used) in windows.iter().zip(used) {
            let adding = span
                .intersect(window)
                .map_or(0, |part| part.duration().num_minutes());
            if used.minutes + adding > i64::from(*limit) {
                return Err(ApiError::Forbidden(format!(
                    "your plan {} allows {} {per}; you have {} booked {} and this booking adds {}",
                    plan.name,
                    hours(i64::from(*limit)),
                    hours(used.minutes),
                    if *per == "a day" {
                        format!("on {}", self.machine.local_date(window.start))
                    } else {
                        format!("in the week of {}", self.machine.local_date(window.start))
                    },
                    hours(adding),
                )));
            }
        }
        Ok(())
    }

    /// The status a new booking gets: members wait for approval where the machine needs it.
    pub fn initial_status(&self) -> ReservationStatus {
        match self.standing {
            Standing::Member { .. } if self.machine.requires_approval => ReservationStatus::Pending,
            _ => ReservationStatus::Approved,
        }
    }

    /// Inserts the booking; `None` if it clashes with a booking that holds (part of) the
    /// slot, committed or committing: the exclusion constraint decides, whatever the timing.
    /// The transaction is then aborted, so callers ask `clash` elsewhere what it clashed with.
    pub async fn insert(
        &self,
        tx: &mut PgConnection,
        span: Span,
        booking: NewBooking,
    ) -> Result<Option<Reservation>, ApiError> {
        let id = Uuid::now_v7();
        let user_id = self.user_id;
        let cost_minor = self.machine.cost_minor(span);
        let inserted = sqlx::query!(
            "insert into makrcave.reservations
                 (id, makerspace_id, equipment_id, user_id, during, status, note, cost_minor, currency,
                  series_id, offer_expires_at)
             values ($1, $2, $3, $4, tstzrange($5, $6), $7, $8, $9, $10, $11, $12)
             returning created_at, updated_at",
            id,
            self.machine.makerspace_id,
            self.machine.equipment_id,
            user_id,
            span.start,
            span.end,
            booking.status as ReservationStatus,
            booking.note,
            cost_minor,
            self.machine.currency,
            booking.series_id,
            booking.offer_expires_at,
        )
        .fetch_one(&mut *tx)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(err) if violated_constraint(&err) == Some("reservations_no_overlap") => {
                return Ok(None);
            }
            Err(err) => return Err(err.into()),
        };
        Ok(Some(Reservation {
            id,
            makerspace_id: self.machine.makerspace_id,
            equipment_id: self.machine.equipment_id,
            user_id,
            starts_at: span.start,
            ends_at: span.end,
            status: booking.status,
            note: booking.note,
            cost_minor,
            currency: self.machine.currency.clone(),
            series_id: booking.series_id,
            offer_expires_at: booking.offer_expires_at,
            checked_in_at: None,
            checked_out_at: None,
            time_zone: self.machine.zone.name().to_owned(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }))
    }

    /// The `CONFLICT` for a booking that clashes with another, naming the slot it clashes with.
    pub async fn clash<'c>(&self, conn: impl PgExecutor<'c>, span: Span) -> ApiError {
        let taken = sqlx::query!(
            r#"select lower(during) as "starts_at!", upper(during) as "ends_at!"
               from makrcave.reservations
               where equipment_id = $1 and during && tstzrange($2, $3)
                 and status in ('offered', 'pending', 'approved', 'checked_in')
               order by lower(during) limit 1"#,
            self.machine.equipment_id,
            span.start,
            span.end,
        )
        .fetch_optional(conn)
        .await;
        match taken {
            Ok(Some(taken)) => ApiError::Conflict(format!(
                "{} is already booked {}",
                self.machine.name,
                self.machine.describe(Span {
                    start: taken.starts_at,
                    end: taken.ends_at,
                })
            )),
            Ok(None) => ApiError::Conflict(format!(
                "{} was booked for part of {} at the same moment",
                self.machine.name,
                self.machine.describe(span)
            )),
            Err(err) => err.into(),
        }
    }
}

/// Hours as a person reads them: `2 h`, `1.5 h`, `45 min`.
fn hours(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m => format!("{:.1} h", m as f64 / 60.0),
    }
}

/// Who a booking is for.
#[derive(Clone, Copy)]
pub struct Booker {
    pub id: Uuid,
    /// Platform admins book in any space as staff would.
    pub is_admin: bool,
}

impl From<&CallerUser> for Booker {
    fn from(user: &CallerUser) -> Self {
        Self {
            id: user.id,
            is_admin: user.is_admin(),
        }
    }
}

/// What a new booking row holds beyond its machine and time.
pub struct NewBooking {
    pub status: ReservationStatus,
    pub note: String,
    pub series_id: Option<Uuid>,
    pub offer_expires_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct BookingMutation;

#[Object]
impl BookingMutation {
    /// Books a machine. The answer is the booking, approved or (where the machine needs it)
    /// pending, with its cost estimate. A refusal says why: `CONFLICT` naming the slot it
    /// clashes with (or the blackout, or the machine's status), `FORBIDDEN` naming the missing
    /// skill level, the plan that does not cover it or the quota it would break,
    /// `VALIDATION_ERROR` for times in the past, too long, or outside opening hours.
    async fn create_reservation(
        &self,
        ctx: &Context<'_>,
        input: CreateReservationInput,
    ) -> Result<Reservation, ApiError> {
        let booker = caller(ctx).user()?;
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let span = parse_span(input.starts_at, input.ends_at)?;
        let note = parse_note(input.note)?;
        let db = ctx.data_unchecked::<PgPool>();
        let now = ctx.data_unchecked::<Clock>().now();
        let mut conn = db.acquire().await?;
        let machine = read_settled(&mut conn, equipment_id, span, now).await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let bookable = Bookable::lock(&mut tx, machine, booker.into()).await?;
        bookable.check(&mut tx, span, now, None).await?;
        let booking = NewBooking {
            status: bookable.initial_status(),
            note,
            series_id: None,
            offer_expires_at: None,
        };
        let Some(reservation) = bookable.insert(&mut tx, span, booking).await? else {
            // Give the connection back before asking for another: under a rush of clashing
            // bookings, holding it would drain the pool.
            tx.rollback().await?;
            drop(conn);
            return Err(bookable.clash(db, span).await);
        };
        reservation
            .record(&mut tx, booker.id, "reservation.created", None)
            .await?;
        tx.commit().await?;
        Ok(reservation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booking_times_are_whole_minutes_in_order() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap_or_default();
        assert!(parse_span(at("2026-12-01T10:00:00Z"), at("2026-12-01T11:00:00Z")).is_ok());
        assert!(parse_span(at("2026-12-01T10:00:30Z"), at("2026-12-01T11:00:00Z")).is_err());
        assert!(parse_span(at("2026-12-01T11:00:00Z"), at("2026-12-01T10:00:00Z")).is_err());
        assert!(parse_span(at("2026-12-01T10:00:00Z"), at("2026-12-01T10:00:00Z")).is_err());
    }

    #[test]
    fn hours_read_as_a_person_would_say_them() {
        assert_eq!(hours(45), "45 min");
        assert_eq!(hours(120), "2 h");
        assert_eq!(hours(90), "1.5 h");
    }
}
