//! Feature flags: everyone reads them, only platform admins set them.

use identity::WebSignIn;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, auth, error_code, invalid_fields, issuer, token, unique_email};
use serde_json::json;
use sqlx::PgPool;

const FLAGS: &str = "query { featureFlags { key enabled description } }";
const SET: &str = "mutation($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { key enabled description } }";

async fn identity(db: &PgPool) -> Endpoint {
    Endpoint::serve(identity::app(
        db.clone(),
        auth(db.clone()),
        WebSignIn::development(&issuer().url),
    ))
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_admin_sets_a_flag_and_everyone_reads_it(db: PgPool) {
    let api = identity(&db).await;
    let input = json!({"input": {"key": "store.stripe-checkout", "enabled": true, "description": "Pay by card"}});
    api.data(SET, input, Some(&token("admin@makrx.dev"))).await;
    let off = json!({"input": {"key": "store.stripe-checkout", "enabled": false}});
    let set = api.data(SET, off, Some(&token("admin@makrx.dev"))).await;
    assert_eq!(
        set["setFeatureFlag"]["description"], "Pay by card",
        "a description left out is kept"
    );

    let flags = api.data(FLAGS, json!({}), None).await;
    assert_eq!(
        flags["featureFlags"],
        json!([{"key": "store.stripe-checkout", "enabled": false, "description": "Pay by card"}])
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from shared.audit_logs where action = 'feature_flag.set'",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(audited, 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_admins_set_flags(db: PgPool) {
    let api = identity(&db).await;
    let input = json!({"input": {"key": "beta", "enabled": true}});
    let anonymous = api.send(SET, input.clone(), None).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
    let member = api
        .send(SET, input, Some(&token(&unique_email("member"))))
        .await;
    assert_eq!(error_code(&member), Some("FORBIDDEN"));
    assert_eq!(
        api.data(FLAGS, json!({}), None).await["featureFlags"],
        json!([])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_malformed_flag_key_is_refused(db: PgPool) {
    let api = identity(&db).await;
    let body = api
        .send(
            SET,
            json!({"input": {"key": "Bad Key!", "enabled": true}}),
            Some(&token("admin@makrx.dev")),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION_ERROR"));
    assert_eq!(invalid_fields(&body), ["key"]);
}
