//! Machines' status changes, live (`equipmentStatusChanged`) and as history to resume from.

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{EquipmentStatusChanged, topics};
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;
use uuid::Uuid;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, MAX_PAGE, parse_cursor};
use crate::policy;

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
    fn from_event(event: &Event) -> Option<Self> {
        let change: EquipmentStatusChanged = serde_json::from_value(event.payload.clone()).ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            equipment_id: ID(change.equipment_id.to_string()),
            makerspace_id: ID(change.makerspace_id.to_string()),
            status: serde_json::from_value(serde_json::Value::String(change.status)).ok()?,
            changed_at: change.changed_at,
        })
    }
}

/// The status changes of a space's machines.
fn feed(makerspace_id: Uuid) -> Feed {
    Feed {
        topic: topics::EQUIPMENT_STATUS_CHANGED,
        matching: serde_json::json!({ "makerspace_id": makerspace_id }),
    }
}

#[derive(Default)]
pub struct EquipmentStatusQuery;

#[Object]
impl EquipmentStatusQuery {
    /// A makerspace's machine status changes after a cursor, oldest first. Anyone may read a
    /// public space's; a private space's only its members and platform admins (`NOT_FOUND`
    /// for anyone else).
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
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_space(db, caller(ctx), makerspace_id).await?;
        let events = feed(makerspace_id).since(db, after, first).await?;
        Ok(events
            .iter()
            .filter_map(EquipmentStatusChange::from_event)
            .collect())
    }
}

#[derive(Default)]
pub struct EquipmentStatusSubscription;

#[Subscription]
impl EquipmentStatusSubscription {
    /// Every status change of the makerspace's machines as it happens; with `after`, first the
    /// changes since that cursor, so a client that lost its connection misses nothing. Anyone
    /// may follow a public space; a private space only its members and platform admins
    /// (`NOT_FOUND` for anyone else).
    async fn equipment_status_changed(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = EquipmentStatusChange> + use<>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_space(db, caller(ctx), makerspace_id).await?;
        Ok(feed(makerspace_id).stream(
            db.clone(),
            ctx.data_unchecked::<EventBus>(),
            after,
            EquipmentStatusChange::from_event,
        ))
    }
}
