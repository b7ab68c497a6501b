//! The database pool and the migrations of every domain.

use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;

/// The migrations of all domains, one Postgres schema each; applying them is idempotent and
/// serialised by sqlx's advisory lock, so every service may run them at start-up.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// Connects to PostgreSQL and applies pending migrations.
pub async fn connect_and_migrate(database_url: &str) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect(database_url)
        .await
        .context("Failed to connect to PostgreSQL (DATABASE_URL)")?;
    MIGRATOR
        .run(&pool)
        .await
        .context("Failed to apply the database migrations")?;
    Ok(pool)
}
