//! Payments: by hand, confirmed by store staff; by card through Stripe (its API played by
//! localstripe), each webhook delivery read only when its signature checks out and applied
//! once; money for an order that can no longer take it goes back; an unpaid card order gives
//! its units back when its payment time runs out.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{filament, product, staff, stock, store, store_with};
use hmac::{Hmac, Mac};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{
    Endpoint, error_code, error_message, invalid_fields, stripe_stand_in, token, unique_email,
};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::PgPool;
use store::StripeSettings;

const SECRET: &str = "whsec_test_payments";

const ADD: &str = "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }";
const PLACE: &str =
    "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id totalMinor } }";
const START: &str = "mutation($input: StartPaymentInput!) { startPayment(input: $input) {
    id provider attempt amountMinor currency status clientSecret } }";
const CONFIRM: &str = "mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) {
    status } }";
const SET_STATUS: &str =
    "mutation($input: SetOrderStatusInput!) { setOrderStatus(input: $input) { status } }";
const ORDER: &str = "query($id: ID!) { order(id: $id) { status paymentProvider payBy
    payments { provider attempt amountMinor status note } } }";
const OPTIONS: &str = "{ paymentOptions { providers stripePublishableKey stripeJsUrl } }";
const AVAILABLE: &str = "query($sku: String!) { productVariant(sku: $sku) { stockAvailable } }";

/// Card payments through the stand-in, webhooks signed with `SECRET`.
fn cards() -> StripeSettings {
    StripeSettings {
        secret_key: Some("sk_test_makrx".into()),
        publishable_key: Some("pk_test_makrx".into()),
        api_base: stripe_stand_in().url.clone(),
        webhook_secret: SECRET.into(),
    }
}

/// A customer's order of one spool of PLA (19.99 plus 4.99 shipping), waiting for payment.
async fn order(api: &Endpoint, db: &PgPool, customer: &str) -> Value {
    sqlx::query(
        "insert into store.shipping_rates (currency, price_minor) values ('EUR', 499)
         on conflict do nothing",
    )
    .execute(db)
    .await
    .expect("a shipping rate");
    let name = format!("PLA {}", uuid::Uuid::now_v7().simple());
    let pla = product(api, filament(&name, "PLA", 1999)).await;
    let variant = &pla["variants"][0];
    stock(api, &variant["id"], 5).await;
    let input = json!({"input": {"variantId": variant["id"], "quantity": 1}});
    api.data(ADD, input, Some(customer)).await;
    let ship_to = json!({"name": "Mel", "line1": "Torstraße 1", "city": "Berlin",
                         "postalCode": "10119", "country": "DE"});
    let placed = api
        .data(
            PLACE,
            json!({"input": {"delivery": "SHIPPING", "shipTo": ship_to}}),
            Some(customer),
        )
        .await;
    json!({"id": placed["placeOrder"]["id"], "total": placed["placeOrder"]["totalMinor"],
           "sku": variant["sku"]})
}

async fn start(api: &Endpoint, who: &str, order: &Value, provider: &str) -> Value {
    api.send(
        START,
        json!({"input": {"orderId": order["id"], "provider": provider}}),
        Some(who),
    )
    .await
}

async fn order_as_staff(api: &Endpoint, order: &Value) -> Value {
    api.data(ORDER, json!({"id": order["id"]}), Some(&staff()))
        .await["order"]
        .clone()
}

/// The PaymentIntent behind a client secret (`pi_..._secret_...`).
fn intent_of(payment: &Value) -> String {
    let secret = payment["clientSecret"].as_str().expect("a client secret");
    secret
        .split("_secret_")
        .next()
        .expect("an intent")
        .to_owned()
}

/// Pays the intent with the stand-in's test card, as Stripe.js would on the customer's page.
async fn pay_by_card(intent: &str) {
    let http = reqwest::Client::new();
    let api = &stripe_stand_in().url;
    for (path, form) in [
        (
            format!("{api}/v1/payment_intents/{intent}"),
            vec![("payment_method", "pm_card_visa")],
        ),
        (format!("{api}/v1/payment_intents/{intent}/confirm"), vec![]),
    ] {
        let response = http
            .post(path)
            .basic_auth("sk_test_makrx", Some(""))
            .form(&form)
            .send()
            .await
            .expect("the Stripe stand-in answers");
        assert!(response.status().is_success(), "{response:?}");
    }
}

/// Asks the stand-in to deliver its events to `api`'s webhook, signed with `SECRET`.
async fn deliver_events_to(api: &Endpoint) {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/_config/webhooks/{}",
            stripe_stand_in().url,
            api.addr.port()
        ))
        .form(&[
            ("url", format!("http://{}/webhooks/stripe", api.addr)),
            ("secret", SECRET.to_owned()),
        ])
        .send()
        .await
        .expect("the Stripe stand-in answers");
    assert!(response.status().is_success(), "{response:?}");
}

/// The order's status once it is `want`, asking again for up to ten seconds.
async fn status_becomes(api: &Endpoint, order: &Value, want: &str) -> Value {
    for _ in 0..100 {
        let seen = order_as_staff(api, order).await;
        if seen["status"] == want {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the order never became {want}: {}",
        order_as_staff(api, order).await
    );
}

/// A `Stripe-Signature` header for `body`, signed at `at` with each of `secrets` (`v1`).
fn signature(body: &str, at: i64, secrets: &[&str]) -> String {
    let mut header = format!("t={at}");
    for secret in secrets {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
        mac.update(format!("{at}.{body}").as_bytes());
        header += &format!(",v1={}", hex::encode(mac.finalize().into_bytes()));
    }
    header
}

/// An event about a PaymentIntent of `payment` (the store's id, in its metadata).
fn intent_event(id: &str, kind: &str, intent: &str, amount: &Value, payment: &Value) -> String {
    json!({"id": id, "object": "event", "type": kind, "created": Utc::now().timestamp(),
           "livemode": false, "pending_webhooks": 1,
           "data": {"object": {"id": intent, "object": "payment_intent", "amount": amount,
                               "currency": "eur", "metadata": {"payment_id": payment}}}})
    .to_string()
}

/// Delivers `body` to the webhook with `header` as its signature: the status and the answer.
async fn deliver(api: &Endpoint, body: &str, header: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{}/webhooks/stripe", api.addr))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(header) = header {
        request = request.header("stripe-signature", header);
    }
    let response = request.send().await.expect("the store answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn applied_events(db: &PgPool) -> Vec<String> {
    sqlx::query_scalar("select id from store.stripe_events order by id")
        .fetch_all(db)
        .await
        .expect("the applied events")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_delivery_is_read_only_when_its_signature_checks_out(db: PgPool) {
    let now = Utc::now();
    let api = store_with(&db, Clock::manual(now), &cards()).await;
    let at = now.timestamp();
    let payment = json!(uuid::Uuid::now_v7());
    let body = |id: &str| {
        intent_event(
            id,
            "payment_intent.payment_failed",
            "pi_x",
            &json!(1),
            &payment,
        )
    };

    let refused = [
        (
            "tampered",
            Some(signature(&body("evt_a"), at, &[SECRET])),
            body("evt_tampered"),
        ),
        (
            "wrong secret",
            Some(signature(&body("evt_b"), at, &["whsec_other"])),
            body("evt_b"),
        ),
        (
            "stale",
            Some(signature(&body("evt_c"), at - 301, &[SECRET])),
            body("evt_c"),
        ),
        (
            "future",
            Some(signature(&body("evt_d"), at + 301, &[SECRET])),
            body("evt_d"),
        ),
        (
            "v0 only",
            Some(signature(&body("evt_e"), at, &[SECRET]).replace("v1=", "v0=")),
            body("evt_e"),
        ),
        ("no header", None, body("evt_f")),
        ("no time", Some("v1=00".to_owned()), body("evt_g")),
    ];
    for (case, header, body) in refused {
        let (status, answer) = deliver(&api, &body, header.as_deref()).await;
        assert_eq!(status, 400, "{case}: {answer}");
        assert!(
            answer["error"].as_str().is_some_and(|why| !why.is_empty()),
            "{case}: {answer}"
        );
    }
    let (_, answer) = deliver(
        &api,
        &body("evt_b"),
        Some(&signature(&body("evt_b"), at, &["x"])),
    )
    .await;
    assert_eq!(
        answer["error"], "no v1 signature matches the body with this endpoint's secret",
        "{answer}"
    );
    assert!(
        applied_events(&db).await.is_empty(),
        "nothing refused is applied"
    );

    // Within the tolerance either way; and while the secret is rolled, one `v1` of several.
    let accepted = [
        (
            "signed now",
            signature(&body("evt_1"), at, &[SECRET]),
            body("evt_1"),
        ),
        (
            "299 s ago",
            signature(&body("evt_2"), at - 299, &[SECRET]),
            body("evt_2"),
        ),
        (
            "299 s ahead",
            signature(&body("evt_3"), at + 299, &[SECRET]),
            body("evt_3"),
        ),
        (
            "rolling secrets",
            signature(&body("evt_4"), at, &["whsec_old", SECRET]),
            body("evt_4"),
        ),
    ];
    for (case, header, body) in accepted {
        let (status, answer) = deliver(&api, &body, Some(&header)).await;
        assert_eq!(status, 200, "{case}: {answer}");
        assert_eq!(answer["received"], "not the store's", "{case}: {answer}");
    }
    assert_eq!(
        applied_events(&db).await,
        ["evt_1", "evt_2", "evt_3", "evt_4"]
    );

    // Signed but not an event: refused with why; an event the store does not act on: 2xx.
    let (status, answer) = deliver(&api, "[]", Some(&signature("[]", at, &[SECRET]))).await;
    assert_eq!(status, 400, "{answer}");
    let other =
        json!({"id": "evt_other", "type": "customer.created", "data": {"object": {}}}).to_string();
    let (status, answer) = deliver(&api, &other, Some(&signature(&other, at, &[SECRET]))).await;
    assert_eq!(
        (status, &answer["received"]),
        (200, &json!("ignored")),
        "{answer}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_card_payment_marks_the_order_paid_and_a_cancellation_refunds_it(db: PgPool) {
    let api = store_with(&db, Clock::system(), &cards()).await;
    deliver_events_to(&api).await;
    let customer = token(&unique_email("card"));
    let order = order(&api, &db, &customer).await;

    let payment = start(&api, &customer, &order, "STRIPE").await;
    let payment = &payment["data"]["startPayment"];
    assert_eq!(payment["provider"], "STRIPE", "{payment}");
    assert_eq!(payment["status"], "STARTED");
    assert_eq!(payment["amountMinor"], order["total"]);
    assert_eq!(payment["currency"], "EUR");
    let again = start(&api, &customer, &order, "STRIPE").await;
    assert_eq!(
        again["data"]["startPayment"]["id"], payment["id"],
        "starting again continues the attempt: {again}"
    );
    let secrets = "query($id: ID!) { order(id: $id) { payments { clientSecret } } }";
    let mine = api
        .data(secrets, json!({"id": order["id"]}), Some(&customer))
        .await;
    assert_eq!(
        mine["order"]["payments"][0]["clientSecret"],
        payment["clientSecret"]
    );
    let staff_sees = api
        .data(secrets, json!({"id": order["id"]}), Some(&staff()))
        .await;
    assert_eq!(
        staff_sees["order"]["payments"][0]["clientSecret"],
        Value::Null,
        "only the paying customer sees the client secret"
    );
    let waiting = order_as_staff(&api, &order).await;
    assert_eq!(waiting["paymentProvider"], "STRIPE");
    assert!(
        waiting["payBy"].is_string(),
        "a card order keeps its units for a while: {waiting}"
    );

    pay_by_card(&intent_of(payment)).await;
    let paid = status_becomes(&api, &order, "PAID").await;
    assert_eq!(paid["payments"][0]["status"], "SUCCEEDED", "{paid}");

    let cancelled = api
        .send(
            SET_STATUS,
            json!({"input": {"orderId": order["id"], "status": "CANCELLED"}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        cancelled["data"]["setOrderStatus"]["status"], "CANCELLED",
        "{cancelled}"
    );
    let after = order_as_staff(&api, &order).await;
    assert_eq!(after["payments"][0]["status"], "REFUNDED", "{after}");
    assert_eq!(after["payments"][0]["note"], "the order was cancelled");
    let refunds: Value = reqwest::Client::new()
        .get(format!("{}/v1/refunds", stripe_stand_in().url))
        .basic_auth("sk_test_makrx", Some(""))
        .send()
        .await
        .expect("the Stripe stand-in answers")
        .json()
        .await
        .expect("a list");
    let refunded = refunds["data"]
        .as_array()
        .expect("refunds")
        .iter()
        .filter(|refund| refund["payment_intent"] == intent_of(payment).as_str())
        .count();
    assert_eq!(refunded, 1, "Stripe refunded the card once: {refunds}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_replayed_or_reordered_event_changes_nothing_twice(db: PgPool) {
    let api = store_with(&db, Clock::system(), &cards()).await;
    let customer = token(&unique_email("replay"));
    let order = order(&api, &db, &customer).await;
    let payment = start(&api, &customer, &order, "STRIPE").await["data"]["startPayment"].clone();
    let intent = intent_of(&payment);
    let event =
        |id: &str, kind: &str| intent_event(id, kind, &intent, &order["total"], &payment["id"]);
    let send = |body: String| {
        let api = &api;
        async move {
            let header = signature(&body, Utc::now().timestamp(), &[SECRET]);
            deliver(api, &body, Some(&header)).await
        }
    };

    // Paid before Stripe's word that the intent was created arrives.
    let succeeded = event("evt_paid", "payment_intent.succeeded");
    assert_eq!(send(succeeded.clone()).await.1["received"], "applied");
    assert_eq!(order_as_staff(&api, &order).await["status"], "PAID");
    let (status, answer) = send(succeeded).await;
    assert_eq!(
        (status, &answer["received"]),
        (200, &json!("already applied"))
    );
    for late in [
        event("evt_created", "payment_intent.created"),
        event("evt_failed", "payment_intent.payment_failed"),
    ] {
        let (status, _) = send(late).await;
        assert_eq!(status, 200);
    }
    let seen = order_as_staff(&api, &order).await;
    assert_eq!(seen["status"], "PAID", "never moved backwards: {seen}");
    assert_eq!(seen["payments"][0]["status"], "SUCCEEDED", "{seen}");
    let moves: i64 = sqlx::query_scalar(
        "select count(*) from shared.audit_logs
         where entity_id = $1 and action = 'order.status_changed'",
    )
    .bind(order["id"].as_str())
    .fetch_one(&db)
    .await
    .expect("the audit");
    assert_eq!(moves, 1, "paid once");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn money_that_an_order_cannot_take_goes_back_and_the_customer_is_told(db: PgPool) {
    let clock = Clock::manual(Utc::now());
    let api = store_with(&db, clock.clone(), &cards()).await;
    let customer = token(&unique_email("late"));

    // The wrong amount: refunded, and the order still waits for its payment.
    let short = order(&api, &db, &customer).await;
    let payment = start(&api, &customer, &short, "STRIPE").await["data"]["startPayment"].clone();
    pay_by_card(&intent_of(&payment)).await;
    let less = json!(order_total(&short) - 1);
    let body = intent_event(
        "evt_short",
        "payment_intent.succeeded",
        &intent_of(&payment),
        &less,
        &payment["id"],
    );
    let (status, _) = deliver(
        &api,
        &body,
        Some(&signature(&body, clock.now().timestamp(), &[SECRET])),
    )
    .await;
    assert_eq!(status, 200);
    let seen = order_as_staff(&api, &short).await;
    assert_eq!(seen["status"], "PENDING_PAYMENT", "{seen}");
    assert_eq!(seen["payments"][0]["status"], "REFUNDED", "{seen}");
    assert_eq!(
        seen["payments"][0]["note"],
        format!(
            "{less} EUR was paid for an order of {} EUR: refunded",
            order_total(&short)
        )
    );

    // Paid after the payment time ran out and the sweeper gave the units back.
    let late = order(&api, &db, &customer).await;
    let payment = start(&api, &customer, &late, "STRIPE").await["data"]["startPayment"].clone();
    assert_eq!(available(&api, &late).await, 4);
    clock.advance(chrono::Duration::minutes(31));
    tokio::spawn(store::sweep_unpaid(db.clone(), clock.clone(), cards()));
    status_becomes(&api, &late, "CANCELLED").await;
    assert_eq!(available(&api, &late).await, 5, "its unit is on sale again");
    pay_by_card(&intent_of(&payment)).await;
    let body = intent_event(
        "evt_late",
        "payment_intent.succeeded",
        &intent_of(&payment),
        &late["total"],
        &payment["id"],
    );
    let (status, _) = deliver(
        &api,
        &body,
        Some(&signature(&body, clock.now().timestamp(), &[SECRET])),
    )
    .await;
    assert_eq!(status, 200);
    let seen = order_as_staff(&api, &late).await;
    assert_eq!(
        seen["status"], "CANCELLED",
        "never paid without its goods: {seen}"
    );
    assert_eq!(seen["payments"][0]["status"], "REFUNDED", "{seen}");
    assert_eq!(
        seen["payments"][0]["note"],
        "the order was cancelled before the payment arrived: refunded"
    );
    let told: i64 = sqlx::query_scalar(
        "select count(*) from events.outbox
         where topic = 'store.order.changed' and payload->>'action' = 'order.payment_refunded'
           and payload->'after'->>'id' = $1",
    )
    .bind(late["id"].as_str())
    .fetch_one(&db)
    .await
    .expect("the outbox");
    assert_eq!(told, 1, "the customer's order page hears of the refund");
}

async fn available(api: &Endpoint, order: &Value) -> Value {
    api.data(AVAILABLE, json!({"sku": order["sku"]}), None)
        .await["productVariant"]["stockAvailable"]
        .clone()
}

fn order_total(order: &Value) -> i64 {
    order["total"].as_i64().expect("a total")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_confirm_a_payment_by_hand_and_nobody_else_may(db: PgPool) {
    let api = store(&db).await;
    let customer = token(&unique_email("desk"));
    let order = order(&api, &db, &customer).await;

    let options = api.data(OPTIONS, json!({}), None).await;
    assert_eq!(
        options["paymentOptions"],
        json!({"providers": ["MANUAL"], "stripePublishableKey": null, "stripeJsUrl": null})
    );
    let card = start(&api, &customer, &order, "STRIPE").await;
    assert_eq!(invalid_fields(&card), ["provider"], "{card}");
    assert_eq!(
        error_message(&card),
        "provider: this store takes no card payments: choose MANUAL"
    );

    let started = start(&api, &customer, &order, "MANUAL").await;
    assert_eq!(
        started["data"]["startPayment"]["status"], "STARTED",
        "{started}"
    );
    assert_eq!(started["data"]["startPayment"]["clientSecret"], Value::Null);
    let stranger = start(&api, &token(&unique_email("stranger")), &order, "MANUAL").await;
    assert_eq!(error_code(&stranger), Some("NOT_FOUND"), "{stranger}");
    let anonymous = api
        .send(
            START,
            json!({"input": {"orderId": order["id"], "provider": "MANUAL"}}),
            None,
        )
        .await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );

    let confirm = json!({"input": {"orderId": order["id"], "reference": " INV-42 "}});
    let refused = api.send(CONFIRM, confirm.clone(), Some(&customer)).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    assert_eq!(
        error_message(&refused),
        "only store staff may confirm a payment"
    );
    let confirmed = api.send(CONFIRM, confirm.clone(), Some(&staff())).await;
    assert_eq!(
        confirmed["data"]["confirmPayment"]["status"], "PAID",
        "{confirmed}"
    );
    let seen = order_as_staff(&api, &order).await;
    assert_eq!(
        seen["payments"],
        json!([{"provider": "MANUAL", "attempt": 1, "amountMinor": order["total"],
                "status": "SUCCEEDED", "note": "INV-42"}])
    );
    assert_eq!(seen["payBy"], Value::Null);
    let twice = api.send(CONFIRM, confirm, Some(&staff())).await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");
    assert_eq!(
        error_message(&twice),
        "an order that is paid cannot become paid"
    );
    let late = start(&api, &customer, &order, "MANUAL").await;
    assert_eq!(error_code(&late), Some("CONFLICT"), "{late}");
    assert_eq!(
        error_message(&late),
        "an order that is paid takes no payment"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_store_that_takes_cards_says_so(db: PgPool) {
    let api = store_with(&db, Clock::system(), &cards()).await;
    let options = api.data(OPTIONS, json!({}), None).await;
    assert_eq!(
        options["paymentOptions"],
        json!({"providers": ["MANUAL", "STRIPE"], "stripePublishableKey": "pk_test_makrx",
               "stripeJsUrl": format!("{}/js.stripe.com/v3/", stripe_stand_in().url)})
    );
    assert_eq!(
        StripeSettings {
            api_base: "https://api.stripe.com".into(),
            ..cards()
        }
        .stripe_js_url(),
        "https://js.stripe.com/v3/",
        "Stripe's own API, Stripe's own script"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn paying_by_hand_where_cards_are_taken_asks_nothing_of_stripe(db: PgPool) {
    let api = store_with(&db, Clock::system(), &cards()).await;
    let customer = token(&unique_email("by-hand"));
    let order = order(&api, &db, &customer).await;

    let started = start(&api, &customer, &order, "MANUAL").await;
    assert_eq!(
        started["data"]["startPayment"]["provider"], "MANUAL",
        "{started}"
    );
    assert_eq!(
        started["data"]["startPayment"]["clientSecret"],
        Value::Null,
        "no PaymentIntent for money taken at the desk"
    );
    let intents: Option<String> =
        sqlx::query_scalar("select intent_id from store.payments where order_id = $1::uuid")
            .bind(order["id"].as_str())
            .fetch_one(&db)
            .await
            .expect("the payment");
    assert_eq!(intents, None);
}

const REFUND_LINES: &str = "mutation($input: RefundOrderLinesInput!) {
    refundOrderLines(input: $input) { status lines { quantity refundedQuantity }
        refunds { amountMinor reason lines { quantity amountMinor } }
        payments { status refundedMinor } } }";

async fn refund_lines(
    api: &Endpoint,
    who: &str,
    order: &Value,
    line: &Value,
    quantity: i32,
) -> Value {
    let input = json!({"input": {"orderId": order["id"], "reason": "cracked spool",
                                 "lines": [{"lineId": line, "quantity": quantity}]}});
    api.send(REFUND_LINES, input, Some(who)).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_delivered_orders_lines_are_refunded_a_few_units_at_a_time(db: PgPool) {
    let api = store(&db).await;
    let customer = token(&unique_email("returns"));
    let order = order(&api, &db, &customer).await;
    let line = api
        .data(
            "query($id: ID!) { order(id: $id) { lines { id } } }",
            json!({"id": order["id"]}),
            Some(&customer),
        )
        .await["order"]["lines"][0]["id"]
        .clone();

    let early = refund_lines(&api, &staff(), &order, &line, 1).await;
    assert_eq!(error_code(&early), Some("CONFLICT"), "{early}");
    assert_eq!(
        error_message(&early),
        "lines are refunded once the order is delivered, and this one is pending payment: cancel it instead"
    );
    for status in ["PAID", "FULFILLING", "SHIPPED", "DELIVERED"] {
        let input = json!({"input": {"orderId": order["id"], "status": status}});
        api.data(SET_STATUS, input, Some(&staff())).await;
    }
    let refused = refund_lines(&api, &customer, &order, &line, 1).await;
    assert_eq!(
        error_message(&refused),
        "only store staff may refund an order",
        "{refused}"
    );
    let too_many = refund_lines(&api, &staff(), &order, &line, 2).await;
    assert_eq!(
        invalid_fields(&too_many),
        ["lines.0.quantity"],
        "{too_many}"
    );
    let stranger = refund_lines(&api, &staff(), &order, &order["id"], 1).await;
    assert_eq!(invalid_fields(&stranger), ["lines.0.lineId"], "{stranger}");

    // One spool of 19.99 (no tax to Germany here): all of it back, shipping kept.
    let refunded = refund_lines(&api, &staff(), &order, &line, 1).await;
    let refunded = &refunded["data"]["refundOrderLines"];
    assert_eq!(
        *refunded,
        json!({"status": "DELIVERED", "lines": [{"quantity": 1, "refundedQuantity": 1}],
               "refunds": [{"amountMinor": 1999, "reason": "cracked spool",
                            "lines": [{"quantity": 1, "amountMinor": 1999}]}],
               "payments": [{"status": "SUCCEEDED", "refundedMinor": 1999}]}),
        "{refunded}"
    );
    let again = refund_lines(&api, &staff(), &order, &line, 1).await;
    assert_eq!(
        error_message(&again),
        "lines.0.quantity: this line is refunded in full already"
    );

    // The rest (the shipping) goes back when the whole order is refunded.
    let input = json!({"input": {"orderId": order["id"], "status": "REFUNDED"}});
    api.data(SET_STATUS, input, Some(&staff())).await;
    let seen = order_as_staff(&api, &order).await;
    assert_eq!(seen["status"], "REFUNDED");
    assert_eq!(seen["payments"][0]["status"], "REFUNDED", "{seen}");
}
