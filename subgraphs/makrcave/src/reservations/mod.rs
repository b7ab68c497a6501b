//! Reservations: members booking machines. No two bookings that hold a slot ever overlap
//! (the database's `reservations_no_overlap` exclusion constraint decides, whatever the
//! timing); everything else a booking is checked against lives in `booking`.

/// A statement reading bookings (as `r`, their space as `m`): the booking's columns as
/// `Reservation` takes them, then `$tail` (`where ...`).
macro_rules! reservation_query {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            $crate::reservations::Reservation,
            r#"select r.id, r.makerspace_id, r.equipment_id, r.user_id,
                      lower(r.during) as "starts_at!", upper(r.during) as "ends_at!",
                      r.status as "status: _", r.note, r.cost_minor, r.currency, r.series_id,
                      r.offer_expires_at, r.checked_in_at, r.checked_out_at,
                      r.fabrication_job_id, m.time_zone as "time_zone: crate::space::TimeZone",
                      r.created_at, r.updated_at
               from makrcave.reservations r join makrcave.makerspaces m on m.id = r.makerspace_id
               "# + $tail
            $(, $arg)*
        )
    };
}
pub(crate) use reservation_query;

mod booking;
mod calendar;
mod eligibility;
mod lifecycle;
mod lists;
mod machine;
mod quotas;
mod recurring;
mod slots;
mod waitlist;

use async_graphql::{Context, ID, MergedObject, Object};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use makrx_service::ApiError;
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::equipment::Equipment;
use crate::members::User;
use crate::space::{BookingRules, TimeZone};
use crate::timetable::Span;

pub use booking::{NewBooking, parse_span, read_settled};
pub use calendar::{CalendarLoader, CalendarSlot, MachineTime, Stretch, calendar};
pub use lifecycle::cancel as cancel_booking;
pub use makrx_service::outbox::ReservationStatus;

/// A booking of a machine by one person.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Reservation {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub equipment_id: Uuid,
    pub user_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: ReservationStatus,
    pub note: String,
    pub cost_minor: i64,
    pub currency: String,
    pub series_id: Option<Uuid>,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    /// The fabrication job it gives printer time to.
    pub fabrication_job_id: Option<Uuid>,
    pub time_zone: TimeZone,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Reservation {
    fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.time_zone.0).fixed_offset()
    }

    /// Loads a reservation inside `tx`, locking it for the rest of the transaction.
    async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Reservation, ApiError> {
        reservation_query!(r#"where r.id = $1 for update of r"#, id)
            .fetch_optional(tx)
            .await?
            .ok_or_else(|| ApiError::NotFound("reservation".into()))
    }

    /// This reservation's change, by `actor`, from `before`.
    fn change<'a>(
        &'a self,
        actor: Uuid,
        action: Action,
        before: Option<&'a Reservation>,
    ) -> Change<'a, Reservation> {
        Change {
            actor,
            action,
            entity_id: self.id,
            makerspace_id: self.makerspace_id,
            before,
            after: Some(self),
        }
    }

    /// Records this reservation's change (audit row plus `reservationChanged` event).
    async fn record(
        &self,
        tx: &mut PgConnection,
        actor: Uuid,
        action: Action,
        before: Option<&Reservation>,
    ) -> Result<(), ApiError> {
        changes::record(tx, self.change(actor, action, before)).await
    }
}

/// A booking of a machine by one person.
#[Object]
impl Reservation {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn equipment(&self, ctx: &Context<'_>) -> Result<Equipment, ApiError> {
        Equipment::referenced(ctx, self.equipment_id).await
    }

    /// Who booked it.
    async fn user(&self) -> User {
        User { id: self.user_id }
    }

    /// In the space's local time.
    async fn starts_at(&self) -> DateTime<FixedOffset> {
        self.local(self.starts_at)
    }

    /// In the space's local time.
    async fn ends_at(&self) -> DateTime<FixedOffset> {
        self.local(self.ends_at)
    }

    async fn status(&self) -> ReservationStatus {
        self.status
    }

    async fn note(&self) -> &str {
        &self.note
    }

    /// What the booking is estimated to cost, in the currency's minor unit.
    async fn cost_estimate_minor(&self) -> i64 {
        self.cost_minor
    }

    async fn currency(&self) -> &str {
        &self.currency
    }

    /// The weekly series it belongs to, if it was booked as one.
    async fn series_id(&self) -> Option<ID> {
        self.series_id.map(|id| ID(id.to_string()))
    }

    /// Until when a waitlist offer holds the slot.
    async fn offer_expires_at(&self) -> Option<DateTime<Utc>> {
        self.offer_expires_at
    }

    /// Until when its holder may cancel it (the space's cancellation notice before its
    /// start, in the space's local time); none once it can no longer be cancelled. Staff and
    /// above may cancel it until it ends.
    async fn cancellable_until(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<DateTime<FixedOffset>>, ApiError> {
        if !self.status.is_cancellable() {
            return Ok(None);
        }
        let rules = BookingRules::of(ctx, self.makerspace_id).await?;
        Ok(Some(self.local(rules.holder_cancels_until(self.starts_at))))
    }

    /// When its holder can first be checked in at the desk (15 minutes before its start, in
    /// the space's local time), while it is approved; check-in closes at its end.
    async fn check_in_opens_at(&self) -> Option<DateTime<FixedOffset>> {
        self.check_in_window()
            .map(|window| self.local(window.start))
    }

    async fn checked_in_at(&self) -> Option<DateTime<Utc>> {
        self.checked_in_at
    }

    async fn checked_out_at(&self) -> Option<DateTime<Utc>> {
        self.checked_out_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// How early before its start a booking can be checked in.
pub(super) const EARLY_CHECK_IN: Duration = Duration::minutes(15);

impl Reservation {
    /// When its holder can be checked in: from a quarter of an hour before its start until its
    /// end, while it is approved.
    pub fn check_in_window(&self) -> Option<Span> {
        (self.status == ReservationStatus::Approved).then(|| Span {
            start: self.starts_at - EARLY_CHECK_IN,
            end: self.ends_at,
        })
    }

    /// Loads a reservation, if there is one with this id.
    async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Reservation>, ApiError> {
        Ok(reservation_query!(r#"where r.id = $1"#, id)
            .fetch_optional(conn)
            .await?)
    }
}

/// Everything about reservations that a client may ask.
#[derive(MergedObject, Default)]
pub struct ReservationQuery(
    lists::ReservationListQuery,
    slots::SlotQuery,
    waitlist::WaitlistQuery,
);

/// Everything about reservations that a client may do.
#[derive(MergedObject, Default)]
pub struct ReservationMutation(
    booking::BookingMutation,
    lifecycle::LifecycleMutation,
    recurring::RecurringMutation,
    waitlist::WaitlistMutation,
);

#[cfg(test)]
mod tests {
    use async_graphql::resolver_utils::EnumType;
    use sqlx::PgPool;

    use super::ReservationStatus;

    #[sqlx::test(migrator = "makrx_service::db::MIGRATOR")]
    async fn the_database_and_the_code_agree_on_which_statuses_hold_a_slot(db: PgPool) {
        for item in ReservationStatus::items() {
            let status = item.value;
            let holds: bool = sqlx::query_scalar("select makrcave.holds_slot($1)")
                .bind(status)
                .fetch_one(&db)
                .await
                .expect("makrcave.holds_slot answers");
            assert_eq!(holds, status.holds_slot(), "{status:?}");
        }
    }
}
