//! Bookings of a machine as they change (`reservationChanged`), for everyone who may see the
//! machine's space. Who holds a booking is not told: subscribers learn that a slot was taken
//! or freed, as the machine's calendar shows it.

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
        let feed = Feed {
            topic: topics::RESERVATION_CHANGED,
            matching: serde_json::json!({ "after": { "equipment_id": equipment_id } }),
        };
        Ok(feed.stream(
            db.clone(),
            ctx.data_unchecked::<EventBus>(),
            after,
            ReservationChange::from_event,
        ))
    }
}
