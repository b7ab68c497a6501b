//! Carts: a guest's found by its token, a customer's by their sign-in, the two joined at
//! sign-in; every line holds its stock for the hold time, lapses by the clock, and never asks
//! for more than can be had, also when fifty carts reach for the last units at once.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{ADMIN, filament, product, staff, stock, store_at};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const ADD_LINES: &str = "mutation($input: AddLinesToCartInput!) {
    addLinesToCart(input: $input) { itemCount } }";
const CART: &str = "query { cart { id itemCount subtotalMinor currency heldUntil
    lines { quantity held heldUntil unitPriceMinor lineTotalMinor variant { sku } } } }";
const ADD: &str = "mutation($input: AddToCartInput!) { addToCart(input: $input) {
    itemCount lines { quantity held variant { sku } } } }";
const SET: &str = "mutation($input: SetCartQuantityInput!) { setCartQuantity(input: $input) {
    itemCount lines { quantity variant { sku } } } }";
const AVAILABLE: &str = "query($sku: String!) { productVariant(sku: $sku) { stockAvailable } }";

/// A guest's cart token, as the web origin would make one.
fn guest(name: &str) -> String {
    format!("guest-{name}-{}", uuid::Uuid::now_v7().simple())
}

/// Sends `query` as a guest holding `cart_token`.
async fn as_guest(api: &Endpoint, cart_token: &str, query: &str, variables: Value) -> Value {
    api.send_with(query, variables, None, &[("x-makrx-cart", cart_token)])
        .await
}

fn add(variant: &Value, quantity: i32) -> Value {
    json!({"input": {"variantId": variant, "quantity": quantity}})
}

async fn available(api: &Endpoint, sku: &str) -> i64 {
    api.data(AVAILABLE, json!({"sku": sku}), None).await["productVariant"]["stockAvailable"]
        .as_i64()
        .expect("a number")
}

/// A filament whose first variant (`PLA-BASIC-0`) has `units` on hand; returns its variants.
async fn last_units(api: &Endpoint, units: i32) -> Value {
    let pla = product(api, filament("PLA Basic", "PLA", 1999)).await;
    stock(api, &pla["variants"][0]["id"], units).await;
    stock(api, &pla["variants"][1]["id"], 10).await;
    pla["variants"].clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guest_cart_holds_its_units_from_other_carts(db: PgPool) {
    let api = store_at(&db, Clock::system()).await;
    let variants = last_units(&api, 3).await;
    let (first, second) = (guest("first"), guest("second"));

    let added = as_guest(&api, &first, ADD, add(&variants[0]["id"], 2)).await;
    assert_eq!(
        added["data"]["addToCart"],
        json!({"itemCount": 2, "lines": [{"quantity": 2, "held": true, "variant": {"sku": "PLA-BASIC-0"}}]})
    );
    assert_eq!(available(&api, "PLA-BASIC-0").await, 1);

    let too_many = as_guest(&api, &second, ADD, add(&variants[0]["id"], 2)).await;
    assert_eq!(error_code(&too_many), Some("CONFLICT"));
    assert_eq!(
        error_message(&too_many),
        "only 1 of PLA Basic (PLA-BASIC-0) can be had now"
    );
    let one = as_guest(&api, &second, ADD, add(&variants[0]["id"], 1)).await;
    assert_eq!(one["data"]["addToCart"]["itemCount"], 1);
    let sold_out = as_guest(&api, &guest("third"), ADD, add(&variants[0]["id"], 1)).await;
    assert_eq!(
        error_message(&sold_out),
        "PLA Basic (PLA-BASIC-0) is sold out"
    );

    // Each token finds its own cart, priced at today's prices.
    let cart = as_guest(&api, &first, CART, json!({})).await;
    let cart = &cart["data"]["cart"];
    assert_eq!(cart["subtotalMinor"], 2 * 1999);
    assert_eq!(cart["currency"], "EUR");
    assert_eq!(cart["lines"][0]["lineTotalMinor"], 2 * 1999);
    assert_eq!(cart["heldUntil"], cart["lines"][0]["heldUntil"]);

    // Lowering a line gives units back at once; 0 takes it out.
    let fewer = as_guest(
        &api,
        &first,
        SET,
        json!({"input": {"variantId": variants[0]["id"], "quantity": 1}}),
    )
    .await;
    assert_eq!(fewer["data"]["setCartQuantity"]["itemCount"], 1);
    assert_eq!(available(&api, "PLA-BASIC-0").await, 1);
    let none = as_guest(
        &api,
        &first,
        SET,
        json!({"input": {"variantId": variants[0]["id"], "quantity": 0}}),
    )
    .await;
    assert_eq!(
        none["data"]["setCartQuantity"],
        json!({"itemCount": 0, "lines": []})
    );
    assert_eq!(available(&api, "PLA-BASIC-0").await, 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn who_has_no_cart_is_told_how_to_have_one(db: PgPool) {
    let api = store_at(&db, Clock::system()).await;
    let variants = last_units(&api, 3).await;
    let empty = api.data(CART, json!({}), None).await;
    assert_eq!(
        empty["cart"],
        json!({"id": null, "itemCount": 0, "subtotalMinor": 0, "currency": null, "heldUntil": null, "lines": []})
    );
    let nobody = api.send(ADD, add(&variants[0]["id"], 1), None).await;
    assert_eq!(error_code(&nobody), Some("UNAUTHENTICATED"));
    assert_eq!(
        error_message(&nobody),
        "sign in, or send a cart token (the x-makrx-cart header), to have a cart"
    );
    let short = as_guest(&api, "short", CART, json!({})).await;
    assert_eq!(invalid_fields(&short), ["x-makrx-cart"]);

    let token = guest("checks");
    for (input, field) in [
        (add(&variants[0]["id"], 0), "quantity"),
        (add(&variants[0]["id"], 1000), "quantity"),
        (add(&json!("nope"), 1), "variantId"),
    ] {
        let refused = as_guest(&api, &token, ADD, input).await;
        assert_eq!(invalid_fields(&refused), [field]);
    }
    let unknown = as_guest(
        &api,
        &token,
        ADD,
        add(&json!("0193a5c0-0000-7000-8000-00000000beef"), 1),
    )
    .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));

    let lines = |lines: Value| json!({"input": {"lines": lines}});
    let one = json!([{"variantId": variants[0]["id"], "quantity": 1}]);
    let nobody = api.send(ADD_LINES, lines(one), None).await;
    assert_eq!(error_code(&nobody), Some("UNAUTHENTICATED"));
    let many: Vec<Value> = (0..101)
        .map(|_| json!({"variantId": variants[0]["id"], "quantity": 1}))
        .collect();
    for (input, field) in [
        (json!([]), "lines"),
        (json!(many), "lines"),
        (
            json!([{"variantId": variants[0]["id"], "quantity": 1},
                   {"variantId": "nope", "quantity": 1}]),
            "lines.1.variantId",
        ),
    ] {
        let refused = as_guest(&api, &token, ADD_LINES, lines(input)).await;
        assert_eq!(invalid_fields(&refused), [field], "{refused}");
    }
    let cart = as_guest(&api, &token, CART, json!({})).await;
    assert_eq!(
        cart["data"]["cart"]["itemCount"], 0,
        "refused lines add nothing: {cart}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_cart_is_in_one_currency_and_sells_only_what_is_published(db: PgPool) {
    let api = store_at(&db, Clock::system()).await;
    let variants = last_units(&api, 3).await;
    let mut rupees = filament("PLA Desi", "PLA", 99_900);
    for variant in rupees["variants"].as_array_mut().expect("variants") {
        variant["currency"] = json!("INR");
    }
    let rupees = product(&api, rupees).await;
    stock(&api, &rupees["variants"][0]["id"], 5).await;
    let token = guest("currency");
    as_guest(&api, &token, ADD, add(&variants[0]["id"], 1)).await;
    let mixed = as_guest(&api, &token, ADD, add(&rupees["variants"][0]["id"], 1)).await;
    assert_eq!(error_code(&mixed), Some("CONFLICT"));
    assert_eq!(
        error_message(&mixed),
        "your cart is priced in EUR and PLA Desi in INR: check out one currency at a time"
    );

    let mut draft = filament("Silk PLA", "PLA", 2599);
    draft["published"] = json!(false);
    let draft = product(&api, draft).await;
    stock(&api, &draft["variants"][0]["id"], 5).await;
    let unpublished = as_guest(&api, &token, ADD, add(&draft["variants"][0]["id"], 1)).await;
    assert_eq!(error_code(&unpublished), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_hold_lapses_by_the_clock_and_counts_no_more(db: PgPool) {
    let clock = Clock::manual(
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
            .single()
            .expect("a time"),
    );
    let api = store_at(&db, clock.clone()).await;
    let variants = last_units(&api, 3).await;
    let (first, second) = (guest("first"), guest("second"));
    as_guest(&api, &first, ADD, add(&variants[0]["id"], 3)).await;

    // A change to the cart holds everything in it for another 15 minutes.
    clock.advance(Duration::minutes(10));
    as_guest(&api, &first, ADD, add(&variants[1]["id"], 1)).await;
    clock.advance(Duration::minutes(10));
    let held = as_guest(&api, &first, CART, json!({})).await;
    assert_eq!(held["data"]["cart"]["lines"][0]["held"], true);
    assert_eq!(
        held["data"]["cart"]["heldUntil"],
        "2026-12-07T10:25:00+00:00"
    );
    assert_eq!(available(&api, "PLA-BASIC-0").await, 0);

    // Once the hold lapses the units count for nobody: another cart takes them.
    clock.advance(Duration::minutes(6));
    assert_eq!(available(&api, "PLA-BASIC-0").await, 3);
    let lapsed = as_guest(&api, &first, CART, json!({})).await;
    assert_eq!(lapsed["data"]["cart"]["lines"][0]["held"], false);
    assert_eq!(lapsed["data"]["cart"]["heldUntil"], json!(null));
    as_guest(&api, &second, ADD, add(&variants[0]["id"], 2)).await;

    // The first cart's next change holds again only what can still be had.
    let changed = as_guest(&api, &first, ADD, add(&variants[1]["id"], 1)).await;
    assert_eq!(
        changed["data"]["addToCart"]["lines"],
        json!([{"quantity": 3, "held": false, "variant": {"sku": "PLA-BASIC-0"}},
               {"quantity": 2, "held": true, "variant": {"sku": "PLA-BASIC-1"}}])
    );
    let fitted = as_guest(
        &api,
        &first,
        SET,
        json!({"input": {"variantId": variants[0]["id"], "quantity": 1}}),
    )
    .await;
    assert_eq!(fitted["data"]["setCartQuantity"]["itemCount"], 3);
    let now_held = as_guest(&api, &first, CART, json!({})).await;
    assert_eq!(now_held["data"]["cart"]["lines"][0]["held"], true);
    assert_eq!(available(&api, "PLA-BASIC-0").await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guest_cart_joins_the_customers_at_sign_in(db: PgPool) {
    let api = store_at(&db, Clock::system()).await;
    let variants = last_units(&api, 5).await;
    let customer = token(&unique_email("customer"));
    api.data(ADD, add(&variants[0]["id"], 1), Some(&customer))
        .await;
    api.data(ADD, add(&variants[1]["id"], 2), Some(&customer))
        .await;
    let browser = guest("browser");
    as_guest(&api, &browser, ADD, add(&variants[0]["id"], 2)).await;

    let joined = api
        .send_with(
            CART,
            json!({}),
            Some(&customer),
            &[("x-makrx-cart", &browser)],
        )
        .await;
    let lines: Vec<(Value, Value)> = joined["data"]["cart"]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|line| (line["variant"]["sku"].clone(), line["quantity"].clone()))
        .collect();
    assert_eq!(
        lines,
        [
            (json!("PLA-BASIC-0"), json!(3)),
            (json!("PLA-BASIC-1"), json!(2))
        ]
    );
    let emptied = as_guest(&api, &browser, CART, json!({})).await;
    assert_eq!(emptied["data"]["cart"]["lines"], json!([]));
    // Someone else's token and sign-in never reach this cart.
    let other = api
        .data(CART, json!({}), Some(&token(&unique_email("other"))))
        .await;
    assert_eq!(other["cart"]["lines"], json!([]));
    let admin = api.data(CART, json!({}), Some(&token(ADMIN))).await;
    assert_eq!(admin["cart"]["lines"], json!([]));
    let staff_cart = api.data(CART, json!({}), Some(&staff())).await;
    assert_eq!(staff_cart["cart"]["lines"], json!([]));
}

/// A page asks for the cart more than once at the moment its guest signs in (the count in the
/// navigation and the cart itself): every answer shows the guest's lines, though one request
/// joins them and the others wait for it.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_guest_cart_asked_for_at_once_at_sign_in_shows_in_every_answer(db: PgPool) {
    let api = store_at(&db, Clock::system()).await;
    let variants = last_units(&api, 5).await;
    let customer = token(&unique_email("customer"));
    let browser = guest("browser");
    as_guest(&api, &browser, ADD, add(&variants[0]["id"], 2)).await;

    let header = [("x-makrx-cart", browser.as_str())];
    let answers = futures::future::join_all(
        (0..16).map(|_| api.send_with(CART, json!({}), Some(&customer), &header)),
    )
    .await;

    for answer in answers {
        assert_eq!(answer["errors"], Value::Null, "{answer}");
        assert_eq!(answer["data"]["cart"]["itemCount"], json!(2), "{answer}");
    }
}

/// Fifty guests reach for the last three units at once: three get one each, the rest are told
/// it is sold out, and the carts never hold more than there is.
#[sqlx::test(migrator = "MIGRATOR")]
async fn fifty_carts_at_once_never_hold_more_than_there_is(db: PgPool) {
    let api = store_at(&db, Clock::system()).await;
    let variants = last_units(&api, 3).await;
    let tokens: Vec<String> = (0..50).map(|n| guest(&format!("rush-{n}"))).collect();
    let answers = futures::future::join_all(
        tokens
            .iter()
            .map(|token| as_guest(&api, token, ADD, add(&variants[0]["id"], 1))),
    )
    .await;
    let held = answers
        .iter()
        .filter(|answer| answer["errors"].is_null())
        .count();
    let refused = answers
        .iter()
        .filter(|answer| error_code(answer) == Some("CONFLICT"))
        .count();
    assert_eq!((held, refused), (3, 47), "{answers:#?}");
    let holding: i64 = sqlx::query_scalar(
        "select coalesce(sum(quantity), 0) from store.cart_lines l
         join store.product_variants v on v.id = l.variant_id where v.sku = 'PLA-BASIC-0'",
    )
    .fetch_one(&db)
    .await
    .expect("a sum");
    assert_eq!(holding, 3);
    assert_eq!(available(&api, "PLA-BASIC-0").await, 0);
}

const SETTINGS: &str = "mutation($input: UpdateStoreSettingsInput!) {
    updateStoreSettings(input: $input) { holdMinutes paymentMinutes } }";

/// Store staff set the hold time; the next change to a cart holds for that long.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_hold_time_is_the_stores_to_set(db: PgPool) {
    let clock = Clock::manual(
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
            .single()
            .expect("a time"),
    );
    let api = store_at(&db, clock.clone()).await;
    let variants = last_units(&api, 3).await;
    let shopper = guest("shopper");

    let read = api
        .data(
            "{ storeSettings { holdMinutes paymentMinutes } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        read["storeSettings"],
        json!({"holdMinutes": 15, "paymentMinutes": 30})
    );
    let five = json!({"input": {"holdMinutes": 5}});
    let refused = api
        .send(SETTINGS, five.clone(), Some(&token(&unique_email("c"))))
        .await;
    assert_eq!(
        error_message(&refused),
        "only store staff may change the store's settings"
    );
    for (input, field) in [
        (json!({"holdMinutes": 0}), "holdMinutes"),
        (json!({"paymentMinutes": 1441}), "paymentMinutes"),
    ] {
        let refused = api
            .send(SETTINGS, json!({"input": input}), Some(&staff()))
            .await;
        assert_eq!(invalid_fields(&refused), [field], "{refused}");
    }
    let set = api.data(SETTINGS, five, Some(&staff())).await;
    assert_eq!(
        set["updateStoreSettings"],
        json!({"holdMinutes": 5, "paymentMinutes": 30})
    );

    as_guest(&api, &shopper, ADD, add(&variants[0]["id"], 1)).await;
    let held = as_guest(&api, &shopper, CART, json!({})).await;
    assert_eq!(
        held["data"]["cart"]["heldUntil"],
        "2026-12-07T10:05:00+00:00"
    );
}
