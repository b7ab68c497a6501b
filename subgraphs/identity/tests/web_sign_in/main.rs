//! Signing in to the web apps through identity's `/auth/*`, driven as a browser drives it:
//! identity's redirect to the development OIDC server, its login and consent pages, the way
//! back with a code, the session cookie, and the app's token requests. Time moves on the
//! service's clock, never by sleeping.

mod site;

use std::net::TcpListener as StdListener;

use chrono::Duration;
use identity::WebSignIn;
use makrx_service::Auth;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, unique_email};
use reqwest::Url;
use serde_json::{Value, json};
use sqlx::PgPool;

use site::{
    AtTheIssuer, ME, header, identity, location, refresh_at_the_issuer,
    refresh_token_of_the_session, set_cookies, web_issuer,
};

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_browser_signs_in_gets_working_tokens_refreshes_and_signs_out(db: PgPool) {
    let site = identity(&db).await;
    let email = unique_email("ada");
    let mut seen = String::new();

    // Sign in: back where the browser started, with an HttpOnly session cookie.
    let back = site.sign_in(&email, "/spaces/demo?tab=machines").await;
    assert_eq!(back.status(), 303);
    assert_eq!(location(&back), Some("/spaces/demo?tab=machines"));
    assert_eq!(header(&back, "cache-control"), "no-store");
    let cookies = set_cookies(&back);
    let session = cookies
        .iter()
        .find(|cookie| cookie.starts_with("makrx_session="))
        .expect("a session cookie");
    assert!(
        session.ends_with("; HttpOnly; SameSite=Lax; Path=/; Max-Age=2592000"),
        "{session}"
    );
    assert!(
        !session.contains("Secure"),
        "not over plain http: {session}"
    );
    let secret = site.session_cookie().expect("the browser keeps it");
    assert_eq!(secret.len(), 43, "32 random bytes, base64url");
    let stored: Vec<u8> = sqlx::query_scalar("select cookie_hash from shared.web_sessions")
        .fetch_one(&db)
        .await
        .expect("one session");
    assert_ne!(
        stored,
        secret.as_bytes(),
        "only a hash of the cookie is kept"
    );
    seen.push_str(&format!("{:?}", back.headers()));

    // The app's token works on the API and names the person who signed in.
    let first = site.token().await;
    seen.push_str(&first.to_string());
    let access = first["accessToken"].as_str().expect("an access token");
    let me = site.graphql.data(ME, json!({}), Some(access)).await;
    assert_eq!(me["me"]["email"], email.as_str());
    assert_eq!(first["user"]["id"], me["me"]["id"]);
    assert_eq!(first["user"]["email"], email.as_str());
    assert_eq!(first["user"]["displayName"], me["me"]["displayName"]);
    let expires_at =
        chrono::DateTime::parse_from_rfc3339(first["expiresAt"].as_str().expect("a time"))
            .expect("RFC 3339");
    assert!(expires_at > site.clock.now() + Duration::minutes(4));

    // Asked again at once, the same token; with less than a minute left, a new one.
    assert_eq!(site.token().await["accessToken"], first["accessToken"]);
    site.clock.advance(Duration::seconds(250));
    let refreshed = site.token().await;
    seen.push_str(&refreshed.to_string());
    let renewed = refreshed["accessToken"].as_str().expect("an access token");
    assert_ne!(renewed, access, "a refreshed token");
    let me_again = site.graphql.data(ME, json!({}), Some(renewed)).await;
    assert_eq!(me_again["me"]["id"], me["me"]["id"]);

    // Sign out: the session ends here and at the issuer.
    let refresh_token = refresh_token_of_the_session(&db).await;
    let signed_out = site.app_post("/auth/logout").await;
    assert_eq!(signed_out.status(), 200);
    assert_eq!(header(&signed_out, "cache-control"), "no-store");
    assert!(
        set_cookies(&signed_out)
            .iter()
            .any(|cookie| cookie.starts_with("makrx_session=;") && cookie.contains("Max-Age=0")),
        "the cookie is cleared"
    );
    let body: Value = signed_out.json().await.expect("JSON");
    seen.push_str(&body.to_string());
    let end_session = Url::parse(body["endSessionUrl"].as_str().expect("a URL")).expect("a URL");
    assert_eq!(
        end_session.as_str().split('?').next(),
        Some(format!("{}/protocol/openid-connect/logout", web_issuer().issuer.url).as_str())
    );
    let query: std::collections::HashMap<_, _> = end_session.query_pairs().into_owned().collect();
    assert_eq!(query["post_logout_redirect_uri"], site.url("/"));
    assert_eq!(query["client_id"], "makrx-web");
    assert!(
        query["id_token_hint"].split('.').count() == 3,
        "an ID token as the hint"
    );
    assert!(
        site.session_cookie().is_none(),
        "the browser forgot the cookie"
    );
    let after = site
        .browser
        .post(site.url("/auth/token"))
        .header("x-makrx-session", "1")
        .header("cookie", format!("makrx_session={secret}"))
        .send()
        .await
        .expect("identity answers");
    assert_eq!(after.status(), 401);
    assert_eq!(
        after.json::<Value>().await.expect("JSON"),
        json!({"code": "UNAUTHENTICATED"})
    );
    assert_eq!(
        refresh_at_the_issuer(&refresh_token).await,
        400,
        "the refresh token was revoked at the issuer"
    );
    assert!(
        !seen.contains(&refresh_token),
        "no refresh token ever reaches the browser"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_replayed_sign_in_is_refused_even_with_its_cookie(db: PgPool) {
    let site = identity(&db).await;
    let callback = site
        .back_from_issuer("/", &unique_email("eve"), AtTheIssuer::Consent)
        .await;
    let state = callback
        .query_pairs()
        .find(|(name, _)| name == "state")
        .map(|(_, value)| value.into_owned())
        .expect("a state");
    let first = site
        .browser
        .get(callback.clone())
        .send()
        .await
        .expect("an answer");
    assert_eq!(location(&first), Some("/"));

    let replayed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .get(callback)
        .header("cookie", format!("makrx_sign_in={state}"))
        .send()
        .await
        .expect("an answer");

    assert_eq!(replayed.status(), 303);
    assert_eq!(location(&replayed), Some("/?sign_in_error=expired"));
    assert!(
        !set_cookies(&replayed)
            .iter()
            .any(|cookie| cookie.starts_with("makrx_session=")
                && !cookie.starts_with("makrx_session=;")),
        "no session for a replay"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_callback_from_another_browser_is_refused(db: PgPool) {
    let site = identity(&db).await;
    let callback = site
        .back_from_issuer("/", &unique_email("mallory"), AtTheIssuer::Consent)
        .await;

    let victim = site.with_fresh_browser();
    let answer = victim
        .browser
        .get(callback)
        .send()
        .await
        .expect("an answer");

    assert_eq!(location(&answer), Some("/?sign_in_error=expired"));
    assert!(victim.session_cookie().is_none());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_return_address_on_another_site_becomes_the_front_page(db: PgPool) {
    let site = identity(&db).await;

    let back = site.sign_in(&unique_email("bob"), "//evil.example").await;

    assert_eq!(back.status(), 303);
    assert_eq!(location(&back), Some("/"));
    assert!(site.session_cookie().is_some(), "signed in all the same");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn token_and_logout_without_the_app_header_are_forbidden(db: PgPool) {
    let site = identity(&db).await;
    site.sign_in(&unique_email("carol"), "/").await;

    for path in ["/auth/token", "/auth/logout"] {
        let response = site
            .browser
            .post(site.url(path))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 403, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store");
        assert_eq!(
            response.json::<Value>().await.expect("JSON"),
            json!({"code": "FORBIDDEN"})
        );
    }
    assert!(site.session_cookie().is_some(), "the session is untouched");
    site.token().await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn without_a_session_the_token_is_refused_and_logout_still_leads_to_the_issuer(db: PgPool) {
    let site = identity(&db).await;

    let token = site.app_post("/auth/token").await;
    let logout = site.app_post("/auth/logout").await;

    assert_eq!(token.status(), 401);
    assert!(set_cookies(&token)[0].starts_with("makrx_session=;"));
    assert_eq!(
        token.json::<Value>().await.expect("JSON"),
        json!({"code": "UNAUTHENTICATED"})
    );
    assert_eq!(logout.status(), 200);
    let body: Value = logout.json().await.expect("JSON");
    let url = body["endSessionUrl"].as_str().expect("a URL");
    assert!(url.contains("post_logout_redirect_uri="), "{url}");
    assert!(!url.contains("id_token_hint"), "{url}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn declining_at_the_issuer_lands_on_the_front_page_with_the_reason(db: PgPool) {
    let site = identity(&db).await;
    let callback = site
        .back_from_issuer("/profile", &unique_email("dan"), AtTheIssuer::Decline)
        .await;
    let answer = site.browser.get(callback).send().await.expect("an answer");

    assert_eq!(answer.status(), 303);
    assert_eq!(location(&answer), Some("/?sign_in_error=denied"));
    assert!(site.session_cookie().is_none());
    let pending: i64 = sqlx::query_scalar("select count(*) from shared.pending_sign_ins")
        .fetch_one(&db)
        .await
        .expect("a count");
    assert_eq!(pending, 0, "the declined sign-in is used up");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_error_from_the_issuer_never_shows_its_text(db: PgPool) {
    let site = identity(&db).await;

    let answer = site
        .browser
        .get(site.url("/auth/callback"))
        .query(&[
            ("error", "server_error"),
            ("error_description", "db exploded"),
            ("state", "x"),
        ])
        .send()
        .await
        .expect("an answer");

    assert_eq!(location(&answer), Some("/?sign_in_error=failed"));
    assert_eq!(answer.text().await.expect("a body"), "");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_sign_in_left_at_the_issuer_for_over_ten_minutes_is_expired(db: PgPool) {
    let site = identity(&db).await;
    let callback = site
        .back_from_issuer("/", &unique_email("slow"), AtTheIssuer::Consent)
        .await;

    site.clock.advance(Duration::minutes(11));
    let answer = site.browser.get(callback).send().await.expect("an answer");

    assert_eq!(location(&answer), Some("/?sign_in_error=expired"));
    assert!(site.session_cookie().is_none());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn two_token_requests_at_once_refresh_the_session_once(db: PgPool) {
    let site = identity(&db).await;
    site.sign_in(&unique_email("twin"), "/").await;
    let before = site.token().await;
    site.clock.advance(Duration::seconds(250));

    let (one, two) = tokio::join!(site.token(), site.token());

    assert_ne!(one["accessToken"], before["accessToken"]);
    assert_eq!(
        one["accessToken"], two["accessToken"],
        "the second request waited and took the first one's refresh"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_refresh_the_issuer_refuses_ends_the_session(db: PgPool) {
    let site = identity(&db).await;
    site.sign_in(&unique_email("revoked"), "/").await;
    let refresh_token = refresh_token_of_the_session(&db).await;
    let revoked = reqwest::Client::new()
        .post(format!(
            "{}/protocol/openid-connect/revoke",
            web_issuer().issuer.url
        ))
        .basic_auth("makrx-web", Some("makrx-web-dev-secret"))
        .form(&[("token", refresh_token.as_str())])
        .send()
        .await
        .expect("the issuer answers");
    assert!(revoked.status().is_success());
    site.clock.advance(Duration::seconds(250));

    let response = site.app_post("/auth/token").await;

    assert_eq!(response.status(), 401);
    assert!(site.session_cookie().is_none(), "the cookie is cleared");
    let sessions: i64 = sqlx::query_scalar("select count(*) from shared.web_sessions")
        .fetch_one(&db)
        .await
        .expect("a count");
    assert_eq!(sessions, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_session_unused_for_two_weeks_has_ended(db: PgPool) {
    let site = identity(&db).await;
    site.sign_in(&unique_email("away"), "/").await;

    site.clock.advance(Duration::days(15));
    let response = site.app_post("/auth/token").await;

    assert_eq!(response.status(), 401);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_session_in_daily_use_still_ends_after_thirty_days(db: PgPool) {
    let site = identity(&db).await;
    site.sign_in(&unique_email("daily"), "/").await;

    site.clock.advance(Duration::days(13));
    site.token().await;
    site.clock.advance(Duration::days(13));
    site.token().await;
    site.clock.advance(Duration::days(5));
    let response = site.app_post("/auth/token").await;

    assert_eq!(response.status(), 401);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn identity_starts_and_serves_while_the_issuer_is_down(db: PgPool) {
    let closed = StdListener::bind("127.0.0.1:0").expect("a free port");
    let nowhere = format!(
        "http://{}/realms/makrx",
        closed.local_addr().expect("its address")
    );
    drop(closed);
    let app = identity::app(
        db.clone(),
        Auth::new(&nowhere, "makrx", db.clone()),
        WebSignIn::development(&nowhere),
    );
    let api = Endpoint::serve(app).await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");

    let login = browser
        .get(format!("http://{}/auth/login", api.addr))
        .send()
        .await
        .expect("an answer");
    let anonymous = api.send("{ __typename }", json!({}), None).await;

    assert_eq!(login.status(), 303);
    assert_eq!(location(&login), Some("/?sign_in_error=unavailable"));
    assert_eq!(anonymous["data"]["__typename"], "Query");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn signing_in_again_ends_the_browsers_previous_session(db: PgPool) {
    let site = identity(&db).await;
    site.sign_in(&unique_email("again"), "/").await;

    site.sign_in(&unique_email("again-other"), "/").await;

    let sessions: i64 = sqlx::query_scalar("select count(*) from shared.web_sessions")
        .fetch_one(&db)
        .await
        .expect("a count");
    assert_eq!(sessions, 1);
}
