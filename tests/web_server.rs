//! The web apps' server: each built app's files under its base path (the gateway at `/`, MakrCave
//! at `/makrcave/`), `index.html` for each app's own addresses, `/config.json` naming the apps
//! served, `/graphql` passed through to the router over HTTP and WebSocket, and `/auth/*` to the
//! identity service. The "router" and "identity service" here are small axum apps started on
//! port 0 that echo what reaches them.

use std::net::SocketAddr;
use std::path::Path;

use axum::Json;
use axum::Router;
use axum::extract::ws::{Message as WsMessage, WebSocketUpgrade};
use axum::extract::{FromRequestParts, RawQuery, Request};
use axum::http::HeaderMap;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::any;
use futures::{SinkExt, StreamExt};
use makrx::web::{Upstreams, WebApp};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

const INDEX: &str = "<!doctype html><title>MakrX</title><div id=app></div>";
const MAKRCAVE_INDEX: &str = "<!doctype html><title>MakrCave</title><div id=app></div>";
const SCRIPT: &str = "export default function init() {}";

/// Answers a GraphQL request with what it received; echoes WebSocket text frames.
async fn echo_router(headers: HeaderMap, RawQuery(query): RawQuery, request: Request) -> Response {
    if headers.contains_key("upgrade") {
        let (mut parts, _) = request.into_parts();
        let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(upgrade) => upgrade,
            Err(rejection) => return rejection.into_response(),
        };
        return upgrade
            .protocols(["graphql-transport-ws"])
            .on_upgrade(|mut socket| async move {
                while let Some(Ok(WsMessage::Text(text))) = socket.next().await {
                    let echo = format!("echo: {}", text.as_str());
                    if socket.send(WsMessage::text(echo)).await.is_err() {
                        break;
                    }
                }
            });
    }
    let method = request.method().to_string();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .expect("the request's body");
    let header = |name: &str| {
        headers
            .get(name)
            .map(|value| value.to_str().expect("a header in ASCII").to_owned())
    };
    axum::Json(json!({
        "data": {
            "method": method,
            "query": query,
            "body": String::from_utf8_lossy(&body),
            "authorization": header("authorization"),
            "contentType": header("content-type"),
            "cart": header("x-makrx-cart"),
        }
    }))
    .into_response()
}

/// Answers `/auth/*` as identity does (a redirect to the issuer, a JSON answer), with two
/// cookies set, and echoes the cookie and headers it received.
/// The store's webhook as an echo: the signature header and the body it was given.
async fn echo_store_webhook(headers: HeaderMap, body: String) -> Json<Value> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok());
    Json(json!({"signature": signature, "body": body}))
}

async fn echo_identity(headers: HeaderMap, request: Request) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .map(|value| value.to_str().expect("a header in ASCII").to_owned())
    };
    let cookies = AppendHeaders([
        (
            "set-cookie",
            "makrx_session=abc; HttpOnly; SameSite=Lax; Path=/",
        ),
        (
            "set-cookie",
            "makrx_sign_in=; Path=/auth/callback; Max-Age=0",
        ),
    ]);
    if request.uri().path() == "/auth/login" {
        // The echo passes on whatever query came, which may be none.
        let location = format!(
            "http://issuer.example/auth?{}",
            request.uri().query().unwrap_or_default()
        );
        let mut response = (axum::http::StatusCode::SEE_OTHER, cookies).into_response();
        response
            .headers_mut()
            .insert("location", location.parse().expect("a header value"));
        return response;
    }
    (
        cookies,
        [("cache-control", "no-store")],
        axum::Json(json!({
            "method": request.method().to_string(),
            "path": request.uri().path(),
            "cookie": header("cookie"),
            "session": header("x-makrx-session"),
        })),
    )
        .into_response()
}

async fn start(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// The built apps as scripts/build-web lays them out in web/dist: the gateway and MakrCave.
fn dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("a temporary folder");
    let write = |path: &str, text: &str| {
        let path = dist.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("a folder");
        std::fs::write(path, text).expect("a file");
    };
    write("gateway/index.html", INDEX);
    write("gateway/assets/gateway-0123456789abcdef.js", SCRIPT);
    write("makrcave/index.html", MAKRCAVE_INDEX);
    write("makrcave/assets/x-1.js", SCRIPT);
    dist
}

/// The web server on port 0, serving the apps built in `dist` in front of `router_url` and
/// `service_url`, where both identity and the store answer; returns its origin.
async fn serve_web(dist: &Path, router_url: String, service_url: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    let upstreams = Upstreams {
        router: router_url,
        identity: service_url.clone(),
        store: service_url,
    };
    tokio::spawn(makrx::web::serve_web(
        WebApp::all(dist),
        upstreams,
        listener,
    ));
    format!("http://{addr}")
}

/// The built apps in front of a running echo router and echo identity service.
async fn web_with_router() -> (tempfile::TempDir, String) {
    web_with_router_serving(dist()).await
}

/// The apps built in `dist` in front of a running echo router and echo identity service.
async fn web_with_router_serving(dist: tempfile::TempDir) -> (tempfile::TempDir, String) {
    let router = start(Router::new().route("/graphql", any(echo_router))).await;
    let identity = start(
        Router::new()
            .route("/auth/{*step}", any(echo_identity))
            .route("/webhooks/stripe", any(echo_store_webhook)),
    )
    .await;
    let origin = serve_web(
        dist.path(),
        format!("http://{router}/graphql"),
        format!("http://{identity}"),
    )
    .await;
    (dist, origin)
}

/// The header `name` of `response`, which must have it.
fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("a {name} header in {:?}", response.headers()))
        .to_str()
        .expect("a header in ASCII")
}

#[tokio::test]
async fn the_app_is_served_at_the_root_and_checked_on_every_visit() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/")).await.expect("an answer");

    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(response.text().await.expect("a body"), INDEX);
}

#[tokio::test]
async fn stripe_webhooks_reach_the_store_byte_for_byte() {
    let (_dist, origin) = web_with_router().await;
    // Spacing and key order as Stripe sent them: the signature covers the raw body.
    let body = "{\n  \"id\": \"evt_1\",  \"type\": \"payment_intent.succeeded\"\n}";

    let response = reqwest::Client::new()
        .post(format!("{origin}/webhooks/stripe"))
        .header("stripe-signature", "t=1,v1=ab,v1=cd")
        .body(body)
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    let echo: Value = response.json().await.expect("the store's echo");
    assert_eq!(echo, json!({"signature": "t=1,v1=ab,v1=cd", "body": body}));
}

#[tokio::test]
async fn hashed_assets_are_served_to_be_kept_forever() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/assets/gateway-0123456789abcdef.js"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").contains("javascript"));
    assert!(header(&response, "cache-control").contains("immutable"));
    assert_eq!(response.text().await.expect("a body"), SCRIPT);
}

#[tokio::test]
async fn an_address_of_the_app_gets_the_app_so_a_reload_works() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/spaces/demo-space"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert_eq!(response.text().await.expect("a body"), INDEX);
}

#[tokio::test]
async fn a_missing_file_is_a_404_not_the_app() {
    let (_dist, origin) = web_with_router().await;

    let icon = reqwest::get(format!("{origin}/favicon.ico"))
        .await
        .expect("an answer");
    let old_asset = reqwest::get(format!("{origin}/assets/gateway-old.wasm"))
        .await
        .expect("an answer");

    assert_eq!(icon.status(), 404);
    assert_eq!(old_asset.status(), 404);
}

#[tokio::test]
async fn a_graphql_post_reaches_the_router_with_its_body_and_credentials() {
    let (_dist, origin) = web_with_router().await;
    let query = json!({"query": "{ makerspaces { totalCount } }"});

    let response = reqwest::Client::new()
        .post(format!("{origin}/graphql"))
        .header("authorization", "Bearer a-token")
        .json(&query)
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    let echoed: Value = response.json().await.expect("JSON");
    assert_eq!(echoed["data"]["method"], "POST");
    assert_eq!(echoed["data"]["authorization"], "Bearer a-token");
    assert_eq!(echoed["data"]["contentType"], "application/json");
    let body: Value =
        serde_json::from_str(echoed["data"]["body"].as_str().expect("the body echoed"))
            .expect("JSON");
    assert_eq!(body, query);
}

/// A guest's cart lives in an HttpOnly cookie the origin sets once; the store reads it from the
/// header the origin makes of it, whatever header the page itself sent.
#[tokio::test]
async fn a_browser_is_given_a_cart_cookie_that_reaches_the_store_as_a_header() {
    let (_dist, origin) = web_with_router().await;
    let client = reqwest::Client::new();
    let ask = |cookie: Option<String>| {
        let mut request = client
            .post(format!("{origin}/graphql"))
            .header("x-makrx-cart", "from-the-page-itself")
            .json(&json!({"query": "{ cart { id } }"}));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };

    let first = ask(None).await.expect("an answer");
    let set_cookie = first
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .expect("a cart cookie")
        .to_owned();
    let token = set_cookie
        .strip_prefix("makrx_cart=")
        .and_then(|rest| rest.split(';').next())
        .expect("the cookie's value")
        .to_owned();
    assert_eq!(token.len(), 43, "32 random bytes, base64url: {set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let echoed: Value = first.json().await.expect("JSON");
    assert_eq!(echoed["data"]["cart"], token.as_str());

    let again = ask(Some(format!("theme=dark; makrx_cart={token}")))
        .await
        .expect("an answer");
    assert!(
        again.headers().get("set-cookie").is_none(),
        "the cookie is kept"
    );
    let echoed: Value = again.json().await.expect("JSON");
    assert_eq!(echoed["data"]["cart"], token.as_str());

    let other = ask(None).await.expect("an answer");
    assert_ne!(
        other
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok()),
        Some(set_cookie.as_str()),
        "every browser its own cart"
    );
}

#[tokio::test]
async fn a_graphql_get_reaches_the_router_with_its_query_string() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/graphql?query=%7B__typename%7D"))
        .await
        .expect("an answer");

    let echoed: Value = response.json().await.expect("JSON");
    assert_eq!(echoed["data"]["method"], "GET");
    assert_eq!(echoed["data"]["query"], "query=%7B__typename%7D");
}

#[tokio::test]
async fn a_router_that_is_down_gives_a_graphql_error_the_app_can_show() {
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let router = closed.local_addr().expect("its address");
    drop(closed);
    let dist = dist();
    let origin = serve_web(
        dist.path(),
        format!("http://{router}/graphql"),
        format!("http://{router}"),
    )
    .await;

    let response = reqwest::Client::new()
        .post(format!("{origin}/graphql"))
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 502);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
}

#[tokio::test]
async fn a_websocket_reaches_the_router_with_the_subprotocol_it_chose() {
    let (_dist, origin) = web_with_router().await;
    let mut request = format!("{}/graphql", origin.replacen("http", "ws", 1))
        .into_client_request()
        .expect("a WebSocket request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("a header value"),
    );

    let (mut socket, handshake) = tokio_tungstenite::connect_async(request)
        .await
        .expect("a WebSocket through the proxy");
    socket
        .send(tungstenite::Message::text(r#"{"type":"connection_init"}"#))
        .await
        .expect("sent");
    let reply = socket.next().await.expect("a reply").expect("a frame");

    assert_eq!(
        handshake
            .headers()
            .get("sec-websocket-protocol")
            .map(|value| value.to_str().expect("a header in ASCII")),
        Some("graphql-transport-ws")
    );
    assert_eq!(
        reply,
        tungstenite::Message::text(r#"echo: {"type":"connection_init"}"#)
    );
}

#[tokio::test]
async fn serving_apps_none_of_which_is_built_fails_with_a_clear_message() {
    let empty = tempfile::tempdir().expect("a temporary folder");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");

    let upstreams = Upstreams {
        router: "http://127.0.0.1:4000/graphql".into(),
        identity: "http://127.0.0.1:4001".into(),
        store: "http://127.0.0.1:4003".into(),
    };
    let result = makrx::web::serve_web(WebApp::all(empty.path()), upstreams, listener).await;

    let message = format!("{:#}", result.expect_err("no index.html anywhere"));
    assert!(message.contains("scripts/build-web"), "{message}");
}

#[tokio::test]
async fn sign_in_requests_reach_identity_with_their_cookies_and_its_cookies_come_back() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::Client::new()
        .post(format!("{origin}/auth/token"))
        .header("cookie", "makrx_session=secret-value; theme=dark")
        .header("x-makrx-session", "1")
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    let set_cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().expect("a cookie in ASCII"))
        .collect();
    assert_eq!(
        set_cookies,
        [
            "makrx_session=abc; HttpOnly; SameSite=Lax; Path=/",
            "makrx_sign_in=; Path=/auth/callback; Max-Age=0"
        ]
    );
    assert_eq!(
        header(&response, "cache-control"),
        "no-store",
        "identity's, not the app's"
    );
    let echoed: Value = response.json().await.expect("JSON");
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/auth/token");
    assert_eq!(echoed["cookie"], "makrx_session=secret-value; theme=dark");
    assert_eq!(echoed["session"], "1");
}

#[tokio::test]
async fn a_sign_in_redirect_reaches_the_browser_unfollowed() {
    let (_dist, origin) = web_with_router().await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");

    let response = browser
        .get(format!("{origin}/auth/login?return_to=%2Fspaces%2Fdemo"))
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 303);
    assert_eq!(
        header(&response, "location"),
        "http://issuer.example/auth?return_to=%2Fspaces%2Fdemo"
    );
    assert_eq!(response.headers().get_all("set-cookie").iter().count(), 2);
}

#[tokio::test]
async fn identity_that_is_down_gives_the_sign_in_error_shape() {
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let identity = closed.local_addr().expect("its address");
    drop(closed);
    let dist = dist();
    let origin = serve_web(
        dist.path(),
        "http://127.0.0.1:9/graphql".into(),
        format!("http://{identity}"),
    )
    .await;

    let response = reqwest::Client::new()
        .post(format!("{origin}/auth/token"))
        .header("x-makrx-session", "1")
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 502);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body, json!({"code": "INTERNAL"}));
}

#[tokio::test]
async fn makrcave_is_served_under_its_base_path_and_checked_on_every_visit() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/makrcave/"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(response.text().await.expect("a body"), MAKRCAVE_INDEX);
}

#[tokio::test]
async fn makrcave_without_its_trailing_slash_is_sent_to_its_base_path() {
    let (_dist, origin) = web_with_router().await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");

    let response = browser
        .get(format!("{origin}/makrcave?space=demo"))
        .send()
        .await
        .expect("an answer");

    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(header(&response, "location"), "/makrcave/?space=demo");
}

#[tokio::test]
async fn an_address_of_makrcave_gets_makrcave_so_a_reload_works() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/makrcave/machines/abc"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert_eq!(response.text().await.expect("a body"), MAKRCAVE_INDEX);
}

#[tokio::test]
async fn makrcave_assets_are_served_to_be_kept_forever() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/makrcave/assets/x-1.js"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").contains("javascript"));
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.text().await.expect("a body"), SCRIPT);
}

#[tokio::test]
async fn a_missing_makrcave_asset_is_a_404_not_the_app() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/makrcave/assets/missing.js"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_gateway_keeps_the_root_and_its_own_addresses_beside_makrcave() {
    let (_dist, origin) = web_with_router().await;

    let root = reqwest::get(format!("{origin}/")).await.expect("an answer");
    let space = reqwest::get(format!("{origin}/spaces/x"))
        .await
        .expect("an answer");

    assert_eq!(root.status(), 200);
    assert_eq!(root.text().await.expect("a body"), INDEX);
    assert_eq!(space.status(), 200);
    assert_eq!(space.text().await.expect("a body"), INDEX);
}

#[tokio::test]
async fn config_json_names_the_sites_served_and_where() {
    let (_dist, origin) = web_with_router().await;

    let response = reqwest::get(format!("{origin}/config.json"))
        .await
        .expect("an answer");

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    let config: Value = response.json().await.expect("JSON");
    assert_eq!(
        config,
        json!({"sites": {"gateway": "/", "makrcave": "/makrcave/"}})
    );
}

#[tokio::test]
async fn config_json_leaves_out_an_app_that_is_not_built() {
    let dist = dist();
    std::fs::remove_file(dist.path().join("makrcave/index.html")).expect("removed");
    let (_dist, origin) = web_with_router_serving(dist).await;

    let response = reqwest::get(format!("{origin}/config.json"))
        .await
        .expect("an answer");

    let config: Value = response.json().await.expect("JSON");
    assert_eq!(config, json!({"sites": {"gateway": "/"}}));
}

#[tokio::test]
async fn the_gateway_is_served_without_a_makrcave_build() {
    let dist = dist();
    std::fs::remove_dir_all(dist.path().join("makrcave")).expect("removed");
    let (_dist, origin) = web_with_router_serving(dist).await;

    let gateway = reqwest::get(format!("{origin}/")).await.expect("an answer");
    let makrcave = reqwest::get(format!("{origin}/makrcave/"))
        .await
        .expect("an answer");

    assert_eq!(gateway.status(), 200);
    assert_eq!(gateway.text().await.expect("a body"), INDEX);
    assert_eq!(makrcave.status(), 404);
}
