//! A space's stock running low (`stockLow`), for the people inside the space: MakrCave announces
//! an item once when a movement takes it to or below its reorder point, and again only after it
//! was restocked above it.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{Changed, topics};
use makrx_service::{ApiError, parse_id};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, parse_cursor};
use crate::policy;

/// An item of a space's inventory fell to or below its reorder point.
#[derive(Clone, Debug, SimpleObject)]
pub struct StockLow {
    /// Orders this event among all events; pass it as `after` to resume from here.
    pub cursor: String,
    /// The item (`inventoryItem(id)` tells the rest).
    pub item_id: ID,
    pub makerspace_id: ID,
    pub name: String,
    /// How much is left, in the item's unit.
    pub on_hand: Decimal,
    pub reorder_point: Decimal,
    pub at: DateTime<Utc>,
}

/// What the event tells of the item, of all MakrCave keeps.
#[derive(Deserialize)]
struct LowItem {
    id: Uuid,
    makerspace_id: Uuid,
    name: String,
    on_hand: Decimal,
    reorder_point: Decimal,
    updated_at: DateTime<Utc>,
}

impl StockLow {
    fn from_event(event: &Event) -> Option<Self> {
        let change: Changed = event.payload()?;
        let item: LowItem = serde_json::from_value(change.after)
            .inspect_err(|err| {
                tracing::error!(seq = event.seq, error = %err, "a low stock's item cannot be read and is dropped");
            })
            .ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            item_id: ID(item.id.to_string()),
            makerspace_id: ID(item.makerspace_id.to_string()),
            name: item.name,
            on_hand: item.on_hand,
            reorder_point: item.reorder_point,
            at: item.updated_at,
        })
    }
}

#[derive(Default)]
pub struct StockSubscription;

#[Subscription]
impl StockSubscription {
    /// Each item of a space that runs low, as it happens; with `after`, first those since that
    /// cursor. For the space's members and platform admins only (`NOT_FOUND` for anyone else,
    /// also for a public space).
    async fn stock_low(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = StockLow> + use<>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_inside(db, caller(ctx), makerspace_id).await?;
        let feed = Feed {
            topic: topics::INVENTORY_ITEM_CHANGED,
            matching: serde_json::json!({
                "action": "inventory_item.low",
                "makerspace_id": makerspace_id,
            }),
        };
        Ok(feed.stream(
            db.clone(),
            ctx.data_unchecked::<EventBus>(),
            after,
            StockLow::from_event,
        ))
    }
}
