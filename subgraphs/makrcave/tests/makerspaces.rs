//! Founding makerspaces, listing them a page at a time, and finding one by slug.

mod common;

use common::{CREATE_SPACE, count, found_space, makrcave};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, error_message, invalid_fields, token, unique_email};
use serde_json::json;
use sqlx::PgPool;

const PAGE: &str = "query($first: Int, $after: String) {
    makerspaces(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { slug } } } }";

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_founder_of_a_makerspace_becomes_its_owner(db: PgPool) {
    let api = makrcave(&db).await;
    let space = found_space(&api, &token(&unique_email("founder")), "fab-lab").await;
    assert_eq!(space["slug"], "fab-lab");
    let role: String = sqlx::query_scalar("select role from makrcave.memberships")
        .fetch_one(&db)
        .await
        .expect("a membership");
    assert_eq!(role, "owner");
    assert_eq!(
        count(
            &db,
            "select count(*) from shared.audit_logs where action = 'makerspace.created'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn founding_needs_a_signed_in_user(db: PgPool) {
    let api = makrcave(&db).await;
    let body = api
        .send(
            CREATE_SPACE,
            json!({"input": {"name": "Nobody's", "slug": "nobodys"}}),
            None,
        )
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    assert_eq!(
        count(&db, "select count(*) from makrcave.makerspaces").await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_taken_slug_is_a_conflict_and_changes_nothing(db: PgPool) {
    let api = makrcave(&db).await;
    found_space(&api, &token(&unique_email("first")), "hackspace").await;
    let body = api
        .send(
            CREATE_SPACE,
            json!({"input": {"name": "Second", "slug": "hackspace"}}),
            Some(&token(&unique_email("second"))),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
    assert_eq!(
        count(&db, "select count(*) from makrcave.makerspaces").await,
        1
    );
    assert_eq!(
        count(&db, "select count(*) from makrcave.memberships").await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn invalid_space_details_are_named_field_by_field(db: PgPool) {
    let api = makrcave(&db).await;
    let body = api
        .send(
            CREATE_SPACE,
            json!({"input": {"name": "x", "slug": "Not A Slug"}}),
            Some(&token(&unique_email("sloppy"))),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION_ERROR"));
    assert_eq!(invalid_fields(&body), ["name", "slug"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn makerspaces_are_listed_a_page_at_a_time(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("chain-owner"));
    for n in 1..=5 {
        found_space(&api, &owner, &format!("space-{n}")).await;
    }
    let first = api.data(PAGE, json!({"first": 2}), None).await;
    assert_eq!(first["makerspaces"]["totalCount"], 5);
    assert_eq!(first["makerspaces"]["pageInfo"]["hasNextPage"], true);
    let slugs = |page: &serde_json::Value| -> Vec<String> {
        page["makerspaces"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["slug"].as_str().expect("slug").to_owned())
            .collect()
    };
    assert_eq!(slugs(&first), ["space-1", "space-2"]);
    let rest = api
        .data(
            PAGE,
            json!({"first": 10, "after": first["makerspaces"]["pageInfo"]["endCursor"]}),
            None,
        )
        .await;
    assert_eq!(slugs(&rest), ["space-3", "space-4", "space-5"]);
    assert_eq!(rest["makerspaces"]["pageInfo"]["hasNextPage"], false);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_empty_network_lists_no_makerspaces(db: PgPool) {
    let api = makrcave(&db).await;
    let page = api.data(PAGE, json!({}), None).await;
    assert_eq!(page["makerspaces"]["totalCount"], 0);
    assert_eq!(page["makerspaces"]["edges"], json!([]));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_paging_arguments_are_validation_errors(db: PgPool) {
    let api = makrcave(&db).await;
    for variables in [
        json!({"first": 0}),
        json!({"first": 101}),
        json!({"after": "not-a-cursor"}),
    ] {
        let body = api.send(PAGE, variables.clone(), None).await;
        assert_eq!(error_code(&body), Some("VALIDATION_ERROR"), "{variables}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_unknown_slug_is_not_found(db: PgPool) {
    let api = makrcave(&db).await;
    let body = api
        .send(
            "query { makerspace(slug: \"nowhere\") { id } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_query_deeper_than_the_limit_is_refused(db: PgPool) {
    let api = makrcave(&db).await;
    let mut selection = "id".to_owned();
    for _ in 0..8 {
        selection = format!("equipment {{ makerspace {{ {selection} }} }}");
    }
    let body = api
        .send(
            &format!("query {{ makerspace(slug: \"deep\") {{ {selection} }} }}"),
            json!({}),
            None,
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION_ERROR"), "{body}");
    let message = error_message(&body);
    assert!(
        message.contains("too deep") || message.contains("depth"),
        "{body}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_stored_time_zone_that_is_no_zone_fails_loudly_instead_of_becoming_utc(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    found_space(&api, &owner, "lost-zone").await;
    // Only a parsed name is ever written; this one comes from outside the API.
    sqlx::query(
        "update makrcave.makerspaces set time_zone = 'Mars/Olympus' where slug = 'lost-zone'",
    )
    .execute(&db)
    .await
    .expect("the update");

    let answer = api
        .send(
            "query { makerspace(slug: \"lost-zone\") { timeZone } }",
            json!({}),
            Some(&owner),
        )
        .await;

    assert_eq!(error_code(&answer), Some("INTERNAL"), "{answer}");
    assert_eq!(answer["errors"][0]["message"], "internal error");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_spaces_days_are_its_local_days_with_the_clock_changes(db: PgPool) {
    let api = makrcave(&db).await;
    found_space(&api, &token(&unique_email("founder")), "zoned").await;
    sqlx::query("update makrcave.makerspaces set time_zone = 'Europe/Berlin'")
        .execute(&db)
        .await
        .expect("a time zone");
    let query = "query($from: NaiveDate!, $count: Int!) { makerspace(slug: \"zoned\") {
        days(from: $from, count: $count) { date startsAt endsAt hours } } }";

    let body = api
        .send(query, json!({"from": "2026-10-24", "count": 2}), None)
        .await;
    let days = body["data"]["makerspace"]["days"].as_array().expect("days");

    assert_eq!(days.len(), 2, "{body}");
    assert_eq!(days[0]["startsAt"], "2026-10-24T00:00:00+02:00");
    assert_eq!(days[0]["hours"].as_array().expect("hours").len(), 24);
    assert_eq!(days[1]["date"], "2026-10-25");
    assert_eq!(days[1]["endsAt"], "2026-10-26T00:00:00+01:00");
    assert_eq!(days[1]["hours"].as_array().expect("hours").len(), 25);
    assert_eq!(days[1]["hours"][3], "2026-10-25T02:00:00+01:00");

    for count in [0, 32] {
        let body = api
            .send(query, json!({"from": "2026-10-24", "count": count}), None)
            .await;
        assert_eq!(invalid_fields(&body), ["count"], "{body}");
    }
}
