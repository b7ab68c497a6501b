//! The platform's subgraphs in one process, each on its own port through its `app()`, as
//! `makrx up` and the end-to-end tests run them (production runs each subgraph's own binary).

use std::net::SocketAddr;

use anyhow::Context;
use identity::WebSignIn;
use makrx_files::Files;
use makrx_service::{Auth, Clock, http};
use sqlx::PgPool;
use store::StripeSettings;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The subgraphs' names, as supergraph.yaml spells them, with their default addresses.
pub const SUBGRAPHS: [(&str, &str); 4] = [
    ("identity", identity::DEFAULT_LISTEN),
    ("makrcave", makrcave::DEFAULT_LISTEN),
    ("store", store::DEFAULT_LISTEN),
    ("events", events::DEFAULT_LISTEN),
];

/// The four subgraphs, serving.
pub struct Subgraphs {
    /// Each subgraph's name and the address it listens on.
    pub addrs: Vec<(&'static str, SocketAddr)>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
}

impl Subgraphs {
    /// Serves every subgraph over `db`, identity with the web sign-in `sign_in`, the store
    /// taking cards as `stripe` says and keeping images and parts in `files` (and quoting
    /// the parts queued); `listen` gives each its
    /// address in the order of `SUBGRAPHS` (port 0: a free one).
    pub async fn start(
        db: PgPool,
        auth: Auth,
        sign_in: WebSignIn,
        stripe: StripeSettings,
        files: Option<Files>,
        redis_url: Option<&str>,
        listen: [SocketAddr; 4],
    ) -> anyhow::Result<Self> {
        let bus = events::EventBus::start(db.clone(), redis_url).await?;
        makrcave::work_in_background(&db, Clock::system());
        store::work_in_background(&db, Clock::system(), &stripe, files.clone());
        let apps = [
            identity::app(db.clone(), auth.clone(), sign_in),
            makrcave::app(db.clone(), auth.clone(), Clock::system(), files.clone()),
            store::app(db.clone(), auth.clone(), Clock::system(), &stripe, files),
            events::app(db, auth, bus),
        ];
        let (stop, stopped) = watch::channel(false);
        let mut addrs = Vec::new();
        let mut tasks = Vec::new();
        for (((name, _), app), addr) in SUBGRAPHS.into_iter().zip(apps).zip(listen) {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("the {name} subgraph cannot listen on {addr}"))?;
            addrs.push((name, listener.local_addr()?));
            let mut stopped = stopped.clone();
            let shutdown = async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            };
            tasks.push(tokio::spawn(http::serve(listener, app, shutdown)));
        }
        Ok(Self { addrs, stop, tasks })
    }

    /// Serves every subgraph on a free port of 127.0.0.1, with the development web sign-in, no
    /// card payments and no product images.
    pub async fn start_on_free_ports(
        db: PgPool,
        auth: Auth,
        redis_url: Option<&str>,
    ) -> anyhow::Result<Self> {
        let any: SocketAddr = ([127, 0, 0, 1], 0).into();
        let sign_in = WebSignIn::development(auth.issuer());
        let stripe = StripeSettings::development();
        Self::start(db, auth, sign_in, stripe, None, redis_url, [any; 4]).await
    }

    /// The address of the named subgraph, if it runs.
    pub fn addr(&self, name: &str) -> Option<SocketAddr> {
        self.addrs
            .iter()
            .find(|(each, _)| *each == name)
            .map(|(_, addr)| *addr)
    }

    /// Each subgraph's name and its GraphQL URL.
    pub fn urls(&self) -> Vec<(&'static str, String)> {
        self.addrs
            .iter()
            .map(|(name, addr)| (*name, format!("http://{addr}/graphql")))
            .collect()
    }

    /// Stops serving once the requests in flight are answered.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Loads the demo makerspace, its members and the store's catalog (`src/demo.sql`), as
/// `makrx up` does unless told not to; a second time adds nothing.
pub async fn load_demo(db: &PgPool) -> anyhow::Result<()> {
    sqlx::raw_sql(include_str!("demo.sql"))
        .execute(db)
        .await
        .context("Failed to load the demo data")?;
    Ok(())
}
