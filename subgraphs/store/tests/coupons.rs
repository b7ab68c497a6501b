//! Coupons: a percentage or an amount off the goods, spread over the lines with tax worked out
//! after it; refused, saying why, when out of date, used up, switched off or not for this cart;
//! limits held when many customers check out at once; and only store staff make them.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{filament, product, staff, stock, store, store_at};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const CREATE: &str = "mutation($input: CreateCouponInput!) { createCoupon(input: $input) {
    id code percentOff amountOffMinor currency uses active } }";
const SET_ACTIVE: &str = "mutation($input: SetCouponActiveInput!) {
    setCouponActive(input: $input) { active } }";
const COUPONS: &str = "{ coupons { edges { node { code uses } } } }";
const ADD: &str = "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }";
const APPLY: &str = "mutation($input: ApplyCouponInput!) { applyCoupon(input: $input) {
    subtotalMinor discountMinor coupon { code description problem } } }";
const CART: &str = "{ cart { subtotalMinor discountMinor coupon { code problem } } }";
const REMOVE: &str = "mutation { removeCoupon { discountMinor coupon { code } } }";
const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    id subtotalMinor discountMinor couponCode shippingMinor taxMinor totalMinor
    lines { lineTotalMinor discountMinor taxMinor } } }";
const CANCEL: &str =
    "mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { status } }";

/// Shipping in India, 99 rupees, free from 999 (of goods after the discount); standard goods
/// taxed 18 %.
async fn rates(db: &PgPool) {
    sqlx::raw_sql(
        "insert into store.shipping_rates (currency, price_minor, free_from_minor)
         values ('EUR', 499, 10000);
         insert into store.tax_rates (region, tax_class, rate_basis_points)
         values ('IN', 'standard', 1800);",
    )
    .execute(db)
    .await
    .expect("rates");
}

fn ship_to() -> Value {
    json!({"delivery": "SHIPPING", "shipTo": {"name": "Mel", "line1": "12 MG Road",
           "city": "Bengaluru", "postalCode": "560001", "country": "IN"}})
}

async fn coupon(api: &Endpoint, input: Value) -> Value {
    api.data(CREATE, json!({"input": input}), Some(&staff()))
        .await["createCoupon"]
        .clone()
}

async fn add(api: &Endpoint, who: &str, variant: &Value, quantity: i32) {
    let input = json!({"input": {"variantId": variant, "quantity": quantity}});
    api.data(ADD, input, Some(who)).await;
}

async fn apply(api: &Endpoint, who: &str, code: &str) -> Value {
    api.send(APPLY, json!({"input": {"code": code}}), Some(who))
        .await
}

async fn place(api: &Endpoint, who: &str) -> Value {
    api.send(PLACE, json!({"input": ship_to()}), Some(who))
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_coupon_takes_its_share_off_each_line_and_tax_follows(db: PgPool) {
    rates(&db).await;
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let petg = product(&api, filament("PETG", "PETG", 2999)).await;
    for variant in [&pla["variants"][0]["id"], &petg["variants"][0]["id"]] {
        stock(&api, variant, 10).await;
    }
    coupon(
        &api,
        json!({"code": "maker-10", "description": "10 % off", "percentOff": 10}),
    )
    .await;
    let customer = token(&unique_email("coupon"));
    add(&api, &customer, &pla["variants"][0]["id"], 2).await;
    add(&api, &customer, &petg["variants"][0]["id"], 1).await;

    let applied = apply(&api, &customer, " Maker-10 ").await;
    assert_eq!(
        applied["data"]["applyCoupon"],
        json!({"subtotalMinor": 6997, "discountMinor": 699,
               "coupon": {"code": "MAKER-10", "description": "10 % off", "problem": null}}),
        "{applied}"
    );
    let order = place(&api, &customer).await;
    let order = &order["data"]["placeOrder"];
    // 3998 and 2999 share 699 as 399.4 and 299.6: 399 and 300. Tax 18 % of 3599 and 2699.
    assert_eq!(
        order["lines"],
        json!([{"lineTotalMinor": 3998, "discountMinor": 399, "taxMinor": 648},
               {"lineTotalMinor": 2999, "discountMinor": 300, "taxMinor": 486}]),
        "{order}"
    );
    assert_eq!(order["discountMinor"], 699);
    assert_eq!(order["couponCode"], "MAKER-10");
    assert_eq!(order["taxMinor"], 648 + 486);
    assert_eq!(order["totalMinor"], 6997 - 699 + 499 + 648 + 486);
    let cart = api.data(CART, json!({}), Some(&customer)).await;
    assert_eq!(
        cart["cart"]["coupon"],
        Value::Null,
        "an order uses the cart's coupon up"
    );
    let coupons = api.data(COUPONS, json!({}), Some(&staff())).await;
    assert_eq!(coupons["coupons"]["edges"][0]["node"]["uses"], 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_coupon_that_does_not_apply_says_why_and_holds_nothing_back(db: PgPool) {
    rates(&db).await;
    let at = Utc
        .with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
        .single()
        .expect("a time");
    let clock = Clock::manual(at);
    let api = store_at(&db, clock.clone()).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 10).await;
    let customer = token(&unique_email("refused"));

    let empty = apply(&api, &customer, "NONE").await;
    assert_eq!(invalid_fields(&empty), ["code"], "{empty}");
    coupon(
        &api,
        json!({"code": "LATER", "percentOff": 5, "startsAt": at + Duration::days(1)}),
    )
    .await;
    coupon(&api, json!({"code": "GONE", "percentOff": 5, "endsAt": at})).await;
    coupon(
        &api,
        json!({"code": "BIG", "amountOffMinor": 500, "currency": "EUR",
                        "minSubtotalMinor": 5000}),
    )
    .await;
    coupon(
        &api,
        json!({"code": "RUPEES", "amountOffMinor": 500, "currency": "INR"}),
    )
    .await;
    let once = coupon(
        &api,
        json!({"code": "ONCE", "amountOffMinor": 300, "currency": "EUR",
                                   "maxUsesPerCustomer": 1}),
    )
    .await;
    let nothing_yet = apply(&api, &customer, "ONCE").await;
    assert_eq!(
        error_message(&nothing_yet),
        "your cart is empty: add something before a coupon"
    );

    add(&api, &customer, &variant, 1).await;
    for (code, why) in [
        ("LATER", "the coupon LATER is not valid yet"),
        ("GONE", "the coupon GONE has expired"),
        (
            "BIG",
            "the coupon BIG needs goods worth at least 5000 in minor units of EUR",
        ),
        ("RUPEES", "the coupon RUPEES is for orders in INR"),
    ] {
        let refused = apply(&api, &customer, code).await;
        assert_eq!(error_code(&refused), Some("CONFLICT"), "{refused}");
        assert_eq!(error_message(&refused), why);
    }

    // Switched off while on the cart: the cart says so, and the order is refused whole.
    let applied = apply(&api, &customer, "once").await;
    assert_eq!(
        applied["data"]["applyCoupon"]["discountMinor"], 300,
        "{applied}"
    );
    let off = json!({"input": {"couponId": once["id"], "active": false}});
    api.data(SET_ACTIVE, off, Some(&staff())).await;
    let cart = api.data(CART, json!({}), Some(&customer)).await;
    assert_eq!(
        cart["cart"],
        json!({"subtotalMinor": 1999, "discountMinor": 0,
               "coupon": {"code": "ONCE", "problem": "is no longer offered"}})
    );
    let refused = place(&api, &customer).await;
    assert_eq!(
        error_message(&refused),
        "the coupon ONCE is no longer offered",
        "{refused}"
    );
    let orders: i64 = sqlx::query_scalar("select count(*) from store.orders")
        .fetch_one(&db)
        .await
        .expect("orders");
    assert_eq!(orders, 0, "nothing of a refused order is written");

    // Once per customer; a cancelled order gives the use back.
    let on = json!({"input": {"couponId": once["id"], "active": true}});
    api.data(SET_ACTIVE, on, Some(&staff())).await;
    let first = place(&api, &customer).await;
    assert_eq!(first["data"]["placeOrder"]["discountMinor"], 300, "{first}");
    add(&api, &customer, &variant, 1).await;
    apply(&api, &customer, "ONCE").await;
    let second = place(&api, &customer).await;
    assert_eq!(
        error_message(&second),
        "the coupon ONCE can be used 1 time per customer, and you have"
    );
    let cancel = json!({"input": {"orderId": first["data"]["placeOrder"]["id"]}});
    api.data(CANCEL, cancel, Some(&customer)).await;
    let again = place(&api, &customer).await;
    assert_eq!(again["data"]["placeOrder"]["discountMinor"], 300, "{again}");

    let removed = api.data(REMOVE, json!({}), Some(&customer)).await;
    assert_eq!(
        removed["removeCoupon"],
        json!({"discountMinor": 0, "coupon": null})
    );
}

/// Twenty customers check out at once with a coupon for three orders: three get it, the rest
/// are refused whole, and the count never passes the limit.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_coupon_for_three_orders_goes_to_three_of_twenty(db: PgPool) {
    rates(&db).await;
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 100).await;
    coupon(
        &api,
        json!({"code": "FIRST3", "percentOff": 50, "maxUses": 3}),
    )
    .await;
    let customers: Vec<String> = (0..20)
        .map(|n| token(&unique_email(&format!("rush-{n}"))))
        .collect();
    for customer in &customers {
        add(&api, customer, &variant, 1).await;
        apply(&api, customer, "FIRST3").await;
    }

    let answers =
        futures::future::join_all(customers.iter().map(|customer| place(&api, customer))).await;
    let placed = answers
        .iter()
        .filter(|answer| answer["data"]["placeOrder"]["discountMinor"] == 999)
        .count();
    let refused = answers
        .iter()
        .filter(|answer| {
            error_code(answer) == Some("CONFLICT")
                && error_message(answer) == "the coupon FIRST3 has been used up"
        })
        .count();
    assert_eq!((placed, refused), (3, 17), "{answers:#?}");
    let (uses, orders): (i32, i64) = sqlx::query_as(
        "select uses, (select count(*) from store.orders where coupon_id = c.id)
         from store.coupons c",
    )
    .fetch_one(&db)
    .await
    .expect("the coupon");
    assert_eq!((uses, orders), (3, 3));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_store_staff_make_and_see_coupons(db: PgPool) {
    let api = store(&db).await;
    let customer = token(&unique_email("customer"));
    let input = json!({"input": {"code": "SAVE", "percentOff": 10}});

    let anonymous = api.send(CREATE, input.clone(), None).await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    let refused = api.send(CREATE, input.clone(), Some(&customer)).await;
    assert_eq!(error_message(&refused), "only store staff may make coupons");
    let list = api.send(COUPONS, json!({}), Some(&customer)).await;
    assert_eq!(error_code(&list), Some("FORBIDDEN"), "{list}");

    let made = api.send(CREATE, input.clone(), Some(&staff())).await;
    assert_eq!(made["data"]["createCoupon"]["code"], "SAVE", "{made}");
    let taken = api.send(CREATE, input, Some(&staff())).await;
    assert_eq!(error_message(&taken), "there is already a coupon SAVE");
    let switch =
        json!({"input": {"couponId": made["data"]["createCoupon"]["id"], "active": false}});
    let refused = api.send(SET_ACTIVE, switch, Some(&customer)).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");

    for (input, field) in [
        (json!({"code": "x", "percentOff": 10}), "code"),
        (json!({"code": "NO SPACES", "percentOff": 10}), "code"),
        (
            json!({"code": "BOTH", "percentOff": 10, "amountOffMinor": 5, "currency": "EUR"}),
            "percentOff",
        ),
        (json!({"code": "NEITHER"}), "percentOff"),
        (json!({"code": "MUCH", "percentOff": 101}), "percentOff"),
        (
            json!({"code": "FREE", "amountOffMinor": 0, "currency": "EUR"}),
            "amountOffMinor",
        ),
        (json!({"code": "WHICH", "amountOffMinor": 500}), "currency"),
        (
            json!({"code": "EURO", "amountOffMinor": 500, "currency": "euro"}),
            "currency",
        ),
        (
            json!({"code": "BACKWARDS", "percentOff": 5, "startsAt": "2026-12-02T00:00:00Z",
                   "endsAt": "2026-12-01T00:00:00Z"}),
            "endsAt",
        ),
        (
            json!({"code": "NONE", "percentOff": 5, "maxUses": 0}),
            "maxUses",
        ),
    ] {
        let refused = api
            .send(CREATE, json!({"input": input}), Some(&staff()))
            .await;
        assert_eq!(invalid_fields(&refused), [field], "{input}: {refused}");
    }
}

/// A guest's coupon comes along when their cart joins the customer's at sign-in, unless the
/// customer's cart has one of its own.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guests_coupon_comes_along_at_sign_in(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 10).await;
    coupon(&api, json!({"code": "GUEST5", "percentOff": 5})).await;
    coupon(&api, json!({"code": "MINE10", "percentOff": 10})).await;
    let as_guest = |browser: &'static str, query: &'static str, variables: Value| {
        let api = &api;
        async move {
            api.send_with(
                query,
                variables,
                None,
                &[(store::CART_TOKEN_HEADER, browser)],
            )
            .await
        }
    };
    let add_one = json!({"input": {"variantId": variant, "quantity": 1}});

    let browser = "browser-token-0123456789abcdef";
    as_guest(browser, ADD, add_one.clone()).await;
    as_guest(browser, APPLY, json!({"input": {"code": "GUEST5"}})).await;
    let customer = token(&unique_email("joins"));
    let headers = [(store::CART_TOKEN_HEADER, browser)];
    let joined = api
        .send_with(CART, json!({}), Some(&customer), &headers)
        .await;
    assert_eq!(
        joined["data"]["cart"]["coupon"]["code"], "GUEST5",
        "{joined}"
    );
    assert_eq!(joined["data"]["cart"]["discountMinor"], 99);

    let laptop = "laptop-token-0123456789abcdef0";
    as_guest(laptop, ADD, add_one).await;
    as_guest(laptop, APPLY, json!({"input": {"code": "MINE10"}})).await;
    apply(&api, &customer, "MINE10").await;
    as_guest(laptop, APPLY, json!({"input": {"code": "GUEST5"}})).await;
    let headers = [(store::CART_TOKEN_HEADER, laptop)];
    let kept = api
        .send_with(CART, json!({}), Some(&customer), &headers)
        .await;
    assert_eq!(kept["data"]["cart"]["coupon"]["code"], "MINE10", "{kept}");
    assert_eq!(kept["data"]["cart"]["subtotalMinor"], 3998);
}
