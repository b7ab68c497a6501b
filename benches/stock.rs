//! Stock movements per second and their latency, recorded with `recordStockMovement` directly on
//! the MakrCave subgraph by 50 of a space's staff at once, all on one item (each movement checks
//! who asks, locks the item's row, moves its level and total, writes the movement, its audit
//! row and its event):
//!
//! - 50 clients issuing one unit each, again and again, from an item that never runs out: every
//!   movement waits for the one before it on the item's row lock, so this is the rate one
//!   item's stock can change;
//! - 50 clients issuing the last 100 units: exactly 100 movements, every later one refused with
//!   `CONFLICT`, and nothing left, never less.
//!
//! Beside them, from the same run, pgbench's rate of the same writes on one item with 50
//! clients (lock the item, move its level and total, insert the movement, record the change):
//! the ceiling the database alone sets, since machines here vary threefold from day to day.
//!
//! Needs DATABASE_URL (a server it may create a database on), Node.js with dev/'s packages for
//! the development OIDC server, and pgbench (PostgreSQL's client tools):
//!
//!     DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench -p makrx --bench stock

use makrx::platform::Subgraphs;
use makrx_testkit::{auth, token, unique_email};
use serde_json::json;
use sqlx::PgPool;

mod common;
use common::{BenchDatabase, MEASURE, WARM_UP, pgbench, run};

makrx_service::fast_allocator!();

const CLIENTS: usize = 50;
/// What the last-units run starts with.
const LAST_UNITS: i64 = 100;

const SPACE: &str = "01936d7e-0000-7000-8000-00000000c101";
const OWNER: &str = "01936d7e-0000-7000-8000-00000000c001";
const SHELF: &str = "01936d7e-0000-7000-8000-00000000c201";
/// An item that never runs out, one with the last units, and one for pgbench alone.
const PLENTY: &str = "01936d7e-0000-7000-8000-00000000c301";
const LAST: &str = "01936d7e-0000-7000-8000-00000000c302";
const PGBENCH: &str = "01936d7e-0000-7000-8000-00000000c303";

const ISSUE: &str = "mutation($input: RecordStockMovementInput!) {
    recordStockMovement(input: $input) { item { onHand } } }";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = BenchDatabase::create("stock").await?;
    let (db, url) = (bench.db.clone(), bench.url.clone());
    let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), None).await?;
    let makrcave = subgraphs
        .urls()
        .into_iter()
        .find(|(n, _)| *n == "makrcave")
        .map(|(_, u)| u)
        .expect("makrcave");
    let staff = seed(&db, &makrcave).await?;

    println!(
        "recordStockMovement (ISSUE of 1 unit), {}s after {}s of warm-up, clients in this process",
        MEASURE.as_secs(),
        WARM_UP.as_secs()
    );
    println!(
        "{:<52} {:>10} {:>9} {:>9} {:>8} {:>9}",
        "target", "answers/s", "p50 ms", "p99 ms", "moved", "conflict"
    );
    match pgbench(&url, &same_writes(), CLIENTS).await {
        Ok(tps) => println!(
            "{:<52} {tps:>10.0}",
            "pgbench: the same writes on one item, 50 clients"
        ),
        Err(err) => println!("pgbench: no figure ({err})"),
    }
    let issue = |item: &'static str| {
        move |_, _| {
            json!({"input": {"itemId": item, "kind": "ISSUE", "quantity": "1",
                             "locationId": SHELF, "reason": "bench"}})
        }
    };
    let one_item = run(&makrcave, &staff, ISSUE, issue(PLENTY)).await?;
    println!(
        "{:<52} {one_item}",
        "makrcave subgraph, 50 clients on one item"
    );
    let last_units = run(&makrcave, &staff, ISSUE, issue(LAST)).await?;
    println!(
        "{:<52} {last_units}",
        format!("makrcave subgraph, 50 clients on its last {LAST_UNITS}")
    );
    // The last units went in the warm-up or the window: count them in the database.
    let (issued, left): (i64, sqlx::types::Decimal) = sqlx::query_as(
        "select (select count(*) from makrcave.stock_movements where item_id = $1),
                (select on_hand from makrcave.inventory_items where id = $1)",
    )
    .bind(uuid::Uuid::parse_str(LAST)?)
    .fetch_one(&db)
    .await?;
    println!("  the last {LAST_UNITS}: {issued} issued, {left} left");
    anyhow::ensure!(
        issued == LAST_UNITS && left.is_zero(),
        "{LAST_UNITS} units made {issued} movements and left {left}"
    );

    subgraphs.stop().await;
    bench.drop().await?;
    Ok(())
}

/// One ISSUE of one unit as the service writes it, on the item pgbench has alone.
fn same_writes() -> String {
    format!(
        "begin;
         select on_hand from makrcave.inventory_items where id = '{PGBENCH}' for update;
         select l.id, l.name, s.on_hand from makrcave.inventory_locations l
             left join makrcave.inventory_levels s on s.location_id = l.id and s.item_id = '{PGBENCH}'
             where l.id = '{SHELF}';
         update makrcave.inventory_levels set on_hand = on_hand - 1
             where item_id = '{PGBENCH}' and location_id = '{SHELF}';
         update makrcave.inventory_items set on_hand = on_hand - 1, updated_at = now()
             where id = '{PGBENCH}';
         insert into makrcave.stock_movements
             (id, item_id, kind, quantity, change, location_id, reason, recorded_by)
             values (gen_random_uuid(), '{PGBENCH}', 'issue', 1, -1, '{SHELF}', 'bench', '{OWNER}');
         select makrcave.record_change(gen_random_uuid(), '{OWNER}', 'stock_movement.recorded',
             'stock_movement', gen_random_uuid()::text, null, '{{}}'::jsonb, gen_random_uuid(),
             'makrcave.inventory_item.changed', '{{}}'::jsonb);
         commit;\n"
    )
}

/// A space with a shelf holding the three items (a billion units each but the last 100), and
/// 50 of its staff, provisioned; answers their tokens.
async fn seed(db: &PgPool, makrcave: &str) -> anyhow::Result<Vec<String>> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "insert into shared.users (id, subject, display_name) values
             ('{OWNER}', 'bench-owner', 'Bench owner');
         insert into makrcave.makerspaces (id, name, slug, owner_id)
             values ('{SPACE}', 'Bench', 'bench', '{OWNER}');
         insert into makrcave.inventory_locations (id, makerspace_id, name)
             values ('{SHELF}', '{SPACE}', 'Shelf');
         insert into makrcave.inventory_items (id, makerspace_id, name, category, unit, on_hand)
             values ('{PLENTY}', '{SPACE}', 'Plenty', 'part', 'pieces', 1000000000),
                    ('{LAST}', '{SPACE}', 'The last ones', 'part', 'pieces', {LAST_UNITS}),
                    ('{PGBENCH}', '{SPACE}', 'For pgbench', 'part', 'pieces', 1000000000);
         insert into makrcave.inventory_levels (item_id, location_id, on_hand)
             select id, '{SHELF}', on_hand from makrcave.inventory_items;"
    )))
    .execute(db)
    .await?;
    let mut tokens = Vec::new();
    for n in 0..CLIENTS {
        let email = unique_email(&format!("storekeeper{n}"));
        let token = token(&email);
        // The first call with a token provisions its user.
        reqwest::Client::new()
            .post(makrcave)
            .bearer_auth(&token)
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await?;
        sqlx::query(
            "insert into makrcave.memberships (makerspace_id, user_id, role)
             select $1, id, 'staff' from shared.users where email = $2",
        )
        .bind(uuid::Uuid::parse_str(SPACE)?)
        .bind(&email)
        .execute(db)
        .await?;
        tokens.push(token);
    }
    Ok(tokens)
}
