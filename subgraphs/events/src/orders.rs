//! A customer's order as it moves (`orderChanged`): placed, paid, shipped... for the customer
//! who placed it and for store staff, nobody else.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use makrx_service::graphql::caller;
use makrx_service::outbox::{OrderState, OrderStatus, StoreChanged, topics};
use makrx_service::{ApiError, parse_id};
use sqlx::PgPool;

use crate::bus::{Event, EventBus};
use crate::feed::{Feed, parse_cursor};
use crate::policy;

/// An order was placed or moved along its life.
#[derive(Clone, Debug, SimpleObject)]
pub struct OrderChange {
    /// Orders this change among all events; pass it as `after` to resume from here.
    pub cursor: String,
    /// What happened: `order.placed`, `order.status_changed`, `order.payment_refunded` (money
    /// that came for it when it could no longer take it went back), `order.lines_refunded`.
    pub action: String,
    pub order_id: ID,
    /// The order's number, for people.
    pub number: i64,
    pub status: OrderStatus,
    pub total_minor: i64,
    pub currency: String,
    pub changed_at: DateTime<Utc>,
}

impl OrderChange {
    fn from_event(event: &Event) -> Option<Self> {
        let change: StoreChanged = event.payload()?;
        let order: OrderState = serde_json::from_value(change.after)
            .inspect_err(|err| {
                tracing::error!(seq = event.seq, error = %err, "an order's change cannot be read and is dropped");
            })
            .ok()?;
        Some(Self {
            cursor: event.seq.to_string(),
            action: change.action,
            order_id: ID(order.id.to_string()),
            number: order.number,
            status: order.status,
            total_minor: order.total_minor,
            currency: order.currency,
            changed_at: order.updated_at,
        })
    }
}

#[derive(Default)]
pub struct OrderSubscription;

#[Subscription]
impl OrderSubscription {
    /// An order's changes as they happen; with `after`, first the changes since that cursor.
    /// Only the customer who placed it and store staff may follow it.
    async fn order_changed(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        after: Option<String>,
    ) -> Result<impl Stream<Item = OrderChange> + use<>, ApiError> {
        let order_id = parse_id(&order_id, "orderId")?;
        let after = parse_cursor(after.as_deref())?;
        let db = ctx.data_unchecked::<PgPool>();
        policy::require_order(db, caller(ctx), order_id).await?;
        let feed = Feed {
            topic: topics::ORDER_CHANGED,
            matching: serde_json::json!({ "after": { "id": order_id } }),
        };
        Ok(feed.stream(
            db.clone(),
            ctx.data_unchecked::<EventBus>(),
            after,
            OrderChange::from_event,
        ))
    }
}
