//! Payments: how a customer pays for an order. `MANUAL`: store staff confirm the money taken at
//! the desk or by invoice. `STRIPE`: each attempt a PaymentIntent for the order's total, which
//! Stripe's webhook settles. Money that arrives for an order that can no longer take it
//! (cancelled because its payment time ran out, already paid, or a different amount) is
//! refunded at once and the customer told through the order's events: an order is never left
//! paid without its goods, and a payment's news never moves an order backwards.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::OrderStatus;
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::orders::{self, Order};
use crate::policy::store_staff;
use crate::stripe::{Event, IntentEvent, Stripe, StripeSettings};

/// Who takes the money.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PaymentProvider {
    /// Paid at the desk or by invoice; store staff confirm it.
    Manual,
    /// Paid by card through Stripe.
    Stripe,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Waiting for the money.
    Started,
    Succeeded,
    /// The card was declined or the attempt given up; another may follow.
    Failed,
    /// The money went back to the customer; `note` says why.
    Refunded,
}

/// One attempt to pay for an order.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Payment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub provider: PaymentProvider,
    pub attempt: i32,
    pub amount_minor: i64,
    pub currency: String,
    pub status: PaymentStatus,
    pub refunded_minor: i64,
    pub intent_id: Option<String>,
    #[serde(skip)]
    pub client_secret: Option<String>,
    /// The customer whose order it pays.
    #[serde(skip)]
    pub payer: Uuid,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One attempt to pay for an order.
#[Object]
impl Payment {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn provider(&self) -> PaymentProvider {
        self.provider
    }

    /// The order's attempts, counted from 1.
    async fn attempt(&self) -> i32 {
        self.attempt
    }

    /// The order's total when the attempt started.
    async fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    async fn currency(&self) -> &str {
        &self.currency
    }

    async fn status(&self) -> PaymentStatus {
        self.status
    }

    /// How much of it went back to the customer.
    async fn refunded_minor(&self) -> i64 {
        self.refunded_minor
    }

    /// For Stripe.js on the paying customer's page, to confirm a card payment (Stripe only);
    /// nobody else sees it, store staff included.
    async fn client_secret(&self, ctx: &Context<'_>) -> Option<&str> {
        if caller(ctx).user_id() == Some(self.payer) {
            self.client_secret.as_deref()
        } else {
            None
        }
    }

    /// The receipt or invoice number staff recorded, or why the money went back.
    async fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// The store's providers: Stripe's API when card payments are configured.
pub struct Payments {
    pub stripe: Option<Stripe>,
    publishable_key: Option<String>,
    stripe_js_url: String,
}

impl Payments {
    pub fn new(settings: &StripeSettings) -> Self {
        Self {
            stripe: Stripe::new(settings),
            publishable_key: settings.publishable_key.clone(),
            stripe_js_url: settings.stripe_js_url(),
        }
    }
}

/// How customers can pay this store.
#[derive(SimpleObject)]
pub struct PaymentOptions {
    /// `MANUAL` always; `STRIPE` when the store takes cards.
    providers: Vec<PaymentProvider>,
    /// The key Stripe.js needs on the customer's page, when the store takes cards.
    stripe_publishable_key: Option<String>,
    /// Where the customer's page loads Stripe.js from, when the store takes cards: Stripe's
    /// own (`https://js.stripe.com/v3/`), or the stand-in's when `STRIPE_API_BASE` names one.
    stripe_js_url: Option<String>,
}

/// Loads the payments of orders, oldest attempt first.
pub struct PaymentsByOrder(pub PgPool);

impl Loader<Uuid> for PaymentsByOrder {
    type Value = Vec<Payment>;
    type Error = ApiError;

    async fn load(&self, orders: &[Uuid]) -> Result<HashMap<Uuid, Vec<Payment>>, ApiError> {
        let rows = sqlx::query_as!(
            Payment,
            r#"select p.id, p.order_id, p.provider as "provider: PaymentProvider", p.attempt,
                      p.amount_minor, p.currency, p.status as "status: PaymentStatus",
                      p.refunded_minor, p.intent_id, p.client_secret, o.customer_id as payer,
                      p.note, p.created_at, p.updated_at
               from store.payments p join store.orders o on o.id = p.order_id
               where p.order_id = any($1) order by p.attempt"#,
            orders
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.order_id))
    }
}

#[derive(Default)]
pub struct PaymentQuery;

#[Object]
impl PaymentQuery {
    /// How customers can pay: the providers this store offers.
    async fn payment_options(&self, ctx: &Context<'_>) -> PaymentOptions {
        let payments = ctx.data_unchecked::<Payments>();
        let mut providers = vec![PaymentProvider::Manual];
        providers.extend(payments.stripe.as_ref().map(|_| PaymentProvider::Stripe));
        PaymentOptions {
            providers,
            stripe_publishable_key: payments.publishable_key.clone(),
            stripe_js_url: payments
                .stripe
                .as_ref()
                .map(|_| payments.stripe_js_url.clone()),
        }
    }
}

#[derive(InputObject)]
pub struct StartPaymentInput {
    pub order_id: ID,
    pub provider: PaymentProvider,
}

#[derive(InputObject)]
pub struct ConfirmPaymentInput {
    pub order_id: ID,
    /// The receipt or invoice number, for the records.
    pub reference: Option<String>,
}

#[derive(Default)]
pub struct PaymentMutation;

#[Object(guard = "SignedIn")]
impl PaymentMutation {
    /// Starts paying for the caller's own order that waits for payment, for its total.
    /// `MANUAL`: store staff confirm the money at the desk or by invoice, and the order keeps its
    /// units until they do or it is cancelled. `STRIPE`: answers the `clientSecret` Stripe.js
    /// confirms the card payment with; the order keeps its units for the store's payment time
    /// (30 minutes unless set otherwise) from now, then is cancelled unless paid. Starting again
    /// with the same provider continues the attempt that has not failed.
    async fn start_payment(
        &self,
        ctx: &Context<'_>,
        input: StartPaymentInput,
    ) -> Result<Payment, ApiError> {
        let customer = caller(ctx).user()?.id;
        let order_id = parse_id(&input.order_id, "orderId")?;
        // Stripe's API, for a card payment only.
        let stripe = match input.provider {
            PaymentProvider::Manual => None,
            PaymentProvider::Stripe => Some(
                ctx.data_unchecked::<Payments>()
                    .stripe
                    .as_ref()
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "provider",
                            "this store takes no card payments: choose MANUAL",
                        )
                    })?,
            ),
        };
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let order = sqlx::query!(
            r#"select status as "status: OrderStatus", total_minor, currency from store.orders
               where id = $1 and customer_id = $2 for update"#,
            order_id,
            customer
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("order".into()))?;
        if order.status != OrderStatus::PendingPayment {
            return Err(ApiError::Conflict(format!(
                "an order that is {} takes no payment",
                order.status.words()
            )));
        }
        let open = sqlx::query_as!(
            Payment,
            r#"select id, order_id, provider as "provider: PaymentProvider", attempt, amount_minor,
                      currency, status as "status: PaymentStatus", refunded_minor, intent_id,
                      client_secret, $4::uuid as "payer!", note, created_at, updated_at
               from store.payments
               where order_id = $1 and provider = $2 and status = 'started' and amount_minor = $3
               order by attempt desc limit 1"#,
            order_id,
            input.provider as PaymentProvider,
            order.total_minor,
            customer,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let payment = match open {
            Some(payment) => payment,
            None => {
                sqlx::query_as!(
                    Payment,
                    r#"insert into store.payments
                           (id, order_id, provider, attempt, amount_minor, currency, created_at,
                            updated_at)
                       select $1, $2, $3,
                              coalesce((select max(attempt) from store.payments where order_id = $2), 0) + 1,
                              $4, $5, $6, $6
                       returning id, order_id, provider as "provider: PaymentProvider", attempt,
                                 amount_minor, currency, status as "status: PaymentStatus",
                                 refunded_minor, intent_id, client_secret, $7::uuid as "payer!",
                                 note, created_at, updated_at"#,
                    Uuid::now_v7(),
                    order_id,
                    input.provider as PaymentProvider,
                    order.total_minor,
                    order.currency,
                    now,
                    customer,
                )
                .fetch_one(&mut *tx)
                .await?
            }
        };
        sqlx::query!(
            "update store.orders
             set payment_provider = $2,
                 pay_by = case when $2 = 'stripe'
                     then $3::timestamptz + (select payment_minutes from store.settings) * interval '1 minute'
                 end
             where id = $1",
            order_id,
            input.provider as PaymentProvider,
            now
        )
        .execute(&mut *tx)
        .await?;
        // The attempt is stored before Stripe hears of it, so its webhook always finds it.
        tx.commit().await?;
        let (Some(stripe), None) = (stripe, &payment.intent_id) else {
            return Ok(payment);
        };
        let intent = stripe
            .create_intent(
                order_id,
                payment.id,
                payment.attempt,
                payment.amount_minor,
                &payment.currency,
            )
            .await?;
        Ok(sqlx::query_as!(
            Payment,
            r#"update store.payments
               set intent_id = $2, client_secret = $3, updated_at = now()
               where id = $1
               returning id, order_id, provider as "provider: PaymentProvider", attempt,
                         amount_minor, currency, status as "status: PaymentStatus",
                         refunded_minor, intent_id, client_secret, $4::uuid as "payer!", note,
                         created_at, updated_at"#,
            payment.id,
            intent.id,
            intent.client_secret,
            customer,
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?)
    }

    /// Records that an order's total was paid by hand (at the desk, by invoice) and marks it
    /// paid; store staff only. Refused with `CONFLICT` unless the order waits for payment.
    async fn confirm_payment(
        &self,
        ctx: &Context<'_>,
        input: ConfirmPaymentInput,
    ) -> Result<Order, ApiError> {
        let staff = store_staff(caller(ctx), "confirm a payment")?;
        let id = parse_id(&input.order_id, "orderId")?;
        let reference = input
            .reference
            .map(|reference| reference.trim().to_owned())
            .filter(|reference| !reference.is_empty());
        let stripe = ctx.data_unchecked::<Payments>().stripe.as_ref();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let order = confirm_by_hand(&mut tx, stripe, id, staff.id, reference).await?;
        tx.commit().await?;
        Ok(order)
    }
}

/// Marks the order `id` paid by hand, as `staff` confirmed, recording the payment.
pub async fn confirm_by_hand(
    tx: &mut PgConnection,
    stripe: Option<&Stripe>,
    id: Uuid,
    staff: Uuid,
    reference: Option<String>,
) -> Result<Order, ApiError> {
    let order = orders::move_order(tx, stripe, id, OrderStatus::Paid, Some(staff)).await?;
    let confirmed = sqlx::query!(
        "update store.payments set status = 'succeeded', note = $2, updated_at = now()
         where id = (select id from store.payments
                     where order_id = $1 and provider = 'manual' and status = 'started'
                     order by attempt desc limit 1)",
        id,
        reference
    )
    .execute(&mut *tx)
    .await?;
    if confirmed.rows_affected() == 0 {
        sqlx::query!(
            "insert into store.payments
                 (id, order_id, provider, attempt, amount_minor, currency, status, note)
             select $1, $2, 'manual',
                    coalesce((select max(attempt) from store.payments where order_id = $2), 0) + 1,
                    $3, $4, 'succeeded', $5",
            Uuid::now_v7(),
            id,
            order.total_minor,
            order.currency,
            reference
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(order)
}

/// Gives back what is left of every payment of the order `id` that took money, saying `why`:
/// by Stripe for card payments, by hand (staff) for the rest. Called as an order is cancelled
/// or refunded.
pub async fn refund_all(
    tx: &mut PgConnection,
    stripe: Option<&Stripe>,
    id: Uuid,
    why: &str,
) -> Result<(), ApiError> {
    let paid = sqlx::query!(
        "select id, intent_id from store.payments
         where order_id = $1 and status = 'succeeded' order by attempt for update",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    for payment in paid {
        let key = format!("refund-{}", payment.id);
        let intent = payment.intent_id.as_deref();
        give_back(tx, stripe, payment.id, intent, None, &key, why).await?;
    }
    Ok(())
}

/// Gives `amount_minor` of `payment` back (all that is left of it when None): through Stripe
/// when it was a card's (its `intent_id`), with `idempotency_key`, then records it; fully given
/// back, the payment is `refunded`. Its row is to be locked by the caller.
pub async fn give_back(
    tx: &mut PgConnection,
    stripe: Option<&Stripe>,
    payment: Uuid,
    intent_id: Option<&str>,
    amount_minor: Option<i64>,
    idempotency_key: &str,
    why: &str,
) -> Result<(), ApiError> {
    if let Some(intent) = intent_id {
        let stripe = stripe.ok_or_else(|| {
            ApiError::internal("a card payment is to be refunded but Stripe is not configured")
        })?;
        stripe.refund(idempotency_key, intent, amount_minor).await?;
    }
    sqlx::query!(
        "update store.payments
         set refunded_minor = coalesce(refunded_minor + $2, amount_minor),
             status = case when coalesce(refunded_minor + $2, amount_minor) = amount_minor
                           then 'refunded' else status end,
             note = $3, updated_at = now()
         where id = $1",
        payment,
        amount_minor,
        why
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Applies a Stripe event to the store, once: the event's id is recorded in the transaction
/// that applies it. Answers what came of it, for the webhook's reply.
pub async fn apply_stripe_event(
    db: &PgPool,
    stripe: Option<&Stripe>,
    event: &Event,
) -> Result<&'static str, ApiError> {
    let succeeded = match event.kind.as_str() {
        "payment_intent.succeeded" => true,
        "payment_intent.payment_failed" | "payment_intent.canceled" => false,
        _ => return Ok("ignored"),
    };
    let intent: IntentEvent = match serde_json::from_value(event.data.object.clone()) {
        Ok(intent) => intent,
        Err(err) => {
            tracing::warn!(event = %event.id, error = %err, "a payment intent event without its intent is ignored");
            return Ok("ignored");
        }
    };
    let mut tx = db.begin().await?;
    let first = sqlx::query!(
        "insert into store.stripe_events (id, type) values ($1, $2) on conflict do nothing",
        event.id,
        event.kind
    )
    .execute(&mut *tx)
    .await?;
    if first.rows_affected() == 0 {
        return Ok("already applied");
    }
    let payment = match intent.payment_id() {
        Some(id) => {
            sqlx::query!(
                r#"select id, order_id, status as "status: PaymentStatus" from store.payments
                   where id = $1 and provider = 'stripe' for update"#,
                id
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let Some(payment) = payment else {
        tx.commit().await?;
        return Ok("not the store's");
    };
    if !succeeded {
        sqlx::query!(
            "update store.payments
             set status = 'failed', intent_id = coalesce(intent_id, $2), updated_at = now()
             where id = $1 and status = 'started'",
            payment.id,
            intent.id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok("applied");
    }
    if !matches!(
        payment.status,
        PaymentStatus::Started | PaymentStatus::Failed
    ) {
        tx.commit().await?;
        return Ok("applied");
    }
    let order = sqlx::query!(
        r#"select status as "status: OrderStatus", total_minor, currency from store.orders
           where id = $1 for update"#,
        payment.order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "update store.payments
         set status = 'succeeded', intent_id = coalesce(intent_id, $2), updated_at = now()
         where id = $1",
        payment.id,
        intent.id
    )
    .execute(&mut *tx)
    .await?;
    let refused = if intent.amount != order.total_minor
        || !intent.currency.eq_ignore_ascii_case(&order.currency)
    {
        Some(format!(
            "{} {} was paid for an order of {} {}: refunded",
            intent.amount,
            intent.currency.to_ascii_uppercase(),
            order.total_minor,
            order.currency
        ))
    } else if order.status == OrderStatus::Cancelled {
        Some("the order was cancelled before the payment arrived: refunded".to_owned())
    } else if order.status != OrderStatus::PendingPayment {
        Some(format!(
            "the order was already {} when this payment arrived: refunded",
            order.status.words()
        ))
    } else {
        None
    };
    match refused {
        None => {
            orders::move_order(&mut tx, stripe, payment.order_id, OrderStatus::Paid, None).await?;
        }
        Some(why) => {
            let key = format!("refund-{}", payment.id);
            let intent = Some(intent.id.as_str());
            give_back(&mut tx, stripe, payment.id, intent, None, &key, &why).await?;
            let order = orders::read(&mut tx, payment.order_id)
                .await?
                .ok_or_else(|| ApiError::internal("a paid order is not there"))?;
            changes::record(
                &mut tx,
                None,
                Action::ORDER_PAYMENT_REFUNDED,
                order.id,
                None,
                Some(&order),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok("applied")
}

/// Cancels the orders whose card payment time ran out before `now`, their units going back on
/// sale; answers how many.
pub async fn cancel_unpaid(
    db: &PgPool,
    stripe: Option<&Stripe>,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let overdue = sqlx::query_scalar!(
        "select id from store.orders
         where status = 'pending_payment' and pay_by < $1 order by pay_by limit 100",
        now
    )
    .fetch_all(db)
    .await?;
    let mut cancelled = 0;
    for id in overdue {
        let mut tx = db.begin().await?;
        // Under the order's lock: the customer may have started paying again meanwhile.
        let still = sqlx::query_scalar!(
            "select id from store.orders
             where id = $1 and status = 'pending_payment' and pay_by < $2 for update",
            id,
            now
        )
        .fetch_optional(&mut *tx)
        .await?;
        if still.is_some() {
            orders::move_order(&mut tx, stripe, id, OrderStatus::Cancelled, None).await?;
            tx.commit().await?;
            cancelled += 1;
        }
    }
    Ok(cancelled)
}

/// Every half minute, cancels the orders whose card payment time ran out, until the pool closes.
pub async fn sweep_unpaid(db: PgPool, clock: Clock, settings: StripeSettings) {
    let stripe = Stripe::new(&settings);
    let mut every = tokio::time::interval(Duration::from_secs(30));
    while !db.is_closed() {
        every.tick().await;
        match cancel_unpaid(&db, stripe.as_ref(), clock.now()).await {
            Ok(0) => {}
            Ok(cancelled) => tracing::info!(cancelled, "unpaid orders cancelled"),
            Err(err) => tracing::warn!(error = ?err, "unpaid orders not swept; trying again"),
        }
    }
}
