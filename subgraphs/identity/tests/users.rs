//! The identity subgraph over HTTP, with real tokens from the development OIDC server.

use identity::WebSignIn;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, auth, error_code, invalid_fields, issuer, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const ME: &str = "query { me { id displayName email bio avatarUrl roles } }";
const USER: &str = "query($id: ID!) { user(id: $id) { id displayName email bio } }";
const UPDATE: &str = "mutation($input: UpdateProfileInput!) {
    updateMyProfile(input: $input) { id displayName bio avatarUrl } }";

async fn identity(db: &PgPool) -> Endpoint {
    Endpoint::serve(identity::app(
        db.clone(),
        auth(db.clone()),
        WebSignIn::development(&issuer().url),
    ))
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn me_without_a_token_is_unauthenticated(db: PgPool) {
    let api = identity(&db).await;
    let body = api.send(ME, json!({}), None).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_first_request_creates_the_user_from_the_token(db: PgPool) {
    let api = identity(&db).await;
    let email = unique_email("ada");
    let me = api.data(ME, json!({}), Some(&token(&email))).await;
    assert_eq!(me["me"]["email"], email.as_str());
    assert_eq!(me["me"]["roles"], json!([]));
    let again = api.data(ME, json!({}), Some(&token(&email))).await;
    assert_eq!(
        again["me"]["id"], me["me"]["id"],
        "the same person is the same user"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_forged_or_malformed_token_is_refused(db: PgPool) {
    let api = identity(&db).await;
    let real = token(&unique_email("mallory"));
    let (head, _signature) = real.rsplit_once('.').expect("a JWT");
    for bad in [format!("{head}.c2lnbmF0dXJl"), "not-a-jwt".to_owned()] {
        let body = api.send(ME, json!({}), Some(&bad)).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{bad}: {body}");
        assert!(body["data"].is_null(), "nothing is answered: {body}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_profile_edit_is_saved_and_audited(db: PgPool) {
    let api = identity(&db).await;
    let me = token(&unique_email("grace"));
    let input = json!({"input": {"displayName": "  Grace H.  ", "bio": "Compilers.", "avatarUrl": "https://example.org/g.png"}});
    let edited = api.data(UPDATE, input, Some(&me)).await;
    assert_eq!(edited["updateMyProfile"]["displayName"], "Grace H.");

    let read = api.data(ME, json!({}), Some(&me)).await;
    assert_eq!(read["me"]["bio"], "Compilers.");
    assert_eq!(read["me"]["avatarUrl"], "https://example.org/g.png");
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from shared.audit_logs where action = 'user.profile_updated'",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(audited, 1);

    let cleared = api
        .data(UPDATE, json!({"input": {"bio": ""}}), Some(&me))
        .await;
    assert_eq!(
        cleared["updateMyProfile"].get("bio"),
        Some(&Value::Null),
        "an empty bio clears it: {cleared}"
    );
    assert_eq!(
        cleared["updateMyProfile"]["displayName"], "Grace H.",
        "fields left out are kept"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_invalid_profile_edit_names_each_field_and_changes_nothing(db: PgPool) {
    let api = identity(&db).await;
    let me = token(&unique_email("linus"));
    let before = api.data(ME, json!({}), Some(&me)).await;
    let input =
        json!({"input": {"displayName": " ", "avatarUrl": "javascript:alert(1)", "bio": "fine"}});
    let body = api.send(UPDATE, input, Some(&me)).await;
    assert_eq!(error_code(&body), Some("VALIDATION_ERROR"));
    assert_eq!(invalid_fields(&body), ["displayName", "avatarUrl"]);
    assert_eq!(api.data(ME, json!({}), Some(&me)).await, before);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn another_user_sees_a_profile_but_not_its_email(db: PgPool) {
    let api = identity(&db).await;
    let owner = api
        .data(ME, json!({}), Some(&token(&unique_email("owner"))))
        .await;
    let id = owner["me"]["id"].clone();
    let seen = api
        .data(
            USER,
            json!({"id": id}),
            Some(&token(&unique_email("stranger"))),
        )
        .await;
    assert_eq!(seen["user"]["displayName"], owner["me"]["displayName"]);
    assert_eq!(seen["user"].get("email"), Some(&Value::Null), "{seen}");
    let by_admin = api
        .data(USER, json!({"id": id}), Some(&token("admin@makrx.dev")))
        .await;
    assert_eq!(by_admin["user"]["email"], owner["me"]["email"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_wrong_user_id_is_a_clear_error(db: PgPool) {
    let api = identity(&db).await;
    let malformed = api.send(USER, json!({"id": "42"}), None).await;
    assert_eq!(error_code(&malformed), Some("VALIDATION_ERROR"));
    let unknown = api
        .send(
            USER,
            json!({"id": "0190b5a0-0000-7000-8000-000000000000"}),
            None,
        )
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn malformed_graphql_is_a_validation_error(db: PgPool) {
    let api = identity(&db).await;
    for query in ["query { me { ", "query { noSuchField }"] {
        let body = api.send(query, json!({}), None).await;
        assert_eq!(
            error_code(&body),
            Some("VALIDATION_ERROR"),
            "{query}: {body}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn health_and_readiness_are_reported_with_a_request_id(db: PgPool) {
    let api = identity(&db).await;
    let http = reqwest::Client::new();
    let health = http
        .get(format!("http://{}/health", api.addr))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    assert!(
        health.headers().contains_key("x-request-id"),
        "every answer names its request"
    );
    let ready = http
        .get(format!("http://{}/ready", api.addr))
        .send()
        .await
        .expect("ready");
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.expect("JSON"),
        json!({"database": true, "issuer": true})
    );
}
