//! Booking a machine: every rule a booking is checked against, in the order a person would
//! want to hear about them, then the insert on which the exclusion constraint has the last
//! word. A single booking, each occurrence of a weekly series and a taken-up waitlist offer
//! all pass through here.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, CallerUser, Clock, error::violated_constraint, parse_id};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::eligibility::{MembershipTerms, Standing};
use super::machine::Machine;
use super::quotas::{Quotas, UsedMinutes};
use super::waitlist::settle_expired_offers;
use super::{Reservation, ReservationStatus};
use crate::changes::Action;
use crate::equipment::EquipmentClass;
use crate::space::TimeZone;
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

/// One person about to book one machine: everything the booking is checked against. It is
/// read without locks; the statement that books (or `check`) locks the booker's membership,
/// so that their concurrent bookings queue up behind each other and quotas hold, and makes
/// sure their standing is still what it was read as.
pub struct Bookable {
    pub machine: Machine,
    pub booker: Booker,
    standing: Standing,
    /// When it was read (`now()`): when a booking made from it is created.
    at: DateTime<Utc>,
}

/// Reads the machine and `booker`'s standing on `conn` (outside any transaction), first
/// letting go of the machine's lapsed waitlist offers if it has any
/// (`waitlist::settle_expired_offers`).
pub async fn read_settled(
    conn: &mut PgConnection,
    equipment_id: Uuid,
    booker: Booker,
    within: Span,
    now: DateTime<Utc>,
) -> Result<Bookable, ApiError> {
    let bookable = Bookable::read(conn, equipment_id, booker, within, now).await?;
    if bookable.machine.has_lapsed_offers {
        settle_expired_offers(conn, equipment_id, now).await?;
    }
    Ok(bookable)
}

impl Bookable {
    /// Reads the machine, its space's rules within `within` and `booker`'s standing there, in
    /// one statement.
    pub async fn read(
        conn: &mut PgConnection,
        equipment_id: Uuid,
        booker: Booker,
        within: Span,
        now: DateTime<Utc>,
    ) -> Result<Self, ApiError> {
        let (machine, membership, at) =
            Machine::read(conn, equipment_id, booker.id, within, now).await?;
        Self::new(machine, membership, booker, at)
    }

    /// `read` for a space's machines of one class, in one statement.
    pub async fn read_class(
        conn: &mut PgConnection,
        makerspace_id: Uuid,
        class: EquipmentClass,
        booker: Booker,
        within: Span,
        now: DateTime<Utc>,
    ) -> Result<Vec<Self>, ApiError> {
        Machine::read_class(conn, makerspace_id, class, booker.id, within, now)
            .await?
            .into_iter()
            .map(|(machine, membership, at)| Self::new(machine, membership, booker, at))
            .collect()
    }

    fn new(
        machine: Machine,
        membership: Option<MembershipTerms>,
        booker: Booker,
        at: DateTime<Utc>,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            standing: Standing::of(membership, booker.is_admin)?,
            machine,
            booker,
            at,
        })
    }

    /// Whether the booker books as staff (free of quotas), as `makrcave.hold_booker` checks.
    fn as_staff(&self) -> bool {
        self.standing.is_staff()
    }

    /// The refusal when the booker's membership changed between reading and booking.
    fn changed_meanwhile() -> ApiError {
        ApiError::Conflict(
            "your membership of this makerspace changed while you were booking: try again".into(),
        )
    }

    /// Checks every rule but the member's quotas and the clash with other bookings (`book`
    /// settles both); the quotas the booking must fit in (`eligibility`).
    pub fn rules(&self, span: Span, now: DateTime<Utc>) -> Result<Quotas, ApiError> {
        self.standing.rules(&self.machine, span, now)
    }

    /// Refuses a booker whose plan covers no machine of `class`, whatever the time.
    pub fn may_book_class(&self, class: EquipmentClass) -> Result<(), ApiError> {
        self.standing.may_book_class(class)
    }

    /// The minutes the booker has booked in the space in each local day and week of `within`
    /// (none for staff, whom no quota holds).
    pub async fn minutes_used(
        &self,
        conn: &mut PgConnection,
        within: Span,
    ) -> Result<UsedMinutes, ApiError> {
        if self.as_staff() {
            return Ok(UsedMinutes::new(Vec::new(), Vec::new()));
        }
        let windows = UsedMinutes::windows(&self.machine, within);
        let (starts, ends): (Vec<_>, Vec<_>) = windows
            .iter()
            .map(|window| (window.start, window.end))
            .unzip();
        let minutes = sqlx::query_scalar!(
            r#"select makrcave.minutes_booked($1, $2, $3, $4, null) as "minutes!""#,
            self.booker.id,
            self.machine.makerspace_id,
            &starts,
            &ends,
        )
        .fetch_one(conn)
        .await?;
        Ok(UsedMinutes::new(windows, minutes))
    }

    /// Whether a booking of `span` would be made, by every rule but a clash with other
    /// bookings, given the minutes `used` (read by `minutes_used` over a stretch holding it).
    pub fn would_book(&self, span: Span, now: DateTime<Utc>, used: &UsedMinutes) -> bool {
        self.rules(span, now)
            .and_then(|quotas| quotas.verdict_within(&self.machine, used))
            .is_ok()
    }

    /// Checks every rule but the clash with other bookings, for a booking not made here (a
    /// place on the waitlist, an offer being taken up), with the booker's membership locked
    /// for the rest of `tx`. `instead_of` is a booking of the same person this one replaces,
    /// left out of their quotas.
    pub async fn check(
        &self,
        tx: &mut PgConnection,
        span: Span,
        now: DateTime<Utc>,
        instead_of: Option<Uuid>,
    ) -> Result<(), ApiError> {
        let quotas = self.rules(span, now)?;
        let (starts, ends) = quotas.bounds();
        let used = sqlx::query_scalar!(
            r#"with held as (select makrcave.hold_booker($2, $1, $6, $7) as ok)
               select makrcave.minutes_booked($1, $2, $3, $4, $5) as "minutes!"
               from held where ok"#,
            self.booker.id,
            self.machine.makerspace_id,
            &starts,
            &ends,
            instead_of,
            self.as_staff(),
            self.booker.is_admin,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(Self::changed_meanwhile)?;
        quotas.verdict(&self.machine, &used)
    }

    /// The status a new booking gets: members wait for approval where the machine needs it.
    pub fn initial_status(&self) -> ReservationStatus {
        match self.standing {
            Standing::Member { .. } if self.machine.requires_approval => ReservationStatus::Pending,
            _ => ReservationStatus::Approved,
        }
    }

    /// Makes the booking, in one statement: locks the machine and the booker's membership,
    /// checks `quotas` against the member's other bookings, inserts it and records it as
    /// `action` by `actor` (audit row and event). `None` if it clashes with a booking that
    /// holds (part of) the slot: the exclusion constraint decides, whatever the timing. The
    /// statement (and a transaction around it) is then aborted, so callers ask `clash`
    /// elsewhere what it clashed with.
    ///
    /// The machine's row is locked first, so that bookings of one machine are inserted one
    /// after the other: two clashing inserts in flight at once would each wait for the other
    /// in the exclusion constraint's check, and PostgreSQL would end that only with a
    /// deadlock error after a second. The membership lock makes the member's bookings queue
    /// up behind each other; `makrcave.minutes_booked` is VOLATILE, so it counts them as they
    /// are once the lock is held.
    pub async fn book(
        &self,
        conn: &mut PgConnection,
        span: Span,
        booking: NewBooking,
        quotas: &Quotas,
        (actor, action): (Uuid, Action),
    ) -> Result<Option<Reservation>, ApiError> {
        let reservation = Reservation {
            id: Uuid::now_v7(),
            makerspace_id: self.machine.makerspace_id,
            equipment_id: self.machine.equipment_id,
            user_id: self.booker.id,
            starts_at: span.start,
            ends_at: span.end,
            status: booking.status,
            note: booking.note,
            cost_minor: self.machine.cost_minor(span),
            currency: self.machine.currency.clone(),
            series_id: booking.series_id,
            offer_expires_at: booking.offer_expires_at,
            checked_in_at: None,
            checked_out_at: None,
            fabrication_job_id: booking.fabrication_job_id,
            time_zone: TimeZone(self.machine.zone),
            created_at: self.at,
            updated_at: self.at,
        };
        let recorded = reservation.change(actor, action, None).recorded()?;
        let (starts, ends) = quotas.bounds();
        let allowed = quotas.allowed();
        let made = sqlx::query!(
            r#"with machine as (
                   select id from makrcave.equipment where id = $3 for no key update
               ),
               held as (
                   select makrcave.hold_booker($2, $4, $27, $28) as ok from machine
               ),
               used as (
                   select makrcave.minutes_booked($4, $2, $13, $14, null) as minutes
                   from held where ok
               ),
               booked as (
                   insert into makrcave.reservations
                       (id, makerspace_id, equipment_id, user_id, during, status, note, cost_minor,
                        currency, series_id, offer_expires_at, fabrication_job_id, created_at,
                        updated_at)
                   select $1, $2, $3, $4, tstzrange($5, $6), $7, $8, $9, $10, $11, $12, $29, $16,
                          $16
                   from used
                   where not exists (select 1 from unnest(used.minutes, $15::bigint[]) q(used, allowed)
                                     where q.used > q.allowed)
                   returning id
               )
               select h.ok as "held!", u.minutes as "used?",
                      case when b.id is not null then
                          makrcave.record_change($17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
                      end as "event_seq?"
               from held h left join used u on true left join booked b on true"#,
            reservation.id,
            reservation.makerspace_id,
            reservation.equipment_id,
            reservation.user_id,
            span.start,
            span.end,
            reservation.status as ReservationStatus,
            reservation.note,
            reservation.cost_minor,
            reservation.currency,
            reservation.series_id,
            reservation.offer_expires_at,
            &starts,
            &ends,
            &allowed,
            self.at,
            recorded.audit_id,
            recorded.actor,
            recorded.action,
            recorded.entity,
            recorded.entity_id,
            recorded.before,
            recorded.after,
            recorded.event_id,
            recorded.topic,
            recorded.event,
            self.as_staff(),
            self.booker.is_admin,
            reservation.fabrication_job_id,
        )
        .fetch_optional(&mut *conn)
        .await;
        match made {
            // The machine was removed meanwhile.
            Ok(None) => Err(ApiError::NotFound("equipment".into())),
            Ok(Some(made)) if !made.held => Err(Self::changed_meanwhile()),
            Ok(Some(made)) if made.event_seq.is_some() => Ok(Some(reservation)),
            Ok(Some(made)) => Err(quotas
                .verdict(&self.machine, &made.used.unwrap_or_default())
                .err()
                .unwrap_or_else(|| ApiError::internal("a booking within its quotas was not made"))),
            Err(err) if violated_constraint(&err) == Some("reservations_no_overlap") => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// The `CONFLICT` for a booking that clashes with another, naming the slot it clashes with.
    pub async fn clash<'c>(&self, conn: impl PgExecutor<'c>, span: Span) -> ApiError {
        let taken = sqlx::query!(
            r#"select lower(during) as "starts_at!", upper(during) as "ends_at!"
               from makrcave.reservations
               where equipment_id = $1 and during && tstzrange($2, $3)
                 and makrcave.holds_slot(status)
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
    /// The fabrication job it gives printer time to.
    pub fabrication_job_id: Option<Uuid>,
}

#[derive(Default)]
pub struct BookingMutation;

#[Object(guard = "SignedIn")]
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
        let bookable = read_settled(&mut conn, equipment_id, booker.into(), span, now).await?;
        let quotas = bookable.rules(span, now)?;
        let booking = NewBooking {
            status: bookable.initial_status(),
            note,
            series_id: None,
            offer_expires_at: None,
            fabrication_job_id: None,
        };
        let created = (booker.id, Action::RESERVATION_CREATED);
        // One statement on its own: it commits as it ends.
        let Some(reservation) = bookable
            .book(&mut conn, span, booking, &quotas, created)
            .await?
        else {
            // Give the connection back before asking for another: under a rush of clashing
            // bookings, holding it would drain the pool.
            drop(conn);
            return Err(bookable.clash(db, span).await);
        };
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
}
