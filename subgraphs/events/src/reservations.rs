//! Bookings as they change, of a machine (`reservationChanged`) or of every machine of a space
//! (`spaceReservationsChanged`), for everyone who may see the space. Who holds a booking is not
//! told: subscribers learn that a slot was taken or freed, as the machines' calendars show it.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{Changed, ReservationState, ReservationStatus, topics};
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, parse_cursor};
use crate::policy;

/// A booking of a machine was made or changed.
#[derive(Clone, Debug, SimpleObject)]
pub struct ReservationChange {
    /// Orders this change among all events; pass it as `after` to resume from here.
    pub cursor: String,
    /// What happened: `reservation.created`, `reservation.cancelled`, ...
    pub action: String,
    pub reservation_id: ID,
    pub equipment_id: ID,
    pub makerspace_id: ID,
    pub status: ReservationStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
}

impl ReservationChange {
    fn from_event(event: &Event) -> Option<Self> {
        let change: Changed = event.payload()?;
        let reservation: ReservationState = serde_json::from_value(change.after)
            .inspect_err(|err| {
                tracing::error!(seq = event.seq, error = %err, "a booking's change cannot be read and is dropped");
            })
            .ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            action: change.action,
            reservation_id: ID(reservation.id.to_string()),
            equipment_id: ID(reservation.equipment_id.to_string()),
            makerspace_id: ID(reservation.makerspace_id.to_string()),
            status: reservation.status,
            starts_at: reservation.starts_at,
            ends_at: reservation.ends_at,
            changed_at: reservation.updated_at,
        })
    }
}

#[derive(Default)]
pub struct ReservationSubscription;

#[Subscription]
impl ReservationSubscription {
    /// Every booking change of a machine as it happens; with `after`, first the changes since
    /// that cursor. Anyone may follow a machine of a public space; a private space's machines
    /// only its members and platform admins.
    async fn reservation_changed(
        &self,
        ctx: &Context<'_>,
        equipment_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = ReservationChange> + use<>, ApiError> {
        let equipment_id = parse_id(&equipment_id, "equipmentId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_machine(db, caller(ctx), equipment_id).await?;
        let matching = serde_json::json!({ "after": { "equipment_id": equipment_id } });
        Ok(changes(ctx, matching, after))
    }

    /// Every booking change of a space's machines as it happens (a desk's queue of bookings
    /// waiting for approval, say); with `after`, first the changes since that cursor. Anyone
    /// may follow a public space; a private one only its members and platform admins.
    async fn space_reservations_changed(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = ReservationChange> + use<>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_space(db, caller(ctx), makerspace_id).await?;
        let matching = serde_json::json!({ "after": { "makerspace_id": makerspace_id } });
        Ok(changes(ctx, matching, after))
    }
}

/// The booking changes whose payload contains `matching`, from after `after`.
fn changes(
    ctx: &Context<'_>,
    matching: serde_json::Value,
    after: Option<i64>,
) -> impl Stream<Item = ReservationChange> + use<> {
    let feed = Feed {
        topic: topics::RESERVATION_CHANGED,
        matching,
    };
    feed.stream(
        ctx.data_unchecked::<PgPool>().clone(),
        ctx.data_unchecked::<EventBus>(),
        after,
        ReservationChange::from_event,
    )
}
