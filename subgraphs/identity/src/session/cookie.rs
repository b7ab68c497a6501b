//! The cookies of the web sign-in: `makrx_session`, which names a signed-in browser, and
//! `makrx_sign_in`, which ties a sign-in's return from the issuer to the browser that left.

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub use makrx_service::http::cookie;

use super::settings::WebOrigin;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "makrx_session";
/// The cookie that carries a sign-in's state from `/auth/login` to `/auth/callback`.
pub const SIGN_IN_COOKIE: &str = "makrx_sign_in";

/// How long a browser keeps the session cookie: as long as a session can last.
const SESSION_COOKIE_SECONDS: i64 = super::SESSION_LIFETIME_DAYS * 24 * 60 * 60;

/// A session cookie's secret value: 32 random bytes, base64url.
pub struct SessionSecret(String);

impl SessionSecret {
    /// A new random secret.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The secret a request's `makrx_session` cookie carries, if it carries a well-formed one.
    pub fn from_request(headers: &HeaderMap) -> Option<Self> {
        let value = cookie(headers, SESSION_COOKIE)?;
        let decoded = URL_SAFE_NO_PAD.decode(value).ok()?;
        (decoded.len() == 32).then(|| Self(value.to_owned()))
    }

    /// What the database keeps instead of the secret.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }

    /// The `Set-Cookie` value that gives a browser this session.
    pub fn set_cookie(&self, origin: &WebOrigin) -> String {
        format!(
            "{SESSION_COOKIE}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={SESSION_COOKIE_SECONDS}{}",
            self.0,
            secure(origin)
        )
    }
}

/// The `Set-Cookie` value that makes a browser forget its session.
pub fn clear_session(origin: &WebOrigin) -> String {
    format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}",
        secure(origin)
    )
}

/// The `Set-Cookie` value that remembers a sign-in's `state` until the issuer sends the
/// browser back (only to the callback, for as long as the sign-in may take).
pub fn remember_sign_in(state: &str, origin: &WebOrigin) -> String {
    format!(
        "{SIGN_IN_COOKIE}={state}; HttpOnly; SameSite=Lax; Path=/auth/callback; Max-Age={}{}",
        super::PENDING_SIGN_IN_MINUTES * 60,
        secure(origin)
    )
}

/// The `Set-Cookie` value that forgets a finished sign-in.
pub fn forget_sign_in(origin: &WebOrigin) -> String {
    format!(
        "{SIGN_IN_COOKIE}=; HttpOnly; SameSite=Lax; Path=/auth/callback; Max-Age=0{}",
        secure(origin)
    )
}

fn secure(origin: &WebOrigin) -> &'static str {
    if origin.is_https() { "; Secure" } else { "" }
}

#[cfg(test)]
mod tests {
    use axum::http::header::COOKIE;

    use super::*;

    fn origin(url: &str) -> WebOrigin {
        WebOrigin::parse(url).unwrap_or_else(|err| panic!("{err}"))
    }

    fn with_cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, value.parse().unwrap_or_else(|_| panic!("{value}")));
        headers
    }

    #[test]
    fn a_session_secret_comes_back_from_its_cookie_among_others() {
        let secret = SessionSecret::generate();
        let headers = with_cookie(&format!("theme=dark; {SESSION_COOKIE}={}; x=y", secret.0));
        let read = SessionSecret::from_request(&headers).expect("the session cookie");
        assert_eq!(read.hash(), secret.hash());
        assert_eq!(secret.hash().len(), 32);
    }

    #[test]
    fn a_malformed_session_cookie_is_no_session() {
        for value in ["makrx_session=short", "makrx_session=", "other=1"] {
            assert!(
                SessionSecret::from_request(&with_cookie(value)).is_none(),
                "{value}"
            );
        }
    }

    #[test]
    fn the_session_cookie_is_secure_only_over_https() {
        let secret = SessionSecret::generate();
        let plain = secret.set_cookie(&origin("http://127.0.0.1:8080"));
        assert!(
            plain.contains("; HttpOnly; SameSite=Lax; Path=/"),
            "{plain}"
        );
        assert!(!plain.contains("Secure"), "{plain}");
        assert!(
            secret
                .set_cookie(&origin("https://makrx.org"))
                .ends_with("; Secure")
        );
        assert!(clear_session(&origin("https://makrx.org")).contains("Max-Age=0"));
    }
}
