//! Who may do what in the store, over every operation: an anonymous caller, a guest with a cart
//! token, the customer whose order and review these are, another customer, store staff and a
//! platform admin. Allowed means not refused: a refusal of the input or of the state
//! (`VALIDATION_ERROR`, `CONFLICT`) still shows the caller got past the policy.

mod common;

use common::{ADMIN, WAREHOUSE, filament, product, staff, stock, store};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

/// The callers, in the order of each row's expectations.
const CALLERS: [&str; 6] = [
    "anonymous",
    "guest",
    "customer",
    "other customer",
    "staff",
    "admin",
];

/// What a caller met: `A` allowed, `U` unauthenticated, `F` forbidden, `N` not found.
fn seen(answer: &Value) -> char {
    match error_code(answer) {
        None | Some("VALIDATION_ERROR" | "CONFLICT") => 'A',
        Some("UNAUTHENTICATED") => 'U',
        Some("FORBIDDEN") => 'F',
        Some("NOT_FOUND") => 'N',
        Some(_) => '!',
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_operation_lets_in_only_whom_it_should(db: PgPool) {
    sqlx::query("insert into store.shipping_rates (currency, price_minor) values ('EUR', 499)")
        .execute(&db)
        .await
        .expect("a shipping rate");
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 50).await;
    let customer = token(&unique_email("customer"));
    let other = token(&unique_email("other"));
    let ship_to = json!({"delivery": "SHIPPING", "shipTo": {"name": "Mel", "line1": "Torstraße 1",
                         "city": "Berlin", "postalCode": "10119", "country": "DE"}});
    api.data(
        "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }",
        json!({"input": {"variantId": variant, "quantity": 1}}),
        Some(&customer),
    )
    .await;
    let order = api
        .data(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id } } }",
            json!({"input": ship_to}),
            Some(&customer),
        )
        .await["placeOrder"]
        .clone();
    let coupon = api
        .data(
            "mutation { createCoupon(input: {code: \"TEN\", percentOff: 10}) { id } }",
            json!({}),
            Some(&staff()),
        )
        .await["createCoupon"]["id"]
        .clone();
    let review = api
        .data(
            "mutation($input: WriteReviewInput!) { writeReview(input: $input) { id } }",
            json!({"input": {"productId": pla["id"], "rating": 5, "body": "Good."}}),
            Some(&customer),
        )
        .await["writeReview"]["id"]
        .clone();
    let order_id = order["id"].clone();
    let line = order["lines"][0]["id"].clone();

    let rows: Vec<(&str, &str, Value)> = vec![
        // Reading the catalog and one's own things.
        (
            "AAAAAA",
            "{ products { nodes { name } } categories { name } }",
            json!({}),
        ),
        (
            "AAAAAA",
            "{ paymentOptions { providers } taxRates { region } shippingRates { currency } }",
            json!({}),
        ),
        (
            "AAAAAA",
            "{ stockLocations { name } storeSettings { holdMinutes } }",
            json!({}),
        ),
        ("AAAAAA", "{ cart { itemCount } }", json!({})),
        (
            "UUAAAA",
            "{ myOrders { edges { node { id } } } }",
            json!({}),
        ),
        (
            "UUANAA",
            "query($id: ID!) { order(id: $id) { id } }",
            json!({"id": order_id}),
        ),
        (
            "UUAAAA",
            "query($id: ID!) { myReview(productId: $id) { id } }",
            json!({"id": pla["id"]}),
        ),
        ("UUFFAA", "{ orders { edges { node { id } } } }", json!({})),
        (
            "UUFFAA",
            "{ coupons { edges { node { code } } } }",
            json!({}),
        ),
        (
            "UUFFAA",
            "{ reviewsToModerate { edges { node { id } } } }",
            json!({}),
        ),
        // A cart: anyone with a token or a sign-in.
        (
            "UAAAAA",
            "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }",
            json!({"input": {"variantId": variant, "quantity": 1}}),
        ),
        (
            "UAAAAA",
            "mutation($input: SetCartQuantityInput!) { setCartQuantity(input: $input) { itemCount } }",
            json!({"input": {"variantId": variant, "quantity": 2}}),
        ),
        (
            "UAAAAA",
            "mutation($input: ApplyCouponInput!) { applyCoupon(input: $input) { discountMinor } }",
            json!({"input": {"code": "TEN"}}),
        ),
        (
            "AAAAAA",
            "mutation { removeCoupon { discountMinor } }",
            json!({}),
        ),
        // Orders and payments: customers their own, staff every order.
        (
            "UUAAAA",
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }",
            json!({"input": ship_to}),
        ),
        (
            "UUANNN",
            "mutation($input: StartPaymentInput!) { startPayment(input: $input) { id } }",
            json!({"input": {"orderId": order_id, "provider": "MANUAL"}}),
        ),
        (
            "UUFFAA",
            "mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id } }",
            json!({"input": {"orderId": order_id}}),
        ),
        (
            "UUFFAA",
            "mutation($input: SetOrderStatusInput!) { setOrderStatus(input: $input) { id } }",
            json!({"input": {"orderId": order_id, "status": "SHIPPED"}}),
        ),
        (
            "UUFFAA",
            "mutation($input: RefundOrderLinesInput!) { refundOrderLines(input: $input) { id } }",
            json!({"input": {"orderId": order_id, "reason": "broken",
                             "lines": [{"lineId": line, "quantity": 1}]}}),
        ),
        // Reviews: anyone signed in writes their own; staff moderate.
        (
            "UUAAAA",
            "mutation($input: WriteReviewInput!) { writeReview(input: $input) { id } }",
            json!({"input": {"productId": pla["id"], "rating": 4, "body": "Fine."}}),
        ),
        (
            "UUFFAA",
            "mutation($input: ModerateReviewInput!) { moderateReview(input: $input) { id } }",
            json!({"input": {"reviewId": review, "status": "APPROVED"}}),
        ),
        // Running the store.
        (
            "UUFFAA",
            "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }",
            json!({"input": {"name": "Resin"}}),
        ),
        (
            "UUFFAA",
            "mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }",
            json!({"input": {"name": "Resin", "variants": []}}),
        ),
        (
            "UUFFAA",
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }",
            json!({"input": {"id": pla["id"], "description": "Spools."}}),
        ),
        (
            "UUFFAA",
            "mutation($input: SetStockInput!) { setStock(input: $input) { sku } }",
            json!({"input": {"variantId": variant, "locationId": WAREHOUSE, "onHand": 40}}),
        ),
        (
            "UUFFAA",
            "mutation($input: CreateStockLocationInput!) { createStockLocation(input: $input) { id } }",
            json!({"input": {"name": "Overflow"}}),
        ),
        (
            "UUFFAA",
            "mutation($input: SetTaxRateInput!) { setTaxRate(input: $input) { region } }",
            json!({"input": {"region": "DE", "taxClass": "standard", "rateBasisPoints": 1900}}),
        ),
        (
            "UUFFAA",
            "mutation($input: SetShippingRateInput!) { setShippingRate(input: $input) { currency } }",
            json!({"input": {"currency": "EUR", "priceMinor": 599}}),
        ),
        (
            "UUFFAA",
            "mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id } }",
            json!({"input": {"code": "FIVE", "percentOff": 5}}),
        ),
        (
            "UUFFAA",
            "mutation($input: SetCouponActiveInput!) { setCouponActive(input: $input) { id } }",
            json!({"input": {"couponId": coupon, "active": true}}),
        ),
        (
            "UUFFAA",
            "mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { holdMinutes } }",
            json!({"input": {"holdMinutes": 15}}),
        ),
        // Last, as it ends the order: its customer, or staff.
        (
            "UUANAA",
            "mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { id } }",
            json!({"input": {"orderId": order_id}}),
        ),
    ];

    let guest_token = "guest-cart-token-0123456789abcdef";
    let (staff, admin) = (staff(), token(ADMIN));
    let mut wrong = Vec::new();
    for (expected, query, variables) in &rows {
        let mut met = String::new();
        for caller in CALLERS {
            let answer = match caller {
                "anonymous" => api.send(query, variables.clone(), None).await,
                "guest" => {
                    let header = [(store::CART_TOKEN_HEADER, guest_token)];
                    api.send_with(query, variables.clone(), None, &header).await
                }
                "customer" => api.send(query, variables.clone(), Some(&customer)).await,
                "other customer" => api.send(query, variables.clone(), Some(&other)).await,
                "staff" => api.send(query, variables.clone(), Some(&staff)).await,
                _ => api.send(query, variables.clone(), Some(&admin)).await,
            };
            met.push(seen(&answer));
        }
        if met != *expected {
            wrong.push(format!(
                "{query}\n    expected {expected}, met {met} ({CALLERS:?})"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
