//! Coupons: codes that take a percentage or a fixed amount off an order's goods. Store staff
//! make them, valid between two dates, for so many orders in all and per customer; a customer
//! puts one on their cart, which shows what it takes off; placing the order redeems it under the
//! coupon's row lock, so its limits hold however many customers check out at once. Whether a
//! coupon applies, and how much it takes, is `Coupon::discount`, which every caller asks.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::paging::{Cursor, connection, page_size};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::policy::store_staff;

/// A coupon as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Coupon {
    pub id: Uuid,
    pub code: String,
    pub description: String,
    pub percent_off: Option<i32>,
    pub amount_off_minor: Option<i64>,
    pub currency: Option<String>,
    pub min_subtotal_minor: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub max_uses: Option<i32>,
    pub max_uses_per_customer: Option<i32>,
    pub uses: i32,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Coupon {
    /// What the coupon takes off goods worth `subtotal` in `currency` at `now`, or why it does
    /// not apply ("has expired").
    pub fn discount(
        &self,
        subtotal: i64,
        currency: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, String> {
        if !self.active {
            return Err("is no longer offered".into());
        }
        if self.starts_at.is_some_and(|starts| now < starts) {
            return Err("is not valid yet".into());
        }
        if self.ends_at.is_some_and(|ends| now >= ends) {
            return Err("has expired".into());
        }
        if self.max_uses.is_some_and(|max| self.uses >= max) {
            return Err("has been used up".into());
        }
        if let Some(only) = &self.currency
            && only != currency
        {
            return Err(format!("is for orders in {only}"));
        }
        if subtotal < self.min_subtotal_minor {
            return Err(format!(
                "needs goods worth at least {} in minor units of {currency}",
                self.min_subtotal_minor
            ));
        }
        Ok(match (self.percent_off, self.amount_off_minor) {
            (Some(percent), _) => subtotal * i64::from(percent) / 100,
            (None, Some(amount)) => amount.min(subtotal),
            (None, None) => 0,
        })
    }

    /// The refusal of an order or a cart for the reason `why`.
    pub fn refusal(&self, why: &str) -> ApiError {
        ApiError::Conflict(format!("the coupon {} {why}", self.code))
    }

    /// The coupon on `cart`, if any, locked for the rest of the transaction when `lock`.
    pub async fn on_cart(
        conn: &mut PgConnection,
        cart: Uuid,
        lock: bool,
    ) -> Result<Option<Self>, ApiError> {
        let coupon = if lock {
            sqlx::query_as!(
                Coupon,
                "select c.* from store.carts k join store.coupons c on c.id = k.coupon_id
                 where k.id = $1 for update of c",
                cart
            )
            .fetch_optional(conn)
            .await?
        } else {
            sqlx::query_as!(
                Coupon,
                "select c.* from store.carts k join store.coupons c on c.id = k.coupon_id
                 where k.id = $1",
                cart
            )
            .fetch_optional(conn)
            .await?
        };
        Ok(coupon)
    }

    async fn locked(conn: &mut PgConnection, id: Uuid) -> Result<Option<Self>, ApiError> {
        Ok(sqlx::query_as!(
            Coupon,
            "select * from store.coupons where id = $1 for update",
            id
        )
        .fetch_optional(conn)
        .await?)
    }

    /// Takes one use of the coupon, locked by the caller (`on_cart`), for an order of
    /// `customer`, or says why it cannot: its rules asked, then its use counted.
    pub async fn redeem(
        &self,
        tx: &mut PgConnection,
        customer: Uuid,
        subtotal: i64,
        currency: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, ApiError> {
        let discount = self
            .discount(subtotal, currency, now)
            .map_err(|why| self.refusal(&why))?;
        if let Some(most) = self.max_uses_per_customer {
            let used = sqlx::query_scalar!(
                r#"select count(*) as "used!" from store.orders
                   where coupon_id = $1 and customer_id = $2 and status <> 'cancelled'"#,
                self.id,
                customer
            )
            .fetch_one(&mut *tx)
            .await?;
            if used >= i64::from(most) {
                return Err(self.refusal(&format!(
                    "can be used {most} time{} per customer, and you have",
                    if most == 1 { "" } else { "s" }
                )));
            }
        }
        sqlx::query!(
            "update store.coupons set uses = uses + 1 where id = $1",
            self.id
        )
        .execute(&mut *tx)
        .await?;
        Ok(discount)
    }
}

/// Spreads `discount` over lines worth `totals`, in proportion, in whole minor units: each
/// line's share is at most its total, and the shares add up to the discount (which is at most
/// the sum of the totals).
pub fn spread(discount: i64, totals: &[i64]) -> Vec<i64> {
    let sum: i64 = totals.iter().sum();
    if sum == 0 {
        return vec![0; totals.len()];
    }
    let exact: Vec<i128> = totals
        .iter()
        .map(|total| i128::from(discount) * i128::from(*total))
        .collect();
    let mut shares: Vec<i64> = exact
        .iter()
        .map(|share| (share / i128::from(sum)) as i64)
        .collect();
    // What the floors left over goes, a unit each, to the lines with the largest remainders.
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by_key(|&at| std::cmp::Reverse(exact[at] % i128::from(sum)));
    let mut left = discount - shares.iter().sum::<i64>();
    for at in order.into_iter().cycle().take(totals.len() * 2) {
        if left == 0 {
            break;
        }
        if shares[at] < totals[at] {
            shares[at] += 1;
            left -= 1;
        }
    }
    shares
}

/// A coupon, as store staff manage it.
#[Object]
impl Coupon {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// What customers type, in capitals (they may type it in any case).
    async fn code(&self) -> &str {
        &self.code
    }

    /// What customers are told it gives.
    async fn description(&self) -> &str {
        &self.description
    }

    /// The percentage of the goods it takes off, or null for an amount off.
    async fn percent_off(&self) -> Option<i32> {
        self.percent_off
    }

    /// The amount it takes off, in `currency`, or null for a percentage.
    async fn amount_off_minor(&self) -> Option<i64> {
        self.amount_off_minor
    }

    /// Orders in this currency only; null for any.
    async fn currency(&self) -> Option<&str> {
        self.currency.as_deref()
    }

    /// The goods' subtotal an order needs for it, in `currency`.
    async fn min_subtotal_minor(&self) -> i64 {
        self.min_subtotal_minor
    }

    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.starts_at
    }

    /// When it stops applying (that instant excluded).
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.ends_at
    }

    /// For how many orders in all; null for no limit.
    async fn max_uses(&self) -> Option<i32> {
        self.max_uses
    }

    /// For how many orders of one customer; null for no limit.
    async fn max_uses_per_customer(&self) -> Option<i32> {
        self.max_uses_per_customer
    }

    /// Orders that hold it now: placed and not cancelled.
    async fn uses(&self) -> i32 {
        self.uses
    }

    /// Whether it is offered; a coupon is switched off rather than deleted.
    async fn active(&self) -> bool {
        self.active
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// A coupon on a cart, as its customer sees it.
pub struct AppliedCoupon {
    pub coupon: Coupon,
    /// Why it does not apply to the cart as it stands, if it does not.
    pub problem: Option<String>,
}

/// A coupon on a cart, as its customer sees it.
#[Object]
impl AppliedCoupon {
    async fn code(&self) -> &str {
        &self.coupon.code
    }

    async fn description(&self) -> &str {
        &self.coupon.description
    }

    /// Why it does not apply to the cart as it stands ("has expired"); null while it does.
    async fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

#[derive(Default)]
pub struct CouponQuery;

#[Object]
impl CouponQuery {
    /// Every coupon, newest first; store staff only.
    async fn coupons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Coupon>, ApiError> {
        store_staff(caller(ctx), "see the coupons")?;
        let first = page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let page = sqlx::query_as!(
            Coupon,
            "select * from store.coupons
             where $1::timestamptz is null or (created_at, id) < ($1, $2)
             order by created_at desc, id desc limit $3",
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(connection(page, first, after, |coupon| Cursor {
            at: coupon.created_at,
            id: coupon.id,
        }))
    }
}

#[derive(InputObject)]
pub struct CreateCouponInput {
    /// 3 to 32 letters, digits, `-` or `_`; kept in capitals.
    pub code: String,
    #[graphql(default)]
    pub description: String,
    /// A percentage of the goods, 1 to 100; or else `amountOffMinor`.
    pub percent_off: Option<i32>,
    /// An amount off, in `currency`; or else `percentOff`.
    pub amount_off_minor: Option<i64>,
    /// Orders in this currency only; needed with `amountOffMinor` or `minSubtotalMinor`.
    pub currency: Option<String>,
    #[graphql(default)]
    pub min_subtotal_minor: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub max_uses: Option<i32>,
    pub max_uses_per_customer: Option<i32>,
}

#[derive(InputObject)]
pub struct SetCouponActiveInput {
    pub coupon_id: ID,
    pub active: bool,
}

#[derive(Default)]
pub struct CouponMutation;

#[Object(guard = "SignedIn")]
impl CouponMutation {
    /// Makes a coupon; store staff only. Refused with `CONFLICT` when its code is taken.
    async fn create_coupon(
        &self,
        ctx: &Context<'_>,
        input: CreateCouponInput,
    ) -> Result<Coupon, ApiError> {
        let staff = store_staff(caller(ctx), "make coupons")?;
        let code = input.code.trim().to_ascii_uppercase();
        let well_formed = (3..=32).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_alphanumeric())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if !well_formed {
            return Err(ApiError::invalid(
                "code",
                "must be 3 to 32 letters, digits, `-` or `_`, starting with a letter or digit",
            ));
        }
        let currency = input
            .currency
            .map(|currency| crate::products::currency("currency", &currency))
            .transpose()?;
        match (input.percent_off, input.amount_off_minor) {
            (Some(percent), None) if (1..=100).contains(&percent) => {}
            (Some(_), None) => return Err(ApiError::invalid("percentOff", "must be 1 to 100")),
            (None, Some(amount)) if amount > 0 => {}
            (None, Some(_)) => {
                return Err(ApiError::invalid("amountOffMinor", "must be more than 0"));
            }
            _ => {
                return Err(ApiError::invalid(
                    "percentOff",
                    "give either percentOff or amountOffMinor",
                ));
            }
        }
        if currency.is_none() && (input.amount_off_minor.is_some() || input.min_subtotal_minor > 0)
        {
            return Err(ApiError::invalid(
                "currency",
                "is needed for an amount off or a minimum subtotal",
            ));
        }
        if input.min_subtotal_minor < 0 {
            return Err(ApiError::invalid(
                "minSubtotalMinor",
                "must not be negative",
            ));
        }
        if let (Some(starts), Some(ends)) = (input.starts_at, input.ends_at)
            && starts >= ends
        {
            return Err(ApiError::invalid("endsAt", "must be after startsAt"));
        }
        for (field, limit) in [
            ("maxUses", input.max_uses),
            ("maxUsesPerCustomer", input.max_uses_per_customer),
        ] {
            if limit.is_some_and(|limit| limit < 1) {
                return Err(ApiError::invalid(field, "must be 1 or more"));
            }
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let coupon = sqlx::query_as!(
            Coupon,
            "insert into store.coupons
                 (id, code, description, percent_off, amount_off_minor, currency,
                  min_subtotal_minor, starts_at, ends_at, max_uses, max_uses_per_customer)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             on conflict (code) do nothing
             returning *",
            Uuid::now_v7(),
            code,
            input.description.trim(),
            input.percent_off,
            input.amount_off_minor,
            currency,
            input.min_subtotal_minor,
            input.starts_at,
            input.ends_at,
            input.max_uses,
            input.max_uses_per_customer,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::Conflict(format!("there is already a coupon {code}")))?;
        changes::record(
            &mut tx,
            staff.id,
            Action::COUPON_CREATED,
            coupon.id,
            None,
            Some(&coupon),
        )
        .await?;
        tx.commit().await?;
        Ok(coupon)
    }

    /// Offers a coupon again, or stops offering it (carts that hold it show why it no longer
    /// applies); store staff only.
    async fn set_coupon_active(
        &self,
        ctx: &Context<'_>,
        input: SetCouponActiveInput,
    ) -> Result<Coupon, ApiError> {
        let staff = store_staff(caller(ctx), "change coupons")?;
        let id = parse_id(&input.coupon_id, "couponId")?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = Coupon::locked(&mut tx, id)
            .await?
            .ok_or_else(|| ApiError::NotFound("coupon".into()))?;
        let after = sqlx::query_as!(
            Coupon,
            "update store.coupons set active = $2, updated_at = $3 where id = $1 returning *",
            id,
            input.active,
            ctx.data_unchecked::<Clock>().now(),
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            staff.id,
            Action::COUPON_UPDATED,
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The coupon with `code` (in any case), for a customer to put on their cart.
pub async fn by_code(conn: &mut PgConnection, code: &str) -> Result<Coupon, ApiError> {
    sqlx::query_as!(
        Coupon,
        "select * from store.coupons where code = upper(trim($1))",
        code
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::invalid("code", "is not a coupon of this store"))
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn a_discount_spreads_in_proportion_and_adds_up() {
        assert_eq!(spread(300, &[1000, 2000]), [100, 200]);
        assert_eq!(spread(3, &[1, 1, 1]), [1, 1, 1]);
        assert_eq!(spread(10, &[333, 333, 334]), [3, 3, 4]);
        assert_eq!(spread(2, &[1, 1000]), [0, 2]);
        assert_eq!(spread(0, &[5, 5]), [0, 0]);
        assert_eq!(spread(7, &[0, 0]), [0, 0]);
        for (discount, totals) in [(999, vec![7, 13, 1000]), (1020, vec![1, 19, 1000])] {
            let shares = spread(discount, &totals);
            assert_eq!(shares.iter().sum::<i64>(), discount, "{shares:?}");
            assert!(
                shares
                    .iter()
                    .zip(&totals)
                    .all(|(share, total)| share <= total)
            );
        }
    }
}
