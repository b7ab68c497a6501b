//! What the benchmarks share: a database of their own on the server DATABASE_URL names, the
//! part of a GraphQL answer their clients read, and the latency at a quantile.
#![allow(dead_code)]

use std::time::Duration;

use serde::Deserialize;
use sqlx::{Connection, PgConnection};

/// Runs one statement naming a database of ours (a fixed prefix and a process id, not input).
pub async fn on_server(server: &str, sql: String) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(server).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// The URL of database `name` on the server `url` points at.
pub fn with_database(url: &str, name: &str) -> String {
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
