//! What the web sign-in needs to know besides the issuer: where the web apps live and who
//! they are at the issuer.

use makrx_service::config::SettingsError;
use reqwest::Url;

/// The web apps' origin unless `WEB_ORIGIN` says otherwise (`makrx up` serves them there).
pub const DEFAULT_WEB_ORIGIN: &str = "http://127.0.0.1:8080";
/// The web apps' client at the issuer unless `OIDC_WEB_CLIENT_ID` says otherwise.
pub const DEFAULT_WEB_CLIENT_ID: &str = "makrx-web";
/// The development OIDC server's secret for `makrx-web` (dev/oidc-server.mjs); used only when
/// the issuer runs on this machine, so a real issuer never meets a published secret.
pub const DEVELOPMENT_WEB_CLIENT_SECRET: &str = "makrx-web-dev-secret";

/// The web sign-in's settings. Not `Debug`: it holds the client secret, never to be logged.
#[derive(Clone)]
pub struct SignInSettings {
    /// The issuer's URL (`OIDC_ISSUER`).
    pub issuer: String,
    /// Where the web apps are served, `/auth` included: `scheme://host[:port]`, no path.
    pub web_origin: WebOrigin,
    pub client_id: String,
    pub client_secret: String,
}

impl SignInSettings {
    /// Reads `WEB_ORIGIN`, `OIDC_WEB_CLIENT_ID` and `OIDC_WEB_CLIENT_SECRET` for `issuer`.
    pub fn from_env(issuer: &str) -> Result<Self, SettingsError> {
        Self::from_lookup(issuer, |name| std::env::var(name).ok())
    }

    /// The settings of a development machine: the defaults, against `issuer`.
    pub fn development(issuer: &str) -> Self {
        Self {
            issuer: issuer.into(),
            web_origin: WebOrigin::parse(DEFAULT_WEB_ORIGIN).unwrap_or_else(|_| unreachable!()),
            client_id: DEFAULT_WEB_CLIENT_ID.into(),
            client_secret: DEVELOPMENT_WEB_CLIENT_SECRET.into(),
        }
    }

    /// The same settings for apps served at `web_origin`.
    pub fn with_web_origin(self, web_origin: WebOrigin) -> Self {
        Self { web_origin, ..self }
    }

    fn from_lookup(
        issuer: &str,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingsError> {
        let nonempty = |name: &str| get(name).filter(|value| !value.trim().is_empty());
        let web_origin = match nonempty("WEB_ORIGIN") {
            Some(origin) => {
                WebOrigin::parse(origin.trim()).map_err(|reason| SettingsError::Invalid {
                    name: "WEB_ORIGIN",
                    reason,
                })?
            }
            None => WebOrigin::parse(DEFAULT_WEB_ORIGIN).unwrap_or_else(|_| unreachable!()),
        };
        let client_secret = match nonempty("OIDC_WEB_CLIENT_SECRET") {
            Some(secret) => secret,
            None if runs_on_this_machine(issuer) => DEVELOPMENT_WEB_CLIENT_SECRET.into(),
            None => return Err(SettingsError::Missing("OIDC_WEB_CLIENT_SECRET")),
        };
        Ok(Self {
            issuer: issuer.into(),
            web_origin,
            client_id: nonempty("OIDC_WEB_CLIENT_ID")
                .unwrap_or_else(|| DEFAULT_WEB_CLIENT_ID.into()),
            client_secret,
        })
    }
}

/// Whether `issuer` is on a loopback address, as the development OIDC server is.
fn runs_on_this_machine(issuer: &str) -> bool {
    let Ok(url) = Url::parse(issuer) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The origin the web apps are served from, e.g. `https://makrx.org`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebOrigin(String);

impl WebOrigin {
    /// Parses `scheme://host[:port]` (a trailing `/` is allowed); http or https only.
    pub fn parse(origin: &str) -> Result<Self, String> {
        let url = Url::parse(origin).map_err(|err| format!("{origin:?} is not a URL: {err}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("{origin:?} must be http or https"));
        }
        if url.host().is_none()
            || url.path() != "/"
            || url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
        {
            return Err(format!("{origin:?} must be just scheme://host[:port]"));
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    /// `path` (starting with `/`) at this origin.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// Whether browsers reach the apps over TLS, so cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(issuer: &str, vars: &[(&str, &str)]) -> Result<SignInSettings, SettingsError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SignInSettings::from_lookup(issuer, |name| vars.get(name).cloned())
    }

    #[test]
    fn the_development_server_needs_no_settings() {
        let s = settings("http://127.0.0.1:4010/realms/makrx", &[]).expect("settings");
        assert_eq!(
            s.web_origin.url("/auth/callback"),
            "http://127.0.0.1:8080/auth/callback"
        );
        assert_eq!(s.client_id, "makrx-web");
        assert_eq!(s.client_secret, DEVELOPMENT_WEB_CLIENT_SECRET);
    }

    #[test]
    fn a_real_issuer_needs_the_client_secret() {
        let Err(err) = settings("https://id.makrx.org/realms/makrx", &[]) else {
            panic!("an error");
        };
        assert_eq!(err.to_string(), "OIDC_WEB_CLIENT_SECRET is not set");
        let s = settings(
            "https://id.makrx.org/realms/makrx",
            &[
                ("OIDC_WEB_CLIENT_SECRET", "s3cret"),
                ("WEB_ORIGIN", "https://makrx.org/"),
            ],
        )
        .expect("settings");
        assert_eq!(s.client_secret, "s3cret");
        assert!(s.web_origin.is_https());
        assert_eq!(s.web_origin.url("/"), "https://makrx.org/");
    }

    #[test]
    fn a_web_origin_with_a_path_is_refused_by_name() {
        for bad in [
            "https://makrx.org/app",
            "ftp://makrx.org",
            "makrx.org",
            "http://a@b.org",
        ] {
            let Err(err) = settings("http://localhost:4010", &[("WEB_ORIGIN", bad)]) else {
                panic!("an error");
            };
            assert!(
                err.to_string().starts_with("WEB_ORIGIN is not valid"),
                "{bad}: {err}"
            );
        }
    }
}
