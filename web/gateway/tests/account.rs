//! Signing in, as the header and the profile page show it, rendered natively with Yew's server
//! renderer in each state the session can be in.

use gateway::Shell;
use gateway::components::ProfileForm;
use gateway::hooks::SaveState;
use gateway::types::{Profile, ProfileDraft};
use makrx_web::graphql::{ApiError, FieldError, RequestError};
use makrx_web::session::{SessionState, SessionStatus, User};
use yew::prelude::*;

use makrx_web::testing::{render, render_at};

/// `content` as it shows to a visitor in `status` (without this, the session is not known yet).
fn with_session(status: SessionStatus, content: Html) -> Html {
    let state = SessionState {
        status,
        problem: None,
    };
    html! { <ContextProvider<SessionState> context={state}>{ content }</ContextProvider<SessionState>> }
}

/// Mel, signed in.
fn mel() -> SessionStatus {
    SessionStatus::SignedIn(User {
        id: "user-mel".into(),
        email: Some("member@makrx.dev".into()),
        display_name: "Mel Member".into(),
    })
}

fn profile() -> Profile {
    Profile {
        id: "user-mel".into(),
        display_name: "Mel Member".into(),
        email: Some("member@makrx.dev".into()),
        bio: "Laser cutting and lamps.".into(),
        avatar_url: String::new(),
    }
}

fn form(state: SaveState) -> Html {
    html! {
        <ProfileForm saved={profile()} draft={ProfileDraft::of(&profile())} {state}
            on_edit={Callback::noop()} on_save={Callback::noop()} />
    }
}

fn validation_error(details: &[(&str, &str)]) -> RequestError {
    RequestError::Api(vec![ApiError {
        message: "invalid input".into(),
        code: Some("VALIDATION_ERROR".into()),
        details: details
            .iter()
            .map(|(field, message)| FieldError {
                field: (*field).into(),
                message: (*message).into(),
            })
            .collect(),
    }])
}

/// The markup of the form field whose control is named `name`.
fn field<'a>(html: &'a str, name: &str) -> &'a str {
    html.split(r#"<div class="field"#)
        .find(|part| part.contains(&format!(r#"name="{name}""#)))
        .unwrap_or_else(|| panic!("no field {name} in {html}"))
}

#[tokio::test]
async fn a_visitor_who_is_not_signed_in_is_offered_to_sign_in() {
    let html = render(with_session(SessionStatus::SignedOut, html! { <Shell /> })).await;

    assert!(html.contains(">Sign in</button>"), "{html}");
    assert!(!html.contains("Sign out"), "{html}");
    assert!(!html.contains(r#"href="/profile""#), "{html}");
}

#[tokio::test]
async fn a_signed_in_visitor_sees_their_name_linking_to_their_profile_and_can_sign_out() {
    let html = render(with_session(mel(), html! { <Shell /> })).await;

    let account = &html[html.find(r#"class="account""#).expect("the account corner")..];
    assert!(account.contains(r#"href="/profile""#), "{html}");
    assert!(account.contains("Mel Member"), "{html}");
    assert!(account.contains(">Sign out</button>"), "{html}");
    assert!(!account.contains(">Sign in</button>"), "{html}");
}

#[tokio::test]
async fn while_the_session_is_not_known_the_header_shows_neither_button() {
    let html = render(html! { <Shell /> }).await;

    assert!(html.contains("account__pending"), "{html}");
    assert!(!html.contains("Sign in</button>"), "{html}");
    assert!(!html.contains("Sign out"), "{html}");
}

#[tokio::test]
async fn a_failed_sign_in_is_explained_under_the_header() {
    let html = render_at(
        "/?sign_in_error=denied",
        with_session(SessionStatus::SignedOut, html! { <Shell /> }),
    )
    .await;

    assert!(html.contains(r#"class="sign-in-problem""#), "{html}");
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("Signing in was cancelled"), "{html}");
    assert!(html.contains("Sign in again"), "{html}");
}

#[tokio::test]
async fn without_a_sign_in_error_there_is_no_band() {
    let html = render(with_session(SessionStatus::SignedOut, html! { <Shell /> })).await;

    assert!(!html.contains("sign-in-problem"), "{html}");
}

#[tokio::test]
async fn the_profile_page_asks_a_signed_out_visitor_to_sign_in_rather_than_failing() {
    let html = render_at(
        "/profile",
        with_session(SessionStatus::SignedOut, html! { <Shell /> }),
    )
    .await;

    assert!(html.contains("Sign in to see your profile"), "{html}");
    assert!(!html.contains(r#"role="alert""#), "{html}");
    assert!(!html.contains("profile-form"), "{html}");
}

#[tokio::test]
async fn the_profile_page_of_a_signed_in_visitor_starts_loading() {
    let html = render_at("/profile", with_session(mel(), html! { <Shell /> })).await;

    assert!(html.contains("Loading your profile…"), "{html}");
    assert!(!html.contains("Sign in to see your profile"), "{html}");
}

#[tokio::test]
async fn the_profile_form_shows_what_is_saved() {
    let html = render(form(SaveState::Editing)).await;

    assert!(html.contains(r#"value="Mel Member""#), "{html}");
    assert!(html.contains("Laser cutting and lamps."), "{html}");
    assert!(html.contains("member@makrx.dev"), "{html}");
    assert!(!html.contains("field__error"), "{html}");
    // Nothing typed yet, nothing to save.
    assert!(html.contains("disabled"), "{html}");
}

#[tokio::test]
async fn each_field_error_is_shown_next_to_its_own_field() {
    let error = validation_error(&[("avatarUrl", "must be an http(s) URL")]);

    let html = render(form(SaveState::Failed(error))).await;

    let avatar = field(&html, "avatarUrl");
    assert!(avatar.contains("must be an http(s) URL"), "{avatar}");
    assert!(avatar.contains(r#"aria-invalid="true""#), "{avatar}");
    assert!(
        avatar.contains(r#"aria-describedby="field-avatarUrl-error field-avatarUrl-hint""#),
        "{avatar}"
    );
    for other in ["displayName", "bio"] {
        let markup = field(&html, other);
        assert!(!markup.contains("field__error"), "{other}: {markup}");
        assert!(!markup.contains("aria-invalid"), "{other}: {markup}");
    }
}

#[tokio::test]
async fn errors_of_two_fields_go_to_both_and_no_further() {
    let error = validation_error(&[
        ("displayName", "must be at most 80 characters"),
        ("avatarUrl", "must be an http(s) URL"),
    ]);

    let html = render(form(SaveState::Failed(error))).await;

    assert!(field(&html, "displayName").contains("must be at most 80 characters"));
    assert!(!field(&html, "displayName").contains("http(s)"));
    assert!(field(&html, "avatarUrl").contains("must be an http(s) URL"));
    assert!(!field(&html, "bio").contains("field__error"));
}

#[tokio::test]
async fn a_failure_that_names_no_field_is_said_above_the_button() {
    let html = render(form(SaveState::Failed(RequestError::Network(
        "offline".into(),
    ))))
    .await;

    assert!(html.contains(r#"class="form-problem""#), "{html}");
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("MakrX could not be reached"), "{html}");
    assert!(!html.contains("field__error"), "{html}");
}

#[tokio::test]
async fn saving_shows_that_it_is_saving_and_then_that_it_saved() {
    let saving = render(form(SaveState::Saving)).await;
    let saved = render(form(SaveState::Saved)).await;

    assert!(saving.contains("Saving…"), "{saving}");
    assert!(saved.contains(">Saved</p>"), "{saved}");
}

#[tokio::test]
async fn a_profile_picture_is_shown_over_the_initial_that_stands_in_when_it_fails() {
    let saved = Profile {
        avatar_url: "https://example.org/mel.png".into(),
        ..profile()
    };
    let draft = ProfileDraft::of(&saved);

    let html = render(html! {
        <ProfileForm {saved} {draft} on_edit={Callback::noop()} on_save={Callback::noop()} />
    })
    .await;

    let head = &html[..html.find("profile-form__who").expect("the form's head")];
    assert!(head.contains(">M<img"), "{head}");
    assert!(
        head.contains(r#"src="https://example.org/mel.png""#),
        "{head}"
    );
}
