//! What every MakrX subgraph shares: settings, the database and its migrations, token
//! verification, the error type with its client codes, the audit log and the event outbox,
//! and serving a schema over HTTP with health checks, limits and graceful shutdown.

pub mod audit;
pub mod auth;
pub mod background;
pub mod clock;
pub mod config;
pub mod consumer;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod outbox;
pub mod paging;

pub use auth::{Auth, Caller, CallerUser};
pub use clock::Clock;

#[doc(hidden)]
pub use mimalloc::MiMalloc;

/// Makes mimalloc the allocator of the binary that says it: a request allocates and frees many
/// small objects on several threads, and glibc's allocator spent about a sixth of the
/// subgraphs' CPU time on it under load (perf, federation benchmark). Each binary (a service,
/// the `makrx` command, a benchmark) chooses; a library never imposes its allocator.
#[macro_export]
macro_rules! fast_allocator {
    () => {
        #[global_allocator]
        static ALLOCATOR: $crate::MiMalloc = $crate::MiMalloc;
    };
}
pub use error::{ApiError, FieldError};

use std::net::SocketAddr;

use anyhow::Context;
use sqlx::PgPool;

/// What a subgraph binary needs before it can serve: its settings, a migrated database and a
/// token checker.
pub struct Service {
    pub settings: config::Settings,
    pub db: PgPool,
    pub auth: Auth,
}

impl Service {
    /// Reads the settings (stopping with the name of any missing one), sets up logging,
    /// connects and migrates.
    pub async fn start(name: &str, default_listen: SocketAddr) -> anyhow::Result<Self> {
        let settings = config::Settings::from_env(default_listen)
            .with_context(|| format!("{name} cannot start"))?;
        config::init_tracing(settings.log_format);
        let db = db::connect_and_migrate(&settings.database_url).await?;
        let auth = Auth::new(&settings.oidc_issuer, &settings.oidc_audience, db.clone());
        tracing::info!(service = name, addr = %settings.listen_addr, "starting");
        Ok(Self { settings, db, auth })
    }

    /// Serves `app` on the configured address until Ctrl-C or SIGTERM.
    pub async fn serve(&self, app: axum::Router) -> anyhow::Result<()> {
        let listener = tokio::net::TcpListener::bind(self.settings.listen_addr)
            .await
            .with_context(|| format!("Failed to listen on {}", self.settings.listen_addr))?;
        http::serve(listener, app, http::shutdown_signal())
            .await
            .context("Failed to serve")
    }
}

/// Parses a GraphQL `ID` that must be one of our UUIDs; `field` names it in the error.
pub fn parse_id(id: &async_graphql::ID, field: &str) -> Result<uuid::Uuid, ApiError> {
    id.parse()
        .map_err(|_| ApiError::invalid(field, "is not a valid id"))
}
