//! An order follows its printed parts. MakrCave announces every change of a part's job; the
//! store keeps where each part stands and moves the order along its life as far as its parts
//! have come: fulfilling once a makerspace is making any of them, and, for an order of parts
//! only, shipped (or ready for pickup) once every part still owed is sent (or ready to collect),
//! delivered once every one is. An order with goods from the shelf too is shipped by the
//! store's staff as before. The same consumer hears parts no makerspace will make (`unmade`),
//! so a refunded part stops holding its order back in the order things happened.

use makrx_service::ApiError;
use makrx_service::consumer::{self, Delivery, Handler};
use makrx_service::outbox::{
    Changed, FabricationJobState, FabricationJobStatus, OrderStatus, PartUnmade, topics,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::unmade;
use crate::orders::{self, Delivery as Handover};
use crate::stripe::{Stripe, StripeSettings};

/// The consumer of MakrCave's news of parts, as the migration declares it.
const CONSUMER: &str = "store.order_fabrication";

/// Follows the parts of paid orders as MakrCave announces them.
pub async fn follow_fabrication(db: PgPool, settings: StripeSettings) {
    let stripe = Stripe::new(&settings);
    consumer::run(db, CONSUMER, PartsNews { stripe }).await
}

struct PartsNews {
    stripe: Option<Stripe>,
}

impl Handler for PartsNews {
    async fn handle(&self, tx: &mut PgConnection, delivery: &Delivery) -> Result<(), ApiError> {
        let order_id = if delivery.topic == topics::FABRICATION_PART_UNMADE {
            let part: PartUnmade = delivery.payload()?;
            unmade::refund(tx, self.stripe.as_ref(), &part).await?;
            part.order_id
        } else {
            let change: Changed = delivery.payload()?;
            let job: FabricationJobState = serde_json::from_value(change.after)
                .map_err(|err| ApiError::internal(format_args!("a job's news: {err}")))?;
            sqlx::query!(
                "update store.order_parts set job_status = $3, updated_at = now()
                 where id = $1 and order_id = $2",
                job.order_part_id,
                job.order_id,
                job.status.name()
            )
            .execute(&mut *tx)
            .await?;
            job.order_id
        };
        follow(tx, order_id).await
    }
}

/// How far a part has come, as its order sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// No makerspace has taken it (yet).
    Waiting,
    Making,
    /// Shipped, or ready to collect for an order picked up.
    Sent,
    Delivered,
}

fn stage(job: Option<FabricationJobStatus>, handover: Handover) -> Stage {
    use FabricationJobStatus::*;
    match job {
        None | Some(Dispatched | Declined | Cancelled) => Stage::Waiting,
        Some(Ready) if handover == Handover::Pickup => Stage::Sent,
        Some(Accepted | Printing | PostProcessing | Ready) => Stage::Making,
        Some(Shipped) => Stage::Sent,
        Some(Delivered) => Stage::Delivered,
    }
}

/// The status the parts still owed bring their order to (none: they bring it nowhere).
fn status_from_parts(parts: &[Stage], goods_too: bool, handover: Handover) -> Option<OrderStatus> {
    let (least, furthest) = (parts.iter().min()?, parts.iter().max()?);
    match least {
        Stage::Delivered if !goods_too => Some(OrderStatus::Delivered),
        Stage::Sent if !goods_too => Some(sent(handover)),
        _ => (*furthest >= Stage::Making).then_some(OrderStatus::Fulfilling),
    }
}

fn sent(handover: Handover) -> OrderStatus {
    match handover {
        Handover::Shipping => OrderStatus::Shipped,
        Handover::Pickup => OrderStatus::ReadyForPickup,
    }
}

/// How far along its life an order is; none for one off it (unpaid, cancelled, refunded).
fn progress(status: OrderStatus) -> Option<u8> {
    match status {
        OrderStatus::Paid => Some(0),
        OrderStatus::Fulfilling => Some(1),
        OrderStatus::Shipped | OrderStatus::ReadyForPickup => Some(2),
        OrderStatus::Delivered => Some(3),
        OrderStatus::PendingPayment | OrderStatus::Cancelled | OrderStatus::Refunded => None,
    }
}

/// Moves the order as far as its parts have come, a step at a time (each step recorded and
/// announced as the store's own), never back.
async fn follow(tx: &mut PgConnection, order_id: Uuid) -> Result<(), ApiError> {
    let Some(order) = sqlx::query!(
        r#"select status as "status: OrderStatus", delivery as "handover: Handover",
                  exists(select from store.order_lines l
                         where l.order_id = o.id and l.quantity > l.refunded_quantity)
                      as "goods_too!"
           from store.orders o where id = $1 for update"#,
        order_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        tracing::warn!(order = %order_id, "a part's order does not exist");
        return Ok(());
    };
    let jobs = sqlx::query_scalar!(
        r#"select job_status as "job: FabricationJobStatus" from store.order_parts
           where order_id = $1 and refunded_at is null"#,
        order_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let stages: Vec<Stage> = jobs
        .into_iter()
        .map(|job| stage(job, order.handover))
        .collect();
    let Some(target) = status_from_parts(&stages, order.goods_too, order.handover) else {
        return Ok(());
    };
    let mut status = order.status;
    while let (Some(now), Some(goal)) = (progress(status), progress(target))
        && now < goal
    {
        status = match status {
            OrderStatus::Paid => OrderStatus::Fulfilling,
            OrderStatus::Fulfilling => sent(order.handover),
            _ => OrderStatus::Delivered,
        };
        orders::move_order(tx, None, order_id, status, None).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_of_parts_goes_as_far_as_its_last_part() {
        use Stage::*;
        let shipped = Handover::Shipping;
        assert_eq!(status_from_parts(&[], false, shipped), None);
        assert_eq!(status_from_parts(&[Waiting, Waiting], false, shipped), None);
        assert_eq!(
            status_from_parts(&[Waiting, Making], false, shipped),
            Some(OrderStatus::Fulfilling)
        );
        assert_eq!(
            status_from_parts(&[Sent, Making], false, shipped),
            Some(OrderStatus::Fulfilling)
        );
        assert_eq!(
            status_from_parts(&[Sent, Delivered], false, shipped),
            Some(OrderStatus::Shipped)
        );
        assert_eq!(
            status_from_parts(&[Sent], false, Handover::Pickup),
            Some(OrderStatus::ReadyForPickup)
        );
        assert_eq!(
            status_from_parts(&[Delivered, Delivered], false, shipped),
            Some(OrderStatus::Delivered)
        );
        assert_eq!(
            status_from_parts(&[Delivered], true, shipped),
            Some(OrderStatus::Fulfilling),
            "goods from the shelf are the store staff's to send"
        );
    }

    #[test]
    fn a_part_ready_is_sent_only_when_the_customer_collects_it() {
        let ready = Some(FabricationJobStatus::Ready);
        assert_eq!(stage(ready, Handover::Pickup), Stage::Sent);
        assert_eq!(stage(ready, Handover::Shipping), Stage::Making);
        assert_eq!(
            stage(Some(FabricationJobStatus::Declined), Handover::Shipping),
            Stage::Waiting,
            "declined, it waits for the next space"
        );
    }
}
