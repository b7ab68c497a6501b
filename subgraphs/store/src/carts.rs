//! Carts: what a customer means to buy, and the stock it holds meanwhile. A signed-in customer
//! has one cart; a guest's cart is found by the token their browser sends (the web origin keeps
//! it in an HttpOnly cookie and passes it as the `x-makrx-cart` header). A guest's cart joins
//! the customer's the first time they are signed in. Every change to a cart holds its lines'
//! stock for the store's hold time; a line never asks for more than can be had.

use std::collections::HashMap;

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use axum::http::HeaderMap;
use chrono::{DateTime, Duration, Utc};
use makrx_service::graphql::caller;
use makrx_service::{ApiError, Caller, Clock, parse_id};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::coupons::{self, AppliedCoupon, Coupon};
use crate::fabrication::parts::{self, CartPart};
use crate::loaders::Loaders;
use crate::products::ProductVariant;

/// The header that carries a guest's cart token.
pub const CART_TOKEN_HEADER: &str = "x-makrx-cart";

/// The most units of one variant a cart line may ask for.
const MAX_QUANTITY: i32 = 999;
/// The most lines one `addLinesToCart` adds.
const MAX_LINES: usize = 100;

/// Whose cart a request is about.
enum Owner {
    Customer {
        id: Uuid,
        guest_token: Option<Vec<u8>>,
    },
    Guest {
        token: Vec<u8>,
    },
}

impl Owner {
    /// The signed-in caller, or else the holder of the cart token sent; nobody without either.
    fn of(ctx: &Context<'_>) -> Result<Option<Self>, ApiError> {
        let token = match ctx
            .data_opt::<HeaderMap>()
            .and_then(|headers| headers.get(CART_TOKEN_HEADER))
        {
            Some(value) => Some(token_hash(value.to_str().unwrap_or_default())?),
            None => None,
        };
        Ok(match (caller(ctx), token) {
            (Caller::User(user), guest_token) => Some(Self::Customer {
                id: user.id,
                guest_token,
            }),
            (Caller::Anonymous, Some(token)) => Some(Self::Guest { token }),
            (Caller::Anonymous, None) => None,
        })
    }
}

/// The SHA-256 of a cart token: 22 to 128 letters, digits, `-` and `_` (at least 128 bits).
fn token_hash(token: &str) -> Result<Vec<u8>, ApiError> {
    let well_formed = (22..=128).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if well_formed {
        Ok(Sha256::digest(token.as_bytes()).to_vec())
    } else {
        Err(ApiError::invalid(
            CART_TOKEN_HEADER,
            "must be 22 to 128 letters, digits, `-` or `_`",
        ))
    }
}

/// The caller's cart, locked for the rest of `tx`; when `create`, made if there is none and
/// marked changed. A guest cart whose token a signed-in customer sends joins theirs here: the
/// lines it held it still holds, now for the customer.
async fn open(
    tx: &mut PgConnection,
    owner: &Owner,
    create: bool,
) -> Result<Option<Uuid>, ApiError> {
    let cart = match (owner, create) {
        // One statement makes or marks the cart and locks it.
        (Owner::Customer { id, .. }, true) => Some(
            sqlx::query_scalar!(
                "insert into store.carts (id, customer_id) values ($1, $2)
                 on conflict (customer_id) do update set updated_at = now()
                 returning id",
                Uuid::now_v7(),
                id,
            )
            .fetch_one(&mut *tx)
            .await?,
        ),
        (Owner::Guest { token }, true) => Some(
            sqlx::query_scalar!(
                "insert into store.carts (id, token_hash) values ($1, $2)
                 on conflict (token_hash) do update set updated_at = now()
                 returning id",
                Uuid::now_v7(),
                token,
            )
            .fetch_one(&mut *tx)
            .await?,
        ),
        (Owner::Customer { id, .. }, false) => {
            sqlx::query_scalar!(
                "select id from store.carts where customer_id = $1 for update",
                id
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        (Owner::Guest { token }, false) => {
            sqlx::query_scalar!(
                "select id from store.carts where token_hash = $1 for update",
                token
            )
            .fetch_optional(&mut *tx)
            .await?
        }
    };
    match owner {
        Owner::Customer {
            id,
            guest_token: Some(guest),
        } => join_guest_cart(tx, *id, guest, cart).await,
        _ => Ok(cart),
    }
}

/// The caller's cart, locked for the rest of `tx` (see `open`), for the store's other parts: an
/// order places it.
pub async fn open_for(
    tx: &mut PgConnection,
    ctx: &Context<'_>,
    create: bool,
) -> Result<Option<Uuid>, ApiError> {
    match Owner::of(ctx)? {
        Some(owner) => open(tx, &owner, create).await,
        None => Ok(None),
    }
}

/// Moves a guest's cart into the customer's (made if need be), adding up lines of the same
/// variant; returns the customer's cart.
async fn join_guest_cart(
    tx: &mut PgConnection,
    customer: Uuid,
    guest: &[u8],
    cart: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    let Some(guest_cart) = sqlx::query_scalar!(
        "select id from store.carts where token_hash = $1 for update",
        guest
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return match cart {
            Some(cart) => Ok(Some(cart)),
            // No guest cart: none was made, or a request of the same sign-in joined it while
            // this one waited for its lock, making the customer's cart this one did not see.
            None => Ok(sqlx::query_scalar!(
                "select id from store.carts where customer_id = $1 for update",
                customer
            )
            .fetch_optional(&mut *tx)
            .await?),
        };
    };
    let cart = match cart {
        Some(cart) => cart,
        None => {
            sqlx::query_scalar!(
                "insert into store.carts (id, customer_id) values ($1, $2) returning id",
                Uuid::now_v7(),
                customer
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    sqlx::query!(
        "insert into store.cart_lines (cart_id, variant_id, quantity, held_until)
         select $2, variant_id, quantity, held_until from store.cart_lines where cart_id = $1
         on conflict (cart_id, variant_id) do update
         set quantity = store.cart_lines.quantity + excluded.quantity,
             held_until = greatest(store.cart_lines.held_until, excluded.held_until),
             updated_at = now()",
        guest_cart,
        cart
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update store.carts set coupon_id = coalesce(coupon_id, (
             select coupon_id from store.carts where id = $1))
         where id = $2",
        guest_cart,
        cart
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from store.carts where id = $1", guest_cart)
        .execute(&mut *tx)
        .await?;
    Ok(Some(cart))
}

/// Holds the cart's lines until `until`: those still holding, and lapsed ones whose quantity
/// can be had again. The stock rows of the cart's variants (and of those in `also`) are locked first, in
/// key order, as every writer of holds and allocations locks them, so two carts never take the
/// same units and two writers never wait on each other in a circle.
async fn hold(
    tx: &mut PgConnection,
    cart: Uuid,
    also: &[Uuid],
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<(), ApiError> {
    sqlx::query!(
        "select 1 as locked from store.stock
         where variant_id in (select variant_id from store.cart_lines where cart_id = $1)
            or variant_id = any($2)
         order by variant_id, location_id for update",
        cart,
        also
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "update store.cart_lines set held_until = $3
         where cart_id = $1
           and (held_until > $2 or quantity <= store.stock_available(variant_id, $2, $1))",
        cart,
        now,
        until
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A line of a cart as stored.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(complex)]
pub struct CartLine {
    #[graphql(skip)]
    pub variant_id: Uuid,
    pub quantity: i32,
    /// Until when its stock is held for this cart; after that the units may go to others, and
    /// the next change to the cart holds them again if they can still be had.
    pub held_until: DateTime<Utc>,
    /// Whether its stock is held now.
    pub held: bool,
}

#[ComplexObject]
impl CartLine {
    async fn variant(&self, ctx: &Context<'_>) -> Result<ProductVariant, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .variants
            .load_one(self.variant_id)
            .await?
            .ok_or_else(|| ApiError::internal(format_args!("variant {} is gone", self.variant_id)))
    }

    /// The variant's price now, in the currency's minor unit.
    async fn unit_price_minor(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        Ok(self.variant(ctx).await?.price_minor)
    }

    /// Quantity times the unit price.
    async fn line_total_minor(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        Ok(self.variant(ctx).await?.price_minor * i64::from(self.quantity))
    }
}

/// What a customer means to buy.
pub struct Cart {
    id: Option<Uuid>,
    lines: Vec<CartLine>,
    parts: Vec<CartPart>,
    coupon: Option<Coupon>,
}

/// What a customer means to buy. Empty until something is added.
#[Object]
impl Cart {
    /// None until something is first added.
    async fn id(&self) -> Option<ID> {
        self.id.map(|id| ID(id.to_string()))
    }

    /// Its lines, in the order they were added.
    async fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    /// Quoted parts to be made, priced as quoted.
    async fn parts(&self) -> &[CartPart] {
        &self.parts
    }

    /// How many units it holds in all, copies of parts included.
    async fn item_count(&self) -> i64 {
        let lines: i64 = self.lines.iter().map(|line| i64::from(line.quantity)).sum();
        let parts: i64 = self.parts.iter().map(|part| i64::from(part.quantity)).sum();
        lines + parts
    }

    /// The sum of its lines at today's prices and its parts as quoted, before shipping, tax
    /// and coupons.
    async fn subtotal_minor(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        Ok(self.worth(ctx).await?.0)
    }

    /// The currency of its prices; none while it is empty.
    async fn currency(&self, ctx: &Context<'_>) -> Result<Option<String>, ApiError> {
        Ok(self.worth(ctx).await?.1)
    }

    /// The coupon on it, with why it does not apply if it does not.
    async fn coupon(&self, ctx: &Context<'_>) -> Result<Option<AppliedCoupon>, ApiError> {
        let Some(coupon) = &self.coupon else {
            return Ok(None);
        };
        let problem = self.discount(ctx).await?.err();
        Ok(Some(AppliedCoupon {
            coupon: coupon.clone(),
            problem,
        }))
    }

    /// What its coupon takes off the subtotal now; 0 without one, or while it does not apply.
    async fn discount_minor(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        Ok(self.discount(ctx).await?.unwrap_or(0))
    }

    /// When the first of its holds lapses; none when nothing is held.
    async fn held_until(&self) -> Option<DateTime<Utc>> {
        self.lines
            .iter()
            .filter(|line| line.held)
            .map(|line| line.held_until)
            .min()
    }
}

impl Cart {
    /// The cart of nobody: empty.
    fn empty() -> Self {
        Self {
            id: None,
            lines: Vec::new(),
            parts: Vec::new(),
            coupon: None,
        }
    }

    async fn prices(&self, ctx: &Context<'_>) -> Result<HashMap<Uuid, ProductVariant>, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .variants
            .load_many(self.lines.iter().map(|line| line.variant_id))
            .await
    }

    /// Its subtotal at today's prices and their currency (none while it is empty).
    async fn worth(&self, ctx: &Context<'_>) -> Result<(i64, Option<String>), ApiError> {
        let prices = self.prices(ctx).await?;
        let lines: i64 = self
            .lines
            .iter()
            .map(|line| {
                prices.get(&line.variant_id).map_or(0, |v| v.price_minor) * i64::from(line.quantity)
            })
            .sum();
        let parts: i64 = self.parts.iter().map(|part| part.price_minor).sum();
        let currency = prices
            .into_values()
            .next()
            .map(|variant| variant.currency)
            .or_else(|| self.parts.first().map(|part| part.currency.clone()));
        Ok((lines + parts, currency))
    }

    /// What the coupon takes off now, or why it does not apply; 0 without one.
    async fn discount(&self, ctx: &Context<'_>) -> Result<Result<i64, String>, ApiError> {
        let Some(coupon) = &self.coupon else {
            return Ok(Ok(0));
        };
        let (subtotal, currency) = self.worth(ctx).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        Ok(match currency {
            Some(currency) => coupon.discount(subtotal, &currency, now),
            None => Err("applies once something is in the cart".into()),
        })
    }

    /// The cart `id` as it stands at `now`.
    pub async fn read(
        conn: &mut PgConnection,
        id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Self, ApiError> {
        let lines = match id {
            Some(id) => {
                sqlx::query_as!(
                    CartLine,
                    r#"select variant_id, quantity, held_until, held_until > $2 as "held!"
                   from store.cart_lines where cart_id = $1 order by created_at, variant_id"#,
                    id,
                    now
                )
                .fetch_all(&mut *conn)
                .await?
            }
            None => Vec::new(),
        };
        let (parts, coupon) = match id {
            Some(id) => (
                parts::in_cart(conn, id).await?,
                Coupon::on_cart(conn, id, false).await?,
            ),
            None => (Vec::new(), None),
        };
        Ok(Self {
            id,
            lines,
            parts,
            coupon,
        })
    }
}

#[derive(Default)]
pub struct CartQuery;

#[Object]
impl CartQuery {
    /// The caller's cart: a signed-in customer's, or the one of the cart token sent (a guest's).
    /// A guest's cart joins the customer's the first time they ask signed in. Empty for a
    /// caller with neither.
    async fn cart(&self, ctx: &Context<'_>) -> Result<Cart, ApiError> {
        let now = ctx.data_unchecked::<Clock>().now();
        let Some(owner) = Owner::of(ctx)? else {
            return Ok(Cart::empty());
        };
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let cart = open(&mut tx, &owner, false).await?;
        let cart = Cart::read(&mut tx, cart, now).await?;
        tx.commit().await?;
        Ok(cart)
    }
}

#[derive(InputObject)]
pub struct AddToCartInput {
    pub variant_id: ID,
    /// How many more to add: 1 or more.
    pub quantity: i32,
}

impl AddToCartInput {
    /// The change it asks for, its fields named after `path` when it is one of several.
    fn added(&self, path: &str) -> Result<(Uuid, LineChange), ApiError> {
        let variant = parse_id(&self.variant_id, &format!("{path}variantId"))?;
        if !(1..=MAX_QUANTITY).contains(&self.quantity) {
            return Err(ApiError::invalid(
                &format!("{path}quantity"),
                format!("must be between 1 and {MAX_QUANTITY}"),
            ));
        }
        Ok((variant, LineChange::Add(self.quantity)))
    }
}

#[derive(InputObject)]
pub struct AddLinesToCartInput {
    /// The variants and how many more of each.
    pub lines: Vec<AddToCartInput>,
}

#[derive(InputObject)]
pub struct SetCartQuantityInput {
    pub variant_id: ID,
    /// How many the line asks for; 0 takes it out of the cart.
    pub quantity: i32,
}

#[derive(InputObject)]
pub struct ApplyCouponInput {
    /// The coupon's code, in any case.
    pub code: String,
}

#[derive(Default)]
pub struct CartMutation;

#[Object]
impl CartMutation {
    /// Adds units of a variant to the caller's cart and holds them, with the rest of the cart,
    /// for the store's hold time. Refused when more are asked for than can be had.
    async fn add_to_cart(
        &self,
        ctx: &Context<'_>,
        input: AddToCartInput,
    ) -> Result<Cart, ApiError> {
        let added = input.added("")?;
        change_lines(ctx, &[added]).await
    }

    /// Adds units of several variants to the caller's cart at once (a BOM's shortfall, a kit),
    /// each as `addToCart` adds it, in one go: refused whole, saying which line, when any of
    /// them cannot be had.
    async fn add_lines_to_cart(
        &self,
        ctx: &Context<'_>,
        input: AddLinesToCartInput,
    ) -> Result<Cart, ApiError> {
        if !(1..=MAX_LINES).contains(&input.lines.len()) {
            return Err(ApiError::invalid(
                "lines",
                format!("must hold 1 to {MAX_LINES} lines"),
            ));
        }
        let added = input
            .lines
            .iter()
            .enumerate()
            .map(|(at, line)| line.added(&format!("lines.{at}.")))
            .collect::<Result<Vec<_>, _>>()?;
        change_lines(ctx, &added).await
    }

    /// Sets how many units of a variant the caller's cart asks for; 0 takes the line out.
    async fn set_cart_quantity(
        &self,
        ctx: &Context<'_>,
        input: SetCartQuantityInput,
    ) -> Result<Cart, ApiError> {
        let variant = parse_id(&input.variant_id, "variantId")?;
        if !(0..=MAX_QUANTITY).contains(&input.quantity) {
            return Err(ApiError::invalid(
                "quantity",
                format!("must be between 0 and {MAX_QUANTITY}"),
            ));
        }
        change_lines(ctx, &[(variant, LineChange::Set(input.quantity))]).await
    }

    /// Puts a coupon on the caller's cart, in place of any other; the cart then shows what it
    /// takes off, and placing the order redeems it. Refused with `CONFLICT`, saying why, when
    /// it does not apply to the cart as it stands.
    async fn apply_coupon(
        &self,
        ctx: &Context<'_>,
        input: ApplyCouponInput,
    ) -> Result<Cart, ApiError> {
        let owner = Owner::of(ctx)?.ok_or(ApiError::Unauthenticated(
            "sign in, or send a cart token (the x-makrx-cart header), to have a cart",
        ))?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let coupon = coupons::by_code(&mut tx, &input.code).await?;
        let worth = match open(&mut tx, &owner, false).await? {
            Some(cart) => {
                sqlx::query!(
                    r#"select l.cart_id, sum(v.price_minor * l.quantity)::bigint as "subtotal!",
                          min(v.currency) as "currency!"
                   from store.cart_lines l join store.product_variants v on v.id = l.variant_id
                   where l.cart_id = $1 group by l.cart_id"#,
                    cart
                )
                .fetch_optional(&mut *tx)
                .await?
            }
            None => None,
        };
        let worth = worth.ok_or_else(|| {
            ApiError::Conflict("your cart is empty: add something before a coupon".into())
        })?;
        coupon
            .discount(worth.subtotal, &worth.currency, now)
            .map_err(|why| coupon.refusal(&why))?;
        sqlx::query!(
            "update store.carts set coupon_id = $2, updated_at = now() where id = $1",
            worth.cart_id,
            coupon.id
        )
        .execute(&mut *tx)
        .await?;
        let cart = Cart::read(&mut tx, Some(worth.cart_id), now).await?;
        tx.commit().await?;
        Ok(cart)
    }

    /// Takes the coupon off the caller's cart.
    async fn remove_coupon(&self, ctx: &Context<'_>) -> Result<Cart, ApiError> {
        let Some(owner) = Owner::of(ctx)? else {
            return Ok(Cart::empty());
        };
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let cart = open(&mut tx, &owner, false).await?;
        if let Some(cart) = cart {
            sqlx::query!(
                "update store.carts set coupon_id = null, updated_at = now() where id = $1",
                cart
            )
            .execute(&mut *tx)
            .await?;
        }
        let cart = Cart::read(&mut tx, cart, now).await?;
        tx.commit().await?;
        Ok(cart)
    }
}

/// How a change asks a cart line to become.
#[derive(Clone, Copy)]
enum LineChange {
    /// This many more than it asks for now.
    Add(i32),
    /// This many (0 takes the line out).
    Set(i32),
}

impl LineChange {
    fn applied(self, asked: i32) -> i32 {
        match self {
            Self::Add(more) => asked + more,
            Self::Set(quantity) => quantity,
        }
    }
}

/// Changes the caller's lines of the variants given, in order, and holds the cart again, all in
/// one transaction: refused whole when any line cannot be had.
async fn change_lines(ctx: &Context<'_>, changes: &[(Uuid, LineChange)]) -> Result<Cart, ApiError> {
    let owner = Owner::of(ctx)?.ok_or(ApiError::Unauthenticated(
        "sign in, or send a cart token (the x-makrx-cart header), to have a cart",
    ))?;
    let now = ctx.data_unchecked::<Clock>().now();
    let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
    let variants: Vec<Uuid> = changes.iter().map(|(variant, _)| *variant).collect();
    let products = sqlx::query!(
        r#"select v.id, v.sku, v.currency, p.name as product,
                  (select hold_minutes from store.settings) as "hold_minutes!"
           from store.product_variants v join store.products p on p.id = v.product_id
           where v.id = any($1) and p.published"#,
        &variants
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(hold_minutes) = products.first().map(|product| product.hold_minutes) else {
        return Err(ApiError::NotFound("variant".into()));
    };
    let cart = open(&mut tx, &owner, true)
        .await?
        .ok_or_else(|| ApiError::internal("a cart was made but is not there"))?;
    let until = now + Duration::minutes(hold_minutes.into());
    hold(&mut tx, cart, &variants, now, until).await?;
    for &(variant, change) in changes {
        let product = products
            .iter()
            .find(|product| product.id == variant)
            .ok_or_else(|| ApiError::NotFound("variant".into()))?;
        let line = sqlx::query!(
            r#"select coalesce((select quantity from store.cart_lines
                                where cart_id = $1 and variant_id = $2), 0) as "asked!",
                      store.other_currency_in_cart($1, $3) as other_currency,
                      store.stock_available($2, $4, $1) as "available!""#,
            cart,
            variant,
            product.currency,
            now
        )
        .fetch_one(&mut *tx)
        .await?;
        let wanted = change.applied(line.asked);
        if wanted == 0 {
            sqlx::query!(
                "delete from store.cart_lines where cart_id = $1 and variant_id = $2",
                cart,
                variant
            )
            .execute(&mut *tx)
            .await?;
        } else {
            if let Some(currency) = line.other_currency {
                return Err(ApiError::Conflict(format!(
                    "your cart is priced in {currency} and {} in {}: check out one currency at a time",
                    product.product, product.currency
                )));
            }
            if i64::from(wanted) > line.available {
                return Err(ApiError::Conflict(match line.available {
                    0 => format!("{} ({}) is sold out", product.product, product.sku),
                    available => format!(
                        "only {available} of {} ({}) can be had now",
                        product.product, product.sku
                    ),
                }));
            }
            sqlx::query!(
                "insert into store.cart_lines (cart_id, variant_id, quantity, held_until)
                 values ($1, $2, $3, $4)
                 on conflict (cart_id, variant_id) do update
                 set quantity = excluded.quantity, held_until = excluded.held_until, updated_at = now()",
                cart,
                variant,
                wanted,
                until
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    let cart = Cart::read(&mut tx, Some(cart), now).await?;
    tx.commit().await?;
    Ok(cart)
}
