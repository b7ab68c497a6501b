//! The `makrx` command: runs the platform, applies migrations, exports the schema, quotes parts.

use std::path::PathBuf;
use std::process::ExitCode;

mod quote;
mod up;

use clap::{Parser, Subcommand};
use makrx::{embedded_pg, project_dir, schema_files};

makrx_service::fast_allocator!();

#[derive(Parser)]
#[command(
    name = "makrx",
    version,
    about = "MakrX: the software makerspaces run on"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the platform: every subgraph, the router and the development OIDC server, on
    /// embedded defaults unless DATABASE_URL, REDIS_URL and OIDC_ISSUER say otherwise.
    Up(up::UpArgs),
    /// Write each subgraph's SDL to schema/ and compose schema/supergraph.graphql.
    Sdl {
        /// Only check that schema/ matches the code; exit non-zero when it does not.
        #[arg(long)]
        check: bool,
    },
    /// Start or stop the embedded PostgreSQL (the default when DATABASE_URL is not set).
    Postgres {
        #[command(subcommand)]
        action: PostgresAction,
        /// The cluster's data folder.
        #[arg(long, global = true, default_value = ".makrx/postgres")]
        data_dir: PathBuf,
    },
    /// Quote the fabrication of a part from its STL file.
    Quote(quote::QuoteArgs),
    /// Apply the database migrations to DATABASE_URL.
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
}

#[derive(Subcommand)]
enum PostgresAction {
    /// Start it (creating it on first use) and print its URL.
    Start {
        /// The port; a free one when 0.
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Stop it.
    Stop,
}

fn postgres(data_dir: &std::path::Path, action: PostgresAction) -> anyhow::Result<()> {
    let cluster =
        embedded_pg::EmbeddedPostgres::new(&project_dir(), &project_dir().join(data_dir))?;
    match action {
        PostgresAction::Start { port } => println!("{}", cluster.start(port)?),
        PostgresAction::Stop => cluster.stop()?,
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Up(args) => up::run(args).await,
        Command::Sdl { check: false } => schema_files::write(&project_dir()),
        Command::Sdl { check: true } => schema_files::check(&project_dir()),
        Command::Postgres { action, data_dir } => postgres(&data_dir, action),
        Command::Quote(args) => quote::run(args),
        Command::Migrate { database_url } => makrx_service::db::connect_and_migrate(&database_url)
            .await
            .map(|_| println!("migrations applied")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("makrx: {err:#}");
            ExitCode::FAILURE
        }
    }
}
