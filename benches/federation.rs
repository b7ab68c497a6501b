//! Requests per second and latency of `makerspaces { owner equipment }` (20 spaces, 3 machines
//! each) through Hive Router, through Apollo Router, and directly on the MakrCave subgraph, in
//! one run. Needs DATABASE_URL (a server it may create a database on) and the routers in
//! ~/.cache/makrx/tools (./scripts/test installs them):
//!
//!     DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench -p makrx --bench federation
//!
//! The load comes from `wrk` when it is installed (Debian: `apt-get install wrk`), otherwise
//! from this process; either way 32 connections on the same two cores as the subgraphs, so
//! the figures are for the whole machine, as a user on it would see them.

use std::time::{Duration, Instant};

use anyhow::Context;

use makrx::platform::Subgraphs;
use makrx::routers::{Router, RouterKind};
use makrx_service::Auth;
use serde_json::json;
use sqlx::PgPool;

mod common;
use common::{BenchDatabase, percentile_ms};

makrx_service::fast_allocator!();

const CLIENTS: usize = 32;
const WARM_UP: Duration = Duration::from_secs(2);
const MEASURE: Duration = Duration::from_secs(10);

const THROUGH_ROUTER: &str = "{ makerspaces(first: 20) { edges { node { name owner { displayName } equipment { name status } } } } }";
const ON_SUBGRAPH: &str =
    "{ makerspaces(first: 20) { edges { node { name owner { id } equipment { name status } } } } }";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = BenchDatabase::create("federation").await?;
    let db = bench.db.clone();
    seed(&db).await?;

    // No token: the query is public, and token checks are measured by the subgraph tests.
    let auth = Auth::new("http://127.0.0.1:9/realms/unused", "makrx", db.clone());
    let subgraphs = Subgraphs::start_on_free_ports(db.clone(), auth, None).await?;
    let project = makrx::project_dir();
    let hive = Router::start(RouterKind::Hive, &project, &subgraphs.urls(), 0).await?;
    let apollo = Router::start(RouterKind::Apollo, &project, &subgraphs.urls(), 0).await?;
    let makrcave = subgraphs
        .urls()
        .into_iter()
        .find(|(n, _)| *n == "makrcave")
        .map(|(_, u)| u)
        .expect("makrcave");

    let generator = if which_wrk().is_some() {
        "wrk"
    } else {
        "in-process clients"
    };
    println!(
        "{CLIENTS} connections from {generator}, {}s after {}s of warm-up",
        MEASURE.as_secs(),
        WARM_UP.as_secs()
    );
    println!(
        "{:<28} {:>10} {:>9} {:>9}",
        "target", "requests/s", "p50 ms", "p99 ms"
    );
    for (target, url, query) in [
        ("makrcave subgraph directly", makrcave.as_str(), ON_SUBGRAPH),
        ("through Hive Router", hive.url.as_str(), THROUGH_ROUTER),
        ("through Apollo Router", apollo.url.as_str(), THROUGH_ROUTER),
    ] {
        let (rate, p50, p99) = match which_wrk() {
            Some(wrk) => load_with_wrk(&wrk, url, query)?,
            None => load(url, query).await?,
        };
        println!("{target:<28} {rate:>10.0} {p50:>9.2} {p99:>9.2}");
    }

    hive.stop().await;
    apollo.stop().await;
    subgraphs.stop().await;
    bench.drop().await?;
    Ok(())
}

async fn seed(db: &PgPool) -> sqlx::Result<()> {
    sqlx::raw_sql(
        "insert into shared.users (id, subject, display_name)
             select gen_random_uuid(), 'owner-' || n, 'Owner ' || n from generate_series(1, 20) n;
         insert into makrcave.makerspaces (id, name, slug, owner_id)
             select gen_random_uuid(), 'Space ' || substr(subject, 7), 'space-' || substr(subject, 7), id from shared.users;
         insert into makrcave.equipment (id, makerspace_id, name, kind)
             select gen_random_uuid(), s.id, m, m from makrcave.makerspaces s, unnest(array['laser', 'printer', 'cnc']) m;",
    )
    .execute(db)
    .await
    .map(drop)
}

/// Sends `query` to `url` from `CLIENTS` concurrent clients: requests per second and the p50
/// and p99 latency in milliseconds over the measured window.
async fn load(url: &str, query: &str) -> anyhow::Result<(f64, f64, f64)> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()?;
    let body = json!({"query": query}).to_string();
    let check: serde_json::Value = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await?
        .json()
        .await?;
    anyhow::ensure!(
        check.get("errors").is_none(),
        "the query fails at {url}: {check}"
    );

    let start = Instant::now();
    let measure_from = start + WARM_UP;
    let end = measure_from + MEASURE;
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (http, url, body) = (http.clone(), url.to_owned(), body.clone());
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < end {
                let sent = Instant::now();
                let ok = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if ok && sent >= measure_from {
                    latencies.push(sent.elapsed());
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await?);
    }
    latencies.sort();
    Ok((
        latencies.len() as f64 / MEASURE.as_secs_f64(),
        percentile_ms(&latencies, 0.50),
        percentile_ms(&latencies, 0.99),
    ))
}

fn which_wrk() -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join("wrk"))
        .find(|path| path.exists())
}

/// The same measure with wrk: a warm-up run, then the measured one with its latency percentiles.
fn load_with_wrk(wrk: &std::path::Path, url: &str, query: &str) -> anyhow::Result<(f64, f64, f64)> {
    let script = std::env::temp_dir().join(format!("makrx-bench-{}.lua", std::process::id()));
    let body = json!({"query": query}).to_string();
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.headers[\"content-type\"] = \"application/json\"\nwrk.body = {body:?}\n"
        ),
    )?;
    let run = |seconds: u64| {
        std::process::Command::new(wrk)
            .args([
                "-t2",
                &format!("-c{CLIENTS}"),
                &format!("-d{seconds}s"),
                "--latency",
                "-s",
            ])
            .arg(&script)
            .arg(url)
            .output()
    };
    run(WARM_UP.as_secs())?;
    let output = String::from_utf8(run(MEASURE.as_secs())?.stdout)?;
    std::fs::remove_file(&script).context("removing wrk's script")?;
    anyhow::ensure!(
        !output.contains("Non-2xx"),
        "wrk saw failed requests:\n{output}"
    );
    let field = |label: &str| {
        output
            .lines()
            .find_map(|line| line.trim().strip_prefix(label).map(str::trim))
    };
    let rate = field("Requests/sec:")
        .context("unexpected output from wrk")?
        .parse()?;
    let millis = |text: &str| -> anyhow::Result<f64> {
        // A number without a unit leaves the unit empty, which is refused below.
        let (number, unit) = text.split_at(
            text.find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(text.len()),
        );
        let number: f64 = number.parse()?;
        Ok(match unit {
            "us" => number / 1e3,
            "ms" => number,
            "s" => number * 1e3,
            other => anyhow::bail!("unknown unit {other:?} in wrk's output"),
        })
    };
    Ok((
        rate,
        millis(field("50%").context("unexpected output from wrk")?)?,
        millis(field("99%").context("unexpected output from wrk")?)?,
    ))
}
