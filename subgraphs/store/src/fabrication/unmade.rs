//! Parts no makerspace will make are given back. MakrCave announces such a part
//! (`makrcave.fabrication_part.unmade`: none could take it when it was paid, or the last that
//! could declined it); the store refunds what its customer paid for it (its price less its
//! share of the coupon, plus its tax) from the order's payment, once. When that leaves nothing
//! of a paid order to send, the order is refunded whole, shipping too. `following` hears the
//! announcement.

use makrx_service::ApiError;
use makrx_service::outbox::{OrderStatus, PartUnmade};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::orders;
use crate::payments;
use crate::refunds::RefundedPart;
use crate::stripe::Stripe;

/// Refunds the part `unmade`, unless it (or its whole order) was given back before.
pub(super) async fn refund(
    tx: &mut PgConnection,
    stripe: Option<&Stripe>,
    unmade: &PartUnmade,
) -> Result<(), ApiError> {
    let status = sqlx::query_scalar!(
        r#"select status as "status: OrderStatus" from store.orders where id = $1 for update"#,
        unmade.order_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(status) = status else {
        tracing::warn!(order = %unmade.order_id, "an unmade part's order does not exist");
        return Ok(());
    };
    if matches!(status, OrderStatus::Cancelled | OrderStatus::Refunded) {
        return Ok(());
    }
    let Some(part) = sqlx::query!(
        r#"update store.order_parts set refunded_at = now(), updated_at = now()
           where id = $1 and order_id = $2 and refunded_at is null
           returning file_name, price_minor - discount_minor + tax_minor as "paid!""#,
        unmade.order_part_id,
        unmade.order_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(());
    };
    let payment = sqlx::query!(
        "select id, intent_id from store.payments
         where order_id = $1 and status = 'succeeded' order by attempt limit 1 for update",
        unmade.order_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        ApiError::internal(format_args!(
            "the paid order {} has no payment to refund",
            unmade.order_id
        ))
    })?;
    let reason = format!(
        "no makerspace will make {}: {}",
        part.file_name, unmade.reason
    );
    let refund_id = Uuid::now_v7();
    payments::give_back(
        tx,
        stripe,
        payment.id,
        payment.intent_id.as_deref(),
        Some(part.paid),
        &format!("refund-{refund_id}"),
        &reason,
    )
    .await?;
    let parts = [RefundedPart {
        part_id: unmade.order_part_id,
        amount_minor: part.paid,
    }];
    sqlx::query!(
        "insert into store.refunds
             (id, order_id, payment_id, amount_minor, reason, lines, parts, refunded_by)
         values ($1, $2, $3, $4, $5, '[]', $6, null)",
        refund_id,
        unmade.order_id,
        payment.id,
        part.paid,
        reason,
        Json(&parts) as _,
    )
    .execute(&mut *tx)
    .await?;
    let order = orders::read(tx, unmade.order_id)
        .await?
        .ok_or_else(|| ApiError::internal("a refunded order is not there"))?;
    changes::record(
        tx,
        None,
        Action::ORDER_PART_REFUNDED,
        order.id,
        None,
        Some(&order),
    )
    .await?;
    let more_to_send = sqlx::query_scalar!(
        r#"select exists(select from store.order_lines
                         where order_id = $1 and quantity > refunded_quantity)
               or exists(select from store.order_parts
                         where order_id = $1 and refunded_at is null) as "more!""#,
        unmade.order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !more_to_send && status == OrderStatus::Paid {
        orders::move_order(tx, stripe, order.id, OrderStatus::Refunded, None).await?;
    }
    Ok(())
}
