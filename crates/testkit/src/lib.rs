//! Test support shared by every subgraph's tests and the end-to-end tests: a real OIDC server
//! (the development one, started once per test binary), real tokens from its login flow, and
//! an app served on a free port and called over HTTP as a client would.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use makrx_service::Auth;
use serde_json::{Value, json};
use sqlx::PgPool;

/// The repository's root, where `dev/` lives.
pub fn project_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The development OIDC server of this test binary.
pub struct Issuer {
    pub url: String,
    _process: Child,
    // Held open for the life of the test binary: the server stops when it closes.
    _lifeline: ChildStdin,
}

/// The OIDC server, started on a free port the first time a test asks for it.
pub fn issuer() -> &'static Issuer {
    static ISSUER: OnceLock<Issuer> = OnceLock::new();
    ISSUER.get_or_init(|| start_issuer(&[]))
}

/// Another development OIDC server on a free port, with `env` set for it (e.g.
/// `OIDC_WEB_REDIRECT_URIS`, which names where the web sign-in may send browsers back to).
/// It stops when the returned `Issuer` is dropped.
pub fn start_issuer(env: &[(&str, String)]) -> Issuer {
    let mut command = Command::new("node");
    command
        .envs(env.iter().map(|(name, value)| (name, value)))
        .arg(project_dir().join("dev/oidc-server.mjs"))
        .args(["--port", "0", "--exit-on-stdin-close"]);
    command.stderr(Stdio::null());
    let (url, process, lifeline) = start_dev_server(command, "OIDC issuer: ");
    Issuer {
        url,
        _process: process,
        _lifeline: lifeline,
    }
}

/// The stand-in for Stripe's API of this test binary: PyPI's localstripe, through
/// `dev/stripe-stand-in.py`.
pub struct StripeStandIn {
    pub url: String,
    _process: Child,
    _lifeline: ChildStdin,
}

/// localstripe, started on a free port the first time a test asks for it, by `MAKRX_PYTHON`
/// (the environment `scripts/test` installs it in) or else `python3`.
pub fn stripe_stand_in() -> &'static StripeStandIn {
    static STRIPE: OnceLock<StripeStandIn> = OnceLock::new();
    STRIPE.get_or_init(|| {
        let python = std::env::var("MAKRX_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut command = Command::new(python);
        command.arg(project_dir().join("dev/stripe-stand-in.py"));
        let (url, process, lifeline) = start_dev_server(command, "Stripe API: ");
        StripeStandIn {
            url,
            _process: process,
            _lifeline: lifeline,
        }
    })
}

/// Starts a development server that says where it listens on its first line, after `prefix`,
/// and stops when its stdin closes: its URL, the process and its stdin. Its stderr goes where
/// the command says (the tests' own, unless set).
fn start_dev_server(mut command: Command, prefix: &str) -> (String, Child, ChildStdin) {
    let mut process = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{command:?} does not start ({err}): run ./scripts/test, which installs what the tests need"));
    let stdout = process.stdout.take().expect("piped stdout");
    let mut first_line = String::new();
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("the server says where it listens");
    let url = first_line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{command:?} did not start: its first line is {first_line:?}"))
        .trim()
        .to_owned();
    let lifeline = process.stdin.take().expect("piped stdin");
    (url, process, lifeline)
}

/// Which of the development server's clients a token is for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenLife {
    /// The usual five minutes.
    Normal,
    /// Two seconds, for expiry tests.
    Short,
}

/// An access token for `email`, obtained through the OIDC server's real login flow
/// (cached per user for the test binary, as a client would keep it).
pub fn token_for(email: &str, life: TokenLife) -> String {
    static TOKENS: OnceLock<Mutex<HashMap<(String, TokenLife), String>>> = OnceLock::new();
    let key = (email.to_owned(), life);
    let tokens = TOKENS.get_or_init(Mutex::default);
    if life == TokenLife::Normal
        && let Some(token) = tokens.lock().expect("token cache").get(&key)
    {
        return token.clone();
    }
    let client = match life {
        TokenLife::Normal => "makrx-cli",
        TokenLife::Short => "makrx-cli-short",
    };
    let output = Command::new("node")
        .arg(project_dir().join("dev/token.mjs"))
        .args([email, "--issuer", &issuer().url, "--client", client])
        .output()
        .expect("node runs dev/token.mjs");
    assert!(
        output.status.success(),
        "token.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout)
        .expect("a UTF-8 token")
        .trim()
        .to_owned();
    tokens
        .lock()
        .expect("token cache")
        .insert(key, token.clone());
    token
}

/// A token for `email` with the usual lifetime.
pub fn token(email: &str) -> String {
    token_for(email, TokenLife::Normal)
}

/// A fresh email address, so each test meets users nobody else has touched.
pub fn unique_email(name: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{name}-{}-{n}@test.makrx.dev", std::process::id())
}

/// Token checks against the test OIDC server, provisioning users in `db`.
pub fn auth(db: PgPool) -> Auth {
    Auth::new(&issuer().url, "makrx", db)
}

/// A GraphQL endpoint served on a free port, called over HTTP.
pub struct Endpoint {
    pub addr: SocketAddr,
    pub url: String,
    http: reqwest::Client,
}

impl Endpoint {
    /// Serves `app` on a free port of 127.0.0.1 for the rest of the test.
    pub async fn serve(app: axum::Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self::at(&format!("http://{addr}/graphql"), addr)
    }

    /// An endpoint that is already running (a router, a subgraph in another process).
    pub fn at(url: &str, addr: SocketAddr) -> Self {
        Self {
            addr,
            url: url.into(),
            http: reqwest::Client::new(),
        }
    }

    /// Sends an operation, with the bearer token if given, and returns the whole response body.
    pub async fn send(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.send_with(query, variables, token, &[]).await
    }

    /// Sends an operation as `send` does, with `headers` besides.
    pub async fn send_with(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Value {
        let mut request = self
            .http
            .post(&self.url)
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the endpoint answers");
        response.json().await.expect("a JSON answer")
    }

    /// Sends an operation that must succeed, and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self.send(query, variables, token).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }
}

/// The `extensions.code` of a response's first error, if it has one.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The message of a response's first error, which must have one.
pub fn error_message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error with a message in {body:#}"))
}

/// The fields a response's first error names in `extensions.details`, in order; the error
/// must name some, each with its field.
pub fn invalid_fields(body: &Value) -> Vec<&str> {
    body["errors"][0]["extensions"]["details"]
        .as_array()
        .unwrap_or_else(|| panic!("an error naming its invalid fields in {body:#}"))
        .iter()
        .map(|detail| {
            detail["field"]
                .as_str()
                .unwrap_or_else(|| panic!("a field in each detail of {body:#}"))
        })
        .collect()
}

/// Sends `body` as `content_type` straight to object storage, to the presigned `uploadUrl` of
/// an upload the API answered (never through GraphQL), as a browser does; the HTTP status.
pub async fn put_signed(upload: &Value, content_type: &str, body: Vec<u8>) -> u16 {
    reqwest::Client::new()
        .put(upload["uploadUrl"].as_str().expect("an upload URL"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the S3 server answers")
        .status()
        .as_u16()
}

/// A GraphQL subscription over WebSocket (`graphql-transport-ws`), as a browser or phone opens it.
pub struct Subscription {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

/// How long a test waits for a subscription's next message before failing.
pub const SUBSCRIPTION_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

impl Subscription {
    /// Connects to `ws_url`, sends the token in `connection_init` as clients do, and subscribes.
    pub async fn start(ws_url: &str, query: &str, variables: Value, token: Option<&str>) -> Self {
        use futures::SinkExt;
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = ws_url.into_client_request().expect("a WebSocket URL");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().expect("a header value"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket opens");
        let mut subscription = Self { socket };
        let payload = token.map_or(
            json!({}),
            |token| json!({"Authorization": format!("Bearer {token}")}),
        );
        subscription
            .send(json!({"type": "connection_init", "payload": payload}))
            .await;
        let ack = subscription.receive().await;
        assert_eq!(
            ack["type"], "connection_ack",
            "the server accepts the connection: {ack}"
        );
        let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}});
        subscription
            .socket
            .send(tokio_tungstenite::tungstenite::Message::text(
                subscribe.to_string(),
            ))
            .await
            .expect("subscribe");
        subscription
    }

    async fn send(&mut self, message: Value) {
        use futures::SinkExt;
        self.socket
            .send(tokio_tungstenite::tungstenite::Message::text(
                message.to_string(),
            ))
            .await
            .expect("the WebSocket takes the message");
    }

    /// The next protocol message, answering pings on the way.
    async fn receive(&mut self) -> Value {
        use futures::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        loop {
            let message = tokio::time::timeout(SUBSCRIPTION_WAIT, self.socket.next())
                .await
                .expect("a message in time")
                .expect("the WebSocket stays open")
                .expect("a readable message");
            let text = match message {
                Message::Text(text) => text,
                // The WebSocket's own keep-alive, which tungstenite answers itself.
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("a text message of the protocol, not {other:?}"),
            };
            let message: Value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("a JSON message, not {text:?}: {error}"));
            if message["type"] == "ping" {
                self.send(json!({"type": "pong"})).await;
                continue;
            }
            return message;
        }
    }

    /// The next result's payload (`{data}` or `{errors}`); an `error` message's errors are
    /// returned as `{errors}` too, so tests can check their codes.
    pub async fn next(&mut self) -> Value {
        let message = self.receive().await;
        match message["type"].as_str() {
            Some("next") => message["payload"].clone(),
            Some("error") => json!({"errors": message["payload"]}),
            Some("complete") => panic!("the subscription ended"),
            _ => panic!("a result of the subscription, not {message}"),
        }
    }
}
