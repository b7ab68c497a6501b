//! The community hub and makers' profiles, rendered natively with Yew's server renderer in each
//! state they can be in. Effects do not run on the server, so nothing here fetches: the pages'
//! data is given as the services read it from the API (their own tests read canned answers), and
//! the API's answers stand for the errors.

use gateway::Shell;
use gateway::components::{MakerProfile, ProjectList, ProjectSearch};
use gateway::hooks::MoreState;
use gateway::types::{Day, Hub, Maker, Paged, ProjectSummary, SpaceOfMaker};
use makrx_web::graphql::{RequestError, decode};
use makrx_web::remote::Remote;
use yew::prelude::*;

use makrx_web::testing::{render, render_at};

fn day(date: &str) -> Day {
    Day::parse(date).expect("a date")
}

fn project(id: &str, title: &str) -> ProjectSummary {
    ProjectSummary {
        id: id.into(),
        title: title.into(),
        excerpt: format!("How the {title} was made."),
        tags: vec!["plywood".into(), "lighting".into()],
        owner_id: "user-mel".into(),
        owner_name: "Mel Member".into(),
        created: day("2026-03-07T10:00:00Z"),
    }
}

fn hub(list: Remote<Hub>, search: &str, more: MoreState) -> Html {
    html! {
        <ProjectList {list} search={search.to_owned()} {more}
            on_retry={Callback::noop()} on_more={Callback::noop()} />
    }
}

fn mel() -> Maker {
    Maker {
        display_name: "Mel Member".into(),
        avatar_url: String::new(),
        bio: "Laser cutting and lamps.".into(),
        member_since: day("2025-11-02T08:00:00Z"),
        projects: vec![project("lamp", "Desk lamp")],
        spaces: vec![SpaceOfMaker {
            name: "Garage Lab".into(),
            slug: "garage-lab".into(),
            location: "Bengaluru".into(),
        }],
    }
}

fn profile(maker: Remote<Maker>) -> Html {
    html! { <MakerProfile {maker} on_retry={Callback::noop()} /> }
}

/// What the API answers for `user(id:)` with `code`, read as the pages read every answer.
fn api_refusal(message: &str, code: &str, details: &str) -> RequestError {
    let answer = format!(
        r#"{{"data": null, "errors": [{{"message": "{message}", "path": ["user"],
            "extensions": {{"code": "{code}", "details": {details}}}}}]}}"#
    );
    decode::<()>(200, &answer).expect_err("a refusal")
}

#[tokio::test]
async fn the_hub_shows_each_project_linking_to_makrcave_and_to_its_owner() {
    let list = Hub {
        projects: vec![project("lamp", "Desk lamp"), project("stool", "Stool")],
        next_page: None,
    };

    let html = render(hub(Remote::Ready(list), "", MoreState::Idle)).await;

    assert!(html.contains(r#"href="/makrcave/projects/lamp""#), "{html}");
    assert!(
        html.contains(r#"href="/makrcave/projects/stool""#),
        "{html}"
    );
    assert!(
        html.contains(r#"<h2 class="project-card__title">"#),
        "{html}"
    );
    assert!(html.contains("How the Desk lamp was made."), "{html}");
    assert!(html.contains(r#"<li class="tag">plywood</li>"#), "{html}");
    assert_eq!(
        html.matches(r#"href="/makers/user-mel""#).count(),
        2,
        "{html}"
    );
    assert!(html.contains(">Mel Member</a>"), "{html}");
    assert!(
        html.contains(r#"<time datetime="2026-03-07">7 Mar 2026</time>"#),
        "{html}"
    );
    assert!(!html.contains("More projects"), "{html}");
}

#[tokio::test]
async fn an_empty_hub_says_no_project_is_public_yet() {
    let html = render(hub(Remote::Ready(Hub::default()), "", MoreState::Idle)).await;

    assert!(html.contains("No public projects yet"), "{html}");
    assert!(!html.contains("project-card"), "{html}");
    assert!(!html.contains("alert"), "{html}");
}

#[tokio::test]
async fn a_search_that_matches_nothing_says_what_was_searched_for() {
    let html = render(hub(Remote::Ready(Hub::default()), "lamp", MoreState::Idle)).await;

    assert!(html.contains("No projects match “lamp”"), "{html}");
    assert!(!html.contains("No public projects yet"), "{html}");
}

#[tokio::test]
async fn the_search_box_is_labelled_and_keeps_what_was_searched_for() {
    let html =
        render(html! { <ProjectSearch search="desk lamp" on_search={Callback::noop()} /> }).await;

    assert!(html.contains(r#"role="search""#), "{html}");
    assert!(html.contains(r#"for="field-search""#), "{html}");
    assert!(html.contains(">Search projects</label>"), "{html}");
    assert!(html.contains(r#"id="field-search""#), "{html}");
    assert!(html.contains(r#"value="desk lamp""#), "{html}");
    assert!(html.contains(r#"type="submit""#), "{html}");
}

#[tokio::test]
async fn a_loading_hub_shows_placeholders_and_says_it_is_loading() {
    let html = render(hub(Remote::Loading, "", MoreState::Idle)).await;

    assert!(html.contains(r#"aria-busy="true""#), "{html}");
    assert_eq!(
        html.matches("project-card--placeholder").count(),
        3,
        "{html}"
    );
    assert!(html.contains("Loading projects…"), "{html}");
}

#[tokio::test]
async fn a_failed_hub_says_why_and_offers_to_try_again() {
    let failed = Remote::Failed(RequestError::Network("connection refused".into()));

    let html = render(hub(failed, "", MoreState::Idle)).await;

    assert!(html.contains("The projects could not be loaded"), "{html}");
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("Try again"), "{html}");
}

#[tokio::test]
async fn a_hub_with_more_projects_offers_them_and_says_while_they_load() {
    let list = Hub {
        projects: vec![project("lamp", "Desk lamp")],
        next_page: Some("cursor-lamp".into()),
    };

    let idle = render(hub(Remote::Ready(list.clone()), "", MoreState::Idle)).await;
    let loading = render(hub(Remote::Ready(list.clone()), "", MoreState::Loading)).await;
    let failed = render(hub(
        Remote::Ready(list),
        "",
        MoreState::Failed(RequestError::Status(502)),
    ))
    .await;

    assert!(idle.contains(">More projects</button>"), "{idle}");
    assert!(loading.contains("Loading…"), "{loading}");
    assert!(loading.contains("disabled"), "{loading}");
    assert!(failed.contains("More could not be loaded"), "{failed}");
    // What was shown stays while more loads, and when loading more failed.
    assert!(loading.contains("Desk lamp") && failed.contains("Desk lamp"));
}

#[tokio::test]
async fn more_projects_are_appended_after_those_shown() {
    let first = Hub {
        projects: vec![project("lamp", "Desk lamp")],
        next_page: Some("cursor-lamp".into()),
    };
    let next = Hub {
        projects: vec![project("stool", "Stool")],
        next_page: None,
    };

    let both = first.followed_by(next);
    let html = render(hub(Remote::Ready(both.clone()), "", MoreState::Idle)).await;

    assert_eq!(both.next_cursor(), None);
    let lamp = html.find("projects/lamp").expect("the lamp");
    let stool = html.find("projects/stool").expect("the stool");
    assert!(lamp < stool, "{html}");
    assert!(!html.contains("More projects"), "{html}");
}

#[tokio::test]
async fn the_hub_page_starts_loading_inside_the_layout() {
    let html = render_at("/projects", html! { <Shell /> }).await;

    assert!(
        html.contains(r#"<h1 class="hub__title">Projects</h1>"#),
        "{html}"
    );
    assert!(html.contains("Search projects"), "{html}");
    assert!(html.contains("Loading projects…"), "{html}");
}

#[tokio::test]
async fn the_landing_page_leads_to_the_hub() {
    let html = render_at("/", html! { <Shell /> }).await;

    assert!(html.contains(r#"href="/projects""#), "{html}");
    assert!(html.contains("See what makers are building"), "{html}");
}

#[tokio::test]
async fn a_profile_shows_the_maker_their_projects_and_their_spaces() {
    let html = render(profile(Remote::Ready(mel()))).await;

    assert!(
        html.contains(r#"<h1 class="maker__name">Mel Member</h1>"#),
        "{html}"
    );
    assert!(html.contains("Laser cutting and lamps."), "{html}");
    assert!(html.contains("Member since November 2025"), "{html}");
    // The initial stands in for a picture they have not given.
    assert!(html.contains(r#"class="avatar">M</span>"#), "{html}");
    assert!(html.contains(r#"href="/makrcave/projects/lamp""#), "{html}");
    assert!(
        html.contains(r#"<h3 class="project-card__title">"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/spaces/garage-lab""#), "{html}");
    assert!(html.contains("Garage Lab"), "{html}");
    assert!(html.contains("Bengaluru"), "{html}");
}

#[tokio::test]
async fn a_profile_with_a_picture_shows_it() {
    let maker = Maker {
        avatar_url: "https://example.org/mel.png".into(),
        ..mel()
    };

    let html = render(profile(Remote::Ready(maker))).await;

    assert!(
        html.contains(r#"src="https://example.org/mel.png""#),
        "{html}"
    );
    assert!(html.contains(r#"alt="""#), "{html}");
}

#[tokio::test]
async fn a_maker_without_bio_projects_or_spaces_says_so_plainly() {
    let maker = Maker {
        bio: String::new(),
        projects: Vec::new(),
        spaces: Vec::new(),
        ..mel()
    };

    let html = render(profile(Remote::Ready(maker))).await;

    assert!(!html.contains("maker__bio"), "{html}");
    assert!(
        html.contains("Mel Member has no public projects yet."),
        "{html}"
    );
    assert!(
        html.contains("Mel Member is not a member of a public makerspace yet."),
        "{html}"
    );
    assert!(!html.contains("project-card"), "{html}");
    assert!(!html.contains("maker-spaces__link"), "{html}");
}

#[tokio::test]
async fn a_maker_the_api_does_not_know_is_no_such_maker_not_an_error() {
    let unknown = api_refusal("user not found", "NOT_FOUND", "null");

    let html = render(profile(Remote::Failed(unknown))).await;

    assert!(html.contains("No such maker"), "{html}");
    assert!(html.contains(r#"href="/projects""#), "{html}");
    assert!(!html.contains(r#"role="alert""#), "{html}");
    assert!(!html.contains("user not found"), "{html}");
}

#[tokio::test]
async fn an_address_that_cannot_be_a_makers_is_no_such_maker_either() {
    let malformed = api_refusal(
        "id: is not a valid id",
        "VALIDATION_ERROR",
        r#"[{"field": "id", "message": "is not a valid id"}]"#,
    );

    let html = render(profile(Remote::Failed(malformed))).await;

    assert!(html.contains("No such maker"), "{html}");
    assert!(!html.contains(r#"role="alert""#), "{html}");
}

#[tokio::test]
async fn a_profile_that_failed_to_load_says_why_and_offers_to_try_again() {
    let failed = Remote::Failed(RequestError::Network("offline".into()));

    let html = render(profile(failed)).await;

    assert!(
        html.contains("This maker's profile could not be loaded"),
        "{html}"
    );
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("MakrX could not be reached"), "{html}");
    assert!(html.contains("Try again"), "{html}");
}

#[tokio::test]
async fn a_maker_address_shows_their_profile_loading_to_anyone() {
    let html = render_at("/makers/user-mel", html! { <Shell /> }).await;

    assert!(html.contains("All projects"), "{html}");
    assert!(html.contains("Loading the maker"), "{html}");
    assert!(!html.contains("Sign in to see"), "{html}");
}
