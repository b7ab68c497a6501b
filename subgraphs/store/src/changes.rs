//! Recording a change to the store: its audit row and its event (topic
//! `store.<entity>.changed`) are written in the transaction that makes it, so neither exists
//! without the other.

use makrx_service::{ApiError, audit, outbox};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// What happened, as the audit log and the events name it: `<entity>.<what happened>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action(&'static str);

impl Action {
    pub const CATEGORY_CREATED: Self = Self("category.created");
    pub const CATEGORY_UPDATED: Self = Self("category.updated");
    pub const PRODUCT_CREATED: Self = Self("product.created");
    pub const PRODUCT_UPDATED: Self = Self("product.updated");
    pub const VARIANT_ADDED: Self = Self("product_variant.added");
    pub const VARIANT_UPDATED: Self = Self("product_variant.updated");
    pub const STOCK_LOCATION_CREATED: Self = Self("stock_location.created");
    pub const STOCK_SET: Self = Self("stock.set");
    pub const ORDER_PLACED: Self = Self("order.placed");
    pub const ORDER_STATUS_CHANGED: Self = Self("order.status_changed");

    fn entity(self) -> &'static str {
        self.0.split_once('.').map_or(self.0, |(entity, _)| entity)
    }
}

/// The event of a store change: what happened to which thing, who did it, and the thing after.
#[derive(Serialize)]
struct StoreChanged<'a, T> {
    action: &'static str,
    entity_id: Uuid,
    actor_id: Uuid,
    after: Option<&'a T>,
}

/// Writes the audit row and the event of a change inside `tx`.
pub async fn record<T: Serialize>(
    tx: &mut PgConnection,
    actor: Uuid,
    action: Action,
    entity_id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), ApiError> {
    let entity = action.entity();
    audit::record(tx, Some(actor), action.0, entity, entity_id, before, after).await?;
    let event = StoreChanged {
        action: action.0,
        entity_id,
        actor_id: actor,
        after,
    };
    outbox::publish(tx, &format!("store.{entity}.changed"), &event).await?;
    Ok(())
}
