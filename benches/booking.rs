//! Bookings per second and their latency, made with `createReservation` by members on a plan
//! with quotas (every rule is checked: membership lock, skill, plan, quotas, blackouts, the
//! exclusion constraint, audit row and event), directly on the MakrCave subgraph and through
//! Hive Router:
//!
//! - without contention: 32 clients, each a member booking an hour a day, day after day, on
//!   a machine of their own;
//! - fighting: 50 clients, each a member, booking random one-hour slots among 20 (5 machines,
//!   4 hours): nearly every attempt clashes and is refused with `CONFLICT`.
//!
//! Needs DATABASE_URL (a server it may create a database on), Node.js with dev/'s packages for
//! the development OIDC server, and Hive Router in ~/.cache/makrx/tools (./scripts/test installs
//! them):
//!
//!     DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench -p makrx --bench booking
//!
//! The clients run in this process, on the same two cores as PostgreSQL, the subgraphs and the
//! router: the figures are the whole machine's. So the clients do little: the URL and header
//! are made once, and of each answer only the errors' codes are read.

use std::sync::Arc;

use makrx::platform::Subgraphs;
use makrx::routers::{Router, RouterKind};
use makrx_testkit::{auth, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

mod common;
use common::{BenchDatabase, MEASURE, WARM_UP, run};

makrx_service::fast_allocator!();

const QUIET_CLIENTS: usize = 32;
const FIGHTING_CLIENTS: usize = 50;
const FOUGHT_OVER_MACHINES: usize = 5;
const FOUGHT_OVER_HOURS: i64 = 4;

const BOOK: &str = "mutation($input: CreateReservationInput!) {
    createReservation(input: $input) { id status costEstimateMinor } }";

/// A member of the benchmark's space: their token and the machine that is theirs alone.
struct Member {
    token: String,
    machine: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = BenchDatabase::create("booking").await?;
    let db = bench.db.clone();

    let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), None).await?;
    let hive = Router::start(
        RouterKind::Hive,
        &makrx::project_dir(),
        &subgraphs.urls(),
        0,
    )
    .await?;
    let makrcave = subgraphs
        .urls()
        .into_iter()
        .find(|(n, _)| *n == "makrcave")
        .map(|(_, u)| u)
        .expect("makrcave");
    let members = seed(&db, &makrcave).await?;
    let tokens: Vec<String> = members.iter().map(|member| member.token.clone()).collect();
    let fought_over = fought_over_machines(&db).await?;

    println!(
        "createReservation, {}s after {}s of warm-up, clients in this process",
        MEASURE.as_secs(),
        WARM_UP.as_secs()
    );
    println!(
        "{:<44} {:>10} {:>9} {:>9} {:>8} {:>9}",
        "target", "answers/s", "p50 ms", "p99 ms", "booked", "conflict"
    );
    // Each run starts a week later than the last, so no run meets another's bookings.
    for (round, (target, url)) in [
        ("makrcave subgraph directly", makrcave.as_str()),
        ("through Hive Router", hive.url.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        let week = chrono::Duration::weeks(2 * round as i64 + 1);
        let own_machines: Arc<Vec<String>> = Arc::new(
            members
                .iter()
                .map(|member| member.machine.clone())
                .collect(),
        );
        // An hour a day, as a member would book: each day's and week's quota sees a few
        // bookings, not the whole run's.
        let quiet = run(url, &tokens[..QUIET_CLIENTS], BOOK, move |client, n| {
            let from = start_of_tomorrow() + week * 100 + chrono::Duration::days(n as i64);
            booking(&own_machines[client], from, chrono::Duration::hours(1))
        })
        .await?;
        println!("{:<44} {quiet}", format!("{target}, without contention"));
        let fought_over = fought_over.clone();
        let fighting = run(url, &tokens, BOOK, move |client, n| {
            // A cheap, fixed spread over the few slots everyone wants.
            let pick = (client * 7 + n * 13) % (FOUGHT_OVER_MACHINES * FOUGHT_OVER_HOURS as usize);
            let from = start_of_tomorrow()
                + week
                + chrono::Duration::weeks(1)
                + chrono::Duration::hours((pick / FOUGHT_OVER_MACHINES) as i64);
            booking(
                &fought_over[pick % FOUGHT_OVER_MACHINES],
                from,
                chrono::Duration::hours(1),
            )
        })
        .await?;
        println!(
            "{:<44} {fighting}",
            format!("{target}, {FIGHTING_CLIENTS} clients fighting")
        );
    }

    hive.stop().await;
    subgraphs.stop().await;
    bench.drop().await?;
    Ok(())
}

fn start_of_tomorrow() -> chrono::DateTime<chrono::Utc> {
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    tomorrow.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn booking(machine: &str, from: chrono::DateTime<chrono::Utc>, length: chrono::Duration) -> Value {
    json!({"input": {"equipmentId": machine, "startsAt": from, "endsAt": from + length}})
}

/// A space open around the clock with a skill-gated printer for each member, five more
/// printers to fight over, and a plan with quotas every member is on.
async fn seed(db: &PgPool, makrcave: &str) -> anyhow::Result<Vec<Member>> {
    sqlx::raw_sql(
        "insert into shared.users (id, subject, display_name) values
             ('01936d7e-0000-7000-8000-00000000b001', 'bench-owner', 'Bench owner');
         insert into makrcave.makerspaces (id, name, slug, owner_id, max_booking_minutes)
             values ('01936d7e-0000-7000-8000-00000000b101', 'Bench', 'bench',
                     '01936d7e-0000-7000-8000-00000000b001', 240);
         insert into makrcave.skills (id, makerspace_id, name, levels)
             values ('01936d7e-0000-7000-8000-00000000b401', '01936d7e-0000-7000-8000-00000000b101',
                     'Printing', '{novice,basic}');
         insert into makrcave.plans (id, makerspace_id, name, price_minor, currency, period,
                                     daily_quota_minutes, weekly_quota_minutes, equipment_classes)
             values ('01936d7e-0000-7000-8000-00000000b501', '01936d7e-0000-7000-8000-00000000b101',
                     'Bench', 0, 'INR', 'month', 1440, 10080, '{printer_3d}');
         insert into makrcave.equipment (id, makerspace_id, name, kind, class, hourly_cost_minor,
                                         required_skill_id, required_level)
             select gen_random_uuid(), '01936d7e-0000-7000-8000-00000000b101', 'Fought over ' || n,
                    'printer', 'printer_3d', 100, '01936d7e-0000-7000-8000-00000000b401', 1
             from generate_series(1, 5) n;",
    )
    .execute(db)
    .await?;
    let mut members = Vec::new();
    for n in 0..FIGHTING_CLIENTS.max(QUIET_CLIENTS) {
        let email = unique_email(&format!("booker{n}"));
        let token = token(&email);
        // The first call with a token provisions its user.
        reqwest::Client::new()
            .post(makrcave)
            .bearer_auth(&token)
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await?;
        let machine: uuid::Uuid = sqlx::query_scalar(
            "with member as (select id from shared.users where email = $1),
                  joined as (insert into makrcave.memberships (makerspace_id, user_id, role)
                             select '01936d7e-0000-7000-8000-00000000b101', id, 'member' from member),
                  planned as (insert into makrcave.member_plans (makerspace_id, user_id, plan_id, starts_on)
                              select '01936d7e-0000-7000-8000-00000000b101', id,
                                     '01936d7e-0000-7000-8000-00000000b501', current_date from member),
                  trained as (insert into makrcave.skill_grants (skill_id, user_id, level, granted_by)
                              select '01936d7e-0000-7000-8000-00000000b401', id, 2,
                                     '01936d7e-0000-7000-8000-00000000b001' from member)
             insert into makrcave.equipment (id, makerspace_id, name, kind, class, hourly_cost_minor,
                                             required_skill_id, required_level)
             values (gen_random_uuid(), '01936d7e-0000-7000-8000-00000000b101', $1, 'printer',
                     'printer_3d', 100, '01936d7e-0000-7000-8000-00000000b401', 1)
             returning id",
        )
        .bind(&email)
        .fetch_one(db)
        .await?;
        members.push(Member {
            token,
            machine: machine.to_string(),
        });
    }
    Ok(members)
}

async fn fought_over_machines(db: &PgPool) -> anyhow::Result<Arc<Vec<String>>> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select id from makrcave.equipment where name like 'Fought over %' order by name",
    )
    .fetch_all(db)
    .await?;
    Ok(Arc::new(ids.iter().map(uuid::Uuid::to_string).collect()))
}
