//! Orders: a customer's cart placed, priced, taxed, and its units allocated to them. Placing an
//! order turns the cart's holds into allocations in one transaction that locks the stock rows
//! in key order; when any line is short the whole order is refused, naming the lines. An order
//! then moves only along its life (`store.order_may_become`); each move is audited and
//! announced, and releases or sends its allocated stock as the move means.

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::dataloader::Loader;
use async_graphql::resolver_utils::EnumType;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::{self, DeliveredLine, OrderDelivered, OrderStatus, topics};
use makrx_service::paging::{Cursor, connection, page_size};
use makrx_service::{ApiError, Clock, parse_id};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::carts;
use crate::changes::{self, Action};
use crate::coupons::{self, Coupon};
use crate::fabrication::parts::{self, OrderPart, PartCharges};
use crate::loaders::Loaders;
use crate::payments::{self, Payment, PaymentProvider, Payments};
use crate::policy::store_staff;
use crate::products::ProductVariant;
use crate::refunds::Refund;
use crate::stock::{Makerspace, StockLocation};
use crate::stripe::Stripe;

/// How an order reaches the customer.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Shipping,
    /// Collected at a makerspace.
    Pickup,
}

impl Delivery {
    /// Its name in the database.
    fn name(self) -> &'static str {
        match self {
            Self::Shipping => "shipping",
            Self::Pickup => "pickup",
        }
    }
}

/// Where a shipped order goes.
#[derive(Clone, Debug, Serialize, Deserialize, SimpleObject, InputObject)]
#[graphql(input_name = "AddressInput")]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    /// ISO 3166-2 subdivision, e.g. `IN-KA`; taxes follow it where the table has a rate.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `IN`.
    pub country: String,
}

impl Address {
    /// The address with every part trimmed and checked, codes in capitals.
    fn checked(self) -> Result<Self, ApiError> {
        let required =
            |field: &str, text: String| crate::categories::name(&format!("shipTo.{field}"), &text);
        let country = self.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ApiError::invalid(
                "shipTo.country",
                "must be a two-letter ISO 3166-1 code, like `IN`",
            ));
        }
        let region = self
            .region
            .map(|region| region.trim().to_ascii_uppercase())
            .filter(|region| !region.is_empty());
        if let Some(region) = &region
            && !region.starts_with(&format!("{country}-"))
        {
            return Err(ApiError::invalid(
                "shipTo.region",
                format!("must be an ISO 3166-2 code of {country}, like `{country}-KA`"),
            ));
        }
        Ok(Self {
            name: required("name", self.name)?,
            line1: required("line1", self.line1)?,
            line2: self
                .line2
                .map(|line| line.trim().to_owned())
                .filter(|line| !line.is_empty()),
            city: required("city", self.city)?,
            postal_code: required("postalCode", self.postal_code)?,
            region,
            country,
        })
    }

    /// The tax region: the subdivision if given, else the country.
    fn tax_region(&self) -> String {
        self.region.clone().unwrap_or_else(|| self.country.clone())
    }
}

/// An order as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Order {
    pub id: Uuid,
    pub number: i64,
    pub customer_id: Uuid,
    pub status: OrderStatus,
    pub currency: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub coupon_code: Option<String>,
    pub shipping_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub delivery: Delivery,
    pub pickup_location_id: Option<Uuid>,
    pub ship_to: Option<serde_json::Value>,
    pub for_makerspace_id: Option<Uuid>,
    pub payment_provider: PaymentProvider,
    pub pay_by: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A customer's order.
#[Object]
impl Order {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The order's number, for people (on the phone, on the parcel).
    async fn number(&self) -> i64 {
        self.number
    }

    async fn status(&self) -> OrderStatus {
        self.status
    }

    /// ISO 4217 code of every amount of the order.
    async fn currency(&self) -> &str {
        &self.currency
    }

    /// The lines at the prices the customer ordered at, before shipping and tax.
    async fn subtotal_minor(&self) -> i64 {
        self.subtotal_minor
    }

    /// What its coupon took off the goods.
    async fn discount_minor(&self) -> i64 {
        self.discount_minor
    }

    /// The coupon it was placed with.
    async fn coupon_code(&self) -> Option<&str> {
        self.coupon_code.as_deref()
    }

    async fn shipping_minor(&self) -> i64 {
        self.shipping_minor
    }

    async fn tax_minor(&self) -> i64 {
        self.tax_minor
    }

    /// What the customer pays: subtotal less discount, shipping and tax.
    async fn total_minor(&self) -> i64 {
        self.total_minor
    }

    async fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// The makerspace it is bought for, whose stock receives it once delivered.
    async fn for_makerspace(&self) -> Option<Makerspace> {
        self.for_makerspace_id.map(|id| Makerspace {
            id: ID(id.to_string()),
        })
    }

    /// Where the customer collects it, for pickup.
    async fn pickup_location(&self, ctx: &Context<'_>) -> Result<Option<StockLocation>, ApiError> {
        match self.pickup_location_id {
            Some(id) => Ok(ctx
                .data_unchecked::<Loaders>()
                .locations
                .load_one(id)
                .await?),
            None => Ok(None),
        }
    }

    /// Where it is shipped, for shipping.
    async fn ship_to(&self) -> Option<Address> {
        self.ship_to
            .clone()
            .and_then(|address| serde_json::from_value(address).ok())
    }

    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<OrderLine>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .order_lines
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// The parts it has made, priced as quoted.
    async fn parts(&self, ctx: &Context<'_>) -> Result<Vec<OrderPart>, ApiError> {
        parts::of_order(ctx, self.id).await
    }

    /// How the customer pays (or chose to pay) for it.
    async fn payment_provider(&self) -> PaymentProvider {
        self.payment_provider
    }

    /// Until when an order waiting for a card payment keeps its units; after it the store
    /// cancels the order. Null for payment by hand, which staff confirm or call off.
    async fn pay_by(&self) -> Option<DateTime<Utc>> {
        self.pay_by
    }

    /// The attempts to pay for it, oldest first.
    async fn payments(&self, ctx: &Context<'_>) -> Result<Vec<Payment>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .payments
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// Money given back for some of its lines, oldest first.
    async fn refunds(&self, ctx: &Context<'_>) -> Result<Vec<Refund>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .refunds
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// The statuses store staff may move it to now (`setOrderStatus`), as its life allows;
    /// empty for anyone else.
    async fn next_statuses(&self, ctx: &Context<'_>) -> Result<Vec<OrderStatus>, ApiError> {
        if !caller(ctx).is_store_staff() {
            return Ok(Vec::new());
        }
        self.moves(ctx).await
    }

    /// Whether the caller may call it off now (`cancelOrder`).
    async fn cancellable(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        if caller(ctx).is_store_staff() {
            Ok(self.moves(ctx).await?.contains(&OrderStatus::Cancelled))
        } else {
            Ok(customer_may_cancel(self.status))
        }
    }

    /// When it was placed.
    async fn placed_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When its status last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

impl Order {
    /// Where its life allows it to go from here.
    async fn moves(&self, ctx: &Context<'_>) -> Result<Vec<OrderStatus>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .next_statuses
            .load_one((self.status, self.delivery))
            .await?
            .unwrap_or_default())
    }
}

/// Whether a customer may call off their own order that is `status`: until it is picked.
fn customer_may_cancel(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::PendingPayment | OrderStatus::Paid)
}

/// Loads where orders may go next, by status and delivery, as `store.order_may_become` says.
pub struct NextStatuses(pub PgPool);

impl Loader<(OrderStatus, Delivery)> for NextStatuses {
    type Value = Vec<OrderStatus>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(OrderStatus, Delivery)],
    ) -> Result<HashMap<(OrderStatus, Delivery), Vec<OrderStatus>>, ApiError> {
        let (statuses, deliveries): (Vec<&str>, Vec<&str>) = keys
            .iter()
            .map(|(status, delivery)| (status.name(), delivery.name()))
            .unzip();
        let every: Vec<&str> = OrderStatus::items()
            .iter()
            .map(|item| item.value.name())
            .collect();
        let rows = sqlx::query!(
            r#"select k.status as "status!: OrderStatus", k.delivery as "delivery!: Delivery",
                      n.next as "next!: OrderStatus"
               from unnest($1::text[], $2::text[]) as k(status, delivery)
               cross join unnest($3::text[]) with ordinality as n(next, position)
               where store.order_may_become(k.status, n.next, k.delivery)
               order by n.position"#,
            &statuses as &[&str],
            &deliveries as &[&str],
            &every as &[&str]
        )
        .fetch_all(&self.0)
        .await?;
        let mut moves: HashMap<(OrderStatus, Delivery), Vec<OrderStatus>> = HashMap::new();
        for row in rows {
            moves
                .entry((row.status, row.delivery))
                .or_default()
                .push(row.next);
        }
        Ok(moves)
    }
}

/// A line of an order, as the customer ordered it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct OrderLine {
    pub id: Uuid,
    pub order_id: Uuid,
    pub variant_id: Uuid,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub unit_price_minor: i64,
    pub discount_minor: i64,
    pub tax_rate_basis_points: i32,
    pub tax_minor: i64,
    pub refunded_quantity: i32,
}

/// A line of an order, as the customer ordered it.
#[Object]
impl OrderLine {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The variant as it is now; `sku` and `name` say what it was.
    async fn variant(&self, ctx: &Context<'_>) -> Result<Option<ProductVariant>, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .variants
            .load_one(self.variant_id)
            .await
    }

    async fn sku(&self) -> &str {
        &self.sku
    }

    async fn name(&self) -> &str {
        &self.name
    }

    async fn quantity(&self) -> i32 {
        self.quantity
    }

    async fn unit_price_minor(&self) -> i64 {
        self.unit_price_minor
    }

    /// Quantity times the unit price, before tax.
    async fn line_total_minor(&self) -> i64 {
        self.unit_price_minor * i64::from(self.quantity)
    }

    /// Its share of the coupon's discount.
    async fn discount_minor(&self) -> i64 {
        self.discount_minor
    }

    /// The tax rate applied, in basis points (1800 = 18 %), to its total less its discount.
    async fn tax_rate_basis_points(&self) -> i32 {
        self.tax_rate_basis_points
    }

    async fn tax_minor(&self) -> i64 {
        self.tax_minor
    }

    /// How many of its units were refunded.
    async fn refunded_quantity(&self) -> i32 {
        self.refunded_quantity
    }
}

/// Loads the lines of orders, in order.
pub struct LinesByOrder(pub PgPool);

impl Loader<Uuid> for LinesByOrder {
    type Value = Vec<OrderLine>;
    type Error = ApiError;

    async fn load(&self, orders: &[Uuid]) -> Result<HashMap<Uuid, Vec<OrderLine>>, ApiError> {
        let rows = sqlx::query_as!(
            OrderLine,
            "select id, order_id, variant_id, sku, name, quantity, unit_price_minor,
                    discount_minor, tax_rate_basis_points, tax_minor, refunded_quantity
             from store.order_lines where order_id = any($1) order by position",
            orders
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.order_id))
    }
}

/// The order `id` as the caller may see it: their own, or any for store staff.
async fn visible_order(ctx: &Context<'_>, id: Uuid) -> Result<Order, ApiError> {
    let mut conn = ctx.data_unchecked::<PgPool>().acquire().await?;
    let visible = sqlx::query_scalar!(
        r#"select store.may_see_order($1, $2, $3) as "visible!""#,
        id,
        caller(ctx).user_id(),
        caller(ctx).is_store_staff(),
    )
    .fetch_one(&mut *conn)
    .await?;
    let order = if visible {
        read(&mut conn, id).await?
    } else {
        None
    };
    order.ok_or_else(|| ApiError::NotFound("order".into()))
}

/// The order `id`.
pub async fn read(conn: &mut PgConnection, id: Uuid) -> Result<Option<Order>, ApiError> {
    Ok(sqlx::query_as!(
        Order,
        r#"select id, number, customer_id, status as "status: OrderStatus", currency,
                  subtotal_minor, discount_minor, coupon_code, shipping_minor, tax_minor,
                  total_minor,
                  delivery as "delivery: Delivery", pickup_location_id, ship_to, for_makerspace_id,
                  payment_provider as "payment_provider: PaymentProvider", pay_by, created_at,
                  updated_at
           from store.orders where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

/// A page of orders, newest first: a customer's, or any for staff, in a status if given.
async fn page_of_orders(
    ctx: &Context<'_>,
    customer: Option<Uuid>,
    status: Option<OrderStatus>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<String, Order>, ApiError> {
    let first = page_size(first)?;
    let after = Cursor::parse_after(after.as_deref())?;
    let page = sqlx::query_as!(
        Order,
        r#"select id, number, customer_id, status as "status: OrderStatus", currency,
                  subtotal_minor, discount_minor, coupon_code, shipping_minor, tax_minor,
                  total_minor,
                  delivery as "delivery: Delivery", pickup_location_id, ship_to, for_makerspace_id,
                  payment_provider as "payment_provider: PaymentProvider", pay_by, created_at,
                  updated_at
           from store.orders
           where ($1::uuid is null or customer_id = $1)
             and ($2::text is null or status = $2)
             and ($3::timestamptz is null or (created_at, id) < ($3, $4))
           order by created_at desc, id desc limit $5"#,
        customer,
        status.map(OrderStatus::name),
        after.map(|cursor| cursor.at),
        after.map(|cursor| cursor.id),
        first as i64 + 1,
    )
    .fetch_all(ctx.data_unchecked::<PgPool>())
    .await?;
    Ok(connection(page, first, after, |order| Cursor {
        at: order.created_at,
        id: order.id,
    }))
}

#[derive(Default)]
pub struct OrderQuery;

#[Object]
impl OrderQuery {
    /// The signed-in customer's orders, newest first.
    async fn my_orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Order>, ApiError> {
        let customer = caller(ctx).user()?.id;
        page_of_orders(ctx, Some(customer), None, first, after).await
    }

    /// Every customer's orders, newest first, in one status if given; store staff only.
    async fn orders(
        &self,
        ctx: &Context<'_>,
        status: Option<OrderStatus>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Order>, ApiError> {
        store_staff(caller(ctx), "see every order")?;
        page_of_orders(ctx, None, status, first, after).await
    }

    /// An order: the caller's own, or any for store staff.
    async fn order(&self, ctx: &Context<'_>, id: ID) -> Result<Order, ApiError> {
        caller(ctx).user()?;
        visible_order(ctx, parse_id(&id, "id")?).await
    }
}

#[derive(InputObject)]
pub struct PlaceOrderInput {
    pub delivery: Delivery,
    /// Where to collect it, for pickup: a makerspace's stock location.
    pub pickup_location_id: Option<ID>,
    /// Where to send it, for shipping.
    pub ship_to: Option<Address>,
    /// The makerspace it is bought for: once delivered, MakrCave receives into the space's
    /// stock each line the space keeps an item of (bought as that product), when the customer
    /// is one of the space's staff.
    pub for_makerspace_id: Option<ID>,
}

#[derive(InputObject)]
pub struct SetOrderStatusInput {
    pub order_id: ID,
    pub status: OrderStatus,
}

#[derive(InputObject)]
pub struct CancelOrderInput {
    pub order_id: ID,
}

/// A cart line as an order takes it, with what can be had of it.
struct Wanted {
    variant_id: Uuid,
    quantity: i32,
    sku: String,
    name: String,
    price_minor: i64,
    currency: String,
    tax_class: String,
    available: i64,
}

/// Free units of a variant at a location, and whether the order may take them from there.
struct Free {
    variant_id: Uuid,
    location_id: Uuid,
    location: String,
    units: i32,
    usable: bool,
}

#[derive(Default)]
pub struct OrderMutation;

#[Object(guard = "SignedIn")]
impl OrderMutation {
    /// Places the signed-in customer's cart as an order waiting for payment: prices, shipping
    /// and tax worked out, every unit allocated at a location that sends it (a warehouse) or
    /// hands it over (the pickup location), and the cart emptied, all at once. Refused with
    /// `CONFLICT`, naming each short line, when any line cannot be had in full.
    async fn place_order(
        &self,
        ctx: &Context<'_>,
        input: PlaceOrderInput,
    ) -> Result<Order, ApiError> {
        let customer = caller(ctx).user()?.id;
        let now = ctx.data_unchecked::<Clock>().now();
        let (pickup, ship_to) = match input.delivery {
            Delivery::Pickup => {
                let location = input
                    .pickup_location_id
                    .ok_or_else(|| ApiError::invalid("pickupLocationId", "is needed for pickup"))?;
                (Some(parse_id(&location, "pickupLocationId")?), None)
            }
            Delivery::Shipping => {
                let address = input
                    .ship_to
                    .ok_or_else(|| ApiError::invalid("shipTo", "is needed for shipping"))?;
                (None, Some(address.checked()?))
            }
        };
        let for_makerspace = input
            .for_makerspace_id
            .map(|id| parse_id(&id, "forMakerspaceId"))
            .transpose()?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let cart = carts::open_for(&mut tx, ctx, false)
            .await?
            .ok_or_else(|| ApiError::invalid("cart", "is empty: add something first"))?;
        let tax_region = match pickup {
            Some(location) => sqlx::query_scalar!(
                "select region from store.stock_locations
                     where id = $1 and makerspace_id is not null",
                location
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ApiError::NotFound("pickup location".into()))?,
            None => ship_to.as_ref().map(Address::tax_region),
        };
        // Every writer of holds and allocations locks the stock rows it reads in key order;
        // the rows come back with the free units of each.
        let mut free = sqlx::query_as!(
            Free,
            r#"select s.variant_id, s.location_id, l.name as location,
                      s.on_hand - s.allocated as "units!",
                      (l.id = $2 or $2 is null and l.makerspace_id is null) as "usable!"
               from store.stock s join store.stock_locations l on l.id = s.location_id
               where s.variant_id in (select variant_id from store.cart_lines where cart_id = $1)
               order by s.variant_id, s.location_id for update of s"#,
            cart,
            pickup
        )
        .fetch_all(&mut *tx)
        .await?;
        free.retain(|stock| stock.usable && stock.units > 0);
        free.sort_by(|a, b| {
            (a.variant_id, &a.location, a.location_id).cmp(&(
                b.variant_id,
                &b.location,
                b.location_id,
            ))
        });
        let wanted = sqlx::query_as!(
            Wanted,
            r#"select l.variant_id, l.quantity, v.sku, p.name || ', ' || v.name as "name!",
                      v.price_minor, v.currency, p.tax_class,
                      store.stock_available(l.variant_id, $2, $1) as "available!"
               from store.cart_lines l
               join store.product_variants v on v.id = l.variant_id
               join store.products p on p.id = v.product_id
               where l.cart_id = $1 and p.published
               order by l.created_at, l.variant_id"#,
            cart,
            now
        )
        .fetch_all(&mut *tx)
        .await?;
        let parts = parts::to_order(&mut tx, cart, now).await?;
        let Some(currency) = wanted
            .first()
            .map(|line| line.currency.clone())
            .or_else(|| parts.first().map(|part| part.currency.clone()))
        else {
            return Err(ApiError::invalid("cart", "is empty: add something first"));
        };
        let variants: Vec<Uuid> = wanted.iter().map(|line| line.variant_id).collect();
        let allocations = allocate(&wanted, &free, pickup.is_some())?;

        // The catalog's lines, then the parts: what each costs and its tax class.
        let line_totals: Vec<i64> = wanted
            .iter()
            .map(|line| line.price_minor * i64::from(line.quantity))
            .chain(parts.iter().map(|part| part.price_minor))
            .collect();
        let tax_classes: Vec<&str> = wanted
            .iter()
            .map(|line| line.tax_class.as_str())
            .chain(parts.iter().map(|_| parts::TAX_CLASS))
            .collect();
        let subtotal: i64 = line_totals.iter().sum();
        let coupon = Coupon::on_cart(&mut tx, cart, true).await?;
        let discount = match &coupon {
            Some(coupon) => {
                coupon
                    .redeem(&mut tx, customer, subtotal, &currency, now)
                    .await?
            }
            None => 0,
        };
        let discounts = coupons::spread(discount, &line_totals);
        let shipping = match ship_to {
            None => 0,
            Some(_) => shipping_price(&mut tx, &currency, subtotal - discount).await?,
        };
        let rates = tax_rates(&mut tx, tax_region.as_deref()).await?;
        let taxes: Vec<(i32, i64)> = tax_classes
            .iter()
            .zip(line_totals.iter().zip(&discounts))
            .map(|(class, (total, discount))| {
                let rate = rates.get(*class).copied().unwrap_or(0);
                // Half up, in the minor unit.
                (
                    rate,
                    ((total - discount) * i64::from(rate) + 5_000) / 10_000,
                )
            })
            .collect();
        let tax: i64 = taxes.iter().map(|(_, tax)| tax).sum();
        let ship_to = ship_to
            .map(|address| serde_json::to_value(address).map_err(ApiError::internal))
            .transpose()?;

        let order = sqlx::query_as!(
            Order,
            r#"insert into store.orders
                   (id, customer_id, currency, subtotal_minor, shipping_minor, tax_minor,
                    total_minor, delivery, pickup_location_id, ship_to, tax_region, created_at,
                    updated_at, coupon_id, coupon_code, discount_minor, for_makerspace_id)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15,
                       $16)
               returning id, number, customer_id, status as "status: OrderStatus", currency,
                         subtotal_minor, discount_minor, coupon_code, shipping_minor, tax_minor,
                         total_minor, delivery as "delivery: Delivery", pickup_location_id,
                         ship_to, for_makerspace_id, payment_provider as "payment_provider: PaymentProvider",
                         pay_by, created_at, updated_at"#,
            Uuid::now_v7(),
            customer,
            currency,
            subtotal,
            shipping,
            tax,
            subtotal - discount + shipping + tax,
            if pickup.is_some() {
                "pickup"
            } else {
                "shipping"
            },
            pickup,
            ship_to,
            tax_region,
            now,
            coupon.as_ref().map(|coupon| coupon.id),
            coupon.as_ref().map(|coupon| coupon.code.clone()),
            discount,
            for_makerspace,
        )
        .fetch_one(&mut *tx)
        .await?;
        let order_id = order.id;
        let line_ids: Vec<Uuid> = wanted.iter().map(|_| Uuid::now_v7()).collect();
        let (line_taxes, part_taxes) = taxes.split_at(wanted.len());
        let (line_discounts, part_discounts) = discounts.split_at(wanted.len());
        sqlx::query!(
            "insert into store.order_lines
                 (id, order_id, variant_id, sku, name, quantity, unit_price_minor,
                  tax_rate_basis_points, tax_minor, discount_minor, position)
             select line.id, $2, line.variant_id, line.sku, line.name, line.quantity, line.price,
                    line.rate, line.tax, line.discount, line.position
             from unnest($1::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::bigint[],
                         $8::int[], $9::bigint[], $10::bigint[])
                  with ordinality
                  as line(id, variant_id, sku, name, quantity, price, rate, tax, discount, position)",
            &line_ids,
            order_id,
            &variants,
            &wanted.iter().map(|line| line.sku.clone()).collect::<Vec<_>>(),
            &wanted.iter().map(|line| line.name.clone()).collect::<Vec<_>>(),
            &wanted.iter().map(|line| line.quantity).collect::<Vec<_>>(),
            &wanted.iter().map(|line| line.price_minor).collect::<Vec<_>>(),
            &line_taxes.iter().map(|(rate, _)| *rate).collect::<Vec<_>>(),
            &line_taxes.iter().map(|(_, tax)| *tax).collect::<Vec<_>>(),
            line_discounts,
        )
        .execute(&mut *tx)
        .await?;
        parts::place(
            &mut tx,
            order_id,
            &parts,
            PartCharges {
                rates: &part_taxes.iter().map(|(rate, _)| *rate).collect::<Vec<_>>(),
                taxes: &part_taxes.iter().map(|(_, tax)| *tax).collect::<Vec<_>>(),
                discounts: part_discounts,
            },
        )
        .await?;
        let line_of: HashMap<Uuid, Uuid> = variants.iter().copied().zip(line_ids).collect();
        let column =
            |pick: fn(&Allocation) -> Uuid| allocations.iter().map(pick).collect::<Vec<_>>();
        sqlx::query!(
            "with taken as (
                 insert into store.allocations (order_line_id, variant_id, location_id, quantity)
                 select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[])
                 returning variant_id, location_id, quantity)
             update store.stock s set allocated = s.allocated + taken.quantity, updated_at = now()
             from taken
             where s.variant_id = taken.variant_id and s.location_id = taken.location_id",
            &allocations
                .iter()
                .map(|a| line_of[&a.variant_id])
                .collect::<Vec<_>>(),
            &column(|a| a.variant_id),
            &column(|a| a.location_id),
            &allocations.iter().map(|a| a.units).collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "with lines as (delete from store.cart_lines where cart_id = $1),
                  parts as (delete from store.cart_parts where cart_id = $1)
             update store.carts set coupon_id = null where id = $1",
            cart
        )
        .execute(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            customer,
            Action::ORDER_PLACED,
            order_id,
            None,
            Some(&order),
        )
        .await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Moves an order along its life (paid, fulfilling, shipped or ready for pickup,
    /// delivered; cancelled or refunded); store staff only. A move the order's life does not
    /// allow is refused with `CONFLICT`. `PAID` confirms a payment taken by hand, as
    /// `confirmPayment` does without a reference; cancelling or refunding a paid order gives
    /// its payments back (card payments through Stripe).
    async fn set_order_status(
        &self,
        ctx: &Context<'_>,
        input: SetOrderStatusInput,
    ) -> Result<Order, ApiError> {
        let staff = store_staff(caller(ctx), "change an order's status")?;
        let id = parse_id(&input.order_id, "orderId")?;
        let stripe = ctx.data_unchecked::<Payments>().stripe.as_ref();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let order = match input.status {
            OrderStatus::Paid => {
                payments::confirm_by_hand(&mut tx, stripe, id, staff.id, None).await?
            }
            next => move_order(&mut tx, stripe, id, next, Some(staff.id)).await?,
        };
        tx.commit().await?;
        Ok(order)
    }

    /// Calls off the caller's own order while it waits for payment or has been paid but not
    /// yet picked (store staff: any order not yet sent); its units go back to stock.
    async fn cancel_order(
        &self,
        ctx: &Context<'_>,
        input: CancelOrderInput,
    ) -> Result<Order, ApiError> {
        let id = parse_id(&input.order_id, "orderId")?;
        visible_order(ctx, id).await?;
        let actor = caller(ctx).user()?.id;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        // The status is read under the order's lock, so staff cannot move it on meanwhile.
        let status = sqlx::query_scalar!(
            r#"select status as "status: OrderStatus" from store.orders where id = $1 for update"#,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        if !caller(ctx).is_store_staff() && !customer_may_cancel(status) {
            return Err(ApiError::Conflict(format!(
                "an order that is {} can no longer be cancelled here: ask the store",
                status.words()
            )));
        }
        let stripe = ctx.data_unchecked::<Payments>().stripe.as_ref();
        let order = move_order(&mut tx, stripe, id, OrderStatus::Cancelled, Some(actor)).await?;
        tx.commit().await?;
        Ok(order)
    }
}

/// Units of a variant an order takes from a location.
struct Allocation {
    variant_id: Uuid,
    location_id: Uuid,
    units: i32,
}

/// Takes each line's units from the free stock in order (warehouses by name; for pickup only
/// the pickup location), or says which lines are short and by how much.
fn allocate(wanted: &[Wanted], free: &[Free], pickup: bool) -> Result<Vec<Allocation>, ApiError> {
    let mut allocations = Vec::new();
    let mut short = Vec::new();
    for line in wanted {
        let at: Vec<&Free> = free
            .iter()
            .filter(|f| f.variant_id == line.variant_id)
            .collect();
        let here: i64 = at.iter().map(|f| i64::from(f.units)).sum();
        let can = here.min(line.available);
        if i64::from(line.quantity) > can {
            let place = if pickup {
                " at the pickup location"
            } else {
                ""
            };
            short.push(format!(
                "{} ({}): {} wanted, {can} to be had{place}",
                line.name, line.sku, line.quantity
            ));
            continue;
        }
        let mut left = line.quantity;
        for f in at {
            let take = left.min(f.units);
            if take > 0 {
                allocations.push(Allocation {
                    variant_id: line.variant_id,
                    location_id: f.location_id,
                    units: take,
                });
                left -= take;
            }
        }
    }
    if short.is_empty() {
        Ok(allocations)
    } else {
        Err(ApiError::Conflict(format!(
            "not enough stock for your order: {}",
            short.join("; ")
        )))
    }
}

/// What shipping costs for an order of `subtotal` in `currency`.
async fn shipping_price(
    tx: &mut PgConnection,
    currency: &str,
    subtotal: i64,
) -> Result<i64, ApiError> {
    let rate = sqlx::query!(
        "select price_minor, free_from_minor from store.shipping_rates where currency = $1",
        currency
    )
    .fetch_optional(tx)
    .await?
    .ok_or_else(|| {
        ApiError::invalid(
            "delivery",
            format!("orders in {currency} are not shipped: choose pickup"),
        )
    })?;
    Ok(match rate.free_from_minor {
        Some(free_from) if subtotal >= free_from => 0,
        _ => rate.price_minor,
    })
}

/// Tax rates by product class for a region (`IN-KA`): the subdivision's rows, else its
/// country's. None for no region.
async fn tax_rates(
    tx: &mut PgConnection,
    region: Option<&str>,
) -> Result<HashMap<String, i32>, ApiError> {
    let Some(region) = region else {
        return Ok(HashMap::new());
    };
    let country = region.split('-').next().unwrap_or(region);
    let rows = sqlx::query!(
        "select distinct on (tax_class) tax_class, rate_basis_points from store.tax_rates
         where region = $1 or region = $2
         order by tax_class, region = $1 desc",
        region,
        country
    )
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.tax_class, row.rate_basis_points))
        .collect())
}

/// Moves an order to `next` if its life allows, as `actor` asks (None: the store itself),
/// releasing its units (cancelled, or refunded before they were sent) or taking them off the
/// shelf (shipped, or handed over at pickup); cancelled or refunded, its payments go back.
pub async fn move_order(
    tx: &mut PgConnection,
    stripe: Option<&Stripe>,
    id: Uuid,
    next: OrderStatus,
    actor: Option<Uuid>,
) -> Result<Order, ApiError> {
    sqlx::query!("select id from store.orders where id = $1 for update", id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("order".into()))?;
    let before = read(tx, id)
        .await?
        .ok_or_else(|| ApiError::NotFound("order".into()))?;
    let moved = sqlx::query!(
        "update store.orders set status = $2, updated_at = now()
         where id = $1 and store.order_may_become(status, $2, delivery)",
        id,
        next.name()
    )
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(ApiError::Conflict(format!(
            "an order that is {} cannot become {}",
            before.status.words(),
            next.words()
        )));
    }
    use OrderStatus::*;
    let (release, send) = match (before.status, next) {
        (_, Cancelled) | (PendingPayment | Paid, Refunded) => (true, false),
        (_, Shipped) | (ReadyForPickup, Delivered) => (true, true),
        _ => (false, false),
    };
    if release {
        sqlx::query!(
            "select 1 as locked from store.stock s
             where (s.variant_id, s.location_id) in (
                 select a.variant_id, a.location_id from store.allocations a
                 join store.order_lines l on l.id = a.order_line_id where l.order_id = $1)
             order by s.variant_id, s.location_id for update",
            id
        )
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query!(
            "update store.stock s
             set allocated = s.allocated - a.quantity,
                 on_hand = s.on_hand - case when $2 then a.quantity else 0 end,
                 updated_at = now()
             from store.allocations a join store.order_lines l on l.id = a.order_line_id
             where l.order_id = $1 and s.variant_id = a.variant_id and s.location_id = a.location_id",
            id,
            send
        )
        .execute(&mut *tx)
        .await?;
    }
    if next == Cancelled {
        // The coupon's use goes back, so a customer whose order lapsed may use it again.
        sqlx::query!(
            "update store.coupons set uses = uses - 1
             where id = (select coupon_id from store.orders where id = $1)",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    if matches!(next, Cancelled | Refunded) {
        payments::refund_all(tx, stripe, id, &format!("the order was {}", next.words())).await?;
    }
    let after = read(tx, id)
        .await?
        .ok_or_else(|| ApiError::internal("a moved order is not there"))?;
    changes::record(
        tx,
        actor,
        Action::ORDER_STATUS_CHANGED,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    match next {
        Paid => parts::announce_paid(tx, &after).await?,
        Delivered => announce_delivery(tx, &after).await?,
        _ => {}
    }
    Ok(after)
}

/// Announces a delivered order with its lines (`store.order.delivered`).
async fn announce_delivery(tx: &mut PgConnection, order: &Order) -> Result<(), ApiError> {
    let lines = sqlx::query_as!(
        DeliveredLine,
        r#"select v.product_id, l.variant_id, l.sku, l.quantity
           from store.order_lines l join store.product_variants v on v.id = l.variant_id
           where l.order_id = $1 order by l.position"#,
        order.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let delivered = OrderDelivered {
        id: order.id,
        number: order.number,
        customer_id: order.customer_id,
        for_makerspace_id: order.for_makerspace_id,
        lines,
    };
    outbox::publish(tx, topics::ORDER_DELIVERED, &delivered).await?;
    Ok(())
}
