//! Run-time configuration: where the GraphQL endpoint is, and where this deployment serves each
//! app. It is read from `/config.json` when the app starts, never compiled in, so one build
//! serves every deployment; without that file the endpoint is the page's own origin at
//! `/graphql` and the apps are at `/`, `/makrcave/` and `/store/` on it, which is how the nginx
//! of compose.yaml serves them (`makrx up` answers `/config.json` with the apps it serves).

use std::cell::RefCell;
use std::rc::Rc;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use serde::Deserialize;

/// Where the app finds the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Queries and mutations go here (HTTP POST).
    pub graphql_url: String,
    /// Subscriptions go here (WebSocket, `graphql-transport-ws`).
    pub graphql_ws_url: String,
    /// Where each app is.
    pub sites: Sites,
}

/// Where this deployment serves each app (absolute, or a path on the page's origin, ending in
/// `/`); `None` for an app it does not serve, which the navigation then leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Sites {
    /// The gateway: the network, accounts and profiles.
    pub gateway: Option<String>,
    /// MakrCave: running a makerspace.
    pub makrcave: Option<String>,
    /// The store: parts, materials and fabrication.
    pub store: Option<String>,
}

impl Default for Sites {
    /// Every app on the page's origin.
    fn default() -> Self {
        Self {
            gateway: Some("/".into()),
            makrcave: Some("/makrcave/".into()),
            store: Some("/store/".into()),
        }
    }
}

/// `/config.json` as a deployment writes it; every field may be left out.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFile {
    /// Absolute, or a path on the page's origin such as `/graphql`.
    pub graphql_url: Option<String>,
    /// Absolute `ws(s)://` URL; by default the GraphQL URL with its scheme swapped.
    pub graphql_ws_url: Option<String>,
    /// The apps this deployment serves, and where; those left out are not served. Without it,
    /// every app on the page's origin.
    pub sites: Option<Sites>,
}

/// The path the router answers on when the config file does not say otherwise.
const DEFAULT_PATH: &str = "/graphql";

impl Config {
    /// Fills in what the file leaves out from the page's origin (`https://makrx.org`).
    pub fn resolve(file: &ConfigFile, origin: &str) -> Self {
        let graphql_url = absolute(file.graphql_url.as_deref().unwrap_or(DEFAULT_PATH), origin);
        let graphql_ws_url = match &file.graphql_ws_url {
            Some(url) => absolute(url, &websocket_url(origin)),
            None => websocket_url(&graphql_url),
        };
        let with_slash = |url: &String| format!("{}/", url.trim_end_matches('/'));
        let sites = file.sites.clone().unwrap_or_default();
        Self {
            graphql_url,
            graphql_ws_url,
            sites: Sites {
                gateway: sites.gateway.as_ref().map(with_slash),
                makrcave: sites.makrcave.as_ref().map(with_slash),
                store: sites.store.as_ref().map(with_slash),
            },
        }
    }
}

fn absolute(url: &str, origin: &str) -> String {
    if url.contains("://") {
        url.to_owned()
    } else {
        let origin = origin.trim_end_matches('/');
        let path = url.trim_start_matches('/');
        format!("{origin}/{path}")
    }
}

/// The WebSocket URL on the same host: `http` becomes `ws`, `https` becomes `wss`.
fn websocket_url(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = url.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        url.to_owned()
    }
}

thread_local! {
    // Every request waits on the same load, so the file is fetched once however many
    // components ask for it while it is in flight.
    static CONFIG: RefCell<Option<Shared<LocalBoxFuture<'static, Rc<Config>>>>> =
        const { RefCell::new(None) };
}

/// The app's configuration, loaded on first use.
pub async fn current() -> Rc<Config> {
    let load = CONFIG.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| load().boxed_local().shared())
            .clone()
    });
    load.await
}

async fn load() -> Rc<Config> {
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    let file = match fetch_file().await {
        Ok(file) => file,
        Err(reason) => {
            crate::console::warn(&format!("/config.json: {reason}; using the page's origin"));
            ConfigFile::default()
        }
    };
    Rc::new(Config::resolve(&file, &origin))
}

async fn fetch_file() -> Result<ConfigFile, String> {
    let response = gloo_net::http::Request::get("/config.json")
        // A deployment may change it without a rebuild: always ask.
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|err| err.to_string())?;
    match response.status() {
        // No file is the normal case: the API is on this origin.
        404 => Ok(ConfigFile::default()),
        200 => response.json().await.map_err(|err| err.to_string()),
        status => Err(format!("answered {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_file_the_api_is_on_the_pages_origin() {
        let config = Config::resolve(&ConfigFile::default(), "https://makrx.org");

        assert_eq!(config.graphql_url, "https://makrx.org/graphql");
        assert_eq!(config.graphql_ws_url, "wss://makrx.org/graphql");
    }

    #[test]
    fn a_plain_http_origin_gets_a_plain_websocket() {
        let config = Config::resolve(&ConfigFile::default(), "http://127.0.0.1:8080");

        assert_eq!(config.graphql_ws_url, "ws://127.0.0.1:8080/graphql");
    }

    #[test]
    fn a_path_in_the_file_is_taken_on_the_pages_origin() {
        let file: ConfigFile =
            serde_json::from_str(r#"{"graphqlUrl": "/api/graphql"}"#).expect("a valid config file");

        let config = Config::resolve(&file, "https://makrx.org/");

        assert_eq!(config.graphql_url, "https://makrx.org/api/graphql");
        assert_eq!(config.graphql_ws_url, "wss://makrx.org/api/graphql");
    }

    #[test]
    fn an_absolute_url_in_the_file_is_taken_as_it_is() {
        let file = ConfigFile {
            graphql_url: Some("https://api.makrx.org/graphql".into()),
            graphql_ws_url: Some("wss://live.makrx.org/graphql".into()),
            sites: None,
        };

        let config = Config::resolve(&file, "https://makrx.org");

        assert_eq!(config.graphql_url, "https://api.makrx.org/graphql");
        assert_eq!(config.graphql_ws_url, "wss://live.makrx.org/graphql");
    }

    #[test]
    fn without_a_file_every_app_is_on_the_pages_origin() {
        let config = Config::resolve(&ConfigFile::default(), "https://makrx.org");

        assert_eq!(config.sites, Sites::default());
    }

    #[test]
    fn the_file_names_the_apps_served_and_the_others_are_left_out() {
        let file: ConfigFile = serde_json::from_str(
            r#"{"sites": {"gateway": "/", "makrcave": "https://makrcave.com"}}"#,
        )
        .expect("a valid config file");

        let config = Config::resolve(&file, "https://makrx.org");

        assert_eq!(config.sites.gateway.as_deref(), Some("/"));
        assert_eq!(
            config.sites.makrcave.as_deref(),
            Some("https://makrcave.com/")
        );
        assert_eq!(config.sites.store, None);
    }
}
