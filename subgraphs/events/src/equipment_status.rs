//! Machines' status changes, live (`equipmentStatusChanged`) and as history a page at a time.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{EquipmentStatus, EquipmentStatusChanged, topics};
use makrx_service::paging;
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;
use uuid::Uuid;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, parse_cursor};
use crate::policy;

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
        let change: EquipmentStatusChanged = event.payload()?;
        Some(Self {
            cursor: event.seq.to_string(),
            equipment_id: ID(change.equipment_id.to_string()),
            makerspace_id: ID(change.makerspace_id.to_string()),
            status: change.status,
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

/// How many status changes a space's machines have had in all, beside the page of them.
pub struct EquipmentStatusTotal(Feed);

#[Object]
impl EquipmentStatusTotal {
    /// The number of status changes of the space's machines, every page together.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        self.0.count(ctx.data_unchecked::<PgPool>()).await
    }
}

#[derive(Default)]
pub struct EquipmentStatusQuery;

#[Object]
impl EquipmentStatusQuery {
    /// A makerspace's machine status changes, oldest first, a page at a time. Anyone may read a
    /// public space's; a private space's only its members and platform admins (`NOT_FOUND`
    /// for anyone else).
    async fn equipment_status_changes(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The `cursor` of the last change already seen, from this list or from `equipmentStatusChanged`."
        )]
        after: Option<String>,
    ) -> Result<Connection<String, EquipmentStatusChange, EquipmentStatusTotal>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let first = paging::page_size(first)?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_space(db, caller(ctx), makerspace_id).await?;
        let feed = feed(makerspace_id);
        let mut page = feed.since(db, after.unwrap_or(0), first as i64 + 1).await?;
        let has_next = page.len() > first;
        page.truncate(first);
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_next,
            EquipmentStatusTotal(feed),
        );
        connection.edges.extend(
            page.iter()
                .filter_map(EquipmentStatusChange::from_event)
                .map(|change| Edge::new(change.cursor.clone(), change)),
        );
        Ok(connection)
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
