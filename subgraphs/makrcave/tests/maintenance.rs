//! A machine's maintenance log: staff and above of its space log what was done, by whom, when
//! and at what cost; the time is the clock's unless given, and never in the future.

mod common;

use chrono::{Duration, Utc};
use common::{Cast, Who, add_machine, count, expect_outcome, makrcave, makrcave_at, newcomer};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::invalid_fields;
use serde_json::{Value, json};
use sqlx::PgPool;

const LOG_MAINTENANCE: &str = "mutation($input: LogMaintenanceInput!) {
    logMaintenance(input: $input) { id description performedBy { id } performedAt costMinor } }";

fn work(machine: &Value, extra: Value) -> (&'static str, Value) {
    let mut input = json!({"equipmentId": machine["id"], "description": "Cleaned the lens"});
    let extra = extra.as_object().expect("extra fields as an object");
    input
        .as_object_mut()
        .expect("an input object")
        .extend(extra.clone());
    (LOG_MAINTENANCE, json!({"input": input}))
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_log_work_done_now_at_no_cost_unless_they_say_otherwise(db: PgPool) {
    let now = Utc::now();
    let api = makrcave_at(&db, Clock::manual(now)).await;
    let owner = newcomer("owner");
    let space = common::found_space(&api, &owner.token, "tidy-lab").await;
    let machine = add_machine(&api, &owner.token, &space["id"], "Epilog Fusion").await;
    let staff = common::join_as(&api, &owner.token, &space["id"], "STAFF", "staff").await;
    let (query, variables) = work(&machine, json!({}));

    let entry = api.data(query, variables, Some(&staff.token)).await["logMaintenance"].clone();

    assert_eq!(entry["description"], "Cleaned the lens");
    assert_eq!(&entry["performedBy"]["id"], staff.id());
    assert_eq!(entry["costMinor"], 0);
    let performed_at: chrono::DateTime<Utc> = entry["performedAt"]
        .as_str()
        .expect("a time")
        .parse()
        .expect("an RFC 3339 time");
    assert_eq!(performed_at, Clock::manual(now).now(), "the clock's now");
    assert_eq!(
        count(
            &db,
            "select count(*) from shared.audit_logs where action = 'maintenance_entry.logged'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &db,
            "select count(*) from events.outbox where topic = 'makrcave.maintenance_entry.changed'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn past_work_is_logged_with_its_time_and_cost(db: PgPool) {
    let now = Utc::now();
    let api = makrcave_at(&db, Clock::manual(now)).await;
    let owner = newcomer("owner");
    let space = common::found_space(&api, &owner.token, "history-lab").await;
    let machine = add_machine(&api, &owner.token, &space["id"], "Haas Mini Mill").await;
    let yesterday = Clock::manual(now - Duration::days(1)).now();
    let (query, variables) = work(
        &machine,
        json!({"performedAt": yesterday.to_rfc3339(), "costMinor": 125_000, "description": "New spindle bearings"}),
    );

    let entry = api.data(query, variables, Some(&owner.token)).await["logMaintenance"].clone();

    assert_eq!(entry["costMinor"], 125_000);
    let (performed_at, cost): (chrono::DateTime<Utc>, i64) =
        sqlx::query_as("select performed_at, cost_minor from makrcave.maintenance_logs")
            .fetch_one(&db)
            .await
            .expect("the entry");
    assert_eq!((performed_at, cost), (yesterday, 125_000));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn work_in_the_future_at_a_negative_cost_or_without_a_description_is_refused(db: PgPool) {
    let now = Utc::now();
    let api = makrcave_at(&db, Clock::manual(now)).await;
    let owner = newcomer("owner");
    let space = common::found_space(&api, &owner.token, "careful-lab").await;
    let machine = add_machine(&api, &owner.token, &space["id"], "Bandsaw").await;
    let tomorrow = (now + Duration::days(1)).to_rfc3339();

    let body = expect_outcome(
        &api,
        &db,
        work(
            &machine,
            json!({"description": "   ", "performedAt": tomorrow, "costMinor": -1}),
        ),
        Some(&owner.token),
        Some("VALIDATION_ERROR"),
        "three mistakes",
    )
    .await;

    assert_eq!(
        invalid_fields(&body),
        ["description", "performedAt", "costMinor"]
    );
    assert_eq!(
        count(&db, "select count(*) from makrcave.maintenance_logs").await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_unknown_machine_is_not_found(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let ghost = json!({"id": "0190b5a0-0000-7000-8000-000000000000"});
    expect_outcome(
        &api,
        &db,
        work(&ghost, json!({})),
        Some(&owner.token),
        Some("NOT_FOUND"),
        "no such machine",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn who_may_log_maintenance(db: PgPool) {
    use Who::*;
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "maintenance-matrix").await;
    let machine = add_machine(&api, &cast.owner.token, &cast.space["id"], "Form 3").await;
    let theirs = add_machine(
        &api,
        &cast.outsider.token,
        &cast.other_space["id"],
        "Their own",
    )
    .await;

    for who in Who::ALL {
        let expected = match who {
            Anonymous => Some("UNAUTHENTICATED"),
            Outsider | Member => Some("FORBIDDEN"),
            Staff | Manager | Owner | PlatformAdmin => None,
        };
        let context = format!("{who:?} logs maintenance");
        expect_outcome(
            &api,
            &db,
            work(&machine, json!({})),
            cast.token(who),
            expected,
            &context,
        )
        .await;
    }
    for who in [Staff, Manager, Owner] {
        let context = format!("{who:?} logs maintenance on another space's machine");
        expect_outcome(
            &api,
            &db,
            work(&theirs, json!({})),
            cast.token(who),
            Some("FORBIDDEN"),
            &context,
        )
        .await;
    }
    assert_eq!(
        count(&db, "select count(*) from makrcave.maintenance_logs").await,
        4
    );
}
