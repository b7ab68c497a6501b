//! `makrx up`: the whole platform on this machine. PostgreSQL from `DATABASE_URL` or the
//! embedded one, the issuer from `OIDC_ISSUER` or the development OIDC server, Redis from
//! `REDIS_URL` or the in-process channel; then the four subgraphs, the router, and the web apps
//! (the gateway at `/`, MakrCave at `/makrcave/`) with `/graphql` and `/auth` on their origin.
//! Ctrl-C stops all of it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};

use anyhow::{Context, bail};
use identity::{SignInSettings, WebOrigin, WebSignIn};
use makrx::embedded_pg::EmbeddedPostgres;
use makrx::platform::{SUBGRAPHS, Subgraphs};
use makrx::routers::{Router, RouterKind};
use makrx::web::{self, WebApp};
use makrx::{node, project_dir, web_build};
use makrx_files::{FileSettings, Files, LocalS3};
use makrx_service::{Auth, Clock, db, http};

/// Options of `makrx up`.
#[derive(clap::Args)]
pub struct UpArgs {
    /// The router's port.
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Which router serves the supergraph.
    #[arg(long, value_enum, default_value_t = RouterKind::Hive)]
    pub router: RouterKind,
    /// Leave out the demo makerspace and catalog.
    #[arg(long)]
    pub no_demo: bool,
    /// The port of the web apps (with `/graphql` and `/auth` on the same origin).
    #[arg(long, default_value_t = 8080)]
    pub web_port: u16,
    /// Serve no web app (and build none).
    #[arg(long)]
    pub no_web: bool,
}

/// Where the development OIDC server listens when no `OIDC_ISSUER` is set.
const DEV_ISSUER_PORT: u16 = 4010;

/// The development OIDC server, stopped when its stdin (held here) closes.
struct DevIssuer {
    url: String,
    _process: Child,
    _lifeline: ChildStdin,
}

/// Starts the development OIDC server, its `makrx-web` client sending browsers back to
/// `web_origin` (unless `OIDC_WEB_REDIRECT_URIS` says otherwise).
fn start_dev_issuer(web_origin: &WebOrigin) -> anyhow::Result<DevIssuer> {
    let project = project_dir();
    node::ensure_dev_packages(&project)?;
    let mut command = Command::new("node");
    if setting("OIDC_WEB_REDIRECT_URIS").is_none() {
        command.env("OIDC_WEB_REDIRECT_URIS", web_origin.url("/auth/callback"));
    }
    if setting("OIDC_WEB_POST_LOGOUT_REDIRECT_URIS").is_none() {
        command.env("OIDC_WEB_POST_LOGOUT_REDIRECT_URIS", web_origin.url("/"));
    }
    let mut process = command
        .arg(project.join("dev/oidc-server.mjs"))
        .args([
            "--port",
            &DEV_ISSUER_PORT.to_string(),
            "--exit-on-stdin-close",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("Failed to start the development OIDC server (node dev/oidc-server.mjs)")?;
    let mut first_line = String::new();
    BufReader::new(process.stdout.take().context("no stdout")?).read_line(&mut first_line)?;
    let Some(url) = first_line.strip_prefix("OIDC issuer: ") else {
        bail!("the development OIDC server did not start (is port {DEV_ISSUER_PORT} taken?)");
    };
    let lifeline = process.stdin.take().context("no stdin")?;
    Ok(DevIssuer {
        url: url.trim().to_owned(),
        _process: process,
        _lifeline: lifeline,
    })
}

fn setting(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

pub async fn run(args: UpArgs) -> anyhow::Result<()> {
    makrx_service::config::init_tracing(makrx_service::config::LogFormat::Pretty);
    let project = project_dir();

    let (database_url, embedded) = match setting("DATABASE_URL") {
        Some(url) => (url, None),
        None => {
            let cluster = EmbeddedPostgres::new(&project, &project.join(".makrx/postgres"))?;
            (
                cluster
                    .start(0)
                    .context("the embedded PostgreSQL did not start")?,
                Some(cluster),
            )
        }
    };
    let result = serve(&args, &database_url).await;
    if let Some(cluster) = embedded {
        cluster.stop()?;
        println!("embedded PostgreSQL stopped");
    }
    result
}

async fn serve(args: &UpArgs, database_url: &str) -> anyhow::Result<()> {
    let project = project_dir();
    let pool = db::connect_and_migrate(database_url).await?;
    if !args.no_demo {
        makrx::platform::load_demo(&pool).await?;
    }
    let web_origin = match setting("WEB_ORIGIN") {
        Some(origin) => WebOrigin::parse(&origin)
            .map_err(|reason| anyhow::anyhow!("WEB_ORIGIN is not valid: {reason}"))?,
        None => WebOrigin::parse(&format!("http://127.0.0.1:{}", args.web_port))
            .map_err(|reason| anyhow::anyhow!("--web-port: {reason}"))?,
    };
    let (issuer, dev_issuer) = match setting("OIDC_ISSUER") {
        Some(url) => (url, None),
        None => {
            let dev = start_dev_issuer(&web_origin)?;
            (dev.url.clone(), Some(dev))
        }
    };
    let sign_in = SignInSettings::from_env(&issuer)
        .context("the web sign-in is not configured")?
        .with_web_origin(web_origin.clone());
    let audience = setting("OIDC_AUDIENCE").unwrap_or_else(|| "makrx".into());
    let redis_url = setting("REDIS_URL");
    let stripe = store::StripeSettings::from_env().context("card payments are not configured")?;
    // Files: the S3 that S3_ENDPOINT names, or the embedded one keeping them in .makrx/files.
    let (file_settings, local_s3) = match FileSettings::from_env()? {
        Some(settings) => (settings, None),
        None => {
            let local = LocalS3::start(&project.join(".makrx/files"), ([127, 0, 0, 1], 0).into())
                .await
                .context("the embedded S3 server did not start")?;
            (local.settings().clone(), Some(local))
        }
    };
    let files = Files::connect(&file_settings)?;

    let listen: Vec<SocketAddr> = SUBGRAPHS
        .iter()
        .map(|(_, addr)| addr.parse())
        .collect::<Result<_, _>>()?;
    let listen: [SocketAddr; 4] = listen
        .try_into()
        .map_err(|_| anyhow::anyhow!("four subgraphs"))?;
    let auth = Auth::new(&issuer, &audience, pool.clone());
    let sign_in = WebSignIn::new(sign_in, Clock::system());
    let subgraphs = Subgraphs::start(
        pool.clone(),
        auth,
        sign_in,
        stripe,
        Some(files),
        redis_url.as_deref(),
        listen,
    )
    .await?;
    let router = Router::start(args.router, &project, &subgraphs.urls(), args.port).await?;
    let web_server = if args.no_web {
        None
    } else {
        serve_web_apps(args.web_port, &router.url, &subgraphs).await
    };

    println!();
    println!("MakrX is running:");
    match &web_server {
        Some(web_server) => {
            println!("  web apps (with sign-in and /graphql on the same origin)");
            for app in &web_server.apps {
                if app.is_built() {
                    println!(
                        "    {:<9} http://127.0.0.1:{}{}",
                        app.name(),
                        args.web_port,
                        app.base()
                    );
                } else {
                    println!("    {:<9} not served (see above)", app.name());
                }
            }
        }
        None if args.no_web => {}
        None => println!("  web apps     not served (see above)"),
    }
    println!(
        "  GraphQL (playground, queries, subscriptions)  {}",
        router.url
    );
    for (name, url) in subgraphs.urls() {
        println!("  {name:<9} subgraph  {url}");
    }
    println!("  OIDC issuer  {issuer}");
    println!("  database     {}", redact(database_url));
    match &local_s3 {
        Some(local) => println!(
            "  files        {} (.makrx/files)",
            local.settings().endpoint
        ),
        None => println!("  files        {} (S3_ENDPOINT)", file_settings.endpoint),
    }
    println!(
        "  events       {}",
        if redis_url.is_some() {
            "Redis Streams (REDIS_URL)"
        } else {
            "in process"
        }
    );
    if dev_issuer.is_some() {
        println!("  a token:     node dev/token.mjs owner@makrx.dev --issuer {issuer}");
    }
    println!("Ctrl-C stops everything.");

    http::shutdown_signal().await;
    println!("stopping…");
    if let Some(web_server) = web_server {
        web_server.task.abort();
    }
    router.stop().await;
    subgraphs.stop().await;
    pool.close().await;
    drop(dev_issuer);
    Ok(())
}

/// The web apps' server, and every app it was given.
struct WebServer {
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    apps: Vec<WebApp>,
}

/// Serves the web apps (building those not built first) on `port`, with `/graphql` passed to
/// the router and `/auth` to identity. An app that cannot be built is reported and the others
/// are served; when none can be, or the port is taken, the API runs on without them.
async fn serve_web_apps(port: u16, router_url: &str, subgraphs: &Subgraphs) -> Option<WebServer> {
    let project = project_dir();
    let apps = WebApp::all(&project.join("web/dist"));
    if let Err(err) = web_build::ensure_apps_built(&project, &apps) {
        eprintln!("makrx: {err:#}");
    }
    for app in apps.iter().filter(|app| !app.is_built()) {
        eprintln!(
            "makrx: the {} app is not served: {} has no index.html",
            app.name(),
            app.dist().display()
        );
    }
    if !apps.iter().any(WebApp::is_built) {
        return None;
    }
    let upstreams = web::Upstreams {
        router: router_url.to_owned(),
        identity: format!("http://{}", subgraphs.addr("identity")?),
        store: format!("http://{}", subgraphs.addr("store")?),
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "makrx: the web apps are not served: port {port} is not free ({err}); pick another with --web-port"
            );
            return None;
        }
    };
    let task = tokio::spawn(web::serve_web(apps.clone(), upstreams, listener));
    Some(WebServer { task, apps })
}

/// A database URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}
