//! The API on the web apps' origin: `/graphql` passed through to the router, over HTTP and
//! WebSocket alike, `/auth/*` to the identity service, which signs browsers in, and Stripe's
//! webhook to the store.

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ws::{self, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderName, HeaderValue,
    SEC_WEBSOCKET_PROTOCOL, SET_COOKIE, TRANSFER_ENCODING, UPGRADE,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::{SinkExt, StreamExt};
use rand::RngCore;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

use super::Upstreams;

/// The largest request body passed to the router; the router and subgraphs have their own
/// (smaller) limits, this one only keeps the proxy from buffering without end.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Where `/graphql` goes, and how.
struct Upstream {
    http_url: reqwest::Url,
    ws_url: String,
    client: reqwest::Client,
}

/// A service whose paths the origin passes on as they are: identity's `/auth/*`, the store's
/// `/webhooks/stripe`.
struct Service {
    origin: reqwest::Url,
    client: reqwest::Client,
}

/// `/graphql` proxied to the router, `/auth/*` to the identity service and
/// `/webhooks/stripe` to the store.
pub(super) fn routes(upstreams: &Upstreams) -> anyhow::Result<Router> {
    let router_url = &upstreams.router;
    let http_url: reqwest::Url = router_url
        .parse()
        .with_context(|| format!("the router URL {router_url:?} is not a URL"))?;
    let ws_url = match http_url.scheme() {
        "http" => router_url.replacen("http", "ws", 1),
        "https" => router_url.replacen("https", "wss", 1),
        other => anyhow::bail!("the router URL must be http(s), not {other}"),
    };
    let client = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        // No overall timeout: subscriptions over HTTP (SSE, multipart) last as long as the page.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("Failed to build the HTTP client for the router")?;
    let service = |name: &str, origin: &str| -> anyhow::Result<Arc<Service>> {
        Ok(Arc::new(Service {
            origin: origin
                .parse()
                .with_context(|| format!("the {name} URL {origin:?} is not a URL"))?,
            client: client.clone(),
        }))
    };
    let identity = service("identity", &upstreams.identity)?;
    let store = service("store", &upstreams.store)?;
    let upstream = Arc::new(Upstream {
        http_url,
        ws_url,
        client,
    });
    Ok(Router::new()
        .route("/graphql", any(graphql).with_state(upstream))
        .route("/auth/{*step}", any(pass_through).with_state(identity))
        .route(
            store::stripe::WEBHOOK_PATH,
            post(pass_through).with_state(store),
        ))
}

async fn graphql(State(upstream): State<Arc<Upstream>>, request: Request) -> Response {
    if request.headers().contains_key(UPGRADE) {
        let (mut parts, _) = request.into_parts();
        match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(upgrade) => proxy_websocket(&upstream, upgrade, &parts.headers).await,
            Err(rejection) => rejection.into_response(),
        }
    } else {
        proxy_http(&upstream, request).await
    }
}

/// Headers that describe one hop, not the message: never passed on (RFC 9110, 7.6.1).
fn is_hop_by_hop(name: &HeaderName) -> bool {
    const HOP: [&str; 6] = [
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
    ];
    [CONNECTION, TRANSFER_ENCODING, UPGRADE, HOST, CONTENT_LENGTH].contains(name)
        || HOP.contains(&name.as_str())
}

fn end_to_end(headers: &HeaderMap) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
    headers.iter().filter(|(name, _)| !is_hop_by_hop(name))
}

/// What the browser sees when the router cannot be reached: a GraphQL error, so the app shows
/// a message rather than failing to parse.
fn router_unreachable() -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": "The MakrX API cannot be reached right now. Try again in a moment.",
            "extensions": {"code": "INTERNAL"}
        }]
    });
    (
        StatusCode::BAD_GATEWAY,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// What the caller sees when the service cannot be reached: the error shape of `/auth`.
fn service_unreachable() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-store"),
        ],
        r#"{"code":"INTERNAL"}"#,
    )
        .into_response()
}

/// Passed to the service as it came, cookies and body byte for byte (a webhook's signature
/// covers them), and its answer (redirects and `Set-Cookie` included) passed back as it is.
async fn pass_through(State(service): State<Arc<Service>>, request: Request) -> Response {
    let mut url = service.origin.clone();
    url.set_path(request.uri().path());
    url.set_query(request.uri().query());
    match forward(&service.client, url, request).await {
        Some(response) => response,
        None => service_unreachable(),
    }
}

/// The cookie that keeps a guest's cart token in the browser (HttpOnly: no script reads it).
/// The store finds the cart by the token, which this origin hands on as a header.
const CART_COOKIE: &str = "makrx_cart";
/// How long a browser keeps a guest's cart.
const CART_COOKIE_SECONDS: u32 = 30 * 24 * 60 * 60;

/// The browser's cart token; for a browser without one, a new one (32 random bytes,
/// base64url) with the `Set-Cookie` that gives it to the browser.
fn cart_token(headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(token) = makrx_service::http::cookie(headers, CART_COOKIE) {
        return (token.to_owned(), None);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let set_cookie = format!(
        "{CART_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={CART_COOKIE_SECONDS}"
    );
    (token, Some(set_cookie))
}

async fn proxy_http(upstream: &Upstream, mut request: Request) -> Response {
    let mut url = upstream.http_url.clone();
    url.set_query(request.uri().query());
    // The cart is the cookie's: a header of the same name from the page is replaced.
    let (token, set_cookie) = cart_token(request.headers());
    match HeaderValue::from_str(&token) {
        Ok(token) => request
            .headers_mut()
            .insert(store::CART_TOKEN_HEADER, token),
        Err(_) => request.headers_mut().remove(store::CART_TOKEN_HEADER),
    };
    let mut response = match forward(&upstream.client, url, request).await {
        Some(response) => response,
        None => router_unreachable(),
    };
    if let Some(set_cookie) = set_cookie.and_then(|value| HeaderValue::from_str(&value).ok()) {
        response.headers_mut().append(SET_COOKIE, set_cookie);
    }
    response
}

/// Sends `request` on to `url` and streams the answer back; `None` when nothing answered.
async fn forward(
    client: &reqwest::Client,
    url: reqwest::Url,
    request: Request,
) -> Option<Response> {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return Some(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    };
    let mut forwarded = client.request(parts.method, url).body(body);
    for (name, value) in end_to_end(&parts.headers) {
        forwarded = forwarded.header(name, value);
    }
    let answer = match forwarded.send().await {
        Ok(answer) => answer,
        Err(err) => {
            tracing::warn!(error = %err, url = %err.url().map(|u| u.path()).unwrap_or_default(), "a proxied request got no answer");
            return None;
        }
    };
    let mut response = Response::builder().status(answer.status());
    for (name, value) in end_to_end(answer.headers()) {
        response = response.header(name, value);
    }
    // Streamed, not buffered: the router may answer a subscription with an endless
    // event stream.
    let chunks = futures::stream::unfold(Some(answer), |answer| async move {
        let mut answer = answer?;
        match answer.chunk().await {
            Ok(Some(chunk)) => Some((Ok::<Bytes, reqwest::Error>(chunk), Some(answer))),
            Ok(None) => None,
            Err(err) => Some((Err(err), None)),
        }
    });
    Some(
        response
            .body(Body::from_stream(chunks))
            .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response()),
    )
}

/// Opens the router's WebSocket first, offering the browser's subprotocols, and only then
/// accepts the browser's, with the subprotocol the router chose: the handshake the browser
/// sees is the router's.
async fn proxy_websocket(
    upstream: &Upstream,
    upgrade: WebSocketUpgrade,
    headers: &HeaderMap,
) -> Response {
    let mut request = match upstream.ws_url.as_str().into_client_request() {
        Ok(request) => request,
        Err(err) => {
            tracing::error!(error = %err, "the router's WebSocket URL is unusable");
            return router_unreachable();
        }
    };
    for name in [SEC_WEBSOCKET_PROTOCOL, axum::http::header::AUTHORIZATION] {
        if let Some(value) = headers.get(&name) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    let (router_socket, handshake) = match tokio_tungstenite::connect_async(request).await {
        Ok(connected) => connected,
        Err(err) => {
            tracing::warn!(error = %err, "the router refused or missed a WebSocket");
            return router_unreachable();
        }
    };
    let upgrade = match handshake
        .headers()
        .get(SEC_WEBSOCKET_PROTOCOL)
        .and_then(|protocol| protocol.to_str().ok())
    {
        Some(protocol) => upgrade.protocols([protocol.to_owned()]),
        None => upgrade,
    };
    upgrade.on_upgrade(move |browser| relay(browser, router_socket))
}

type RouterSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Passes messages both ways until either side closes. Pings are answered by each hop's
/// WebSocket implementation itself, so they are not passed on.
async fn relay(browser: WebSocket, router: RouterSocket) {
    let (mut to_browser, mut from_browser) = browser.split();
    let (mut to_router, mut from_router) = router.split();
    let upstream = async {
        while let Some(Ok(message)) = from_browser.next().await {
            let closing = matches!(message, ws::Message::Close(_));
            if let Some(message) = browser_to_router(message)
                && to_router.send(message).await.is_err()
            {
                break;
            }
            if closing {
                break;
            }
        }
    };
    let downstream = async {
        while let Some(Ok(message)) = from_router.next().await {
            let closing = matches!(message, tungstenite::Message::Close(_));
            if let Some(message) = router_to_browser(message)
                && to_browser.send(message).await.is_err()
            {
                break;
            }
            if closing {
                break;
            }
        }
    };
    // When one side is done, dropping the other closes its connection too.
    tokio::select! {
        () = upstream => {}
        () = downstream => {}
    }
}

fn browser_to_router(message: ws::Message) -> Option<tungstenite::Message> {
    Some(match message {
        ws::Message::Text(text) => tungstenite::Message::text(text.as_str()),
        ws::Message::Binary(bytes) => tungstenite::Message::binary(bytes),
        ws::Message::Close(frame) => {
            tungstenite::Message::Close(frame.map(|frame| tungstenite::protocol::CloseFrame {
                code: frame.code.into(),
                reason: frame.reason.as_str().into(),
            }))
        }
        ws::Message::Ping(_) | ws::Message::Pong(_) => return None,
    })
}

fn router_to_browser(message: tungstenite::Message) -> Option<ws::Message> {
    Some(match message {
        tungstenite::Message::Text(text) => ws::Message::text(text.as_str()),
        tungstenite::Message::Binary(bytes) => ws::Message::binary(bytes),
        tungstenite::Message::Close(frame) => {
            ws::Message::Close(frame.map(|frame| ws::CloseFrame {
                code: frame.code.into(),
                reason: frame.reason.as_str().into(),
            }))
        }
        tungstenite::Message::Ping(_)
        | tungstenite::Message::Pong(_)
        | tungstenite::Message::Frame(_) => return None,
    })
}
