//! Orders: a cart placed at its prices with shipping and tax, its units allocated; the last
//! units going to exactly as many customers as there are units; an order moving only along its
//! life, its stock released or sent as it moves; and who may see and move which order.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{WAREHOUSE, filament, product, staff, stock, store, store_at};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const ADD: &str = "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }";
const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    id number status currency subtotalMinor shippingMinor taxMinor totalMinor delivery
    shipTo { city region country } pickupLocation { name }
    lines { sku name quantity unitPriceMinor lineTotalMinor taxRateBasisPoints taxMinor } } }";
const SET_STATUS: &str =
    "mutation($input: SetOrderStatusInput!) { setOrderStatus(input: $input) { status } }";
const CANCEL: &str =
    "mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { status } }";
const ORDER: &str = "query($id: ID!) { order(id: $id) { number status totalMinor } }";
const STOCK: &str = "query($sku: String!) { productVariant(sku: $sku) { stockAvailable
    stock { location { name } onHand allocated } } }";

fn ship_to_bengaluru() -> Value {
    json!({"delivery": "SHIPPING", "shipTo": {"name": "Mel Member", "line1": "12 MG Road",
           "city": "Bengaluru", "postalCode": "560001", "region": "in-ka", "country": "in"}})
}

/// Shipping in euros costs 4.99, free from 100; standard goods are taxed 18 % in India and
/// 12 % in Karnataka (made-up rates, so that the subdivision's row is seen to win).
async fn rates(db: &PgPool) {
    sqlx::raw_sql(
        "insert into store.shipping_rates (currency, price_minor, free_from_minor) values ('EUR', 499, 10000);
         insert into store.tax_rates (region, tax_class, rate_basis_points)
         values ('IN', 'standard', 1800), ('IN-KA', 'standard', 1200), ('IN', 'books', 0);",
    )
    .execute(db)
    .await
    .expect("rates");
}

async fn add(api: &Endpoint, who: &str, variant: &Value, quantity: i32) {
    api.data(
        ADD,
        json!({"input": {"variantId": variant, "quantity": quantity}}),
        Some(who),
    )
    .await;
}

async fn place(api: &Endpoint, who: &str, input: Value) -> Value {
    api.send(PLACE, json!({"input": input}), Some(who)).await
}

async fn stock_of(api: &Endpoint, sku: &str) -> Value {
    api.data(STOCK, json!({"sku": sku}), Some(&staff())).await["productVariant"].clone()
}

async fn set_status(api: &Endpoint, order: &Value, status: &str) -> Value {
    api.send(
        SET_STATUS,
        json!({"input": {"orderId": order, "status": status}}),
        Some(&staff()),
    )
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_order_takes_the_cart_at_its_prices_with_shipping_and_tax(db: PgPool) {
    rates(&db).await;
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    stock(&api, &pla["variants"][0]["id"], 5).await;
    stock(&api, &pla["variants"][1]["id"], 5).await;
    let customer = token(&unique_email("customer"));
    add(&api, &customer, &pla["variants"][0]["id"], 2).await;
    add(&api, &customer, &pla["variants"][1]["id"], 1).await;

    let placed = place(&api, &customer, ship_to_bengaluru()).await;
    let order = &placed["data"]["placeOrder"];
    assert_eq!(
        (
            order["status"].clone(),
            order["currency"].clone(),
            order["delivery"].clone()
        ),
        (json!("PENDING_PAYMENT"), json!("EUR"), json!("SHIPPING")),
        "{placed}"
    );
    // 2 x 19.99 + 20.99; 12 % of each line, half up: 4.7976 -> 4.80, 2.5188 -> 2.52.
    assert_eq!(order["subtotalMinor"], 6097);
    assert_eq!(order["shippingMinor"], 499);
    assert_eq!(order["taxMinor"], 480 + 252);
    assert_eq!(order["totalMinor"], 6097 + 499 + 732);
    assert_eq!(
        order["shipTo"],
        json!({"city": "Bengaluru", "region": "IN-KA", "country": "IN"})
    );
    assert_eq!(
        order["lines"][0],
        json!({"sku": "PLA-BASIC-0", "name": "PLA Basic, black, 1.75 mm", "quantity": 2,
               "unitPriceMinor": 1999, "lineTotalMinor": 3998, "taxRateBasisPoints": 1200, "taxMinor": 480})
    );

    // The cart is empty and the units are the order's.
    let cart = api
        .data("query { cart { itemCount } }", json!({}), Some(&customer))
        .await;
    assert_eq!(cart["cart"]["itemCount"], 0);
    assert_eq!(
        stock_of(&api, "PLA-BASIC-0").await,
        json!({"stockAvailable": 3, "stock": [{"location": {"name": "Warehouse"}, "onHand": 5, "allocated": 2}]})
    );

    let mine = api
        .data(
            "query { myOrders { edges { node { number totalMinor } } } }",
            json!({}),
            Some(&customer),
        )
        .await;
    assert_eq!(
        mine["myOrders"]["edges"][0]["node"]["number"],
        order["number"]
    );
    let other = token(&unique_email("other"));
    let theirs = api
        .send(ORDER, json!({"id": order["id"]}), Some(&other))
        .await;
    assert_eq!(error_code(&theirs), Some("NOT_FOUND"));
    let none = api
        .data(
            "query { myOrders { edges { node { number } } } }",
            json!({}),
            Some(&other),
        )
        .await;
    assert_eq!(none["myOrders"]["edges"], json!([]));
    let seen = api
        .data(ORDER, json!({"id": order["id"]}), Some(&staff()))
        .await;
    assert_eq!(seen["order"]["totalMinor"], 7328);
    let listed = api
        .data(
            "query { orders(status: PENDING_PAYMENT) { edges { node { number } } } }",
            json!({}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        listed["orders"]["edges"][0]["node"]["number"],
        order["number"]
    );

    // Free shipping from 100 euros; a country's rate where the subdivision has none.
    add(&api, &customer, &pla["variants"][0]["id"], 3).await;
    add(&api, &customer, &pla["variants"][1]["id"], 2).await;
    let mut to_goa = ship_to_bengaluru();
    to_goa["shipTo"]["region"] = json!("IN-GA");
    let free = place(&api, &customer, to_goa).await;
    let free = &free["data"]["placeOrder"];
    assert_eq!(
        (free["subtotalMinor"].clone(), free["shippingMinor"].clone()),
        (json!(3 * 1999 + 2 * 2099), json!(0))
    );
    assert_eq!(free["lines"][0]["taxRateBasisPoints"], 1800);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn pickup_takes_units_from_the_pickup_location_only(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    let space = api
        .data(
            "mutation($input: CreateStockLocationInput!) { createStockLocation(input: $input) { id } }",
            json!({"input": {"name": "Fab Lab Pune", "makerspaceId": "0193a5c0-0000-7000-8000-0000000000aa"}}),
            Some(&staff()),
        )
        .await["createStockLocation"]["id"]
        .clone();
    sqlx::query("update store.stock_locations set region = 'IN-MH' where name = 'Fab Lab Pune'")
        .execute(&db)
        .await
        .expect("a region");
    stock(&api, &variant, 5).await;
    api.data(
        common::SET_STOCK,
        json!({"input": {"variantId": variant, "locationId": space, "onHand": 1}}),
        Some(&staff()),
    )
    .await;
    let customer = token(&unique_email("customer"));
    add(&api, &customer, &variant, 2).await;
    let pickup = json!({"delivery": "PICKUP", "pickupLocationId": space});
    let short = place(&api, &customer, pickup.clone()).await;
    assert_eq!(error_code(&short), Some("CONFLICT"));
    assert_eq!(
        error_message(&short),
        "not enough stock for your order: PLA Basic, black, 1.75 mm (PLA-BASIC-0): 2 wanted, 1 to be had at the pickup location"
    );
    api.data(
        "mutation($input: SetCartQuantityInput!) { setCartQuantity(input: $input) { itemCount } }",
        json!({"input": {"variantId": variant, "quantity": 1}}),
        Some(&customer),
    )
    .await;
    let placed = place(&api, &customer, pickup).await;
    let order = &placed["data"]["placeOrder"];
    assert_eq!(order["pickupLocation"]["name"], "Fab Lab Pune", "{placed}");
    assert_eq!(
        (order["shippingMinor"].clone(), order["taxMinor"].clone()),
        (json!(0), json!(0))
    );
    let warehouse = json!({"delivery": "PICKUP", "pickupLocationId": WAREHOUSE});
    add(&api, &customer, &variant, 1).await;
    let not_pickup = place(&api, &customer, warehouse).await;
    assert_eq!(error_code(&not_pickup), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_order_is_checked_before_anything_is_written(db: PgPool) {
    rates(&db).await;
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    stock(&api, &pla["variants"][0]["id"], 5).await;
    let customer = token(&unique_email("customer"));
    let empty = place(&api, &customer, ship_to_bengaluru()).await;
    assert_eq!(invalid_fields(&empty), ["cart"]);
    add(&api, &customer, &pla["variants"][0]["id"], 1).await;
    let cases = [
        (json!({"delivery": "SHIPPING"}), "shipTo"),
        (json!({"delivery": "PICKUP"}), "pickupLocationId"),
        (
            json!({"delivery": "SHIPPING", "shipTo": {"name": "M", "line1": "1", "city": "B", "postalCode": "5", "country": "India"}}),
            "shipTo.country",
        ),
        (
            json!({"delivery": "SHIPPING", "shipTo": {"name": "M", "line1": "1", "city": "B", "postalCode": "5", "region": "DE-BY", "country": "IN"}}),
            "shipTo.region",
        ),
        (
            json!({"delivery": "SHIPPING", "shipTo": {"name": " ", "line1": "1", "city": "B", "postalCode": "5", "country": "IN"}}),
            "shipTo.name",
        ),
    ];
    for (input, field) in cases {
        let refused = place(&api, &customer, input.clone()).await;
        assert_eq!(invalid_fields(&refused), [field], "{input}");
    }
    let anonymous = api
        .send(PLACE, json!({"input": ship_to_bengaluru()}), None)
        .await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
    let orders: i64 = sqlx::query_scalar("select count(*) from store.orders")
        .fetch_one(&db)
        .await
        .expect("a count");
    assert_eq!(orders, 0);
    let cart = api
        .data("query { cart { itemCount } }", json!({}), Some(&customer))
        .await;
    assert_eq!(
        cart["cart"]["itemCount"], 1,
        "a refused order keeps the cart"
    );
}

/// Fifty customers whose holds have lapsed check out the last three units at once: three
/// orders, forty-seven refusals, and the stock never below what the orders took.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_last_three_units_go_to_three_of_fifty_customers(db: PgPool) {
    rates(&db).await;
    let clock = Clock::manual(
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
            .single()
            .expect("a time"),
    );
    let api = store_at(&db, clock.clone()).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 50).await;
    let customers: Vec<String> = (0..50)
        .map(|n| token(&unique_email(&format!("rush-{n}"))))
        .collect();
    for customer in &customers {
        add(&api, customer, &variant, 1).await;
    }
    stock(&api, &variant, 3).await;
    clock.advance(Duration::minutes(16));

    let answers = futures::future::join_all(
        customers
            .iter()
            .map(|customer| place(&api, customer, ship_to_bengaluru())),
    )
    .await;
    let placed = answers
        .iter()
        .filter(|answer| answer["errors"].is_null())
        .count();
    let short = answers
        .iter()
        .filter(|answer| {
            error_code(answer) == Some("CONFLICT")
                && error_message(answer).starts_with("not enough stock for your order: PLA Basic")
        })
        .count();
    assert_eq!((placed, short), (3, 47), "{answers:#?}");
    assert_eq!(
        stock_of(&api, "PLA-BASIC-0").await,
        json!({"stockAvailable": 0, "stock": [{"location": {"name": "Warehouse"}, "onHand": 3, "allocated": 3}]})
    );
    let (orders, allocated): (i64, i64) = sqlx::query_as(
        "select count(distinct l.order_id), sum(a.quantity) from store.allocations a
         join store.order_lines l on l.id = a.order_line_id",
    )
    .fetch_one(&db)
    .await
    .expect("allocations");
    assert_eq!((orders, allocated), (3, 3));
}

/// The store with its rates and a PLA filament with 10 spools at the warehouse: the store and
/// the variant's id.
async fn ten_spools(db: &PgPool) -> (Endpoint, Value) {
    rates(db).await;
    let api = store(db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 10).await;
    (api, variant)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_order_moves_only_along_its_life(db: PgPool) {
    let (api, variant) = ten_spools(&db).await;
    let customer = token(&unique_email("customer"));
    let order = |n: i32| {
        let (api, customer, variant) = (&api, &customer, &variant);
        async move {
            add(api, customer, variant, n).await;
            place(api, customer, ship_to_bengaluru()).await["data"]["placeOrder"]["id"].clone()
        }
    };

    let shipped = order(2).await;
    for (status, allowed) in [
        ("SHIPPED", false),
        ("DELIVERED", false),
        ("PAID", true),
        ("PENDING_PAYMENT", false),
        ("FULFILLING", true),
        ("READY_FOR_PICKUP", false),
        ("SHIPPED", true),
        ("CANCELLED", false),
        ("DELIVERED", true),
        ("DELIVERED", false),
        ("REFUNDED", true),
        ("PAID", false),
    ] {
        let answer = set_status(&api, &shipped, status).await;
        if allowed {
            assert_eq!(
                answer["data"]["setOrderStatus"]["status"], status,
                "{answer}"
            );
        } else {
            assert_eq!(error_code(&answer), Some("CONFLICT"), "{status}: {answer}");
        }
    }
    let refused = set_status(&api, &shipped, "PAID").await;
    assert_eq!(
        error_message(&refused),
        "an order that is refunded cannot become paid"
    );
    // Shipping took the two units off the shelf; refunding after delivery gives none back.
    assert_eq!(
        stock_of(&api, "PLA-BASIC-0").await["stock"],
        json!([{"location": {"name": "Warehouse"}, "onHand": 8, "allocated": 0}])
    );

    // A customer cancels their own order until it is picked; its units go back.
    let cancelled = order(3).await;
    assert_eq!(stock_of(&api, "PLA-BASIC-0").await["stockAvailable"], 5);
    set_status(&api, &cancelled, "PAID").await;
    let other = token(&unique_email("other"));
    let not_theirs = api
        .send(
            CANCEL,
            json!({"input": {"orderId": cancelled}}),
            Some(&other),
        )
        .await;
    assert_eq!(error_code(&not_theirs), Some("NOT_FOUND"));
    let by_customer = api
        .data(
            CANCEL,
            json!({"input": {"orderId": cancelled}}),
            Some(&customer),
        )
        .await;
    assert_eq!(by_customer["cancelOrder"]["status"], "CANCELLED");
    assert_eq!(stock_of(&api, "PLA-BASIC-0").await["stockAvailable"], 8);

    let picked = order(1).await;
    set_status(&api, &picked, "PAID").await;
    set_status(&api, &picked, "FULFILLING").await;
    let too_late = api
        .send(
            CANCEL,
            json!({"input": {"orderId": picked}}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&too_late), Some("CONFLICT"));
    assert_eq!(
        error_message(&too_late),
        "an order that is fulfilling can no longer be cancelled here: ask the store"
    );
    let by_staff = api
        .data(
            CANCEL,
            json!({"input": {"orderId": picked}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(by_staff["cancelOrder"]["status"], "CANCELLED");

    // Only store staff move orders; every move is audited.
    let refused = api
        .send(
            SET_STATUS,
            json!({"input": {"orderId": picked, "status": "PAID"}}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    let everyone = api
        .send(
            "query { orders { edges { node { id } } } }",
            json!({}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&everyone), Some("FORBIDDEN"));
    let moves: i64 = sqlx::query_scalar(
        "select count(*) from shared.audit_logs where action = 'order.status_changed'",
    )
    .fetch_one(&db)
    .await
    .expect("a count");
    assert_eq!(moves, 5 + 2 + 3);
}

const MOVES: &str = "query($id: ID!) { order(id: $id) { status nextStatuses cancellable } }";

/// Where an order may go next, as store staff see it, and whether the one asking may call it
/// off: staff `nextStatuses` of an order's life, the customer none.
async fn moves(api: &Endpoint, who: &str, order: &Value) -> (Value, Value) {
    let seen = api.data(MOVES, json!({"id": order}), Some(who)).await["order"].clone();
    (seen["nextStatuses"].clone(), seen["cancellable"].clone())
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_order_says_where_it_may_go_next_and_whether_the_asker_may_call_it_off(db: PgPool) {
    let (api, variant) = ten_spools(&db).await;
    let customer = token(&unique_email("customer"));
    add(&api, &customer, &variant, 1).await;
    let order =
        place(&api, &customer, ship_to_bengaluru()).await["data"]["placeOrder"]["id"].clone();

    // Each status in turn: what staff may move it to (and do, to the first of them), and who
    // may cancel it.
    for (status, next, customer_may_cancel, staff_may_cancel) in [
        ("PENDING_PAYMENT", json!(["PAID", "CANCELLED"]), true, true),
        (
            "PAID",
            json!(["FULFILLING", "CANCELLED", "REFUNDED"]),
            true,
            true,
        ),
        ("FULFILLING", json!(["SHIPPED", "CANCELLED"]), false, true),
        ("SHIPPED", json!(["DELIVERED"]), false, false),
        ("DELIVERED", json!(["REFUNDED"]), false, false),
        ("REFUNDED", json!([]), false, false),
    ] {
        assert_eq!(
            moves(&api, &staff(), &order).await,
            (next.clone(), json!(staff_may_cancel)),
            "staff, {status}"
        );
        assert_eq!(
            moves(&api, &customer, &order).await,
            (json!([]), json!(customer_may_cancel)),
            "the customer, {status}"
        );
        if let Some(first) = next[0].as_str() {
            let moved = set_status(&api, &order, first).await;
            assert_eq!(moved["data"]["setOrderStatus"]["status"], first, "{moved}");
        }
    }
}
