//! Equipment status changes reach subscribers over WebSocket, in process and through Redis
//! Streams, a subscriber that lost its connection resumes from its cursor, and a space's history
//! of them pages from the oldest on, with cursors that subscriptions and history share.

use chrono::Utc;
use events::EventBus;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{self, EquipmentStatus, EquipmentStatusChanged, topics};
use makrx_testkit::{Endpoint, Subscription, auth, error_code};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

const CHANGED: &str = "subscription($space: ID!, $after: String) {
    equipmentStatusChanged(makerspaceId: $space, after: $after) { cursor equipmentId status } }";
const HISTORY: &str = "query($space: ID!, $first: Int, $after: String) {
    equipmentStatusChanges(makerspaceId: $space, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { equipmentId } } } }";

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
async fn change_status(
    db: &PgPool,
    makerspace_id: Uuid,
    equipment_id: Uuid,
    status: EquipmentStatus,
) {
    let mut tx = db.begin().await.expect("a transaction");
    let change = EquipmentStatusChanged {
        equipment_id,
        makerspace_id,
        status,
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
    change_status(&db, other_space, Uuid::now_v7(), EquipmentStatus::InUse).await;
    change_status(&db, space, machine, EquipmentStatus::OutOfOrder).await;
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
    for status in [
        EquipmentStatus::InUse,
        EquipmentStatus::Available,
        EquipmentStatus::Maintenance,
    ] {
        change_status(&db, space, machine, status).await;
    }
    let history = api
        .data(
            "query($space: ID!) {
                equipmentStatusChanges(makerspaceId: $space) { edges { cursor node { status } } } }",
            json!({"space": space}),
            None,
        )
        .await;
    let seen: &Value = &history["equipmentStatusChanges"]["edges"][0];
    assert_eq!(seen["node"]["status"], "IN_USE");

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
    change_status(&db, space, machine, EquipmentStatus::Available).await;
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

/// Every page of a space's history, `first` at a time, each asked for after the last one's
/// `endCursor` (from `after` on) until one says there is no next page (ten at most).
async fn every_page(api: &Endpoint, space: Uuid, first: i32, after: Value) -> Vec<Value> {
    let mut pages: Vec<Value> = Vec::new();
    let mut after = after;
    while pages.len() < 10 {
        let variables = json!({"space": space, "first": first, "after": after});
        let page = api.data(HISTORY, variables, None).await["equipmentStatusChanges"].clone();
        after = page["pageInfo"]["endCursor"].clone();
        let more = page["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap_or_else(|| panic!("whether a page follows: {page:#}"));
        pages.push(page);
        if !more {
            break;
        }
    }
    pages
}

/// The machines whose changes `pages` list, in order.
fn machines(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|page| page["edges"].as_array().expect("a page's edges"))
        .map(|edge| {
            edge["node"]["equipmentId"]
                .as_str()
                .expect("a machine's id")
                .to_owned()
        })
        .collect()
}

/// Each page's `totalCount` and `hasNextPage`.
fn counts_and_next(pages: &[Value]) -> Vec<(Value, Value)> {
    pages
        .iter()
        .map(|page| {
            (
                page["totalCount"].clone(),
                page["pageInfo"]["hasNextPage"].clone(),
            )
        })
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_history_pages_through_every_change_of_the_space_once_oldest_first(db: PgPool) {
    let api = events(&db, None).await;
    let (space, other_space) = (public_space(&db).await, public_space(&db).await);
    let mut changed = Vec::new();
    for status in [
        EquipmentStatus::InUse,
        EquipmentStatus::Available,
        EquipmentStatus::Maintenance,
        EquipmentStatus::OutOfOrder,
        EquipmentStatus::Available,
    ] {
        let machine = Uuid::now_v7();
        change_status(&db, space, machine, status).await;
        change_status(&db, other_space, Uuid::now_v7(), status).await;
        changed.push(machine.to_string());
    }

    let pages = every_page(&api, space, 2, Value::Null).await;

    assert_eq!(machines(&pages), changed, "{pages:#?}");
    assert_eq!(
        counts_and_next(&pages),
        [
            (json!(5), json!(true)),
            (json!(5), json!(true)),
            (json!(5), json!(false)),
        ]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_history_goes_on_after_a_change_a_subscriber_received(db: PgPool) {
    let api = events(&db, None).await;
    let space = public_space(&db).await;
    let mut subscription = Subscription::start(
        &ws_url(&api),
        CHANGED,
        json!({"space": space, "after": "0"}),
        None,
    )
    .await;
    let machines_changed = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
    for machine in machines_changed {
        change_status(&db, space, machine, EquipmentStatus::InUse).await;
    }
    let received = subscription.next().await;
    assert_eq!(
        received["data"]["equipmentStatusChanged"]["equipmentId"],
        json!(machines_changed[0]),
        "{received}"
    );

    let pages = every_page(
        &api,
        space,
        20,
        received["data"]["equipmentStatusChanged"]["cursor"].clone(),
    )
    .await;

    assert_eq!(
        machines(&pages),
        [
            machines_changed[1].to_string(),
            machines_changed[2].to_string()
        ],
        "{pages:#?}"
    );
    assert_eq!(counts_and_next(&pages), [(json!(3), json!(false))]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_history_refuses_a_malformed_cursor_and_a_page_size_out_of_range(db: PgPool) {
    let api = events(&db, None).await;
    let space = public_space(&db).await;
    let refused = [
        ("after", json!("yesterday")),
        ("after", json!("-1")),
        ("first", json!(0)),
        ("first", json!(101)),
    ];

    for (name, value) in refused {
        let mut variables = json!({"space": space});
        variables[name] = value.clone();
        let answer = api.send(HISTORY, variables, None).await;
        assert_eq!(
            error_code(&answer),
            Some("VALIDATION_ERROR"),
            "{name} {value}: {answer:#}"
        );
    }
}

/// One more than a subscriber's catch-up reads from the outbox at once.
const MORE_THAN_A_CATCH_UP_BATCH: usize = 1_001;

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_subscriber_far_behind_catches_up_on_every_change_it_missed(db: PgPool) {
    let space = public_space(&db).await;
    let missed: Vec<Uuid> = (0..MORE_THAN_A_CATCH_UP_BATCH)
        .map(|_| Uuid::now_v7())
        .collect();
    for machine in &missed {
        change_status(&db, space, *machine, EquipmentStatus::InUse).await;
    }
    // Relayed long ago: only the outbox can still tell the subscriber about them.
    sqlx::query("delete from events.outbox_pending")
        .execute(&db)
        .await
        .expect("the events are relayed");
    let api = events(&db, None).await;

    let mut subscription = Subscription::start(
        &ws_url(&api),
        CHANGED,
        json!({"space": space, "after": "0"}),
        None,
    )
    .await;
    let mut received = Vec::with_capacity(missed.len());
    for _ in &missed {
        let change = subscription.next().await;
        received.push(change["data"]["equipmentStatusChanged"]["equipmentId"].clone());
    }
    let live = Uuid::now_v7();
    change_status(&db, space, live, EquipmentStatus::Available).await;

    let expected: Vec<Value> = missed.iter().map(|machine| json!(machine)).collect();
    assert!(received == expected, "the missed changes arrive in order");
    assert_eq!(
        subscription.next().await["data"]["equipmentStatusChanged"]["equipmentId"],
        json!(live),
        "then live changes follow"
    );
}
