//! Managing the catalog: only store staff and platform admins change it; what they give is
//! checked field by field; every change leaves an audit row and an event.

mod common;

use common::{
    ADMIN, CREATE_CATEGORY, CREATE_PRODUCT, SET_STOCK, STORE_STAFF, WAREHOUSE, category, filament,
    product, staff, store,
};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const UPDATE_CATEGORY: &str = "mutation($input: UpdateCategoryInput!) {
    updateCategory(input: $input) { slug parent { slug } } }";
const UPDATE_PRODUCT: &str = "mutation($input: UpdateProductInput!) {
    updateProduct(input: $input) { name published category { slug } attributes { name value } } }";
const ADD_VARIANT: &str = "mutation($input: AddProductVariantInput!) {
    addProductVariant(input: $input) { sku priceMinor } }";
const UPDATE_VARIANT: &str = "mutation($input: UpdateProductVariantInput!) {
    updateProductVariant(input: $input) { name priceMinor options { name value } } }";
const CREATE_LOCATION: &str = "mutation($input: CreateStockLocationInput!) {
    createStockLocation(input: $input) { name kind makerspace { id } } }";
const SET_TAX_RATE: &str = "mutation($input: SetTaxRateInput!) {
    setTaxRate(input: $input) { region taxClass rateBasisPoints } }";
const SET_SHIPPING_RATE: &str = "mutation($input: SetShippingRateInput!) {
    setShippingRate(input: $input) { currency priceMinor freeFromMinor } }";

/// Every catalog mutation with input that store staff could apply, against a catalog of one
/// category and one filament.
async fn every_mutation(api: &Endpoint) -> Vec<(&'static str, Value)> {
    let filaments = category(api, "Filament", None).await;
    let pla = product(api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    vec![
        (CREATE_CATEGORY, json!({"name": "Resin"})),
        (
            UPDATE_CATEGORY,
            json!({"id": filaments, "name": "Filaments"}),
        ),
        (CREATE_PRODUCT, filament("PETG Tough", "PETG", 2499)),
        (UPDATE_PRODUCT, json!({"id": pla["id"], "published": false})),
        (
            ADD_VARIANT,
            json!({"productId": pla["id"], "variant": {"sku": "PLA-BASIC-WHT", "name": "white",
                   "priceMinor": 1999, "currency": "EUR"}}),
        ),
        (UPDATE_VARIANT, json!({"id": variant, "priceMinor": 2099})),
        (CREATE_LOCATION, json!({"name": "Back room"})),
        (
            SET_STOCK,
            json!({"variantId": variant, "locationId": WAREHOUSE, "onHand": 4}),
        ),
        (
            SET_TAX_RATE,
            json!({"region": "IN", "taxClass": "standard", "rateBasisPoints": 1800}),
        ),
        (
            SET_SHIPPING_RATE,
            json!({"currency": "INR", "priceMinor": 9900}),
        ),
    ]
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_store_staff_and_admins_change_the_catalog(db: PgPool) {
    let api = store(&db).await;
    let mutations = every_mutation(&api).await;
    let customer = token(&unique_email("customer"));
    let provider = token("provider@makrx.dev");
    for (mutation, input) in &mutations {
        let anonymous = api.send(mutation, json!({"input": input}), None).await;
        assert_eq!(
            error_code(&anonymous),
            Some("UNAUTHENTICATED"),
            "{mutation}"
        );
        for who in [&customer, &provider] {
            let refused = api.send(mutation, json!({"input": input}), Some(who)).await;
            assert_eq!(
                error_code(&refused),
                Some("FORBIDDEN"),
                "{mutation}: {refused}"
            );
            assert!(
                error_message(&refused).starts_with("only store staff may"),
                "{refused}"
            );
        }
    }
    let unchanged: i64 =
        sqlx::query_scalar("select count(*) from shared.audit_logs where entity <> 'user'")
            .fetch_one(&db)
            .await
            .expect("a count");
    for (at, (mutation, input)) in mutations.iter().enumerate() {
        // Staff apply each change once; an admin may do the same, so the admin gets a fresh one.
        let who = if at % 2 == 0 { STORE_STAFF } else { ADMIN };
        let mut input = input.clone();
        if *mutation == CREATE_PRODUCT && who == ADMIN {
            input = filament("Admin PLA", "PLA", 1);
        }
        api.data(mutation, json!({"input": input}), Some(&token(who)))
            .await;
    }
    let audited: i64 =
        sqlx::query_scalar("select count(*) from shared.audit_logs where entity <> 'user'")
            .fetch_one(&db)
            .await
            .expect("a count");
    assert_eq!(audited - unchanged, mutations.len() as i64);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_change_is_audited_and_announced_in_its_transaction(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    api.data(
        UPDATE_PRODUCT,
        json!({"input": {"id": pla["id"], "name": "PLA Basic+"}}),
        Some(&staff()),
    )
    .await;
    let (action, before, after): (String, Value, Value) = sqlx::query_as(
        "select action, before, after from shared.audit_logs
         where entity = 'product' order by created_at desc, id desc limit 1",
    )
    .fetch_one(&db)
    .await
    .expect("an audit row");
    assert_eq!(action, "product.updated");
    assert_eq!(
        (before["name"].as_str(), after["name"].as_str()),
        (Some("PLA Basic"), Some("PLA Basic+"))
    );
    let topics: Vec<String> = sqlx::query_scalar("select topic from events.outbox order by seq")
        .fetch_all(&db)
        .await
        .expect("events");
    assert_eq!(topics, ["store.product.changed", "store.product.changed"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_product_and_its_variants_are_checked_field_by_field(db: PgPool) {
    let api = store(&db).await;
    product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = |sku: &str, currency: &str| json!({"sku": sku, "name": "one", "priceMinor": 100, "currency": currency});
    let cases = [
        (
            json!({"name": " ", "variants": [variant("A", "EUR")]}),
            vec!["name"],
        ),
        (
            json!({"name": "!!!", "variants": [variant("A", "EUR")]}),
            vec!["slug"],
        ),
        (
            json!({"name": "X", "slug": "Not A Slug", "variants": [variant("A", "EUR")]}),
            vec!["slug"],
        ),
        (
            json!({"name": "PLA Basic", "variants": [variant("A", "EUR")]}),
            vec!["slug"],
        ),
        (json!({"name": "X", "variants": []}), vec!["variants"]),
        (
            json!({"name": "X", "variants": [variant("A B", "EUR")]}),
            vec!["variants.0.sku"],
        ),
        (
            json!({"name": "X", "variants": [variant("A", "euro")]}),
            vec!["variants.0.currency"],
        ),
        (
            json!({"name": "X", "variants": [variant("A", "EUR"), variant("B", "INR")]}),
            vec!["variants.1.currency"],
        ),
        (
            json!({"name": "X", "variants": [variant("pla-basic-0", "EUR"), variant("NEW", "EUR"), variant("new", "EUR")]}),
            vec!["variants.0.sku", "variants.2.sku"],
        ),
        (
            json!({"name": "X", "variants": [{"sku": "A", "name": "a", "priceMinor": -1, "currency": "EUR"}]}),
            vec!["variants.0.priceMinor"],
        ),
        (
            json!({"name": "X", "attributes": [{"name": "colour", "value": "red"}, {"name": "colour", "value": "blue"}],
                   "variants": [variant("A", "EUR")]}),
            vec!["attributes.1.name"],
        ),
        (
            json!({"name": "X", "taxClass": "Standard Rate", "variants": [variant("A", "EUR")]}),
            vec!["taxClass"],
        ),
    ];
    for (input, fields) in cases {
        let refused = api
            .send(CREATE_PRODUCT, json!({"input": input}), Some(&staff()))
            .await;
        assert_eq!(invalid_fields(&refused), fields, "{input}");
    }
    let nowhere = api
        .send(
            CREATE_PRODUCT,
            json!({"input": {"name": "X", "categoryId": "0193a5c0-0000-7000-8000-00000000beef",
                             "variants": [variant("A", "EUR")]}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(error_code(&nowhere), Some("NOT_FOUND"));
    let products: i64 = sqlx::query_scalar("select count(*) from store.products")
        .fetch_one(&db)
        .await
        .expect("a count");
    assert_eq!(products, 1, "nothing refused was written");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_variant_keeps_its_products_currency_and_a_unique_sku(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let add = |sku: &str, currency: &str| {
        json!({"input": {"productId": pla["id"], "variant": {"sku": sku, "name": "white",
               "options": [{"name": "colour", "value": "white"}], "priceMinor": 1999, "currency": currency}}})
    };
    let other_currency = api
        .send(ADD_VARIANT, add("PLA-WHT", "INR"), Some(&staff()))
        .await;
    assert_eq!(invalid_fields(&other_currency), ["variant.currency"]);
    assert_eq!(
        error_message(&other_currency),
        "variant.currency: must be EUR, as the product's other variants"
    );
    let taken = api
        .send(ADD_VARIANT, add("PLA-BASIC-1", "EUR"), Some(&staff()))
        .await;
    assert_eq!(invalid_fields(&taken), ["variant.sku"]);
    let added = api
        .data(ADD_VARIANT, add("pla-wht", "EUR"), Some(&staff()))
        .await;
    assert_eq!(added["addProductVariant"]["sku"], "PLA-WHT");

    let changed = api
        .data(
            UPDATE_VARIANT,
            json!({"input": {"id": pla["variants"][0]["id"], "name": "black (matte)", "priceMinor": 1899,
                             "options": [{"name": "colour", "value": "black"}, {"name": "finish", "value": "matte"}]}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        changed["updateProductVariant"],
        json!({"name": "black (matte)", "priceMinor": 1899,
               "options": [{"name": "colour", "value": "black"}, {"name": "finish", "value": "matte"}]})
    );
    let unknown = api
        .send(
            UPDATE_VARIANT,
            json!({"input": {"id": "0193a5c0-0000-7000-8000-00000000beef", "priceMinor": 1}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn categories_move_but_never_inside_themselves(db: PgPool) {
    let api = store(&db).await;
    let filaments = category(&api, "Filament", None).await;
    let pla = category(&api, "PLA", Some(&filaments)).await;
    let silk = category(&api, "Silk", Some(&pla)).await;
    for (id, parent) in [(&filaments, &silk), (&filaments, &filaments)] {
        let looped = api
            .send(
                UPDATE_CATEGORY,
                json!({"input": {"id": id, "parentId": parent}}),
                Some(&staff()),
            )
            .await;
        assert_eq!(invalid_fields(&looped), ["parentId"]);
    }
    let moved = api
        .data(
            UPDATE_CATEGORY,
            json!({"input": {"id": silk, "parentId": filaments}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        moved["updateCategory"],
        json!({"slug": "silk", "parent": {"slug": "filament"}})
    );
    let top = api
        .data(
            UPDATE_CATEGORY,
            json!({"input": {"id": silk, "parentId": null, "slug": "silk-pla"}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        top["updateCategory"],
        json!({"slug": "silk-pla", "parent": null})
    );
    let taken = api
        .send(
            CREATE_CATEGORY,
            json!({"input": {"name": "PLA"}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(invalid_fields(&taken), ["slug"]);

    let product = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let filed = api
        .data(
            UPDATE_PRODUCT,
            json!({"input": {"id": product["id"], "categoryId": pla,
                             "attributes": [{"name": "Material", "value": "PLA+"}]}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        filed["updateProduct"],
        json!({"name": "PLA Basic", "published": true, "category": {"slug": "pla"},
               "attributes": [{"name": "material", "value": "PLA+"}]}),
        "an attribute's name is kept in lower case: one filter with the catalog's `material`"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_makerspace_is_a_pickup_location_once(db: PgPool) {
    let api = store(&db).await;
    let space = "0193a5c0-0000-7000-8000-0000000000aa";
    let created = api
        .data(
            CREATE_LOCATION,
            json!({"input": {"name": "Fab Lab Pune", "makerspaceId": space}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(
        created["createStockLocation"],
        json!({"name": "Fab Lab Pune", "kind": "MAKERSPACE", "makerspace": {"id": space}})
    );
    let again = api
        .send(
            CREATE_LOCATION,
            json!({"input": {"name": "Pune again", "makerspaceId": space}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(invalid_fields(&again), ["makerspaceId"]);
    let listed = api
        .data("query { stockLocations { name kind } }", json!({}), None)
        .await;
    assert_eq!(
        listed["stockLocations"],
        json!([{"name": "Fab Lab Pune", "kind": "MAKERSPACE"}, {"name": "Warehouse", "kind": "WAREHOUSE"}])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn tax_and_shipping_rates_are_kept_by_staff_and_read_by_anyone(db: PgPool) {
    let api = store(&db).await;
    for (region, rate) in [("in", 1800), ("IN-KA", 1200), ("in-ka", 500)] {
        let input =
            json!({"input": {"region": region, "taxClass": "standard", "rateBasisPoints": rate}});
        api.data(SET_TAX_RATE, input, Some(&staff())).await;
    }
    let shipping = json!({"input": {"currency": "eur", "priceMinor": 499, "freeFromMinor": 10000}});
    api.data(SET_SHIPPING_RATE, shipping, Some(&staff())).await;
    let read = api
        .data(
            "query { taxRates { region taxClass rateBasisPoints } shippingRates { currency priceMinor freeFromMinor } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        read,
        json!({"taxRates": [{"region": "IN", "taxClass": "standard", "rateBasisPoints": 1800},
                            {"region": "IN-KA", "taxClass": "standard", "rateBasisPoints": 500}],
               "shippingRates": [{"currency": "EUR", "priceMinor": 499, "freeFromMinor": 10000}]})
    );
    for (mutation, input, field) in [
        (
            SET_TAX_RATE,
            json!({"region": "India", "taxClass": "standard", "rateBasisPoints": 1}),
            "region",
        ),
        (
            SET_TAX_RATE,
            json!({"region": "IN-", "taxClass": "standard", "rateBasisPoints": 1}),
            "region",
        ),
        (
            SET_TAX_RATE,
            json!({"region": "IN", "taxClass": "Standard", "rateBasisPoints": 1}),
            "taxClass",
        ),
        (
            SET_TAX_RATE,
            json!({"region": "IN", "taxClass": "standard", "rateBasisPoints": 10001}),
            "rateBasisPoints",
        ),
        (
            SET_SHIPPING_RATE,
            json!({"currency": "euro", "priceMinor": 1}),
            "currency",
        ),
        (
            SET_SHIPPING_RATE,
            json!({"currency": "EUR", "priceMinor": -1}),
            "priceMinor",
        ),
        (
            SET_SHIPPING_RATE,
            json!({"currency": "EUR", "priceMinor": 1, "freeFromMinor": -1}),
            "freeFromMinor",
        ),
    ] {
        let refused = api
            .send(mutation, json!({"input": input}), Some(&staff()))
            .await;
        assert_eq!(invalid_fields(&refused), [field], "{input}");
    }

    // An order placed now adds what the tables say.
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    common::stock(&api, &pla["variants"][0]["id"], 5).await;
    let customer = token(&unique_email("customer"));
    api.data(
        "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }",
        json!({"input": {"variantId": pla["variants"][0]["id"], "quantity": 1}}),
        Some(&customer),
    )
    .await;
    let order = api
        .data(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { shippingMinor taxMinor } }",
            json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Mel", "line1": "1 MG Road",
                   "city": "Bengaluru", "postalCode": "560001", "region": "IN-KA", "country": "IN"}}}),
            Some(&customer),
        )
        .await;
    // 5 % of 19.99, half up.
    assert_eq!(
        order["placeOrder"],
        json!({"shippingMinor": 499, "taxMinor": 100})
    );
}
