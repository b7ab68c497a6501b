//! Equipment status changes reach subscribers over WebSocket, in process and through Redis
//! Streams, and a subscriber that lost its connection resumes from its cursor.

use chrono::Utc;
use events::EventBus;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{self, EquipmentStatusChanged, topics};
use makrx_testkit::{Endpoint, Subscription, auth, error_code};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

const CHANGED: &str = "subscription($space: ID!, $after: String) {
    equipmentStatusChanged(makerspaceId: $space, after: $after) { cursor equipmentId status } }";

async fn events(db: &PgPool, redis_url: Option<&str>) -> Endpoint {
    let bus = EventBus::start(db.clone(), redis_url)
        .await
        .expect("the bus starts");
    Endpoint::serve(events::app(db.clone(), auth(db.clone()), bus)).await
}

fn ws_url(api: &Endpoint) -> String {
    format!("ws://{}/graphql", api.addr)
}

/// Commits a status change the way MakrCave does: the event in the outbox, in a transaction.
async fn change_status(db: &PgPool, makerspace_id: Uuid, equipment_id: Uuid, status: &str) {
    let mut tx = db.begin().await.expect("a transaction");
    let change = EquipmentStatusChanged {
        equipment_id,
        makerspace_id,
        status: status.into(),
        changed_at: Utc::now(),
    };
    outbox::publish(&mut tx, topics::EQUIPMENT_STATUS_CHANGED, &change)
        .await
        .expect("the event is written");
    tx.commit().await.expect("commit");
}

/// A public makerspace, as MakrCave keeps it: anyone may follow its machines.
async fn public_space(db: &PgPool) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into makrcave.makerspaces (id, name, slug, owner_id) values ($1, 'Fab Lab', $2, $1)",
    )
    .bind(id)
    .bind(format!("lab-{}", id.simple()))
    .execute(db)
    .await
    .expect("a makerspace");
    id
}

async fn a_subscriber_receives_a_committed_change(db: PgPool, redis_url: Option<&str>) {
    let api = events(&db, redis_url).await;
    let (space, other_space, machine) = (public_space(&db).await, Uuid::now_v7(), Uuid::now_v7());
    // From the start of the outbox: nothing can fall between subscribing and the change.
    let mut subscription = Subscription::start(
        &ws_url(&api),
        CHANGED,
        json!({"space": space, "after": "0"}),
        None,
    )
    .await;
    change_status(&db, other_space, Uuid::now_v7(), "in_use").await;
    change_status(&db, space, machine, "out_of_order").await;
    let received = subscription.next().await;
    assert_eq!(
        received["data"]["equipmentStatusChanged"]["equipmentId"],
        machine.to_string()
    );
    assert_eq!(
        received["data"]["equipmentStatusChanged"]["status"], "OUT_OF_ORDER",
        "only this space's changes arrive"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_subscriber_receives_a_committed_change_in_process(db: PgPool) {
    a_subscriber_receives_a_committed_change(db, None).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_subscriber_receives_a_committed_change_through_redis(db: PgPool) {
    let redis_url = std::env::var("REDIS_URL").expect("REDIS_URL names the Redis the tests use");
    a_subscriber_receives_a_committed_change(db, Some(&redis_url)).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_subscriber_resumes_after_its_cursor_and_misses_nothing(db: PgPool) {
    let api = events(&db, None).await;
    let (space, machine) = (public_space(&db).await, Uuid::now_v7());
    for status in ["in_use", "available", "maintenance"] {
        change_status(&db, space, machine, status).await;
    }
    let history = api
        .data(
            "query($space: ID!) { equipmentStatusChanges(makerspaceId: $space) { cursor status } }",
            json!({"space": space}),
            None,
        )
        .await;
    let seen: &Value = &history["equipmentStatusChanges"][0];
    assert_eq!(seen["status"], "IN_USE");

    let mut resumed = Subscription::start(
        &ws_url(&api),
        CHANGED,
        json!({"space": space, "after": seen["cursor"]}),
        None,
    )
    .await;
    assert_eq!(
        resumed.next().await["data"]["equipmentStatusChanged"]["status"],
        "AVAILABLE"
    );
    assert_eq!(
        resumed.next().await["data"]["equipmentStatusChanged"]["status"],
        "MAINTENANCE"
    );
    change_status(&db, space, machine, "available").await;
    assert_eq!(
        resumed.next().await["data"]["equipmentStatusChanged"]["status"],
        "AVAILABLE",
        "then live changes follow"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_malformed_cursor_or_space_id_is_a_validation_error(db: PgPool) {
    let api = events(&db, None).await;
    let history = api
        .send(
            "query { equipmentStatusChanges(makerspaceId: \"x\") { cursor } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(error_code(&history), Some("VALIDATION_ERROR"));
    let mut subscription = Subscription::start(
        &ws_url(&api),
        CHANGED,
        json!({"space": Uuid::now_v7(), "after": "yesterday"}),
        None,
    )
    .await;
    let refused = subscription.next().await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "VALIDATION_ERROR",
        "{refused}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn readiness_includes_redis_when_events_go_through_it(db: PgPool) {
    let redis_url = std::env::var("REDIS_URL").expect("REDIS_URL names the Redis the tests use");
    let api = events(&db, Some(&redis_url)).await;
    let ready = reqwest::get(format!("http://{}/ready", api.addr))
        .await
        .expect("ready");
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<Value>().await.expect("JSON"),
        json!({"database": true, "issuer": true, "redis": true})
    );
}
