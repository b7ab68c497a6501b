//! The pieces of a sign-in test: an OIDC server that knows the tests' web origins, identity
//! served at one of them, and a cookie-keeping client that walks the issuer's pages.

use std::net::TcpListener as StdListener;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::Utc;
use identity::{SignInSettings, WebOrigin, WebSignIn};
use makrx_service::{Auth, Clock};
use makrx_testkit::{Endpoint, Issuer, start_issuer};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Response, Url};
use serde_json::Value;
use sqlx::PgPool;

pub const ME: &str = "query { me { id email displayName } }";

/// How many tests of this file may serve identity at once: each takes one web origin that the
/// OIDC server was told about when it started.
pub const WEB_ORIGINS: usize = 16;

/// This file's OIDC server, whose `makrx-web` client may send browsers back to any of the
/// web origins held ready for the tests.
pub struct WebIssuer {
    pub issuer: Issuer,
    origins: Mutex<Vec<StdListener>>,
}

pub fn web_issuer() -> &'static WebIssuer {
    static ISSUER: OnceLock<WebIssuer> = OnceLock::new();
    ISSUER.get_or_init(|| {
        let listeners: Vec<StdListener> = (0..WEB_ORIGINS)
            .map(|_| StdListener::bind("127.0.0.1:0").expect("a free port"))
            .collect();
        let origins: Vec<String> = listeners
            .iter()
            .map(|listener| format!("http://{}", listener.local_addr().expect("its address")))
            .collect();
        let list = |path: &str| {
            origins
                .iter()
                .map(|origin| format!("{origin}{path}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let issuer = start_issuer(&[
            ("OIDC_WEB_REDIRECT_URIS", list("/auth/callback")),
            ("OIDC_WEB_POST_LOGOUT_REDIRECT_URIS", list("/")),
        ]);
        WebIssuer {
            issuer,
            origins: Mutex::new(listeners),
        }
    })
}

/// Identity serving `/auth` at a web origin, and a browser that visits it.
pub struct Site {
    pub origin: String,
    pub clock: Clock,
    pub jar: Arc<Jar>,
    pub browser: reqwest::Client,
    pub graphql: Endpoint,
}

pub async fn identity(db: &PgPool) -> Site {
    let web = web_issuer();
    let listener = web
        .origins
        .lock()
        .expect("the web origins")
        .pop()
        .expect("a web origin left (raise WEB_ORIGINS)");
    listener
        .set_nonblocking(true)
        .expect("a non-blocking listener");
    let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
    let addr = listener.local_addr().expect("its address");
    let origin = format!("http://{addr}");
    let clock = Clock::manual(Utc::now());
    let settings = SignInSettings::development(&web.issuer.url)
        .with_web_origin(WebOrigin::parse(&origin).expect("an origin"));
    let app = identity::app(
        db.clone(),
        Auth::new(&web.issuer.url, "makrx", db.clone()),
        WebSignIn::new(settings, clock.clone()),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let jar = Arc::new(Jar::default());
    Site {
        graphql: Endpoint::at(&format!("{origin}/graphql"), addr),
        browser: browser(&jar),
        jar,
        origin,
        clock,
    }
}

/// A client that keeps cookies, as a browser does, and shows every redirect to the test.
pub fn browser(jar: &Arc<Jar>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// What the issuer's pages may be asked to do.
#[derive(Clone, Copy, PartialEq)]
pub enum AtTheIssuer {
    Consent,
    Decline,
}

impl Site {
    pub fn with_fresh_browser(mut self) -> Self {
        self.jar = Arc::new(Jar::default());
        self.browser = browser(&self.jar);
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// `/auth/login`, returning identity's answer (a redirect to the issuer).
    pub async fn start_sign_in(&self, return_to: &str) -> Response {
        self.browser
            .get(self.url("/auth/login"))
            .query(&[("return_to", return_to)])
            .send()
            .await
            .expect("identity answers")
    }

    /// Goes through the issuer's pages from `authorize_url` as `email`, and returns the URL
    /// the issuer sends the browser back to (identity's callback).
    pub async fn at_the_issuer(
        &self,
        authorize_url: &str,
        email: &str,
        choice: AtTheIssuer,
    ) -> Url {
        let mut url = Url::parse(authorize_url).expect("a URL");
        let mut response = self
            .browser
            .get(url.clone())
            .send()
            .await
            .expect("the issuer answers");
        for _ in 0..12 {
            if let Some(location) = location(&response) {
                let next = url.join(location).expect("a redirect URL");
                if next.as_str().starts_with(&self.url("/auth/callback")) {
                    return next;
                }
                url = next;
                response = self
                    .browser
                    .get(url.clone())
                    .send()
                    .await
                    .expect("the issuer answers");
                continue;
            }
            let page = response.text().await.expect("a page");
            let form = if page.contains(r#"name="prompt" value="login""#) {
                vec![("prompt", "login"), ("login", email), ("password", "any")]
            } else if page.contains(r#"name="prompt" value="consent""#) {
                if choice == AtTheIssuer::Decline {
                    url = Url::parse(&format!("{}/abort", url.as_str().trim_end_matches('/')))
                        .expect("the abort URL");
                    response = self
                        .browser
                        .get(url.clone())
                        .send()
                        .await
                        .expect("the issuer answers");
                    continue;
                }
                vec![("prompt", "consent")]
            } else {
                panic!("unexpected page at {url}: {page}");
            };
            response = self
                .browser
                .post(url.clone())
                .form(&form)
                .send()
                .await
                .expect("the issuer answers");
        }
        panic!("the issuer did not send the browser back, stopped at {url}");
    }

    /// Starts a sign-in from `return_to`, goes through the issuer's pages as `email` and
    /// returns the URL the issuer sends the browser back to (identity's callback).
    pub async fn back_from_issuer(&self, return_to: &str, email: &str, choice: AtTheIssuer) -> Url {
        let to_issuer = self.start_sign_in(return_to).await;
        assert_eq!(
            to_issuer.status(),
            303,
            "identity sends the browser to the issuer"
        );
        let authorize = location(&to_issuer)
            .expect("the issuer's address")
            .to_owned();
        self.at_the_issuer(&authorize, email, choice).await
    }

    /// Signs `email` in from `return_to` and returns the callback's answer.
    pub async fn sign_in(&self, email: &str, return_to: &str) -> Response {
        let callback = self
            .back_from_issuer(return_to, email, AtTheIssuer::Consent)
            .await;
        self.browser
            .get(callback)
            .send()
            .await
            .expect("identity answers")
    }

    /// `POST` to an `/auth` endpoint as the app does.
    pub async fn app_post(&self, path: &str) -> Response {
        self.browser
            .post(self.url(path))
            .header("x-makrx-session", "1")
            .send()
            .await
            .expect("identity answers")
    }

    /// The app's access token, which must be handed out.
    pub async fn token(&self) -> Value {
        let response = self.app_post("/auth/token").await;
        assert_eq!(response.status(), 200, "a token for a signed-in browser");
        assert_eq!(header(&response, "cache-control"), "no-store");
        response.json().await.expect("JSON")
    }

    /// The `makrx_session` cookie the browser holds, if any.
    pub fn session_cookie(&self) -> Option<String> {
        let url = Url::parse(&self.origin).expect("a URL");
        let cookies = self.jar.cookies(&url)?;
        cookies
            .to_str()
            .expect("cookies in ASCII")
            .split("; ")
            .find_map(|pair| pair.strip_prefix("makrx_session="))
            .map(str::to_owned)
    }
}

/// Where `response` redirects to, if it does.
pub fn location(response: &Response) -> Option<&str> {
    let location = response.headers().get("location")?;
    Some(location.to_str().expect("a location in ASCII"))
}

/// The header `name` of `response`, which must have it.
pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("a {name} header in {:?}", response.headers()))
        .to_str()
        .expect("a header in ASCII")
}

pub fn set_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().expect("a cookie in ASCII").to_owned())
        .collect()
}

pub async fn refresh_token_of_the_session(db: &PgPool) -> String {
    sqlx::query_scalar::<_, Option<String>>("select refresh_token from shared.web_sessions")
        .fetch_one(db)
        .await
        .expect("one session")
        .expect("a refresh token (offline_access)")
}

/// Asks the issuer's token endpoint, as identity would, for new tokens with `refresh_token`.
pub async fn refresh_at_the_issuer(refresh_token: &str) -> reqwest::StatusCode {
    reqwest::Client::new()
        .post(format!(
            "{}/protocol/openid-connect/token",
            web_issuer().issuer.url
        ))
        .basic_auth("makrx-web", Some("makrx-web-dev-secret"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .expect("the issuer answers")
        .status()
}
