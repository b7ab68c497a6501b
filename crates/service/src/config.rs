//! Settings, read once from the environment into a typed struct at start-up.

use std::net::SocketAddr;

/// Every environment variable a subgraph reads; compose.yaml may set no other.
pub const SETTINGS: &[&str] = &[
    "LISTEN_ADDR",
    "DATABASE_URL",
    "REDIS_URL",
    "OIDC_ISSUER",
    "OIDC_AUDIENCE",
    // Read by identity alone, for the web apps' sign-in (identity::SignInSettings).
    "WEB_ORIGIN",
    "OIDC_WEB_CLIENT_ID",
    "OIDC_WEB_CLIENT_SECRET",
    // Read by the store alone, for card payments (store::StripeSettings).
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_API_BASE",
    "STRIPE_WEBHOOK_SECRET",
    // Read by the store alone, for product images (makrx_files::FileSettings).
    "S3_ENDPOINT",
    "S3_BUCKET",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "RUST_LOG",
    "LOG_FORMAT",
];

/// A subgraph's settings.
#[derive(Clone)]
pub struct Settings {
    pub listen_addr: SocketAddr,
    pub database_url: String,
    pub redis_url: Option<String>,
    pub oidc_issuer: String,
    pub oidc_audience: String,
    pub log_format: LogFormat,
}

/// How logs are written: JSON lines for machines, or readable text for a terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// A setting that is missing or malformed, named so the operator can fix it.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl Settings {
    /// Reads the settings from the environment; `default_listen` applies when `LISTEN_ADDR` is unset.
    pub fn from_env(default_listen: SocketAddr) -> Result<Self, SettingsError> {
        Self::from_lookup(default_listen, |name| std::env::var(name).ok())
    }

    fn from_lookup(
        default_listen: SocketAddr,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingsError> {
        let nonempty = |name: &str| get(name).filter(|value| !value.trim().is_empty());
        let listen_addr =
            match nonempty("LISTEN_ADDR") {
                Some(value) => value.parse().map_err(|err: std::net::AddrParseError| {
                    SettingsError::Invalid {
                        name: "LISTEN_ADDR",
                        reason: err.to_string(),
                    }
                })?,
                None => default_listen,
            };
        let log_format = match nonempty("LOG_FORMAT").as_deref() {
            None | Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                return Err(SettingsError::Invalid {
                    name: "LOG_FORMAT",
                    reason: format!("{other:?} is neither \"json\" nor \"pretty\""),
                });
            }
        };
        Ok(Self {
            listen_addr,
            database_url: nonempty("DATABASE_URL").ok_or(SettingsError::Missing("DATABASE_URL"))?,
            redis_url: nonempty("REDIS_URL"),
            oidc_issuer: nonempty("OIDC_ISSUER").ok_or(SettingsError::Missing("OIDC_ISSUER"))?,
            oidc_audience: nonempty("OIDC_AUDIENCE").unwrap_or_else(|| "makrx".into()),
            log_format,
        })
    }
}

/// Sets up logging: JSON lines (with the request id of each span) unless told otherwise.
pub fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second call (several subgraphs in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup("127.0.0.1:4001".parse().expect("address"), |name| {
            vars.get(name).cloned()
        })
    }

    #[test]
    fn a_missing_database_url_is_named() {
        let err = settings(&[("OIDC_ISSUER", "http://issuer")])
            .err()
            .expect("an error");
        assert_eq!(err.to_string(), "DATABASE_URL is not set");
    }

    #[test]
    fn a_malformed_listen_address_is_named() {
        let err = settings(&[
            ("DATABASE_URL", "postgres://x"),
            ("OIDC_ISSUER", "i"),
            ("LISTEN_ADDR", "nope"),
        ])
        .err()
        .expect("an error");
        assert!(
            err.to_string().starts_with("LISTEN_ADDR is not valid"),
            "{err}"
        );
    }

    #[test]
    fn defaults_apply_when_optional_settings_are_absent() {
        let s = settings(&[
            ("DATABASE_URL", "postgres://x"),
            ("OIDC_ISSUER", "http://issuer"),
            ("REDIS_URL", " "),
        ])
        .expect("settings");
        assert_eq!(s.listen_addr.port(), 4001);
        assert_eq!(s.oidc_audience, "makrx");
        assert_eq!(s.log_format, LogFormat::Json);
        assert!(s.redis_url.is_none(), "a blank REDIS_URL means none");
    }
}
