//! Recording a change to the store: its audit row and its event (topic
//! `store.<entity>.changed`) are written in the transaction that makes it, so neither exists
//! without the other.

use makrx_service::outbox::StoreChanged;
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
    pub const PRODUCT_IMAGE_ADDED: Self = Self("product.image_added");
    pub const PRODUCT_IMAGE_REMOVED: Self = Self("product.image_removed");
    pub const VARIANT_ADDED: Self = Self("product_variant.added");
    pub const VARIANT_UPDATED: Self = Self("product_variant.updated");
    pub const STOCK_LOCATION_CREATED: Self = Self("stock_location.created");
    pub const STOCK_SET: Self = Self("stock.set");
    pub const ORDER_PLACED: Self = Self("order.placed");
    pub const ORDER_STATUS_CHANGED: Self = Self("order.status_changed");
    /// Money came for an order that could no longer take it and went back to the customer.
    pub const ORDER_PAYMENT_REFUNDED: Self = Self("order.payment_refunded");
    /// Some units of a delivered order's lines were refunded.
    pub const ORDER_LINES_REFUNDED: Self = Self("order.lines_refunded");
    /// A part no makerspace would make was given back.
    pub const ORDER_PART_REFUNDED: Self = Self("order.part_refunded");
    pub const PART_UPLOADED: Self = Self("part_upload.created");
    pub const PART_UPLOAD_DELETED: Self = Self("part_upload.deleted");
    pub const FABRICATION_QUOTE_REQUESTED: Self = Self("fabrication_quote.requested");
    /// The engine measured and priced a part, found it fits no machine, or could not read it.
    pub const FABRICATION_QUOTE_MADE: Self = Self("fabrication_quote.made");
    pub const COUPON_CREATED: Self = Self("coupon.created");
    pub const COUPON_UPDATED: Self = Self("coupon.updated");
    pub const REVIEW_WRITTEN: Self = Self("review.written");
    pub const REVIEW_MODERATED: Self = Self("review.moderated");
    pub const SETTINGS_UPDATED: Self = Self("settings.updated");
    pub const TAX_RATE_SET: Self = Self("tax_rate.set");
    pub const SHIPPING_RATE_SET: Self = Self("shipping_rate.set");

    fn entity(self) -> &'static str {
        self.0.split_once('.').map_or(self.0, |(entity, _)| entity)
    }
}

/// Writes the audit row and the event of a change inside `tx`, made by `actor` (None: by the
/// store itself, as when a payment's news arrives or its time runs out).
pub async fn record<T: Serialize>(
    tx: &mut PgConnection,
    actor: impl Into<Option<Uuid>>,
    action: Action,
    entity_id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), ApiError> {
    let entity = action.entity();
    let actor = actor.into();
    audit::record(tx, actor, action.0, entity, entity_id, before, after).await?;
    let event = StoreChanged {
        action: action.0.to_owned(),
        entity_id,
        actor_id: actor,
        after: serde_json::to_value(after).map_err(|err| {
            ApiError::internal(format_args!(
                "the {entity} of {} does not serialise: {err}",
                action.0
            ))
        })?,
    };
    outbox::publish(tx, &format!("store.{entity}.changed"), &event).await?;
    Ok(())
}
