//! What the benchmarks share: a database of their own on the server DATABASE_URL names, the
//! part of a GraphQL answer their clients read, the latency at a quantile, clients sending one
//! mutation again and again, and pgbench's rate beside them.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

/// How long clients run before their answers count, and how long they are counted.
pub const WARM_UP: Duration = Duration::from_secs(2);
pub const MEASURE: Duration = Duration::from_secs(10);

/// A database of the benchmark's own on the server DATABASE_URL names, migrated.
pub struct BenchDatabase {
    server: String,
    name: String,
    /// Its URL, for pgbench.
    pub url: String,
    pub db: sqlx::PgPool,
}

impl BenchDatabase {
    /// Creates `makrx_bench_<bench>_<pid>` and migrates it; what the services log goes to
    /// stderr (RUST_LOG, errors only by default).
    pub async fn create(bench: &str) -> anyhow::Result<Self> {
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "error".into()),
            )
            .with_writer(std::io::stderr)
            .init();
        let server =
            std::env::var("DATABASE_URL").map_err(|_| anyhow::anyhow!("set DATABASE_URL"))?;
        let name = format!("makrx_bench_{bench}_{}", std::process::id());
        on_server(&server, format!("create database {name}")).await?;
        let url = with_database(&server, &name);
        let db = makrx_service::db::connect_and_migrate(&url).await?;
        Ok(Self {
            server,
            name,
            url,
            db,
        })
    }

    /// Closes the pool and drops the database.
    pub async fn drop(self) -> anyhow::Result<()> {
        self.db.close().await;
        on_server(
            &self.server,
            format!("drop database if exists {} with (force)", self.name),
        )
        .await
    }
}

/// Runs one statement naming a database of ours (a fixed prefix and a process id, not input).
async fn on_server(server: &str, sql: String) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(server).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// The URL of database `name` on the server `url` points at.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// The part of an answer the clients read: its data, or its first error's code.
#[derive(Deserialize)]
pub struct Answer {
    pub data: Option<serde_json::Value>,
    errors: Option<Vec<AnswerError>>,
}

#[derive(Deserialize)]
struct AnswerError {
    #[serde(default)]
    extensions: ErrorExtensions,
}

#[derive(Default, Deserialize)]
struct ErrorExtensions {
    #[serde(default)]
    code: String,
}

impl Answer {
    /// The first error's code (empty if it has none); none for an answer without errors.
    pub fn error_code(&self) -> Option<&str> {
        self.errors
            .as_deref()
            .and_then(<[AnswerError]>::first)
            .map(|error| error.extensions.code.as_str())
    }
}

/// The latency below which `quantile` (0.5, 0.99) of `sorted` fall, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], quantile: f64) -> f64 {
    let index = ((sorted.len() as f64 * quantile) as usize).min(sorted.len().saturating_sub(1));
    sorted
        .get(index)
        .map_or(0.0, |latency| latency.as_secs_f64() * 1e3)
}

/// pgbench's transactions per second: `clients` clients running `script` (SQL, one transaction
/// per run of it) against the database at `url`, for as long as a measured run.
pub async fn pgbench(url: &str, script: &str, clients: usize) -> anyhow::Result<f64> {
    let file = std::env::temp_dir().join(format!("makrx-pgbench-{}.sql", std::process::id()));
    std::fs::write(&file, script)?;
    let output = tokio::process::Command::new("pgbench")
        .args(["--no-vacuum", "--jobs", "2"])
        .arg(format!("--client={clients}"))
        .arg(format!("--time={}", MEASURE.as_secs()))
        .arg(format!("--file={}", file.display()))
        .arg(url)
        .output()
        .await;
    std::fs::remove_file(&file).ok();
    let output = output?;
    let report = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    report
        .lines()
        .find_map(|line| line.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|tps| tps.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no tps in pgbench's report: {report}"))
}

/// What clients sending one mutation measured: answers a second and their latencies in the
/// measured window, and how many were done and refused with `CONFLICT` in it.
pub struct Figures {
    pub answers_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub done: usize,
    pub conflicts: usize,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>10.0} {:>9.2} {:>9.2} {:>8} {:>9}",
            self.answers_per_second, self.p50_ms, self.p99_ms, self.done, self.conflicts
        )
    }
}

/// Runs a client per token for the warm-up and the measured window, each sending `mutation`
/// as soon as its last answer came; `input(client, n)` is the variables of client `client`'s
/// n-th. Any answer but data or a `CONFLICT` stops the benchmark.
pub async fn run(
    url: &str,
    tokens: &[String],
    mutation: &'static str,
    input: impl Fn(usize, usize) -> Value + Send + Sync + Clone + 'static,
) -> anyhow::Result<Figures> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(tokens.len())
        .build()?;
    let url = reqwest::Url::parse(url)?;
    let done = Arc::new(AtomicUsize::new(0));
    let conflicts = Arc::new(AtomicUsize::new(0));
    let measure_from = Instant::now() + WARM_UP;
    let end = measure_from + MEASURE;
    let mut clients = Vec::new();
    for (client, token) in tokens.iter().enumerate() {
        let (http, url, input) = (http.clone(), url.clone(), input.clone());
        let authorization = HeaderValue::try_from(format!("Bearer {token}"))?;
        let (done, conflicts) = (done.clone(), conflicts.clone());
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = 0;
            while Instant::now() < end {
                let body =
                    serde_json::to_vec(&json!({"query": mutation, "variables": input(client, n)}))?;
                n += 1;
                let sent = Instant::now();
                let answer = http
                    .post(url.clone())
                    .header(AUTHORIZATION, authorization.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body)
                    .send()
                    .await?
                    .bytes()
                    .await?;
                let took = sent.elapsed();
                let outcome = match serde_json::from_slice::<Answer>(&answer)?.error_code() {
                    None => &done,
                    Some("CONFLICT") => &conflicts,
                    Some(_) => anyhow::bail!(
                        "a request failed unexpectedly: {}",
                        String::from_utf8_lossy(&answer)
                    ),
                };
                if sent >= measure_from {
                    outcome.fetch_add(1, Ordering::Relaxed);
                    latencies.push(took);
                }
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await??);
    }
    anyhow::ensure!(
        !latencies.is_empty(),
        "nothing was answered in the measured {MEASURE:?}"
    );
    latencies.sort();
    Ok(Figures {
        answers_per_second: latencies.len() as f64 / MEASURE.as_secs_f64(),
        p50_ms: percentile_ms(&latencies, 0.50),
        p99_ms: percentile_ms(&latencies, 0.99),
        done: done.load(Ordering::Relaxed),
        conflicts: conflicts.load(Ordering::Relaxed),
    })
}
