//! The catalog: listing products a page at a time and finding one by SKU.

use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, auth, error_code};
use serde_json::json;
use sqlx::PgPool;

async fn store(db: &PgPool) -> Endpoint {
    Endpoint::serve(store::app(db.clone(), auth(db.clone()))).await
}

async fn stock(db: &PgPool, sku: &str, name: &str, price_cents: i32) {
    sqlx::query("insert into store.products (id, sku, name, price_cents, currency, stock_quantity) values ($1, $2, $3, $4, 'EUR', 10)")
        .bind(uuid::Uuid::now_v7())
        .bind(sku)
        .bind(name)
        .bind(price_cents)
        .execute(db)
        .await
        .expect("a product");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_catalog_is_listed_by_sku_a_page_at_a_time(db: PgPool) {
    for (sku, name) in [
        ("PLA-1KG-BLK", "PLA black 1 kg"),
        ("M3-SCREW-100", "M3 screws x100"),
        ("ACRYL-3MM", "Acrylic sheet 3 mm"),
    ] {
        stock(&db, sku, name, 1999).await;
    }
    let api = store(&db).await;
    let page = "query($after: String) { products(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { sku priceCents currency } } }";
    let first = api.data(page, json!({}), None).await;
    assert_eq!(first["products"]["totalCount"], 3);
    assert_eq!(
        first["products"]["nodes"][0],
        json!({"sku": "ACRYL-3MM", "priceCents": 1999, "currency": "EUR"})
    );
    let rest = api
        .data(
            page,
            json!({"after": first["products"]["pageInfo"]["endCursor"]}),
            None,
        )
        .await;
    assert_eq!(rest["products"]["nodes"][0]["sku"], "PLA-1KG-BLK");
    assert_eq!(rest["products"]["pageInfo"]["hasNextPage"], false);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_product_is_found_by_sku_or_not_found(db: PgPool) {
    stock(&db, "PETG-1KG", "PETG 1 kg", 2490).await;
    let api = store(&db).await;
    let found = api
        .data(
            "query { product(sku: \"PETG-1KG\") { name priceCents stockQuantity } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        found["product"],
        json!({"name": "PETG 1 kg", "priceCents": 2490, "stockQuantity": 10})
    );
    let missing = api
        .send("query { product(sku: \"NOPE\") { name } }", json!({}), None)
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));
}
