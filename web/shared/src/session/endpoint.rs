//! The session endpoints on the app's own origin, which the browser reaches with its HttpOnly
//! session cookie: `POST /auth/token` for a short-lived access token, `POST /auth/logout` to
//! end the session.

use serde::Deserialize;

use super::User;

/// Sent with every call: a page of another site cannot add it to a cross-site form post, so
/// the server knows the call comes from the app (it answers 403 without it).
const MARKER: (&str, &str) = ("X-MakrX-Session", "1");

/// An access token as `/auth/token` issues it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IssuedToken {
    /// For `Authorization: Bearer`; never logged, never stored beyond memory.
    pub(crate) access_token: String,
    /// RFC 3339.
    pub(crate) expires_at: String,
    /// Whose it is.
    pub(crate) user: User,
}

/// What `/auth/token` said.
pub(crate) enum TokenAnswer {
    /// Signed in: here is a token, with the server's `Date` when there was one.
    Issued {
        token: IssuedToken,
        server_date: Option<String>,
    },
    /// No session (never signed in, signed out, or it ended at the issuer).
    SignedOut,
    /// The endpoint could not be asked, or answered something unexpected.
    Failed(String),
}

/// Asks for an access token.
pub(crate) async fn ask_for_token() -> TokenAnswer {
    let response = match post("/auth/token").await {
        Ok(response) => response,
        Err(reason) => return TokenAnswer::Failed(reason),
    };
    let server_date = response.headers().get("date");
    let status = response.status();
    match response.text().await {
        Ok(body) => read_token_answer(status, &body, server_date),
        Err(err) => TokenAnswer::Failed(err.to_string()),
    }
}

/// Ends the session; returns the issuer's address that ends it there too.
pub(crate) async fn end_session() -> Result<String, String> {
    let response = post("/auth/logout").await?;
    let status = response.status();
    let body = response.text().await.map_err(|err| err.to_string())?;
    read_logout_answer(status, &body)
}

async fn post(path: &str) -> Result<gloo_net::http::Response, String> {
    gloo_net::http::Request::post(path)
        .header(MARKER.0, MARKER.1)
        .send()
        .await
        .map_err(|err| format!("{path}: {err}"))
}

/// Reads `/auth/token`'s answer.
pub(crate) fn read_token_answer(
    status: u16,
    body: &str,
    server_date: Option<String>,
) -> TokenAnswer {
    match status {
        200 => match serde_json::from_str(body) {
            Ok(token) => TokenAnswer::Issued { token, server_date },
            Err(err) => TokenAnswer::Failed(format!("/auth/token: an unreadable token: {err}")),
        },
        401 => TokenAnswer::SignedOut,
        status => TokenAnswer::Failed(format!("/auth/token answered {status}")),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogoutAnswer {
    end_session_url: String,
}

/// Reads `/auth/logout`'s answer: where to go to end the session at the issuer.
pub(crate) fn read_logout_answer(status: u16, body: &str) -> Result<String, String> {
    if status != 200 {
        return Err(format!("/auth/logout answered {status}"));
    }
    serde_json::from_str::<LogoutAnswer>(body)
        .map(|answer| answer.end_session_url)
        .map_err(|err| format!("/auth/logout: an unreadable answer: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_in_answer_carries_the_token_and_the_user() {
        let body = r#"{"accessToken": "eyJ.a.b", "expiresAt": "2026-11-26T02:05:00Z",
            "user": {"id": "u1", "email": "mel@makrx.dev", "displayName": "Mel Member"}}"#;

        let TokenAnswer::Issued { token, server_date } =
            read_token_answer(200, body, Some("Thu, 26 Nov 2026 02:00:00 GMT".into()))
        else {
            panic!("expected a token");
        };

        assert_eq!(token.access_token, "eyJ.a.b");
        assert_eq!(token.expires_at, "2026-11-26T02:05:00Z");
        assert_eq!(token.user.display_name, "Mel Member");
        assert_eq!(token.user.email.as_deref(), Some("mel@makrx.dev"));
        assert!(server_date.is_some());
    }

    #[test]
    fn unauthenticated_means_signed_out_rather_than_a_failure() {
        let answer = read_token_answer(401, r#"{"code":"UNAUTHENTICATED"}"#, None);

        assert!(matches!(answer, TokenAnswer::SignedOut));
    }

    #[test]
    fn a_refused_or_broken_answer_is_a_failure() {
        assert!(matches!(
            read_token_answer(403, "", None),
            TokenAnswer::Failed(_)
        ));
        assert!(matches!(
            read_token_answer(200, "<html>", None),
            TokenAnswer::Failed(_)
        ));
    }

    #[test]
    fn signing_out_leads_to_the_issuers_end_session_address() {
        let answer = read_logout_answer(
            200,
            r#"{"endSessionUrl": "http://127.0.0.1:4010/realms/makrx/logout?x=1"}"#,
        );

        assert_eq!(
            answer.as_deref(),
            Ok("http://127.0.0.1:4010/realms/makrx/logout?x=1")
        );
    }

    #[test]
    fn a_failed_sign_out_says_so() {
        assert!(read_logout_answer(500, "").is_err());
    }
}
