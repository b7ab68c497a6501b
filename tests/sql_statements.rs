//! A query across the supergraph costs a constant number of SQL statements, however many
//! makerspaces it lists: every list that crosses a table goes through a DataLoader.
//! Statements are counted from sqlx's own log of each one it sends (target `sqlx::query`),
//! so this test has its binary to itself: the counter is global.

use std::sync::atomic::{AtomicUsize, Ordering};

use makrx::platform::Subgraphs;
use makrx::routers::{Router, RouterKind};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, auth, token, unique_email};
use serde_json::json;
use sqlx::PgPool;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

const NETWORK: &str = "query($first: Int) { makerspaces(first: $first) { edges { node {
    name owner { displayName } equipment { name status } } } } }";

/// Adds `count` makerspaces, each with its own owner and three machines.
async fn add_spaces(db: &PgPool, count: usize) {
    for _ in 0..count {
        let owner = uuid::Uuid::now_v7();
        let space = uuid::Uuid::now_v7();
        sqlx::query(
            "insert into shared.users (id, subject, display_name) values ($1, $2, 'Owner')",
        )
        .bind(owner)
        .bind(owner.to_string())
        .execute(db)
        .await
        .expect("an owner");
        sqlx::query("insert into makrcave.makerspaces (id, name, slug, owner_id) values ($1, 'Space', $2, $3)")
            .bind(space)
            .bind(format!("space-{}", space.simple()))
            .bind(owner)
            .execute(db)
            .await
            .expect("a space");
        for machine in ["laser", "printer", "router"] {
            sqlx::query("insert into makrcave.equipment (id, makerspace_id, name, kind) values ($1, $2, $3, $3)")
                .bind(uuid::Uuid::now_v7())
                .bind(space)
                .bind(machine)
                .execute(db)
                .await
                .expect("a machine");
        }
    }
}

async fn statements_for(api: &Endpoint, first: usize, token: &str) -> usize {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let data = api
        .data(NETWORK, json!({"first": first}), Some(token))
        .await;
    let after = STATEMENTS.load(Ordering::SeqCst);
    let spaces = data["makerspaces"]["edges"].as_array().expect("edges");
    assert_eq!(spaces.len(), first);
    assert!(spaces.iter().all(|space| {
        space["node"]["equipment"]
            .as_array()
            .is_some_and(|m| m.len() == 3)
    }));
    assert!(
        spaces
            .iter()
            .all(|space| space["node"]["owner"]["displayName"] == "Owner")
    );
    after - before
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn listing_makerspaces_with_owners_and_equipment_costs_a_constant_number_of_statements(
    db: PgPool,
) {
    tracing_subscriber::registry()
        .with(CountStatements.with_filter(tracing_subscriber::filter::LevelFilter::TRACE))
        .init();
    add_spaces(&db, 40).await;
    let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), None)
        .await
        .expect("subgraphs");
    let router = Router::start(
        RouterKind::Hive,
        &makrx::project_dir(),
        &subgraphs.urls(),
        0,
    )
    .await
    .expect("router");
    let api = Endpoint::at(&router.url, ([127, 0, 0, 1], router.port).into());
    let viewer = token(&unique_email("viewer"));
    statements_for(&api, 1, &viewer).await; // the viewer's first request provisions them

    let for_20 = statements_for(&api, 20, &viewer).await;
    let for_40 = statements_for(&api, 40, &viewer).await;
    println!(
        "SQL statements for makerspaces {{ owner equipment }}: 20 spaces {for_20}, 40 spaces {for_40}"
    );
    assert_eq!(
        for_20, for_40,
        "the count does not grow with the number of spaces"
    );
    assert_eq!(
        for_20, 3,
        "one page of spaces, one batch of equipment, one batch of owners"
    );
    router.stop().await;
    subgraphs.stop().await;
}
