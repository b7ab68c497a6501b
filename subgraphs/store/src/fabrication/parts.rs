//! Quoted parts bought as any line is. A customer puts a priced quote of theirs in their cart
//! (`addPartToCart`), naming the makerspace to make it or leaving it to whichever will have it
//! ready first; placing the order turns it into an order part priced as quoted, refused while
//! the quote no longer holds. Checkout, coupons, tax and payment are the order's.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::{self, OrderPartsPaid, PaidPart, QuoteStatus, topics};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::quotes::{self, FabricationQuote, PartMeasures, PrintPlan};
use crate::carts::{self, Cart};
use crate::loaders::Loaders;
use crate::orders::Order;
use crate::stock::Makerspace;

/// A statement reading order parts: the part's columns as `OrderPart` takes them, then `$tail`
/// (`where ...`).
macro_rules! order_part_query {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            OrderPart,
            "select id, order_id, quote_id, file_name, material, colour, infill_percent,
                    quantity, price_minor, tax_rate_basis_points, tax_minor, discount_minor,
                    makerspace_id, refunded_at
             from store.order_parts " + $tail
            $(, $arg)*
        )
    };
}

/// The tax class of a made part.
pub const TAX_CLASS: &str = "standard";

/// A quoted part in a cart.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(complex)]
pub struct CartPart {
    #[graphql(skip)]
    pub quote_id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Option<Uuid>,
    /// The uploaded file's name.
    pub file_name: String,
    pub material: String,
    pub quantity: i32,
    /// The quote's total, for every copy.
    pub price_minor: i64,
    pub currency: String,
    /// Until when the price holds: the order must be placed before.
    pub expires_at: DateTime<Utc>,
}

#[ComplexObject]
impl CartPart {
    async fn quote(&self, ctx: &Context<'_>) -> Result<FabricationQuote, ApiError> {
        quotes::visible(ctx, self.quote_id).await
    }

    /// The makerspace chosen to make it; none: whichever will have it ready first.
    async fn makerspace(&self) -> Option<Makerspace> {
        self.makerspace_id.map(|id| Makerspace {
            id: ID(id.to_string()),
        })
    }
}

/// The parts in `cart`, in the order they were added.
pub async fn in_cart(conn: &mut PgConnection, cart: Uuid) -> Result<Vec<CartPart>, ApiError> {
    Ok(sqlx::query_as!(
        CartPart,
        r#"select p.quote_id, p.makerspace_id, u.file_name, q.material, q.quantity,
                  q.total_minor as "price_minor!", q.currency as "currency!",
                  q.expires_at as "expires_at!"
           from store.cart_parts p
           join store.fabrication_quotes q on q.id = p.quote_id
           join store.part_uploads u on u.id = q.upload_id
           where p.cart_id = $1 order by p.created_at, p.quote_id"#,
        cart
    )
    .fetch_all(conn)
    .await?)
}

/// The parts in `cart` as an order takes them: refused whole when a quote no longer holds.
pub async fn to_order(
    conn: &mut PgConnection,
    cart: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<CartPart>, ApiError> {
    let parts = in_cart(conn, cart).await?;
    if let Some(lapsed) = parts.iter().find(|part| part.expires_at <= now) {
        return Err(ApiError::Conflict(format!(
            "the quote for {} expired on {}: ask for a new quote and put it in the cart",
            lapsed.file_name,
            lapsed.expires_at.format("%Y-%m-%d %H:%M UTC")
        )));
    }
    Ok(parts)
}

/// What an order's parts cost, each with its tax rate and tax and its share of the discount.
pub struct PartCharges<'a> {
    pub rates: &'a [i32],
    pub taxes: &'a [i64],
    pub discounts: &'a [i64],
}

/// Writes `parts` as order `order`'s, charged as `charges` says.
pub async fn place(
    tx: &mut PgConnection,
    order: Uuid,
    parts: &[CartPart],
    charges: PartCharges<'_>,
) -> Result<(), ApiError> {
    if parts.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = parts.iter().map(|_| Uuid::now_v7()).collect();
    let quotes: Vec<Uuid> = parts.iter().map(|part| part.quote_id).collect();
    let makerspaces: Vec<Option<Uuid>> = parts.iter().map(|part| part.makerspace_id).collect();
    sqlx::query!(
        r#"insert into store.order_parts
               (id, order_id, quote_id, file_name, material, colour, infill_percent, quantity,
                price_minor, tax_rate_basis_points, tax_minor, discount_minor, makerspace_id,
                position)
           select part.id, $2, q.id, u.file_name, q.material, q.colour, q.infill_percent,
                  q.quantity, q.total_minor, part.rate, part.tax, part.discount, part.makerspace,
                  part.position
           from unnest($1::uuid[], $3::uuid[], $4::int[], $5::bigint[], $6::bigint[],
                       $7::uuid[])
                with ordinality as part(id, quote, rate, tax, discount, makerspace, position)
           join store.fabrication_quotes q on q.id = part.quote
           join store.part_uploads u on u.id = q.upload_id"#,
        &ids,
        order,
        &quotes,
        charges.rates,
        charges.taxes,
        charges.discounts,
        &makerspaces as &[Option<Uuid>],
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Announces the parts of paid `order` (`store.order.parts_paid`), for a makerspace to make
/// each; an order without parts announces nothing.
pub async fn announce_paid(tx: &mut PgConnection, order: &Order) -> Result<(), ApiError> {
    let rows = sqlx::query!(
        r#"select p.id, p.quote_id, q.upload_id, p.file_name, p.material, p.colour,
                  p.infill_percent, p.quantity, p.makerspace_id,
                  q.print as "print: Json<PrintPlan>",
                  q.measures as "measures: Json<PartMeasures>"
           from store.order_parts p join store.fabrication_quotes q on q.id = p.quote_id
           where p.order_id = $1 order by p.position"#,
        order.id
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let parts = rows
        .into_iter()
        .map(|row| {
            let (Some(print), Some(measures)) = (row.print, row.measures) else {
                return Err(ApiError::internal(format_args!(
                    "the ordered part {} has an unpriced quote",
                    row.id
                )));
            };
            Ok(PaidPart {
                id: row.id,
                quote_id: row.quote_id,
                upload_id: row.upload_id,
                file_name: row.file_name,
                material: row.material,
                colour: row.colour,
                infill_percent: row.infill_percent,
                quantity: row.quantity,
                process: print.process,
                print_seconds: print.print_seconds,
                material_grams: print.material_grams,
                bbox_mm: measures.0.bbox_mm,
                makerspace_id: row.makerspace_id,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let paid = OrderPartsPaid {
        order_id: order.id,
        number: order.number,
        customer_id: order.customer_id,
        parts,
    };
    outbox::publish(tx, topics::ORDER_PARTS_PAID, &paid).await?;
    Ok(())
}

/// A part as ordered: what its quote said when the order was placed.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct OrderPart {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub order_id: Uuid,
    #[graphql(skip)]
    pub quote_id: Uuid,
    pub file_name: String,
    pub material: String,
    pub colour: Option<String>,
    pub infill_percent: i32,
    pub quantity: i32,
    /// The quote's total, for every copy.
    pub price_minor: i64,
    pub tax_rate_basis_points: i32,
    pub tax_minor: i64,
    /// Its share of the order's coupon.
    pub discount_minor: i64,
    #[graphql(skip)]
    pub makerspace_id: Option<Uuid>,
    /// When its price was given back, as no makerspace would make it.
    pub refunded_at: Option<DateTime<Utc>>,
}

#[ComplexObject]
impl OrderPart {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The makerspace the customer chose to make it; none: whichever will have it ready first.
    async fn makerspace(&self) -> Option<Makerspace> {
        self.makerspace_id.map(|id| Makerspace {
            id: ID(id.to_string()),
        })
    }
}

/// Loads orders' parts, in the order they were put in the cart.
pub struct PartsByOrder(pub PgPool);

impl Loader<Uuid> for PartsByOrder {
    type Value = Vec<OrderPart>;
    type Error = ApiError;

    async fn load(&self, orders: &[Uuid]) -> Result<HashMap<Uuid, Vec<OrderPart>>, ApiError> {
        let parts = order_part_query!("where order_id = any($1) order by position", orders)
            .fetch_all(&self.0)
            .await?;
        Ok(group_by(parts, |part| part.order_id))
    }
}

/// The parts of `order`, whose visibility the caller has checked.
pub async fn of_order(ctx: &Context<'_>, order: Uuid) -> Result<Vec<OrderPart>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .order_parts
        .load_one(order)
        .await?
        .unwrap_or_default())
}

#[derive(Default)]
pub struct PartQuery;

#[Object]
impl PartQuery {
    /// An order part by its key, for the router: for whoever may see its order (its customer,
    /// store staff), as `order`.
    #[graphql(entity)]
    async fn find_order_part_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<OrderPart, ApiError> {
        let caller = caller(ctx);
        order_part_query!(
            "where id = $1 and store.may_see_order(order_id, $2, $3)",
            parse_id(&id, "id")?,
            caller.user_id(),
            caller.is_store_staff()
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?
        .ok_or_else(|| ApiError::NotFound("order part".into()))
    }
}

#[derive(InputObject)]
pub struct AddPartToCartInput {
    /// A priced quote of the caller's (`READY`), before it expires.
    pub quote_id: ID,
    /// The makerspace to make it, among the quote's `offers`; none: whichever will have it
    /// ready first when the order is paid.
    pub makerspace_id: Option<ID>,
}

#[derive(InputObject)]
pub struct RemovePartFromCartInput {
    pub quote_id: ID,
}

#[derive(Default)]
pub struct PartMutation;

#[Object(guard = "SignedIn")]
impl PartMutation {
    /// Puts a priced quote of the signed-in customer's in their cart, to be made by the
    /// makerspace named (again: changes the makerspace). Refused with `CONFLICT` when the quote
    /// is not priced, has expired, or is in another currency than the cart.
    async fn add_part_to_cart(
        &self,
        ctx: &Context<'_>,
        input: AddPartToCartInput,
    ) -> Result<Cart, ApiError> {
        let quote_id = parse_id(&input.quote_id, "quoteId")?;
        let makerspace = input
            .makerspace_id
            .map(|id| parse_id(&id, "makerspaceId"))
            .transpose()?;
        let quote = quotes::visible(ctx, quote_id).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let (Some(price), Some(expires_at)) = (&quote.price, quote.expires_at) else {
            return Err(ApiError::Conflict(format!(
                "the quote is {}: only a priced quote can be ordered",
                status_words(quote.status)
            )));
        };
        if expires_at <= now {
            return Err(ApiError::Conflict(format!(
                "the quote expired on {}: ask for a new one",
                expires_at.format("%Y-%m-%d %H:%M UTC")
            )));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let cart = carts::open_for(&mut tx, ctx, true)
            .await?
            .ok_or_else(|| ApiError::internal("a cart was made but is not there"))?;
        let other = sqlx::query_scalar!(
            "select store.other_currency_in_cart($1, $2)",
            cart,
            price.currency
        )
        .fetch_one(&mut *tx)
        .await?;
        if let Some(other) = other {
            return Err(ApiError::Conflict(format!(
                "your cart is priced in {other} and this part in {}: check out one currency at a time",
                price.currency
            )));
        }
        sqlx::query!(
            "insert into store.cart_parts (cart_id, quote_id, makerspace_id) values ($1, $2, $3)
             on conflict (cart_id, quote_id) do update
             set makerspace_id = excluded.makerspace_id, updated_at = now()",
            cart,
            quote_id,
            makerspace
        )
        .execute(&mut *tx)
        .await?;
        let cart = Cart::read(&mut tx, Some(cart), now).await?;
        tx.commit().await?;
        Ok(cart)
    }

    /// Takes a part out of the signed-in customer's cart.
    async fn remove_part_from_cart(
        &self,
        ctx: &Context<'_>,
        input: RemovePartFromCartInput,
    ) -> Result<Cart, ApiError> {
        let quote_id = parse_id(&input.quote_id, "quoteId")?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let cart = carts::open_for(&mut tx, ctx, false).await?;
        if let Some(cart) = cart {
            sqlx::query!(
                "delete from store.cart_parts where cart_id = $1 and quote_id = $2",
                cart,
                quote_id
            )
            .execute(&mut *tx)
            .await?;
        }
        let cart = Cart::read(&mut tx, cart, now).await?;
        tx.commit().await?;
        Ok(cart)
    }
}

/// A quote's status for people: `too big`.
fn status_words(status: QuoteStatus) -> &'static str {
    match status {
        QuoteStatus::Queued => "queued",
        QuoteStatus::Quoting => "being made",
        QuoteStatus::Ready => "ready",
        QuoteStatus::TooBig => "for a part too big for every machine",
        QuoteStatus::Failed => "failed",
    }
}
