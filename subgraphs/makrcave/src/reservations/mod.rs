//! Reservations: members booking machines. No two bookings that hold a slot ever overlap
//! (the database's `reservations_no_overlap` exclusion constraint decides, whatever the
//! timing); everything else a booking is checked against lives in `booking`.

mod booking;
mod calendar;
mod eligibility;
mod lifecycle;
mod machine;
mod recurring;
mod slots;
mod waitlist;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, MergedObject, Object};
use chrono::{DateTime, FixedOffset, Utc};
use makrx_service::graphql::caller;
use makrx_service::paging::{self, Cursor};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::equipment::Equipment;
use crate::loaders::Loaders;
use crate::members::{MembershipRole, User};
use crate::policy;
use crate::space_settings::TimeZone;

pub use calendar::{CalendarLoader, CalendarSlot, calendar};
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
        sqlx::query_as!(
            Reservation,
            r#"select r.id, r.makerspace_id, r.equipment_id, r.user_id,
                      lower(r.during) as "starts_at!", upper(r.during) as "ends_at!",
                      r.status as "status: _", r.note, r.cost_minor, r.currency, r.series_id,
                      r.offer_expires_at, r.checked_in_at, r.checked_out_at,
                      m.time_zone as "time_zone: TimeZone", r.created_at, r.updated_at
               from makrcave.reservations r join makrcave.makerspaces m on m.id = r.makerspace_id
               where r.id = $1 for update of r"#,
            id
        )
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
        ctx.data_unchecked::<Loaders>()
            .equipment_by_id
            .load_one(self.equipment_id)
            .await?
            .ok_or_else(|| {
                ApiError::internal(format_args!(
                    "the machine {} of booking {} is missing",
                    self.equipment_id, self.id
                ))
            })
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

/// Whether the caller may see this booking: its holder, staff and above of its space, admins.
async fn may_see(ctx: &Context<'_>, reservation: &Reservation) -> Result<bool, ApiError> {
    let caller = caller(ctx);
    Ok(caller.user_id() == Some(reservation.user_id)
        || policy::has_role(
            ctx,
            caller,
            reservation.makerspace_id,
            MembershipRole::Staff,
        )
        .await?)
}

/// Which bookings a list holds, to count them all beside the page of them.
pub enum ReservationTotal {
    /// A member's bookings that end after `from` and start before `to`, if there is one.
    Member {
        user_id: Uuid,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
    },
    /// A space's bookings that end after `from` and start before `to`.
    Space {
        makerspace_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
}

#[Object]
impl ReservationTotal {
    /// The number of bookings in the whole list, every page together.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let db = ctx.data_unchecked::<PgPool>();
        let count = match *self {
            Self::Member { user_id, from, to } => {
                sqlx::query_scalar!(
                    r#"select count(*) as "count!" from makrcave.reservations r
                       where r.user_id = $1 and r.during && tstzrange($2, $3)
                         and lower(r.during) >= $2 - makrcave.longest_booking()"#,
                    user_id,
                    from,
                    to,
                )
                .fetch_one(db)
                .await?
            }
            Self::Space {
                makerspace_id,
                from,
                to,
            } => {
                sqlx::query_scalar!(
                    r#"select count(*) as "count!" from makrcave.reservations r
                       where r.makerspace_id = $1 and r.during && tstzrange($2, $3)
                         and lower(r.during) >= $2 - makrcave.longest_booking()
                         and lower(r.during) < $3"#,
                    makerspace_id,
                    from,
                    to,
                )
                .fetch_one(db)
                .await?
            }
        };
        Ok(count)
    }
}

/// A page of bookings, fetched with one more than `first` to tell whether another page follows.
fn reservation_page(
    mut page: Vec<Reservation>,
    first: usize,
    after: Option<Cursor>,
    total: ReservationTotal,
) -> Connection<String, Reservation, ReservationTotal> {
    let has_next = page.len() > first;
    page.truncate(first);
    let mut connection = Connection::with_additional_fields(after.is_some(), has_next, total);
    connection.edges.extend(page.into_iter().map(|reservation| {
        let cursor = Cursor {
            at: reservation.starts_at,
            id: reservation.id,
        };
        Edge::new(cursor.encode(), reservation)
    }));
    connection
}

#[derive(Default)]
pub struct ReservationListQuery;

#[Object]
impl ReservationListQuery {
    /// The signed-in caller's bookings in every space, whatever their status, that end after
    /// `from` (default: now) and start before `to` (default: no end), earliest start first, a
    /// page at a time.
    async fn my_reservations(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Reservation, ReservationTotal>, ApiError> {
        let user_id = caller(ctx).user()?.id;
        let first = paging::page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let from = from.unwrap_or_else(|| ctx.data_unchecked::<Clock>().now());
        let page = sqlx::query_as!(
            Reservation,
            r#"select r.id, r.makerspace_id, r.equipment_id, r.user_id,
                      lower(r.during) as "starts_at!", upper(r.during) as "ends_at!",
                      r.status as "status: _", r.note, r.cost_minor, r.currency, r.series_id,
                      r.offer_expires_at, r.checked_in_at, r.checked_out_at,
                      m.time_zone as "time_zone: TimeZone", r.created_at, r.updated_at
               from makrcave.reservations r join makrcave.makerspaces m on m.id = r.makerspace_id
               where r.user_id = $1 and r.during && tstzrange($2, $3)
                 and lower(r.during) >= $2 - makrcave.longest_booking()
                 and ($4::timestamptz is null or (lower(r.during), r.id) > ($4::timestamptz, $5::uuid))
               order by lower(r.during), r.id limit $6"#,
            user_id,
            from,
            to,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let total = ReservationTotal::Member { user_id, from, to };
        Ok(reservation_page(page, first, after, total))
    }

    /// A space's bookings, whatever their status, that end after `from` and start before `to`,
    /// earliest start first, a page at a time; for its staff and above.
    async fn reservations(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Reservation, ReservationTotal>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let first = paging::page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let page = sqlx::query_as!(
            Reservation,
            r#"select r.id, r.makerspace_id, r.equipment_id, r.user_id,
                      lower(r.during) as "starts_at!", upper(r.during) as "ends_at!",
                      r.status as "status: _", r.note, r.cost_minor, r.currency, r.series_id,
                      r.offer_expires_at, r.checked_in_at, r.checked_out_at,
                      m.time_zone as "time_zone: TimeZone", r.created_at, r.updated_at
               from makrcave.reservations r join makrcave.makerspaces m on m.id = r.makerspace_id
               where r.makerspace_id = $1 and r.during && tstzrange($2, $3)
                 and lower(r.during) >= $2 - makrcave.longest_booking() and lower(r.during) < $3
                 and ($4::timestamptz is null or (lower(r.during), r.id) > ($4::timestamptz, $5::uuid))
               order by lower(r.during), r.id limit $6"#,
            makerspace_id,
            from,
            to,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let total = ReservationTotal::Space {
            makerspace_id,
            from,
            to,
        };
        Ok(reservation_page(page, first, after, total))
    }

    /// One booking: its holder's, or any of the space's for staff and above.
    async fn reservation(&self, ctx: &Context<'_>, id: ID) -> Result<Reservation, ApiError> {
        // Nobody signed in sees any booking: told to sign in, as by every other booking operation.
        caller(ctx).user()?;
        let id = parse_id(&id, "id")?;
        let not_found = || ApiError::NotFound("reservation".into());
        let mut conn = ctx.data_unchecked::<PgPool>().acquire().await?;
        let reservation = Reservation::find(&mut conn, id)
            .await?
            .ok_or_else(not_found)?;
        if may_see(ctx, &reservation).await? {
            Ok(reservation)
        } else {
            Err(not_found())
        }
    }
}

impl Reservation {
    /// Loads a reservation, if there is one with this id.
    async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<Reservation>, ApiError> {
        Ok(sqlx::query_as!(
            Reservation,
            r#"select r.id, r.makerspace_id, r.equipment_id, r.user_id,
                      lower(r.during) as "starts_at!", upper(r.during) as "ends_at!",
                      r.status as "status: _", r.note, r.cost_minor, r.currency, r.series_id,
                      r.offer_expires_at, r.checked_in_at, r.checked_out_at,
                      m.time_zone as "time_zone: TimeZone", r.created_at, r.updated_at
               from makrcave.reservations r join makrcave.makerspaces m on m.id = r.makerspace_id
               where r.id = $1"#,
            id
        )
        .fetch_optional(conn)
        .await?)
    }
}

/// Everything about reservations that a client may ask.
#[derive(MergedObject, Default)]
pub struct ReservationQuery(
    ReservationListQuery,
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
