//! The routers, run as child processes over the composed supergraph: Hive Router (the default)
//! and Apollo Router (queries and mutations; subscriptions need a GraphOS key).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

/// Which router to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RouterKind {
    Hive,
    Apollo,
}

impl RouterKind {
    fn binary(self) -> &'static str {
        match self {
            Self::Hive => "hive_router",
            Self::Apollo => "router",
        }
    }

    /// How the project's scripts install it when it is missing.
    fn install_hint(self) -> &'static str {
        match self {
            Self::Hive => {
                "cargo install hive-router --version 0.2.0 --locked --features graphiql --root ~/.cache/makrx/tools"
            }
            Self::Apollo => {
                "cargo install apollo-router --version 2.17.0 --locked --root ~/.cache/makrx/tools"
            }
        }
    }
}

/// A running router; it is stopped when dropped.
pub struct Router {
    /// Where clients send GraphQL: `http://127.0.0.1:PORT/graphql` (WebSocket on the same path).
    pub url: String,
    pub port: u16,
    child: Child,
    run_dir: PathBuf,
}

/// The composed supergraph with each subgraph's routing URL replaced by where it runs now.
pub fn supergraph_for(project: &Path, subgraph_urls: &[(&str, String)]) -> anyhow::Result<String> {
    let path = project.join("schema/supergraph.graphql");
    let mut supergraph = std::fs::read_to_string(&path)
        .with_context(|| format!("Failed to read {}", path.display()))?;
    for (name, url) in subgraph_urls {
        let marker = format!("@join__graph(name: \"{name}\", url: \"");
        let start = supergraph
            .find(&marker)
            .with_context(|| format!("the supergraph has no subgraph {name}"))?
            + marker.len();
        let end = start
            + supergraph[start..]
                .find('"')
                .context("a malformed @join__graph")?;
        supergraph.replace_range(start..end, url);
    }
    Ok(supergraph)
}

impl Router {
    /// Starts `kind` on `port` (0: a free one) in front of the subgraphs at `subgraph_urls`,
    /// and waits until it answers.
    pub async fn start(
        kind: RouterKind,
        project: &Path,
        subgraph_urls: &[(&str, String)],
        port: u16,
    ) -> anyhow::Result<Self> {
        let binary = crate::tools_dir().join("bin").join(kind.binary());
        if !binary.exists() {
            bail!(
                "{} is not installed: run ./scripts/test once, or `{}`",
                binary.display(),
                kind.install_hint()
            );
        }
        let port = if port == 0 { free_port()? } else { port };
        let run_dir = std::env::temp_dir().join(format!(
            "makrx-{}-{port}-{}",
            kind.binary(),
            std::process::id()
        ));
        std::fs::create_dir_all(&run_dir)?;
        let supergraph = run_dir.join("supergraph.graphql");
        std::fs::write(&supergraph, supergraph_for(project, subgraph_urls)?)?;

        let mut command = Command::new(&binary);
        match kind {
            RouterKind::Hive => {
                command
                    .env(
                        "ROUTER_CONFIG_FILE_PATH",
                        project.join("router/hive-router.config.yaml"),
                    )
                    .env("SUPERGRAPH_FILE_PATH", &supergraph)
                    .env("HOST", "127.0.0.1")
                    .env("PORT", port.to_string());
            }
            RouterKind::Apollo => {
                command
                    .arg("--config")
                    .arg(project.join("router/apollo-router.yaml"))
                    .arg("--supergraph")
                    .arg(&supergraph)
                    .env("APOLLO_ROUTER_LISTEN", format!("127.0.0.1:{port}"))
                    .env(
                        "APOLLO_ROUTER_HEALTH_LISTEN",
                        format!("127.0.0.1:{}", free_port()?),
                    )
                    .env("APOLLO_TELEMETRY_DISABLED", "true");
            }
        }
        let log = std::fs::File::create(run_dir.join("router.log"))?;
        let child = command
            .current_dir(project)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("Failed to start {}", binary.display()))?;
        let mut router = Self {
            url: format!("http://127.0.0.1:{port}/graphql"),
            port,
            child,
            run_dir,
        };
        router.wait_until_ready().await?;
        Ok(router)
    }

    async fn wait_until_ready(&mut self) -> anyhow::Result<()> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("the router exited ({status}); its log:\n{}", self.log());
            }
            let answered = http
                .post(&self.url)
                .json(&serde_json::json!({"query": "{ __typename }"}))
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            if answered {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!(
            "the router did not answer at {} within a minute; its log:\n{}",
            self.url,
            self.log()
        )
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.run_dir.join("router.log")).unwrap_or_default()
    }

    /// Stops the router and waits for it to exit.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_dir_all(&self.run_dir);
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
