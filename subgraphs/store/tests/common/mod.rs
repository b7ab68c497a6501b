//! What the store tests share: the service on a free port, the people who call it, and a
//! catalog built through the API as store staff would build it.
#![allow(dead_code)]

use makrx_service::Clock;
use makrx_testkit::{Endpoint, auth, token};
use serde_json::{Value, json};
use sqlx::PgPool;
use store::StripeSettings;

/// The development account that holds the `store-staff` role.
pub const STORE_STAFF: &str = "store@makrx.dev";
/// The development platform admin.
pub const ADMIN: &str = "admin@makrx.dev";

/// The stock location the catalog's migration creates.
pub const WAREHOUSE: &str = "0193a5c0-0000-7000-8000-000000000001";

pub const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) {
    createCategory(input: $input) { id slug name } }";
pub const CREATE_PRODUCT: &str = "mutation($input: CreateProductInput!) {
    createProduct(input: $input) { id slug name variants { id sku priceMinor currency } } }";
pub const SET_STOCK: &str = "mutation($input: SetStockInput!) {
    setStock(input: $input) { sku stockAvailable } }";

pub async fn store(db: &PgPool) -> Endpoint {
    store_at(db, Clock::system()).await
}

/// The service deciding by `clock`, which the test moves.
pub async fn store_at(db: &PgPool, clock: Clock) -> Endpoint {
    store_with(db, clock, &StripeSettings::development()).await
}

/// The service deciding by `clock`, taking cards as `stripe` says.
pub async fn store_with(db: &PgPool, clock: Clock, stripe: &StripeSettings) -> Endpoint {
    Endpoint::serve(store::app(
        db.clone(),
        auth(db.clone()),
        clock,
        stripe,
        None,
    ))
    .await
}

pub fn staff() -> String {
    token(STORE_STAFF)
}

/// Adds a category as store staff, under `parent` if given; returns its id.
pub async fn category(api: &Endpoint, name: &str, parent: Option<&Value>) -> Value {
    let input = json!({"input": {"name": name, "parentId": parent}});
    api.data(CREATE_CATEGORY, input, Some(&staff())).await["createCategory"]["id"].clone()
}

/// Adds a product as store staff from a `CreateProductInput`; returns it with its variants.
pub async fn product(api: &Endpoint, input: Value) -> Value {
    api.data(CREATE_PRODUCT, json!({"input": input}), Some(&staff()))
        .await["createProduct"]
        .clone()
}

/// Sets a variant's stock at the warehouse as store staff.
pub async fn stock(api: &Endpoint, variant: &Value, on_hand: i32) {
    let input =
        json!({"input": {"variantId": variant, "locationId": WAREHOUSE, "onHand": on_hand}});
    api.data(SET_STOCK, input, Some(&staff())).await;
}

/// A filament with four variants: two colours, two diameters, in euro cents.
pub fn filament(name: &str, material: &str, price_minor: i64) -> Value {
    let slug = name.to_lowercase().replace(' ', "-");
    let variants: Vec<Value> = [("black", "1.75 mm"), ("black", "2.85 mm"), ("red", "1.75 mm"), ("red", "2.85 mm")]
        .iter()
        .enumerate()
        .map(|(at, (colour, diameter))| {
            json!({
                "sku": format!("{slug}-{at}"),
                "name": format!("{colour}, {diameter}"),
                "options": [{"name": "colour", "value": colour}, {"name": "diameter", "value": diameter}],
                "priceMinor": price_minor + at as i64 * 100,
                "currency": "EUR",
                "position": at,
            })
        })
        .collect();
    json!({
        "name": name,
        "description": format!("{material} filament on a 1 kg spool, for everyday printing."),
        "attributes": [{"name": "material", "value": material}],
        "variants": variants,
    })
}

/// The service keeping product images in an embedded S3 server, which lives as long as the
/// folder and server answered beside it.
pub async fn store_with_files(db: &PgPool) -> (Endpoint, makrx_files::LocalS3, tempfile::TempDir) {
    store_with_files_at(db, Clock::system()).await
}

/// `store_with_files`, deciding by `clock`, which the test moves.
pub async fn store_with_files_at(
    db: &PgPool,
    clock: Clock,
) -> (Endpoint, makrx_files::LocalS3, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("a folder");
    let s3 = makrx_files::LocalS3::start(folder.path(), ([127, 0, 0, 1], 0).into())
        .await
        .expect("the embedded S3 server starts");
    let files = makrx_files::Files::connect(s3.settings()).expect("an S3 client");
    let api = Endpoint::serve(store::app(
        db.clone(),
        auth(db.clone()),
        clock,
        &StripeSettings::development(),
        Some(files),
    ))
    .await;
    (api, s3, folder)
}
