//! The addresses sign-in goes through: where to send the browser to sign in, where it comes
//! back to, and what `?sign_in_error=` on its return means.

/// The query parameter the server adds when sign-in did not work out.
pub const SIGN_IN_ERROR: &str = "sign_in_error";

/// Why a sign-in did not work out, as `?sign_in_error=` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInError {
    /// The person said no at the issuer's pages.
    Denied,
    /// The sign-in took too long.
    Expired,
    /// Anything else (and any code this build does not know).
    Failed,
}

impl SignInError {
    /// The error a page's query string (`a=1&sign_in_error=denied`, with or without its `?`)
    /// carries, if any.
    pub fn in_query(query: &str) -> Option<Self> {
        let code = pairs(query).find_map(|(key, value)| (key == SIGN_IN_ERROR).then_some(value))?;
        Some(match code {
            "denied" => Self::Denied,
            "expired" => Self::Expired,
            _ => Self::Failed,
        })
    }

    /// What happened, for people.
    pub fn message(self) -> &'static str {
        match self {
            Self::Denied => "Signing in was cancelled, so you are not signed in.",
            Self::Expired => "Signing in took too long and timed out. Please try again.",
            Self::Failed => "Signing in did not work. Please try again in a moment.",
        }
    }
}

/// The address that signs in and comes back to `return_to` (a path on this origin).
pub(crate) fn login_url(return_to: &str) -> String {
    format!("/auth/login?return_to={}", encode(return_to))
}

/// The page to come back to after signing in: this one, without a previous attempt's error.
pub(crate) fn return_path(path: &str, query: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && key_of(pair) != SIGN_IN_ERROR)
        .collect();
    let path = if path.starts_with('/') { path } else { "/" };
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn key_of(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(key, _)| key)
}

fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .trim_start_matches('?')
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// Percent-encodes a query value: everything but letters, digits, `-._~` and `/`, which a
/// path needs and a query value may carry as it is.
fn encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_in_comes_back_to_the_page_it_started_from() {
        assert_eq!(login_url("/profile"), "/auth/login?return_to=/profile");
    }

    #[test]
    fn a_return_address_with_a_query_is_encoded_whole() {
        assert_eq!(
            login_url("/spaces/demo space?tab=a&b=c"),
            "/auth/login?return_to=/spaces/demo%20space%3Ftab%3Da%26b%3Dc"
        );
    }

    #[test]
    fn the_return_address_drops_a_previous_sign_in_error() {
        assert_eq!(return_path("/", "?sign_in_error=denied"), "/");
        assert_eq!(
            return_path("/spaces/x", "?a=1&sign_in_error=failed&b=2"),
            "/spaces/x?a=1&b=2"
        );
    }

    #[test]
    fn the_return_address_is_always_a_path_on_this_origin() {
        assert_eq!(return_path("", ""), "/");
    }

    #[test]
    fn sign_in_errors_are_read_from_the_query() {
        assert_eq!(
            SignInError::in_query("?sign_in_error=denied"),
            Some(SignInError::Denied)
        );
        assert_eq!(
            SignInError::in_query("a=1&sign_in_error=expired"),
            Some(SignInError::Expired)
        );
        assert_eq!(
            SignInError::in_query("sign_in_error=something_new"),
            Some(SignInError::Failed)
        );
        assert_eq!(SignInError::in_query("?a=1"), None);
        assert_eq!(SignInError::in_query(""), None);
    }
}
