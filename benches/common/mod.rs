//! What the benchmarks share: a database of their own on the server DATABASE_URL names.
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
