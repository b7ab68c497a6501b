//! Serving the built web apps (`scripts/build-web` writes `web/dist/<app>/`) on one origin with
//! the API: each app under its base path (the gateway at `/`, MakrCave at `/makrcave/`, the
//! store at `/store/`) with its files and its `index.html` for every address of its own (so
//! `/spaces/<slug>` survives a reload), `/config.json` naming the apps served, and beside them
//! `/graphql` and `/auth/*` (`proxy`). One origin means the apps need no configuration, the browser no CORS, and the
//! session cookie is first-party.

mod proxy;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::{any, get};
use tokio::net::TcpListener;
use tower_http::services::ServeDir;

/// A web app's build folder and where on the origin it is served.
#[derive(Debug, Clone)]
pub struct WebApp {
    name: &'static str,
    /// With a slash at each end, so that `<base>assets/` and `<base>index.html` are its files.
    base: &'static str,
    dist: PathBuf,
}

impl WebApp {
    /// The gateway (makrx.org), served at `/` from its build folder `dist`.
    pub fn gateway(dist: impl Into<PathBuf>) -> Self {
        Self {
            name: "gateway",
            base: "/",
            dist: dist.into(),
        }
    }

    /// MakrCave, served at `/makrcave/` from its build folder `dist`.
    pub fn makrcave(dist: impl Into<PathBuf>) -> Self {
        Self {
            name: "makrcave",
            base: "/makrcave/",
            dist: dist.into(),
        }
    }

    /// The store (makrx.store), served at `/store/` from its build folder `dist`.
    pub fn store(dist: impl Into<PathBuf>) -> Self {
        Self {
            name: "store",
            base: "/store/",
            dist: dist.into(),
        }
    }

    /// Every app, in the folders `scripts/build-web` builds them into under `web_dist`.
    pub fn all(web_dist: &Path) -> Vec<Self> {
        vec![
            Self::gateway(web_dist.join("gateway")),
            Self::makrcave(web_dist.join("makrcave")),
            Self::store(web_dist.join("store")),
        ]
    }

    /// Its name, as `scripts/build-web` and `/config.json` know it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The path it is served under: `/`, `/makrcave/`, `/store/`.
    pub fn base(&self) -> &'static str {
        self.base
    }

    /// Its build folder.
    pub fn dist(&self) -> &Path {
        &self.dist
    }

    /// Whether it is built: its build folder has an `index.html`.
    pub fn is_built(&self) -> bool {
        self.index().is_file()
    }

    fn index(&self) -> PathBuf {
        self.dist.join("index.html")
    }
}

/// What the web origin passes requests on to.
#[derive(Clone, Debug)]
pub struct Upstreams {
    /// The router's GraphQL endpoint (`http://127.0.0.1:4000/graphql`), for `/graphql`.
    pub router: String,
    /// The identity service's origin (`http://127.0.0.1:4001`), for `/auth/*`.
    pub identity: String,
    /// The store service's origin (`http://127.0.0.1:4003`), for `/webhooks/stripe`.
    pub store: String,
}

/// The web apps' router: each of `apps` under its base path, `/config.json` naming those built,
/// and the API passed on to `upstreams`.
pub fn app(apps: &[WebApp], upstreams: &Upstreams) -> anyhow::Result<Router> {
    let mut router = proxy::routes(upstreams)?
        .route("/config.json", get(site_config).with_state(Arc::from(apps)));
    for web_app in apps {
        let files = ServeDir::new(&web_app.dist)
            .precompressed_gzip()
            .fallback(any(app_page).with_state(Arc::new(web_app.index())));
        router = if web_app.base == "/" {
            router.fallback_service(files)
        } else {
            router
                .route(web_app.base.trim_end_matches('/'), get(with_trailing_slash))
                .nest_service(web_app.base, files)
        };
    }
    let asset_paths: Arc<[String]> = apps
        .iter()
        .map(|web_app| format!("{}assets/", web_app.base))
        .collect();
    Ok(router.layer(middleware::from_fn_with_state(asset_paths, cache_headers)))
}

/// Serves `apps` on `listener`, with the API passed on to `upstreams`. An app that is not built
/// answers 404 until it is; when none is, there is nothing to serve.
pub async fn serve_web(
    apps: Vec<WebApp>,
    upstreams: Upstreams,
    listener: TcpListener,
) -> anyhow::Result<()> {
    if !apps.iter().any(WebApp::is_built) {
        let folders: Vec<String> = apps
            .iter()
            .map(|web_app| web_app.dist.display().to_string())
            .collect();
        anyhow::bail!(
            "no web app is built (no index.html in {}): build them first (scripts/build-web)",
            folders.join(", ")
        );
    }
    let app = app(&apps, &upstreams)?;
    axum::serve(listener, app)
        .await
        .context("the web server stopped")
}

/// `/config.json`: the apps served and where (`{"sites": {"gateway": "/"}}`). Asked on every
/// request, so that an app built while the server runs shows up.
async fn site_config(State(apps): State<Arc<[WebApp]>>) -> Json<serde_json::Value> {
    let mut sites = serde_json::Map::new();
    for web_app in apps.iter() {
        let index = tokio::fs::metadata(web_app.index()).await;
        if index.is_ok_and(|index| index.is_file()) {
            sites.insert(web_app.name.into(), web_app.base.into());
        }
    }
    Json(serde_json::json!({ "sites": sites }))
}

/// `/makrcave` is sent on to `/makrcave/`, as nginx does, so that addresses in the app resolve
/// under its base path.
async fn with_trailing_slash(uri: Uri) -> Redirect {
    let location = match uri.query() {
        Some(query) => format!("{}/?{query}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    Redirect::permanent(&location)
}

/// `index.html` for an address of the app (`/spaces/demo-space`); a 404 for a missing file
/// (`/favicon.ico`, an old asset), which must not come back as HTML with a 200.
async fn app_page(State(index): State<Arc<PathBuf>>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let last_segment = request.uri().path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Read on every request, so that a rebuild is served without a restart.
    match tokio::fs::read(index.as_path()).await {
        Ok(html) => ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(err) => {
            tracing::error!(path = %index.display(), error = %err, "the app's index.html is unreadable");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// Hashed assets (in each app's `<base>assets/`) never change, so browsers keep them;
/// everything else (index.html, which names the current assets) is checked on every visit.
async fn cache_headers(
    State(asset_paths): State<Arc<[String]>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let policy = if asset_paths.iter().any(|assets| path.starts_with(assets)) {
        "public, max-age=31536000, immutable"
    } else if path == "/graphql" || path.starts_with("/auth/") {
        // The API's answers say themselves how long they keep (sign-in: `no-store`).
        return response;
    } else {
        "no-cache"
    };
    if response.status().is_success() {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
