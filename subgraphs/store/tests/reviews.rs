//! Reviews: one per product and customer, shown once store staff approve it, counted in the
//! product's rating only then; "verified purchase" only after a delivered order; and nobody
//! writes as someone else or moderates without being store staff.

mod common;

use common::{filament, product, staff, stock, store};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, invalid_fields, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const WRITE: &str = "mutation($input: WriteReviewInput!) { writeReview(input: $input) {
    id rating title body status verifiedPurchase authorName } }";
const MODERATE: &str = "mutation($input: ModerateReviewInput!) { moderateReview(input: $input) {
    status } }";
const TO_MODERATE: &str = "{ reviewsToModerate { edges { node { id rating } } } }";
const MY_REVIEW: &str = "query($id: ID!) { myReview(productId: $id) { rating status } }";
const PRODUCT: &str = "query($slug: String!) { product(slug: $slug) {
    rating { average count } reviews { edges { node { rating title verifiedPurchase } } } } }";

async fn write(
    api: &Endpoint,
    who: Option<&str>,
    product: &Value,
    rating: i32,
    body: &str,
) -> Value {
    let input = json!({"input": {"productId": product["id"], "rating": rating,
                                 "title": "On my printer", "body": body}});
    api.send(WRITE, input, who).await
}

async fn moderate(api: &Endpoint, review: &Value, status: &str) -> Value {
    let input =
        json!({"input": {"reviewId": review["data"]["writeReview"]["id"], "status": status}});
    api.send(MODERATE, input, Some(&staff())).await
}

async fn shown(api: &Endpoint, product: &Value) -> Value {
    api.data(PRODUCT, json!({"slug": product["slug"]}), None)
        .await["product"]
        .clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_review_is_shown_and_counted_once_approved(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let (ana, ben) = (token(&unique_email("ana")), token(&unique_email("ben")));

    let first = write(&api, Some(&ana), &pla, 4, "Prints clean at 210 °C.").await;
    let review = &first["data"]["writeReview"];
    assert_eq!(review["status"], "PENDING", "{first}");
    assert_eq!(review["verifiedPurchase"], false);
    assert!(
        review["authorName"]
            .as_str()
            .is_some_and(|name| !name.is_empty())
    );
    assert_eq!(
        shown(&api, &pla).await,
        json!({"rating": {"average": null, "count": 0}, "reviews": {"edges": []}})
    );
    let queue = api.data(TO_MODERATE, json!({}), Some(&staff())).await;
    assert_eq!(
        queue["reviewsToModerate"]["edges"][0]["node"]["id"],
        review["id"]
    );

    let refused = api
        .send(
            MODERATE,
            json!({"input": {"reviewId": review["id"], "status": "APPROVED"}}),
            Some(&ana),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    assert_eq!(
        moderate(&api, &first, "APPROVED").await["data"]["moderateReview"]["status"],
        "APPROVED"
    );
    let second = write(&api, Some(&ben), &pla, 5, "Spool wound neatly.").await;
    moderate(&api, &second, "APPROVED").await;
    assert_eq!(
        shown(&api, &pla).await["rating"],
        json!({"average": 4.5, "count": 2})
    );

    // Rewritten, it waits again, and the same review it stays.
    let again = write(&api, Some(&ana), &pla, 2, "Stringy after a month.").await;
    assert_eq!(
        again["data"]["writeReview"]["id"], review["id"],
        "one review per customer"
    );
    assert_eq!(again["data"]["writeReview"]["status"], "PENDING");
    let product = shown(&api, &pla).await;
    assert_eq!(
        product["rating"],
        json!({"average": 5.0, "count": 1}),
        "{product}"
    );
    let mine = api
        .data(MY_REVIEW, json!({"id": pla["id"]}), Some(&ana))
        .await;
    assert_eq!(mine["myReview"], json!({"rating": 2, "status": "PENDING"}));
    let rejected = moderate(&api, &again, "REJECTED").await;
    assert_eq!(rejected["data"]["moderateReview"]["status"], "REJECTED");
    assert_eq!(shown(&api, &pla).await["rating"]["count"], 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_verified_purchase_is_a_delivered_one(db: PgPool) {
    sqlx::query("insert into store.shipping_rates (currency, price_minor) values ('EUR', 499)")
        .execute(&db)
        .await
        .expect("a shipping rate");
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    stock(&api, &pla["variants"][2]["id"], 5).await;
    let customer = token(&unique_email("buyer"));
    api.data(
        "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }",
        json!({"input": {"variantId": pla["variants"][2]["id"], "quantity": 1}}),
        Some(&customer),
    )
    .await;
    let ship_to = json!({"name": "Mel", "line1": "Torstraße 1", "city": "Berlin",
                         "postalCode": "10119", "country": "DE"});
    let order = api
        .data(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }",
            json!({"input": {"delivery": "SHIPPING", "shipTo": ship_to}}),
            Some(&customer),
        )
        .await["placeOrder"]["id"]
        .clone();
    let mut seen = Vec::new();
    for status in ["PAID", "FULFILLING", "SHIPPED", "DELIVERED"] {
        let review = write(&api, Some(&customer), &pla, 5, "Lovely red.").await;
        seen.push(review["data"]["writeReview"]["verifiedPurchase"].clone());
        api.data(
            "mutation($input: SetOrderStatusInput!) { setOrderStatus(input: $input) { status } }",
            json!({"input": {"orderId": order, "status": status}}),
            Some(&staff()),
        )
        .await;
    }
    let review = write(&api, Some(&customer), &pla, 5, "Lovely red.").await;
    seen.push(review["data"]["writeReview"]["verifiedPurchase"].clone());
    assert_eq!(seen, [false, false, false, false, true]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_review_is_checked_and_signed_by_its_author(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let customer = token(&unique_email("careful"));

    let anonymous = write(&api, None, &pla, 5, "Great.").await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    let anonymous = api.send(MY_REVIEW, json!({"id": pla["id"]}), None).await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    for (rating, body, field) in [
        (0, "Fine.", "rating"),
        (6, "Fine.", "rating"),
        (3, "  ", "body"),
    ] {
        let refused = write(&api, Some(&customer), &pla, rating, body).await;
        assert_eq!(invalid_fields(&refused), [field], "{refused}");
    }
    let long = "x".repeat(5001);
    assert_eq!(
        invalid_fields(&write(&api, Some(&customer), &pla, 3, &long).await),
        ["body"]
    );
    let title = json!({"input": {"productId": pla["id"], "rating": 3, "title": "t".repeat(121),
                                 "body": "Fine."}});
    assert_eq!(
        invalid_fields(&api.send(WRITE, title, Some(&customer)).await),
        ["title"]
    );
    let nowhere = json!({"id": "0193a5c0-0000-7000-8000-00000000dead", "slug": "gone"});
    let refused = write(&api, Some(&customer), &nowhere, 3, "Fine.").await;
    assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{refused}");
    let queue = api.send(TO_MODERATE, json!({}), Some(&customer)).await;
    assert_eq!(error_code(&queue), Some("FORBIDDEN"), "{queue}");
    let pending = json!({"input": {"reviewId": pla["id"], "status": "PENDING"}});
    let refused = api.send(MODERATE, pending, Some(&staff())).await;
    assert_eq!(invalid_fields(&refused), ["status"], "{refused}");
}
