//! Serving a subgraph: `/health`, `/ready`, request ids in every log line, limits, and a
//! graceful shutdown that lets requests in flight finish.

use std::future::Future;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderName, Request, StatusCode};
use axum::routing::get;
use serde_json::json;
use sqlx::PgPool;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::Auth;

/// The largest request body a subgraph reads.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What a service needs to be ready: its database, the token issuer and, for the services that
/// use it, Redis.
#[derive(Clone)]
pub struct Readiness {
    db: PgPool,
    auth: Auth,
    redis: Option<redis::aio::ConnectionManager>,
}

impl Readiness {
    pub fn new(db: PgPool, auth: Auth) -> Self {
        Self {
            db,
            auth,
            redis: None,
        }
    }

    /// Also requires Redis to answer.
    pub fn with_redis(self, redis: Option<redis::aio::ConnectionManager>) -> Self {
        Self { redis, ..self }
    }
}

/// The value of the cookie `name` in a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|header| header.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Wraps a subgraph's routes with the health checks and the layers every service has.
pub fn service(routes: Router, readiness: Readiness) -> Router {
    let probes = Router::new()
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/ready", get(ready))
        .with_state(readiness);
    routes
        .merge(probes)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// 200 when every dependency answers, 503 otherwise; the body says which answered.
async fn ready(State(readiness): State<Readiness>) -> (StatusCode, Json<serde_json::Value>) {
    let mut checks = serde_json::Map::new();
    checks.insert(
        "database".into(),
        sqlx::query("select 1")
            .execute(&readiness.db)
            .await
            .is_ok()
            .into(),
    );
    checks.insert(
        "issuer".into(),
        readiness.auth.issuer_reachable().await.into(),
    );
    if let Some(mut redis) = readiness.redis {
        let pong: redis::RedisResult<String> = redis::cmd("PING").query_async(&mut redis).await;
        checks.insert("redis".into(), pong.is_ok().into());
    }
    let ready = checks
        .values()
        .all(|answered| answered == &serde_json::Value::Bool(true));
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(checks.into()))
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
