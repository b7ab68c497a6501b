//! The transactional outbox: an event is written in the transaction that makes the change
//! it announces, so it is published exactly when the change commits and never otherwise.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// Topics of the events the domains publish.
pub mod topics {
    /// A machine's status changed; the payload is an `EquipmentStatusChanged`.
    pub const EQUIPMENT_STATUS_CHANGED: &str = "makrcave.equipment.status_changed";
    /// A reservation was made or changed; the payload is a `Changed` whose `after` holds a
    /// `ReservationState`.
    pub const RESERVATION_CHANGED: &str = "makrcave.reservation.changed";
    /// A waitlisted person was offered a freed slot; the payload is a `WaitlistOffered`.
    pub const WAITLIST_OFFERED: &str = "makrcave.waitlist.offered";
    /// An inventory item was added or ran low; the payload is a `Changed` whose `after` holds
    /// the item as MakrCave keeps it (`changed("inventory_item")`).
    pub const INVENTORY_ITEM_CHANGED: &str = "makrcave.inventory_item.changed";
    /// A tool was lent, returned or is overdue; the payload is a `Changed` whose `after` holds
    /// the loan as MakrCave keeps it (`changed("tool_loan")`).
    pub const TOOL_LOAN_CHANGED: &str = "makrcave.tool_loan.changed";
    /// An order was placed or moved; the payload is a `StoreChanged` whose `after` holds an
    /// `OrderState`.
    pub const ORDER_CHANGED: &str = "store.order.changed";
    /// An order was delivered; the payload is an `OrderDelivered`.
    pub const ORDER_DELIVERED: &str = "store.order.delivered";
    /// A fabrication quote was asked for or made; the payload is a `StoreChanged` whose
    /// `after` holds a `FabricationQuoteState`.
    pub const FABRICATION_QUOTE_CHANGED: &str = "store.fabrication_quote.changed";
    /// An order with parts to make was paid; the payload is an `OrderPartsPaid`.
    pub const ORDER_PARTS_PAID: &str = "store.order.parts_paid";
    /// A fabrication job was dispatched or moved; the payload is a `Changed` whose `after`
    /// holds a `FabricationJobState`.
    pub const FABRICATION_JOB_CHANGED: &str = "makrcave.fabrication_job.changed";
    /// No makerspace will make a paid part (none could take it, or the last declined it); the
    /// payload is a `PartUnmade`.
    pub const FABRICATION_PART_UNMADE: &str = "makrcave.fabrication_part.unmade";

    /// The topic of changes to a MakrCave `entity` (`makrcave.<entity>.changed`).
    pub fn changed(entity: &str) -> String {
        format!("makrcave.{entity}.changed")
    }
}

/// Something in a makerspace changed: `action` says what (`reservation.created`, ...), `after`
/// is the thing's state after the change (`null` once removed).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Changed {
    pub action: String,
    pub entity_id: Uuid,
    pub makerspace_id: Uuid,
    pub actor_id: Uuid,
    pub after: serde_json::Value,
}

// MakrCave's column and API and its events' payloads share the statuses below, so the
// producer and the consumers of an event cannot disagree on them.

/// Whether a machine can be used now.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum EquipmentStatus {
    Available,
    InUse,
    Maintenance,
    OutOfOrder,
}

/// Where a booking stands.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    /// Offered to the first person on the slot's waitlist, held until the offer lapses.
    Offered,
    /// Waiting for staff to approve it.
    Pending,
    Approved,
    CheckedIn,
    Completed,
    Cancelled,
    Rejected,
    /// A waitlist offer nobody took up in time.
    Lapsed,
}

impl ReservationStatus {
    /// Whether a booking in this status keeps others off its slot (as `makrcave.holds_slot`
    /// says in the database; a test compares the two status by status).
    pub fn holds_slot(self) -> bool {
        matches!(
            self,
            Self::Offered | Self::Pending | Self::Approved | Self::CheckedIn
        )
    }

    /// Whether a booking in this status may still be cancelled (until it ends; its holder
    /// only until the space's cancellation notice before its start).
    pub fn is_cancellable(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

/// What subscribers learn of a reservation (its holder stays private).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReservationState {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub makerspace_id: Uuid,
    pub status: ReservationStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A freed slot is held for the first person on its waitlist until `expires_at`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WaitlistOffered {
    pub user_id: Uuid,
    pub reservation_id: Uuid,
    pub equipment_id: Uuid,
    pub makerspace_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A machine's status changed (topic `EQUIPMENT_STATUS_CHANGED`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EquipmentStatusChanged {
    pub equipment_id: Uuid,
    pub makerspace_id: Uuid,
    pub status: EquipmentStatus,
    pub changed_at: DateTime<Utc>,
}

/// Something in the store changed: `action` says what (`order.placed`, ...), `after` is the
/// thing's state after the change.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoreChanged {
    pub action: String,
    pub entity_id: Uuid,
    /// Who made it; None when the store did (a payment's news, a payment time run out).
    pub actor_id: Option<Uuid>,
    pub after: serde_json::Value,
}

/// Where an order stands, as the store's column, its API and its events spell it.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed; its units are allocated, waiting for payment.
    PendingPayment,
    Paid,
    /// Being picked and packed.
    Fulfilling,
    Shipped,
    /// At the pickup location, waiting for the customer.
    ReadyForPickup,
    Delivered,
    /// Called off before it was sent; its units went back to stock.
    Cancelled,
    /// Paid back.
    Refunded,
}

impl OrderStatus {
    /// As the database and the events spell it: `pending_payment`.
    pub fn name(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Fulfilling => "fulfilling",
            Self::Shipped => "shipped",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// For people: `pending payment`.
    pub fn words(self) -> String {
        self.name().replace('_', " ")
    }
}

/// What subscribers learn of an order (its lines and address stay with the store).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OrderState {
    pub id: Uuid,
    pub number: i64,
    pub customer_id: Uuid,
    pub status: OrderStatus,
    pub total_minor: i64,
    pub currency: String,
    pub updated_at: DateTime<Utc>,
}

/// An order was delivered, with what was in it: MakrCave receives an order bought for a
/// makerspace into the space's stock.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OrderDelivered {
    pub id: Uuid,
    pub number: i64,
    pub customer_id: Uuid,
    /// The makerspace it was bought for, if any.
    pub for_makerspace_id: Option<Uuid>,
    pub lines: Vec<DeliveredLine>,
}

/// Units of one variant in a delivered order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeliveredLine {
    pub product_id: Uuid,
    pub variant_id: Uuid,
    pub sku: String,
    pub quantity: i32,
}

/// Where a fabrication quote stands, as the store's column, its API and its events spell it.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Waiting for the engine.
    Queued,
    /// The engine is measuring and pricing the part.
    Quoting,
    /// Measured and priced.
    Ready,
    /// Measured, but it fits no machine that prints its material: no price.
    TooBig,
    /// The file could not be read as a part; `failure` says why.
    Failed,
}

/// How a printer builds a part, as the store's quotes and MakrCave's printers spell it.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PrintProcess {
    /// Fused deposition: filament laid down layer by layer.
    Fdm,
    /// Resin cured layer by layer.
    Resin,
}

impl PrintProcess {
    /// For people: `FDM`, `resin`.
    pub fn words(self) -> &'static str {
        match self {
            Self::Fdm => "FDM",
            Self::Resin => "resin",
        }
    }
}

/// What subscribers learn of a fabrication quote (its measures and price stay with the store).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FabricationQuoteState {
    pub id: Uuid,
    pub upload_id: Uuid,
    pub status: QuoteStatus,
    pub total_minor: Option<i64>,
    pub currency: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// An order with parts to make was paid: MakrCave dispatches each part to a makerspace.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OrderPartsPaid {
    pub order_id: Uuid,
    pub number: i64,
    pub customer_id: Uuid,
    pub parts: Vec<PaidPart>,
}

/// A part of a paid order, with what making it takes, as quoted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PaidPart {
    /// The order part.
    pub id: Uuid,
    pub quote_id: Uuid,
    pub upload_id: Uuid,
    pub file_name: String,
    pub material: String,
    pub colour: Option<String>,
    pub infill_percent: i32,
    pub quantity: i32,
    pub process: PrintProcess,
    /// One copy's print time and material.
    pub print_seconds: i64,
    pub material_grams: f64,
    /// Width, depth and height, mm.
    pub bbox_mm: Vec<f64>,
    /// The makerspace the customer chose; none: whichever will have it ready first.
    pub makerspace_id: Option<Uuid>,
}

/// Where a fabrication job stands, as MakrCave's column, its API and its events spell it.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum FabricationJobStatus {
    /// Sent to the makerspace, waiting for its staff to accept it.
    Dispatched,
    Accepted,
    Printing,
    /// Printed; supports off, cured, sanded.
    PostProcessing,
    /// Finished, waiting to be shipped or picked up.
    Ready,
    Shipped,
    Delivered,
    /// The makerspace will not make it (`reason` says why); the part is dispatched again to
    /// the next that can, as a new job, when there is one.
    Declined,
    /// The order was called off.
    Cancelled,
}

impl FabricationJobStatus {
    /// As the database and the events spell it: `post_processing`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dispatched => "dispatched",
            Self::Accepted => "accepted",
            Self::Printing => "printing",
            Self::PostProcessing => "post_processing",
            Self::Ready => "ready",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Declined => "declined",
            Self::Cancelled => "cancelled",
        }
    }

    /// For people: `post processing`.
    pub fn words(self) -> String {
        self.name().replace('_', " ")
    }
}

/// What subscribers learn of a fabrication job (its customer and file stay with MakrCave).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FabricationJobState {
    pub id: Uuid,
    pub order_id: Uuid,
    pub order_part_id: Uuid,
    /// None when no makerspace could make it.
    pub makerspace_id: Option<Uuid>,
    pub status: FabricationJobStatus,
    pub reason: Option<String>,
    pub ready_by: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// No makerspace will make a paid part: the store gives its price back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartUnmade {
    pub order_id: Uuid,
    pub order_part_id: Uuid,
    /// Why, as its customer reads it.
    pub reason: String,
}

/// Appends an event to the outbox inside the caller's transaction.
pub async fn publish<T: Serialize>(
    conn: &mut PgConnection,
    topic: &str,
    payload: &T,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let payload =
        serde_json::to_value(payload).map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    sqlx::query!(
        "insert into events.outbox (id, topic, payload) values ($1, $2, $3)",
        id,
        topic,
        payload,
    )
    .execute(conn)
    .await?;
    Ok(id)
}
