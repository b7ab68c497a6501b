//! Product images: store staff send a file straight to object storage (the embedded S3 server,
//! which checks signatures) with the URL the store signs, the store checks what arrived before
//! anyone sees it, and customers fetch it with a short-lived URL.

mod common;

use common::{filament, product, staff, store, store_with_files};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{
    Endpoint, error_code, error_message, invalid_fields, put_signed, token, unique_email,
};
use serde_json::{Value, json};
use sqlx::PgPool;

const CREATE_UPLOAD: &str = "mutation($input: CreateProductImageUploadInput!) {
    createProductImageUpload(input: $input) { imageId uploadUrl expiresAt } }";
const CONFIRM: &str = "mutation($input: ConfirmProductImageInput!) {
    confirmProductImage(input: $input) { id url alt contentType sizeBytes position } }";
const REMOVE: &str =
    "mutation($input: RemoveProductImageInput!) { removeProductImage(input: $input) }";
const IMAGES: &str =
    "query($slug: String!) { product(slug: $slug) { images { id url alt contentType position } } }";

/// A PNG as far as its first bytes tell, `size` bytes long.
fn png(size: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(size, 7);
    bytes
}

async fn ask_upload(api: &Endpoint, who: &str, product: &Value, size: usize) -> Value {
    api.send(
        CREATE_UPLOAD,
        json!({"input": {"productId": product, "contentType": "image/png",
                         "sizeBytes": size, "alt": "A black spool on a bench"}}),
        Some(who),
    )
    .await
}

async fn confirm(api: &Endpoint, image: &Value) -> Value {
    api.send(
        CONFIRM,
        json!({"input": {"imageId": image}}),
        Some(&staff()),
    )
    .await
}

async fn images(api: &Endpoint) -> Value {
    api.data(IMAGES, json!({"slug": "pla-basic"}), None).await["product"]["images"].clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_image_sent_to_its_upload_url_shows_on_its_product_once_checked(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;

    let upload =
        ask_upload(&api, &staff(), &pla["id"], 2048).await["data"]["createProductImageUpload"]
            .clone();
    assert_eq!(
        images(&api).await,
        json!([]),
        "nothing shows before it is checked"
    );
    assert_eq!(put_signed(&upload, "image/png", png(2048)).await, 200);
    let shown = confirm(&api, &upload["imageId"]).await["data"]["confirmProductImage"].clone();

    assert_eq!(shown["alt"], "A black spool on a bench");
    assert_eq!(shown["sizeBytes"], 2048);
    assert_eq!(shown["position"], 0);
    let listed = images(&api).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["id"], upload["imageId"]);
    let fetched = reqwest::get(listed[0]["url"].as_str().expect("a URL"))
        .await
        .expect("S3 answers");
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.bytes().await.expect("a body").to_vec(), png(2048));
    // Confirming again changes nothing; a second image comes after the first.
    let again = confirm(&api, &upload["imageId"]).await;
    assert_eq!(again["data"]["confirmProductImage"]["position"], 0);
    let second =
        ask_upload(&api, &staff(), &pla["id"], 100).await["data"]["createProductImageUpload"]
            .clone();
    put_signed(&second, "image/png", png(100)).await;
    let after = confirm(&api, &second["imageId"]).await;
    assert_eq!(after["data"]["confirmProductImage"]["position"], 1);

    // Removing one deletes its file: its URL no longer fetches it.
    let removed = api
        .send(
            REMOVE,
            json!({"input": {"imageId": upload["imageId"]}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(removed["data"]["removeProductImage"], upload["imageId"]);
    let gone = reqwest::get(listed[0]["url"].as_str().expect("a URL"))
        .await
        .expect("S3 answers");
    assert_eq!(gone.status(), 404);
    assert_eq!(images(&api).await.as_array().map(Vec::len), Some(1));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_file_that_is_not_what_was_declared_is_refused_and_deleted(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let staff = staff();
    let upload = |size| ask_upload(&api, &staff, &pla["id"], size);

    let early = upload(100).await["data"]["createProductImageUpload"].clone();
    let not_yet = confirm(&api, &early["imageId"]).await;
    assert_eq!(error_code(&not_yet), Some("CONFLICT"));
    assert_eq!(
        error_message(&not_yet),
        "nothing has been uploaded for this image yet"
    );

    let bigger = upload(100).await["data"]["createProductImageUpload"].clone();
    assert_eq!(put_signed(&bigger, "image/png", png(5000)).await, 200);
    let refused = confirm(&api, &bigger["imageId"]).await;
    assert_eq!(
        error_message(&refused),
        "the upload is 5000 bytes, not the 100 declared"
    );
    let deleted = confirm(&api, &bigger["imageId"]).await;
    assert_eq!(
        error_message(&deleted),
        "nothing has been uploaded for this image yet",
        "the refused file is gone"
    );

    let lying = upload(4).await["data"]["createProductImageUpload"].clone();
    assert_eq!(
        put_signed(&lying, "image/png", vec![0xff, 0xd8, 0xff, 0xe0]).await,
        200
    );
    let not_png = confirm(&api, &lying["imageId"]).await;
    assert_eq!(error_code(&not_png), Some("CONFLICT"));
    assert_eq!(error_message(&not_png), "the upload is not a PNG image");

    // The signature holds the declared type: another is refused by S3 itself.
    let typed = upload(100).await["data"]["createProductImageUpload"].clone();
    assert_eq!(put_signed(&typed, "text/html", png(100)).await, 403);
    assert_eq!(images(&api).await, json!([]));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_store_staff_add_or_remove_images_and_bad_input_is_named(db: PgPool) {
    let (api, _s3, _folder) = store_with_files(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;
    let customer = token(&unique_email("customer"));

    let anonymous = api
        .send(
            CREATE_UPLOAD,
            json!({"input": {"productId": pla["id"], "contentType": "image/png", "sizeBytes": 1}}),
            None,
        )
        .await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
    let by_customer = ask_upload(&api, &customer, &pla["id"], 10).await;
    assert_eq!(error_code(&by_customer), Some("FORBIDDEN"));
    assert_eq!(
        error_message(&by_customer),
        "only store staff may add product images"
    );
    let remove = api
        .send(
            REMOVE,
            json!({"input": {"imageId": "0193a5c0-0000-7000-8000-000000000999"}}),
            Some(&customer),
        )
        .await;
    assert_eq!(error_code(&remove), Some("FORBIDDEN"));

    for (input, field) in [
        (
            json!({"contentType": "image/gif", "sizeBytes": 10}),
            "contentType",
        ),
        (
            json!({"contentType": "image/png", "sizeBytes": 0}),
            "sizeBytes",
        ),
        (
            json!({"contentType": "image/png", "sizeBytes": 5 * 1024 * 1024 + 1}),
            "sizeBytes",
        ),
        (
            json!({"contentType": "image/png", "sizeBytes": 10, "alt": "x".repeat(201)}),
            "alt",
        ),
    ] {
        let mut input = input;
        input["productId"] = pla["id"].clone();
        let answer = api
            .send(CREATE_UPLOAD, json!({"input": input}), Some(&staff()))
            .await;
        assert_eq!(invalid_fields(&answer), [field], "{answer}");
    }
    let unknown = ask_upload(
        &api,
        &staff(),
        &json!("0193a5c0-0000-7000-8000-000000000999"),
        10,
    )
    .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
    let nothing = api
        .send(
            REMOVE,
            json!({"input": {"imageId": "0193a5c0-0000-7000-8000-000000000999"}}),
            Some(&staff()),
        )
        .await;
    assert_eq!(error_code(&nothing), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_store_without_object_storage_says_so(db: PgPool) {
    let api = store(&db).await;
    let pla = product(&api, filament("PLA Basic", "PLA", 1999)).await;

    let answer = ask_upload(&api, &staff(), &pla["id"], 10).await;

    assert_eq!(error_code(&answer), Some("CONFLICT"));
    assert_eq!(
        error_message(&answer),
        "this store keeps no images: its object storage is not set up (S3_ENDPOINT)"
    );
    assert_eq!(images(&api).await, json!([]));
}
