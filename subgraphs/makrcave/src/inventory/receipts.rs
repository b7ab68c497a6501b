//! Store orders bought for a makerspace restock it: when the store announces such an order
//! delivered (`store.order.delivered`), each line the space keeps an item of (bought as that
//! product) is received there, by `record_movement`, as the customer who ordered it, when they
//! are one of the space's staff. An order is received once (`makrcave.store_receipts`), however
//! often its delivery is announced.

use makrx_service::ApiError;
use makrx_service::consumer::{self, Delivery, Handler};
use makrx_service::outbox::OrderDelivered;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Movement, MovementKind, record_movement};
use crate::policy::MembershipRole;

/// The consumer of delivered orders, as the migration declares it in `events.consumers`.
const CONSUMER: &str = "makrcave.store_receipts";

/// Receives delivered store orders into the spaces they were bought for, as they come.
pub async fn receive_store_orders(db: PgPool) {
    consumer::run(db, CONSUMER, StoreReceipts).await
}

struct StoreReceipts;

impl Handler for StoreReceipts {
    async fn handle(&self, tx: &mut PgConnection, delivery: &Delivery) -> Result<(), ApiError> {
        let order: OrderDelivered = delivery.payload()?;
        match order.for_makerspace_id {
            Some(space) => receive(tx, space, &order).await,
            None => Ok(()),
        }
    }
}

/// Receives `order` into `space`'s stock, unless it was received before.
async fn receive(
    tx: &mut PgConnection,
    space: Uuid,
    order: &OrderDelivered,
) -> Result<(), ApiError> {
    let role = sqlx::query_scalar!(
        r#"select (select ms.role from makrcave.memberships ms
                   where ms.makerspace_id = m.id and ms.user_id = $2
                     and ms.suspended_at is null) as "role: MembershipRole"
           from makrcave.makerspaces m where m.id = $1"#,
        space,
        order.customer_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(role) = role else {
        tracing::warn!(order = order.number, %space, "a store order was bought for a makerspace that does not exist");
        return Ok(());
    };
    let first = sqlx::query_scalar!(
        "insert into makrcave.store_receipts (order_id, makerspace_id, order_number, lines_received)
         values ($1, $2, $3, 0) on conflict (order_id) do nothing returning order_id",
        order.id,
        space,
        order.number
    )
    .fetch_optional(&mut *tx)
    .await?;
    if first.is_none() {
        return Ok(());
    }
    if role.is_none_or(|role| role < MembershipRole::Staff) {
        sqlx::query!(
            "update makrcave.store_receipts set refused = $2, updated_at = now()
             where order_id = $1",
            order.id,
            "the customer is not one of the space's staff"
        )
        .execute(&mut *tx)
        .await?;
        return Ok(());
    }
    let products: Vec<Uuid> = order.lines.iter().map(|line| line.product_id).collect();
    // For each product, the space's first item bought as it, and where it arrives: the place
    // holding most of the item, or the space's first place when it holds it nowhere.
    let items = sqlx::query!(
        r#"select distinct on (p.product) p.product as "product!", i.id, i.store_pack,
                  coalesce((select s.location_id from makrcave.inventory_levels s
                            join makrcave.inventory_locations l on l.id = s.location_id
                            where s.item_id = i.id order by s.on_hand desc, l.name limit 1),
                           (select l.id from makrcave.inventory_locations l
                            where l.makerspace_id = $1 order by l.name limit 1)) as location
           from unnest($2::uuid[]) as p(product)
           join makrcave.inventory_items i on i.makerspace_id = $1 and i.store_product_id = p.product
           order by p.product, i.id"#,
        space,
        &products
    )
    .fetch_all(&mut *tx)
    .await?;
    let reason = format!("store order #{} delivered", order.number);
    let mut received = 0;
    for line in &order.lines {
        let Some(item) = items.iter().find(|item| item.product == line.product_id) else {
            continue;
        };
        let Some(location) = item.location else {
            continue;
        };
        record_movement(
            tx,
            Movement {
                item_id: item.id,
                kind: MovementKind::Receive,
                quantity: Decimal::from(line.quantity) * item.store_pack,
                location,
                to_location: None,
                member: None,
                reason: &reason,
                actor: order.customer_id,
                fabrication_job: None,
            },
        )
        .await?;
        received += 1;
    }
    sqlx::query!(
        "update makrcave.store_receipts set lines_received = $2, updated_at = now()
         where order_id = $1",
        order.id,
        received
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
