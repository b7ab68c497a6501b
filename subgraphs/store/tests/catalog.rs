//! Browsing the catalog: categories as a tree; products found by words, category, attributes,
//! price and stock, sorted and paged; what customers and store staff each see.

mod common;

use common::{WAREHOUSE, category, filament, product, staff, stock, store};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const SEARCH: &str =
    "query($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
    products(filter: $filter, sort: $sort, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { slug } } }";

/// The slugs a search finds, in order, and its total.
async fn found(api: &Endpoint, variables: Value) -> (Vec<String>, i64) {
    let data = api.data(SEARCH, variables, None).await;
    let slugs = data["products"]["nodes"]
        .as_array()
        .expect("a page of products")
        .iter()
        .map(|node| node["slug"].as_str().expect("a slug").to_owned())
        .collect();
    (
        slugs,
        data["products"]["totalCount"].as_i64().expect("a total"),
    )
}

/// Filament > PLA holds PLA Basic (in stock), Filament holds PETG Tough, Electronics holds an
/// Arduino Uno; returns the Filament category's id.
async fn shop(api: &Endpoint) -> Value {
    let filaments = category(api, "Filament", None).await;
    let pla = category(api, "PLA", Some(&filaments)).await;
    let electronics = category(api, "Electronics", None).await;
    let mut basic = filament("PLA Basic", "PLA", 1999);
    basic["categoryId"] = pla;
    let basic = product(api, basic).await;
    stock(api, &basic["variants"][0]["id"], 5).await;
    let mut tough = filament("PETG Tough", "PETG", 2499);
    tough["categoryId"] = filaments.clone();
    product(api, tough).await;
    product(
        api,
        json!({"name": "Arduino Uno", "categoryId": electronics,
               "description": "The classic board with an ATmega328P.",
               "attributes": [{"name": "kind", "value": "board"}],
               "variants": [{"sku": "UNO-R3", "name": "R3", "priceMinor": 2400, "currency": "EUR"}]}),
    )
    .await;
    filaments
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn categories_nest_and_each_knows_its_path(db: PgPool) {
    let api = store(&db).await;
    shop(&api).await;
    let tree = api
        .data(
            "query { categories { slug children { slug } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        tree["categories"],
        json!([{"slug": "electronics", "children": []},
               {"slug": "filament", "children": [{"slug": "pla"}]}])
    );
    let pla = api
        .data(
            "query { category(slug: \"pla\") { name parent { slug } path { slug } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        pla["category"],
        json!({"name": "PLA", "parent": {"slug": "filament"},
               "path": [{"slug": "filament"}, {"slug": "pla"}]})
    );
    let missing = api
        .send(
            "query { category(slug: \"resin\") { name } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_search_finds_products_by_words_category_attributes_price_and_stock(db: PgPool) {
    let api = store(&db).await;
    let filaments = shop(&api).await;
    let search = |filter: Value| json!({"filter": filter, "sort": "NAME"});

    let cases = [
        (
            json!({"search": "filament"}),
            vec!["petg-tough", "pla-basic"],
        ),
        (json!({"search": "ATmega328P"}), vec!["arduino-uno"]),
        (json!({"search": "-spool"}), vec!["arduino-uno"]),
        // A category finds the products of the categories below it too.
        (
            json!({"categoryId": filaments}),
            vec!["petg-tough", "pla-basic"],
        ),
        (
            json!({"attributes": [{"name": "material", "values": ["PETG", "ABS"]}]}),
            vec!["petg-tough"],
        ),
        // Options of variants count as attributes of their product.
        (
            json!({"attributes": [{"name": "colour", "values": ["red"]}]}),
            vec!["petg-tough", "pla-basic"],
        ),
        (
            json!({"attributes": [{"name": "colour", "values": ["red"]},
                                  {"name": "material", "values": ["PLA"]}]}),
            vec!["pla-basic"],
        ),
        (
            json!({"attributes": [{"name": "colour", "values": ["green"]}]}),
            vec![],
        ),
        // A product matches a price range when any variant's price is in it.
        (
            json!({"minPriceMinor": 2290, "maxPriceMinor": 2450}),
            vec!["arduino-uno", "pla-basic"],
        ),
        (json!({"inStock": true}), vec!["pla-basic"]),
        (
            json!({"search": "filament", "inStock": true, "maxPriceMinor": 1999}),
            vec!["pla-basic"],
        ),
    ];
    for (filter, expected) in cases {
        let (slugs, total) = found(&api, search(filter.clone())).await;
        assert_eq!(slugs, expected, "{filter}");
        assert_eq!(total, expected.len() as i64, "{filter}");
    }

    let upside_down = api
        .send(
            SEARCH,
            search(json!({"minPriceMinor": 3000, "maxPriceMinor": 1000})),
            None,
        )
        .await;
    assert_eq!(invalid_fields(&upside_down), ["filter.maxPriceMinor"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn products_are_sorted_and_paged(db: PgPool) {
    let api = store(&db).await;
    shop(&api).await;
    for (sort, expected) in [
        (
            "PRICE_LOW_TO_HIGH",
            ["pla-basic", "arduino-uno", "petg-tough"],
        ),
        (
            "PRICE_HIGH_TO_LOW",
            ["petg-tough", "arduino-uno", "pla-basic"],
        ),
        ("NAME", ["arduino-uno", "petg-tough", "pla-basic"]),
        ("NEWEST", ["arduino-uno", "petg-tough", "pla-basic"]),
    ] {
        let (slugs, _) = found(&api, json!({"sort": sort})).await;
        assert_eq!(slugs, expected, "{sort}");
    }
    // The best match first: the word in the name weighs more than in a description.
    let (slugs, _) = found(&api, json!({"filter": {"search": "PLA"}})).await;
    assert_eq!(slugs[0], "pla-basic");

    let first = api
        .data(
            SEARCH,
            json!({"sort": "PRICE_LOW_TO_HIGH", "first": 2}),
            None,
        )
        .await;
    assert_eq!(first["products"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["products"]["totalCount"], 3);
    let after = first["products"]["pageInfo"]["endCursor"].clone();
    let rest = api
        .data(
            SEARCH,
            json!({"sort": "PRICE_LOW_TO_HIGH", "first": 2, "after": after}),
            None,
        )
        .await;
    assert_eq!(rest["products"]["nodes"], json!([{"slug": "petg-tough"}]));
    assert_eq!(rest["products"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(rest["products"]["pageInfo"]["hasPreviousPage"], true);

    for (first, after) in [
        (json!(0), json!(null)),
        (json!(2), json!("nope")),
        (json!(2), json!("-1")),
    ] {
        let refused = api
            .send(SEARCH, json!({"first": first, "after": after}), None)
            .await;
        assert_eq!(error_code(&refused), Some("VALIDATION_ERROR"), "{refused}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_product_is_found_by_slug_or_id_and_a_variant_by_sku(db: PgPool) {
    let api = store(&db).await;
    shop(&api).await;
    let query = "query($id: ID, $slug: String) { product(id: $id, slug: $slug) {
        id name category { slug } attributes { name value } priceRange { minMinor maxMinor currency }
        inStock variants { sku name options { name value } priceMinor stockAvailable } } }";
    let by_slug = api.data(query, json!({"slug": "pla-basic"}), None).await;
    let pla = &by_slug["product"];
    assert_eq!(pla["category"]["slug"], "pla");
    assert_eq!(
        pla["attributes"],
        json!([{"name": "material", "value": "PLA"}])
    );
    assert_eq!(
        pla["priceRange"],
        json!({"minMinor": 1999, "maxMinor": 2299, "currency": "EUR"})
    );
    assert_eq!(pla["inStock"], true);
    assert_eq!(
        pla["variants"][0],
        json!({"sku": "PLA-BASIC-0", "name": "black, 1.75 mm",
               "options": [{"name": "colour", "value": "black"}, {"name": "diameter", "value": "1.75 mm"}],
               "priceMinor": 1999, "stockAvailable": 5})
    );
    assert_eq!(pla["variants"][1]["stockAvailable"], 0);
    let by_id = api.data(query, json!({"id": pla["id"]}), None).await;
    assert_eq!(by_id["product"]["name"], "PLA Basic");

    // SKUs are kept in capitals and found however they are typed.
    let variant = api
        .data(
            "query { productVariant(sku: \"pla-basic-2\") { name product { slug } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        variant["productVariant"],
        json!({"name": "red, 1.75 mm", "product": {"slug": "pla-basic"}})
    );

    for (variables, code) in [
        (json!({"slug": "resin"}), "NOT_FOUND"),
        (
            json!({"id": "0193a5c0-0000-7000-8000-00000000beef"}),
            "NOT_FOUND",
        ),
        (json!({"id": "not-an-id"}), "VALIDATION_ERROR"),
        (json!({}), "VALIDATION_ERROR"),
        (
            json!({"id": pla["id"], "slug": "pla-basic"}),
            "VALIDATION_ERROR",
        ),
    ] {
        let refused = api.send(query, variables.clone(), None).await;
        assert_eq!(error_code(&refused), Some(code), "{variables}: {refused}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn unpublished_products_are_seen_by_store_staff_only(db: PgPool) {
    let api = store(&db).await;
    let mut draft = filament("Silk PLA", "PLA", 2599);
    draft["published"] = json!(false);
    let draft = product(&api, draft).await;
    let customer = token(&unique_email("customer"));

    let (listed, total) = found(&api, json!({})).await;
    assert!(listed.is_empty() && total == 0, "{listed:?}");
    for who in [None, Some(customer.as_str())] {
        let hidden = api
            .send(
                "query { product(slug: \"silk-pla\") { name } }",
                json!({}),
                who,
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"));
        let variant = api
            .send(
                "query { productVariant(sku: \"SILK-PLA-0\") { name } }",
                json!({}),
                who,
            )
            .await;
        assert_eq!(error_code(&variant), Some("NOT_FOUND"));
    }
    let asked = api
        .send(
            SEARCH,
            json!({"filter": {"includeUnpublished": true}}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&asked), Some("FORBIDDEN"));
    assert_eq!(
        error_message(&asked),
        "only store staff may see unpublished products"
    );

    let seen = api
        .data(
            SEARCH,
            json!({"filter": {"includeUnpublished": true}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(seen["products"]["nodes"], json!([{"slug": "silk-pla"}]));
    let by_id = api
        .data(
            "query($id: ID) { product(id: $id) { published } }",
            json!({"id": draft["id"]}),
            Some(&staff()),
        )
        .await;
    assert_eq!(by_id["product"]["published"], false);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn stock_available_is_on_hand_less_allocated_and_staff_see_it_by_location(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let variant = pla["variants"][0]["id"].clone();
    stock(&api, &variant, 7).await;
    let query = "query($sku: String!) { productVariant(sku: $sku) { stockAvailable
        stock { location { id name kind } onHand allocated } } }";
    let seen = api
        .data(query, json!({"sku": "PLA-BASIC-0"}), Some(&staff()))
        .await;
    assert_eq!(
        seen["productVariant"],
        json!({"stockAvailable": 7, "stock": [{"location": {"id": WAREHOUSE, "name": "Warehouse",
               "kind": "WAREHOUSE"}, "onHand": 7, "allocated": 0}]})
    );
    let customer = api
        .send(
            query,
            json!({"sku": "PLA-BASIC-0"}),
            Some(&token(&unique_email("customer"))),
        )
        .await;
    assert_eq!(error_code(&customer), Some("FORBIDDEN"));

    // Orders allocate stock; until they exist this test allocates by hand.
    sqlx::query("update store.stock set allocated = 3")
        .execute(&db)
        .await
        .expect("an allocation");
    let available = api
        .data(
            "query { productVariant(sku: \"PLA-BASIC-0\") { stockAvailable } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(available["productVariant"]["stockAvailable"], 4);
    let below = api
        .send(
            common::SET_STOCK,
            json!({"input": {"variantId": variant, "locationId": WAREHOUSE, "onHand": 2}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(error_code(&below), Some("CONFLICT"));
    assert_eq!(
        error_message(&below),
        "orders have 3 units allocated here; on hand cannot go below that"
    );
}

/// A search of a catalog of 50,000 products is answered from the full-text index, not by reading
/// every product. (Below a few thousand products reading them all is cheaper, and PostgreSQL
/// rightly does.)
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_search_uses_the_full_text_index(db: PgPool) {
    sqlx::query(
        "insert into store.products (id, slug, name, description)
         select gen_random_uuid(), 'part-' || n,
                case when n % 5000 = 0 then 'Filament ' || n else 'Part ' || n end,
                'A spare part, number ' || n
         from generate_series(1, 50000) as n",
    )
    .execute(&db)
    .await
    .expect("a large catalog");
    sqlx::query("vacuum analyze store.products")
        .execute(&db)
        .await
        .expect("statistics, and the index tidied as autovacuum would");
    let plan: Vec<String> = sqlx::query_scalar(
        "explain select * from store.find_products('filament', null, '{}', '{}', null, null, false, false, now())",
    )
    .fetch_all(&db)
    .await
    .expect("a plan");
    let plan = plan.join("\n");
    assert!(plan.contains("products_search"), "{plan}");
}
