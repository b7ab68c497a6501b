//! Fabrication quotes: a customer sends a part straight to object storage (the embedded S3
//! server, which checks signatures) and the engine quotes the bytes that arrived; a bad file
//! is refused with its reason, and a part is its uploader's alone.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::store_with_files;
use makrx_quoting::materials::Process;
use makrx_quoting::{Limits, PrintSettings, Quantity, QuoteRequest, SlicerMode, shapes, stl};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{
    Endpoint, error_code, error_message, invalid_fields, put_signed, token, unique_email,
};
use serde_json::{Value, json};
use sqlx::PgPool;

const CREATE_UPLOAD: &str = "mutation($input: CreateUploadInput!) {
    createUpload(input: $input) { id uploadUrl expiresAt upload { id fileName sizeBytes } } }";
const QUOTE: &str = "mutation($input: QuoteUploadInput!) { quoteUpload(input: $input) {
    id status material colour infillPercent quantity warnings failure expiresAt expired
    measures { triangles volumeMm3 areaMm2 bboxMm watertight shells }
    misfits { machine reason }
    print { machine process printSeconds materialGrams source fallbackReason }
    price { currency setupFeeMinor totalMinor unitPriceMinor quantity } } }";
const QUOTE_STATUS: &str = "query($id: ID!) { fabricationQuote(id: $id) { id status measures { triangles } price { totalMinor } } }";
const UPLOAD: &str =
    "query($id: ID!) { upload(id: $id) { id fileName downloadUrl quotes { id status } } }";
const MY_UPLOADS: &str = "{ myUploads { edges { node { id fileName quotes { status } } } } }";
const DELETE: &str = "mutation($input: DeleteUploadInput!) { deleteUpload(input: $input) }";

/// A `side` mm cube as a binary STL.
fn cube(side: f32) -> Vec<u8> {
    stl::to_binary_stl(&shapes::cuboid([0.0; 3], [side; 3]))
}

/// Asks to upload `bytes` as `name`, declaring `size`; answers the whole reply.
async fn ask_upload(api: &Endpoint, who: &str, name: &str, size: usize) -> Value {
    api.send(
        CREATE_UPLOAD,
        json!({"input": {"fileName": name, "sizeBytes": size, "contentType": "model/stl"}}),
        Some(who),
    )
    .await
}

/// Uploads `bytes` as `who`; answers the upload's id.
async fn upload(api: &Endpoint, who: &str, name: &str, bytes: Vec<u8>) -> Value {
    let asked = ask_upload(api, who, name, bytes.len()).await["data"]["createUpload"].clone();
    assert_eq!(put_signed(&asked, "model/stl", bytes).await, 200);
    asked["id"].clone()
}

async fn quote(api: &Endpoint, who: &str, upload: &Value, material: &str, quantity: i32) -> Value {
    api.send(
        QUOTE,
        json!({"input": {"uploadId": upload, "material": material, "quantity": quantity,
                         "infillPercent": 20, "colour": " black "}}),
        Some(who),
    )
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_part_sent_to_its_upload_url_is_measured_and_priced_from_its_bytes(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let customer = token(&unique_email("maker"));
    let part = upload(&api, &customer, "cube.stl", cube(20.0)).await;

    let quoted = quote(&api, &customer, &part, "pla", 2).await;
    let quoted = &quoted["data"]["quoteUpload"];
    assert_eq!(quoted["status"], "READY", "{quoted}");
    assert_eq!(quoted["material"], "PLA");
    assert_eq!(quoted["colour"], "black");
    assert_eq!(
        quoted["measures"],
        json!({"triangles": 12, "volumeMm3": 8000.0, "areaMm2": 2400.0,
               "bboxMm": [20.0, 20.0, 20.0], "watertight": true, "shells": 1})
    );
    assert_eq!(quoted["misfits"], json!([]));
    assert_eq!(quoted["print"]["machine"], "Prusa MK4");
    assert_eq!(quoted["print"]["process"], "FDM");
    assert_eq!(quoted["print"]["source"], "estimate");
    assert!(quoted["print"]["fallbackReason"].is_string(), "{quoted}");
    assert_eq!(quoted["expired"], false);

    // The price is the engine's for the same file and request, every line of it.
    let request = QuoteRequest {
        material: "PLA".into(),
        settings: PrintSettings::standard(Process::Fdm, 20).expect("valid"),
        quantity: Quantity::new(2).expect("valid"),
        slicer: SlicerMode::Off,
    };
    let engine = makrx_quoting::quote(
        &cube(20.0),
        &request,
        &makrx_quoting::PriceList::standard(),
        &Limits::default(),
        chrono::Utc::now(),
    )
    .expect("the engine quotes a cube");
    assert_eq!(quoted["price"]["totalMinor"], engine.price.total_minor);
    assert_eq!(
        quoted["price"]["setupFeeMinor"],
        engine.price.setup_fee_minor
    );
    assert_eq!(quoted["price"]["quantity"], 2);
    assert_eq!(quoted["price"]["currency"], "INR");
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(quoted["expiresAt"].clone()).expect("an expiry");
    let days = (expires - chrono::Utc::now()).num_hours();
    assert!(
        (167..=168).contains(&days),
        "a quote holds a week: {days} h"
    );

    let mine = api.data(MY_UPLOADS, json!({}), Some(&customer)).await;
    assert_eq!(
        mine["myUploads"]["edges"],
        json!([{"node": {"id": part, "fileName": "cube.stl", "quotes": [{"status": "READY"}]}}])
    );
    let fetched = api.data(UPLOAD, json!({"id": part}), Some(&customer)).await;
    let url = fetched["upload"]["downloadUrl"].as_str().expect("a URL");
    let file = reqwest::get(url).await.expect("S3 answers");
    assert_eq!(file.bytes().await.expect("the file").to_vec(), cube(20.0));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_part_that_fits_no_machine_shows_its_measures_and_no_price(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let customer = token(&unique_email("maker"));
    let part = upload(&api, &customer, "crate.stl", cube(400.0)).await;

    let quoted = quote(&api, &customer, &part, "PLA", 1).await;
    let quoted = &quoted["data"]["quoteUpload"];
    assert_eq!(quoted["status"], "TOO_BIG", "{quoted}");
    assert_eq!(quoted["measures"]["bboxMm"], json!([400.0, 400.0, 400.0]));
    assert_eq!(quoted["measures"]["volumeMm3"], 64_000_000.0);
    assert_eq!(quoted["price"], Value::Null);
    assert_eq!(quoted["expiresAt"], Value::Null);
    // PLA prints on FDM machines: the one on the price list, and what of the part exceeds it.
    let misfits = quoted["misfits"].as_array().expect("misfits");
    assert_eq!(misfits.len(), 1, "{misfits:?}");
    assert_eq!(misfits[0]["machine"], "Prusa MK4");
    let reason = misfits[0]["reason"].as_str().expect("a reason");
    assert!(
        reason.starts_with("400.0 mm in x exceeds the Prusa MK4's 250 mm width"),
        "{reason}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_uploads_are_refused_with_the_reason_and_nothing_is_kept_but_the_upload(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let customer = token(&unique_email("maker"));

    let too_big = ask_upload(&api, &customer, "huge.stl", 100 * 1024 * 1024 + 1).await;
    assert_eq!(invalid_fields(&too_big), ["sizeBytes"]);
    let not_stl = api
        .send(
            CREATE_UPLOAD,
            json!({"input": {"fileName": "photo.png", "sizeBytes": 100, "contentType": "image/png"}}),
            Some(&customer),
        )
        .await;
    assert_eq!(invalid_fields(&not_stl), ["contentType"]);
    let unnamed = ask_upload(&api, &customer, "  ", 100).await;
    assert_eq!(invalid_fields(&unnamed), ["fileName"]);

    // Asked for, never sent.
    let waiting =
        ask_upload(&api, &customer, "later.stl", 684).await["data"]["createUpload"]["id"].clone();
    let early = quote(&api, &customer, &waiting, "PLA", 1).await;
    assert_eq!(error_code(&early), Some("CONFLICT"));
    assert!(
        error_message(&early).contains("nothing has been uploaded"),
        "{early}"
    );

    let good = cube(20.0);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(684, 0);
    let mut lying = good.clone();
    lying[80..84].copy_from_slice(&13u32.to_le_bytes());
    let truncated = good[..good.len() - 50].to_vec();
    let ascii = b"solid part\n  facet normal 0 0 1\n    outer loop\n      vertex 0 0 0\n".to_vec();
    for (name, bytes, says) in [
        ("photo.stl", png, "not an STL"),
        ("lying.stl", lying, "not an STL"),
        ("truncated.stl", truncated, "not an STL"),
        ("cut-short.stl", ascii, "ASCII STL, line"),
    ] {
        let part = upload(&api, &customer, name, bytes).await;
        let refused = quote(&api, &customer, &part, "PLA", 1).await;
        assert_eq!(invalid_fields(&refused), ["uploadId"], "{name}: {refused}");
        assert!(error_message(&refused).contains(says), "{name}: {refused}");
    }
    // A file of another size than declared.
    let asked = ask_upload(&api, &customer, "grown.stl", 100).await["data"]["createUpload"].clone();
    assert_eq!(put_signed(&asked, "model/stl", good.clone()).await, 200);
    let refused = quote(&api, &customer, &asked["id"], "PLA", 1).await;
    assert!(
        error_message(&refused).contains("not the 100 declared"),
        "{refused}"
    );

    // Bad requests of a good file.
    let part = upload(&api, &customer, "cube.stl", good).await;
    let unknown = quote(&api, &customer, &part, "unobtainium", 1).await;
    assert_eq!(invalid_fields(&unknown), ["material"]);
    assert!(
        error_message(&unknown).contains("PLA"),
        "names the known ones: {unknown}"
    );
    assert_eq!(
        invalid_fields(&quote(&api, &customer, &part, "PLA", 0).await),
        ["quantity"]
    );

    let quotes: i64 = sqlx::query_scalar("select count(*) from store.fabrication_quotes")
        .fetch_one(&db)
        .await
        .expect("counted");
    assert_eq!(quotes, 0, "no quote is kept of a refused file");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_upload_is_its_uploaders_alone(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let owner = token(&unique_email("owner"));
    let other = token(&unique_email("other"));
    let part = upload(&api, &owner, "secret.stl", cube(20.0)).await;
    let quoted = quote(&api, &owner, &part, "PLA", 1).await["data"]["quoteUpload"]["id"].clone();

    for reply in [
        api.send(UPLOAD, json!({"id": part}), Some(&other)).await,
        quote(&api, &other, &part, "PLA", 1).await,
        api.send(DELETE, json!({"input": {"uploadId": part}}), Some(&other))
            .await,
        api.send(QUOTE_STATUS, json!({"id": quoted}), Some(&other))
            .await,
    ] {
        assert_eq!(error_code(&reply), Some("NOT_FOUND"), "{reply}");
    }
    let theirs = api.data(MY_UPLOADS, json!({}), Some(&other)).await;
    assert_eq!(theirs["myUploads"]["edges"], json!([]));
    for reply in [
        api.send(UPLOAD, json!({"id": part}), None).await,
        api.send(
            CREATE_UPLOAD,
            json!({"input": {"fileName": "a.stl", "sizeBytes": 684, "contentType": "model/stl"}}),
            None,
        )
        .await,
        api.send(QUOTE_STATUS, json!({"id": quoted}), None).await,
    ] {
        assert_eq!(error_code(&reply), Some("UNAUTHENTICATED"), "{reply}");
    }

    // Its owner deletes it: the file and its quotes go with it.
    let url = api.data(UPLOAD, json!({"id": part}), Some(&owner)).await["upload"]["downloadUrl"]
        .as_str()
        .expect("a URL")
        .to_owned();
    let deleted = api
        .data(DELETE, json!({"input": {"uploadId": part}}), Some(&owner))
        .await;
    assert_eq!(deleted["deleteUpload"], part);
    assert_eq!(reqwest::get(&url).await.expect("S3 answers").status(), 404);
    let gone = api
        .send(QUOTE_STATUS, json!({"id": quoted}), Some(&owner))
        .await;
    assert_eq!(error_code(&gone), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_large_part_is_queued_and_quoted_by_the_worker(db: PgPool) {
    let (api, s3, _folder) = store_with_files(&db).await;
    let customer = token(&unique_email("maker"));
    // 420,000 triangles: 21 MB, more than is quoted while the customer waits.
    let ring = stl::to_binary_stl(&shapes::torus(40.0, 10.0, 700, 300));
    assert!(ring.len() > 20 * 1024 * 1024);
    let part = upload(&api, &customer, "ring.stl", ring).await;

    let queued = quote(&api, &customer, &part, "PLA", 1).await;
    let queued = &queued["data"]["quoteUpload"];
    assert_eq!(queued["status"], "QUEUED", "{queued}");
    assert_eq!(queued["price"], Value::Null);

    let files = makrx_files::Files::connect(s3.settings()).expect("an S3 client");
    let worker = tokio::spawn(store::quote_parts(
        db.clone(),
        Some(files),
        Clock::system(),
        Arc::new(store::Quoting::standard()),
    ));
    let mut made = Value::Null;
    for _ in 0..200 {
        made = api
            .data(QUOTE_STATUS, json!({"id": queued["id"]}), Some(&customer))
            .await;
        if made["fabricationQuote"]["status"] == "READY" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    worker.abort();
    assert_eq!(made["fabricationQuote"]["status"], "READY", "{made}");
    assert_eq!(made["fabricationQuote"]["measures"]["triangles"], 420_000);
    assert!(made["fabricationQuote"]["price"]["totalMinor"].as_i64() > Some(0));
}

const ADD_PART: &str = "mutation($input: AddPartToCartInput!) { addPartToCart(input: $input) {
    itemCount subtotalMinor currency
    parts { fileName material quantity priceMinor currency makerspace { id } quote { id } } } }";
const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    id subtotalMinor taxMinor shippingMinor totalMinor currency
    parts { fileName material colour infillPercent quantity priceMinor taxRateBasisPoints
            taxMinor discountMinor makerspace { id } } } }";
const CART: &str = "{ cart { itemCount parts { fileName } } }";
const START_PAYMENT: &str =
    "mutation($input: StartPaymentInput!) { startPayment(input: $input) { id } }";
const CONFIRM_PAYMENT: &str =
    "mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id } }";

/// Ships in rupees for 49.00 and taxes standard goods (printed parts among them) at 18 %.
async fn rupee_rates(db: &PgPool) {
    sqlx::raw_sql(
        "insert into store.shipping_rates (currency, price_minor) values ('INR', 4900);
         insert into store.tax_rates (region, tax_class, rate_basis_points)
         values ('IN', 'standard', 1800);",
    )
    .execute(db)
    .await
    .expect("rates");
}

fn ship_to_pune() -> Value {
    json!({"input": {"delivery": "SHIPPING", "shipTo": {"name": "Mel Maker", "line1": "1 FC Road",
           "city": "Pune", "postalCode": "411004", "country": "IN"}}})
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_priced_quote_is_bought_as_quoted_while_it_holds(db: PgPool) {
    rupee_rates(&db).await;
    let clock = Clock::manual(chrono::Utc::now());
    let (api, _s3, _folder) = common::store_with_files_at(&db, clock.clone()).await;
    let customer = token(&unique_email("maker"));
    let part = upload(&api, &customer, "cube.stl", cube(20.0)).await;
    let quoted = quote(&api, &customer, &part, "PLA", 2).await["data"]["quoteUpload"].clone();
    let price = quoted["price"]["totalMinor"].as_i64().expect("a price");
    let provider = "0193a5c0-0000-7000-8000-0000000f00d1";

    let other = token(&unique_email("other"));
    let add = |makerspace: Option<&str>| json!({"input": {"quoteId": quoted["id"], "makerspaceId": makerspace}});
    let stolen = api.send(ADD_PART, add(None), Some(&other)).await;
    assert_eq!(error_code(&stolen), Some("NOT_FOUND"), "{stolen}");
    let anonymous = api.send(ADD_PART, add(None), None).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));

    api.data(ADD_PART, add(None), Some(&customer)).await;
    let cart = api
        .data(ADD_PART, add(Some(provider)), Some(&customer))
        .await;
    assert_eq!(
        cart["addPartToCart"],
        json!({"itemCount": 2, "subtotalMinor": price, "currency": "INR",
               "parts": [{"fileName": "cube.stl", "material": "PLA", "quantity": 2,
                          "priceMinor": price, "currency": "INR", "makerspace": {"id": provider},
                          "quote": {"id": quoted["id"]}}]}),
        "added twice, it is there once, made where last asked"
    );

    let order = api.data(PLACE, ship_to_pune(), Some(&customer)).await["placeOrder"].clone();
    let tax = (price * 1800 + 5_000) / 10_000;
    assert_eq!(
        order["parts"],
        json!([{"fileName": "cube.stl", "material": "PLA", "colour": "black", "infillPercent": 20,
                "quantity": 2, "priceMinor": price, "taxRateBasisPoints": 1800, "taxMinor": tax,
                "discountMinor": 0, "makerspace": {"id": provider}}])
    );
    assert_eq!(order["subtotalMinor"], price);
    assert_eq!(order["totalMinor"], price + tax + 4900);
    assert_eq!(order["currency"], "INR");
    let cart = api.data(CART, json!({}), Some(&customer)).await;
    assert_eq!(
        cart["cart"],
        json!({"itemCount": 0, "parts": []}),
        "the order empties the cart"
    );

    // Paid, its parts are announced for a makerspace to make, with what making them takes.
    let pay = json!({"input": {"orderId": order["id"], "provider": "MANUAL"}});
    api.data(START_PAYMENT, pay, Some(&customer)).await;
    let confirm = json!({"input": {"orderId": order["id"]}});
    api.data(CONFIRM_PAYMENT, confirm, Some(&common::staff()))
        .await;
    let announced: Vec<Value> = sqlx::query_scalar(
        "select payload from events.outbox where topic = 'store.order.parts_paid'",
    )
    .fetch_all(&db)
    .await
    .expect("announcements");
    let [paid] = announced.as_slice() else {
        panic!("one announcement, not {announced:?}");
    };
    assert_eq!(paid["order_id"], order["id"]);
    let made = &paid["parts"][0];
    assert_eq!(
        (
            &made["file_name"],
            &made["material"],
            &made["quantity"],
            &made["makerspace_id"]
        ),
        (
            &json!("cube.stl"),
            &json!("PLA"),
            &json!(2),
            &json!(provider)
        )
    );
    assert_eq!(quoted["print"]["process"], "FDM");
    assert_eq!(made["process"], "fdm");
    assert_eq!(made["print_seconds"], quoted["print"]["printSeconds"]);
    assert_eq!(made["bbox_mm"], json!([20.0, 20.0, 20.0]));

    // Ordered, the part is kept with its order.
    let kept = api
        .send(
            DELETE,
            json!({"input": {"uploadId": part}}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&kept), Some("CONFLICT"), "{kept}");
    assert_eq!(
        error_message(&kept),
        "this part is ordered: it is kept with its order"
    );

    // A quote holds for a week: after that it is neither put in a cart nor ordered.
    api.data(ADD_PART, add(None), Some(&customer)).await;
    clock.advance(chrono::Duration::days(8));
    let lapsed = api.send(ADD_PART, add(None), Some(&customer)).await;
    assert_eq!(error_code(&lapsed), Some("CONFLICT"));
    assert!(
        error_message(&lapsed).starts_with("the quote expired on "),
        "{lapsed}"
    );
    let refused = api.send(PLACE, ship_to_pune(), Some(&customer)).await;
    assert_eq!(error_code(&refused), Some("CONFLICT"));
    assert!(
        error_message(&refused).starts_with("the quote for cube.stl expired on "),
        "{refused}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_a_priced_quote_in_the_carts_currency_goes_in_the_cart(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let customer = token(&unique_email("maker"));
    let crate_part = upload(&api, &customer, "crate.stl", cube(400.0)).await;
    let too_big =
        quote(&api, &customer, &crate_part, "PLA", 1).await["data"]["quoteUpload"]["id"].clone();
    let refused = api
        .send(
            ADD_PART,
            json!({"input": {"quoteId": too_big}}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&refused), Some("CONFLICT"));
    assert_eq!(
        error_message(&refused),
        "the quote is for a part too big for every machine: only a priced quote can be ordered"
    );

    // A spool in euros, then a part in rupees.
    let pla = common::product(&api, common::filament("PLA Basic", "PLA", 1999)).await;
    let variant = &pla["variants"][0];
    common::stock(&api, &variant["id"], 5).await;
    api.data(
        "mutation($input: AddToCartInput!) { addToCart(input: $input) { itemCount } }",
        json!({"input": {"variantId": variant["id"], "quantity": 1}}),
        Some(&customer),
    )
    .await;
    let part = upload(&api, &customer, "cube.stl", cube(20.0)).await;
    let priced = quote(&api, &customer, &part, "PLA", 1).await["data"]["quoteUpload"]["id"].clone();
    let mixed = api
        .send(
            ADD_PART,
            json!({"input": {"quoteId": priced}}),
            Some(&customer),
        )
        .await;
    assert_eq!(
        error_message(&mixed),
        "your cart is priced in EUR and this part in INR: check out one currency at a time"
    );
}
