//! Machines' status changes, live (`equipmentStatusChanged`) and as history to resume from.

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::outbox::{EquipmentStatusChanged, topics};
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::bus::{Event, EventBus};

/// Whether a machine can be used now.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentStatus {
    Available,
    InUse,
    Maintenance,
    OutOfOrder,
}

/// A machine's status changed.
#[derive(Clone, Debug, SimpleObject)]
pub struct EquipmentStatusChange {
    /// Orders this change among all events; pass it as `after` to resume from here.
    pub cursor: String,
    pub equipment_id: ID,
    pub makerspace_id: ID,
    pub status: EquipmentStatus,
    pub changed_at: DateTime<Utc>,
}

impl EquipmentStatusChange {
    /// The change an event announces, if it is a status change of a machine in `makerspace_id`.
    fn from_event(event: &Event, makerspace_id: Uuid) -> Option<Self> {
        if event.topic != topics::EQUIPMENT_STATUS_CHANGED {
            return None;
        }
        let change: EquipmentStatusChanged = serde_json::from_value(event.payload.clone()).ok()?;
        if change.makerspace_id != makerspace_id {
            return None;
        }
        Some(Self {
            cursor: event.seq.to_string(),
            equipment_id: ID(change.equipment_id.to_string()),
            makerspace_id: ID(change.makerspace_id.to_string()),
            status: serde_json::from_value(serde_json::Value::String(change.status)).ok()?,
            changed_at: change.changed_at,
        })
    }
}

/// The outbox sequence number a cursor stands for.
fn parse_cursor(after: Option<&str>) -> Result<Option<i64>, ApiError> {
    after
        .map(|cursor| {
            cursor
                .parse::<i64>()
                .ok()
                .filter(|seq| *seq >= 0)
                .ok_or_else(|| ApiError::invalid("after", "is not a cursor"))
        })
        .transpose()
}

/// The space's status changes after `after`, oldest first, from the outbox.
async fn changes_since(
    db: &PgPool,
    makerspace_id: Uuid,
    after: i64,
    limit: i64,
) -> Result<Vec<EquipmentStatusChange>, ApiError> {
    let events = sqlx::query_as!(
        Event,
        "select seq, id, topic, payload from events.outbox
         where topic = $1 and seq > $2 and payload ->> 'makerspace_id' = $3
         order by seq limit $4",
        topics::EQUIPMENT_STATUS_CHANGED,
        after,
        makerspace_id.to_string(),
        limit,
    )
    .fetch_all(db)
    .await?;
    Ok(events
        .iter()
        .filter_map(|event| EquipmentStatusChange::from_event(event, makerspace_id))
        .collect())
}

/// The most changes one history page or one catch-up returns.
const MAX_PAGE: i64 = 1_000;

#[derive(Default)]
pub struct EquipmentStatusQuery;

#[Object]
impl EquipmentStatusQuery {
    /// A makerspace's machine status changes after a cursor, oldest first.
    async fn equipment_status_changes(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        after: Option<String>,
        #[graphql(default = 100, desc = "How many to return, 1 to 1,000.")] first: i64,
    ) -> Result<Vec<EquipmentStatusChange>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        if !(1..=MAX_PAGE).contains(&first) {
            return Err(ApiError::invalid("first", "must be between 1 and 1,000"));
        }
        let after = parse_cursor(after.as_deref())?.unwrap_or(0);
        changes_since(ctx.data_unchecked::<PgPool>(), makerspace_id, after, first).await
    }
}

#[derive(Default)]
pub struct EquipmentStatusSubscription;

#[Subscription]
impl EquipmentStatusSubscription {
    /// Every status change of the makerspace's machines as it happens; with `after`, first the
    /// changes since that cursor, so a client that lost its connection misses nothing.
    async fn equipment_status_changed(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = EquipmentStatusChange> + use<>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>().clone();
        // Listen before catching up, so nothing falls between the two.
        let mut live = ctx.data_unchecked::<EventBus>().subscribe();
        Ok(async_stream::stream! {
            // Without a cursor only what happens from now on is delivered.
            let mut last = after.unwrap_or(0);
            if after.is_some() {
                for change in changes_since(&db, makerspace_id, last, MAX_PAGE).await.unwrap_or_default() {
                    last = change.cursor.parse().unwrap_or(last);
                    yield change;
                }
            }
            loop {
                match live.recv().await {
                    Ok(event) if event.seq > last => {
                        if let Some(change) = EquipmentStatusChange::from_event(&event, makerspace_id) {
                            last = event.seq;
                            yield change;
                        }
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => {
                        // Fell behind the fan-out: catch up from the outbox instead.
                        for change in changes_since(&db, makerspace_id, last, MAX_PAGE).await.unwrap_or_default() {
                            last = change.cursor.parse().unwrap_or(last);
                            yield change;
                        }
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }
}
