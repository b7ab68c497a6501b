//! Refunds of a delivered order's lines: some units of some lines go back (returned, broken in
//! the post) and the customer gets what they paid for them: the line's price less its share of
//! the discount plus its tax, in proportion, to the minor unit, so that a line refunded a unit
//! at a time gives back exactly what refunding it at once would. The whole order, shipping
//! included, is refunded by moving it to `REFUNDED`. A part no makerspace will make is given
//! back by the store itself (`fabrication::unmade`).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::OrderStatus;
use makrx_service::{ApiError, FieldError, parse_id};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::orders::{self, Order};
use crate::payments::{self, Payments};
use crate::policy::store_staff;

/// Units of one line given back.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundedLine {
    pub line_id: Uuid,
    pub quantity: i32,
    pub amount_minor: i64,
}

#[Object]
impl RefundedLine {
    /// The order line.
    async fn line_id(&self) -> ID {
        ID(self.line_id.to_string())
    }

    /// How many of its units.
    async fn quantity(&self) -> i32 {
        self.quantity
    }

    /// What was given back for them.
    async fn amount_minor(&self) -> i64 {
        self.amount_minor
    }
}

/// A part no makerspace would make, given back.
#[derive(Clone, Debug, Serialize, Deserialize, SimpleObject)]
#[graphql(complex)]
#[serde(rename_all = "camelCase")]
pub struct RefundedPart {
    #[graphql(skip)]
    pub part_id: Uuid,
    /// What was given back for it: its price less its share of the coupon, plus its tax.
    pub amount_minor: i64,
}

#[ComplexObject]
impl RefundedPart {
    /// The order part.
    async fn part_id(&self) -> ID {
        ID(self.part_id.to_string())
    }
}

/// Money given back for some of an order's lines or parts.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Refund {
    pub id: Uuid,
    pub order_id: Uuid,
    pub amount_minor: i64,
    pub reason: String,
    pub lines: Json<Vec<RefundedLine>>,
    pub parts: Json<Vec<RefundedPart>>,
    pub created_at: DateTime<Utc>,
}

/// Money given back for some of an order's lines or parts.
#[Object]
impl Refund {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    /// Why: as store staff told it, or why no makerspace would make a part.
    async fn reason(&self) -> &str {
        &self.reason
    }

    async fn lines(&self) -> &[RefundedLine] {
        &self.lines
    }

    /// The parts given back because no makerspace would make them.
    async fn parts(&self) -> &[RefundedPart] {
        &self.parts
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// Loads the line refunds of orders, oldest first.
pub struct RefundsByOrder(pub PgPool);

impl Loader<Uuid> for RefundsByOrder {
    type Value = Vec<Refund>;
    type Error = ApiError;

    async fn load(&self, orders: &[Uuid]) -> Result<HashMap<Uuid, Vec<Refund>>, ApiError> {
        let rows = sqlx::query_as!(
            Refund,
            r#"select id, order_id, amount_minor, reason,
                      lines as "lines: Json<Vec<RefundedLine>>",
                      parts as "parts: Json<Vec<RefundedPart>>", created_at
               from store.refunds where order_id = any($1) order by created_at, id"#,
            orders
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.order_id))
    }
}

/// What `quantity` more units of a line give back when `refunded` of its `units` already went:
/// the cumulative share of `paid` (the line's price less discount plus tax), rounded down, less
/// what went before, so the last unit takes what rounding left.
fn amount_for(paid: i64, units: i32, refunded: i32, quantity: i32) -> i64 {
    let share = |of: i32| paid * i64::from(of) / i64::from(units);
    share(refunded + quantity) - share(refunded)
}

#[derive(InputObject)]
pub struct RefundLineInput {
    pub line_id: ID,
    /// How many of its units, 1 up to those not yet refunded.
    pub quantity: i32,
}

#[derive(InputObject)]
pub struct RefundOrderLinesInput {
    pub order_id: ID,
    pub lines: Vec<RefundLineInput>,
    /// Why, for the customer and the records.
    pub reason: String,
}

#[derive(Default)]
pub struct RefundMutation;

#[Object(guard = "SignedIn")]
impl RefundMutation {
    /// Gives back what the customer paid for some units of a delivered order's lines, through
    /// the payment's provider (Stripe for a card); store staff only. Refused with `CONFLICT`
    /// unless the order is delivered (cancel it before then).
    async fn refund_order_lines(
        &self,
        ctx: &Context<'_>,
        input: RefundOrderLinesInput,
    ) -> Result<Order, ApiError> {
        let staff = store_staff(caller(ctx), "refund an order")?;
        let order_id = parse_id(&input.order_id, "orderId")?;
        let reason = input.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(ApiError::invalid("reason", "must not be empty"));
        }
        if input.lines.is_empty() {
            return Err(ApiError::invalid("lines", "must name at least one line"));
        }
        let mut wanted: Vec<(Uuid, i32)> = Vec::new();
        for (at, line) in input.lines.iter().enumerate() {
            let id = parse_id(&line.line_id, &format!("lines.{at}.lineId"))?;
            if wanted.iter().any(|(seen, _)| *seen == id) {
                return Err(ApiError::invalid(
                    &format!("lines.{at}.lineId"),
                    "names a line already named",
                ));
            }
            wanted.push((id, line.quantity));
        }
        let stripe = ctx.data_unchecked::<Payments>().stripe.as_ref();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let status = sqlx::query_scalar!(
            r#"select status as "status: OrderStatus" from store.orders where id = $1 for update"#,
            order_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("order".into()))?;
        if status != OrderStatus::Delivered {
            return Err(ApiError::Conflict(format!(
                "lines are refunded once the order is delivered, and this one is {}: cancel it instead",
                status.words()
            )));
        }
        let lines = sqlx::query!(
            "select id, quantity, refunded_quantity,
                    unit_price_minor * quantity - discount_minor + tax_minor as \"paid!\"
             from store.order_lines where order_id = $1 and id = any($2)",
            order_id,
            &wanted.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut refunded = Vec::new();
        let mut problems = Vec::new();
        for (at, (id, quantity)) in wanted.iter().enumerate() {
            let Some(line) = lines.iter().find(|line| line.id == *id) else {
                problems.push(FieldError {
                    field: format!("lines.{at}.lineId"),
                    message: "is not a line of this order".into(),
                });
                continue;
            };
            let left = line.quantity - line.refunded_quantity;
            if !(1..=left).contains(quantity) {
                problems.push(FieldError {
                    field: format!("lines.{at}.quantity"),
                    message: match left {
                        0 => "this line is refunded in full already".into(),
                        _ => format!("must be 1 to {left}, the units not yet refunded"),
                    },
                });
                continue;
            }
            refunded.push(RefundedLine {
                line_id: *id,
                quantity: *quantity,
                amount_minor: amount_for(
                    line.paid,
                    line.quantity,
                    line.refunded_quantity,
                    *quantity,
                ),
            });
        }
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let payment = sqlx::query!(
            "select id, intent_id from store.payments
             where order_id = $1 and status = 'succeeded' order by attempt limit 1 for update",
            order_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::Conflict("the order has no payment to refund".into()))?;
        let amount: i64 = refunded.iter().map(|line| line.amount_minor).sum();
        let refund_id = Uuid::now_v7();
        payments::give_back(
            &mut tx,
            stripe,
            payment.id,
            payment.intent_id.as_deref(),
            Some(amount),
            &format!("refund-{refund_id}"),
            &reason,
        )
        .await?;
        sqlx::query!(
            "update store.order_lines l set refunded_quantity = l.refunded_quantity + r.quantity
             from unnest($1::uuid[], $2::int[]) as r(id, quantity) where l.id = r.id",
            &refunded.iter().map(|line| line.line_id).collect::<Vec<_>>(),
            &refunded
                .iter()
                .map(|line| line.quantity)
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into store.refunds
                 (id, order_id, payment_id, amount_minor, reason, lines, refunded_by)
             values ($1, $2, $3, $4, $5, $6, $7)",
            refund_id,
            order_id,
            payment.id,
            amount,
            reason,
            Json(&refunded) as _,
            staff.id,
        )
        .execute(&mut *tx)
        .await?;
        let order = orders::read(&mut tx, order_id)
            .await?
            .ok_or_else(|| ApiError::internal("a refunded order is not there"))?;
        changes::record(
            &mut tx,
            staff.id,
            Action::ORDER_LINES_REFUNDED,
            order_id,
            None,
            Some(&order),
        )
        .await?;
        tx.commit().await?;
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use super::amount_for;

    #[test]
    fn a_line_refunded_a_unit_at_a_time_gives_back_what_it_cost() {
        // Three units for 1000 in all: 333, 333, 334.
        let each: Vec<i64> = (0..3).map(|done| amount_for(1000, 3, done, 1)).collect();
        assert_eq!(each, [333, 333, 334]);
        assert_eq!(amount_for(1000, 3, 0, 3), 1000);
        assert_eq!(amount_for(1000, 3, 1, 2), 667);
    }
}
