//! The gateway's components rendered natively with Yew's server renderer, in each state a
//! page can show them in. Effects do not run on the server, so nothing here fetches.

use std::collections::HashMap;
use std::rc::Rc;

use gateway::Shell;
use gateway::components::{EquipmentList, MakerspaceList, machines_label};
use gateway::hooks::MoreState;
use gateway::types::{Directory, Machine, MakerspaceSummary};
use makrx_web::components::{LiveIndicator, StatusBadge};
use makrx_web::equipment::EquipmentStatus;
use makrx_web::graphql::RequestError;
use makrx_web::remote::Remote;
use makrx_web::subscription::LinkState;
use yew::prelude::*;

use makrx_web::testing::{render, render_at};

fn list(list: Remote<Directory>, more: MoreState) -> Html {
    html! {
        <MakerspaceList {list} {more} on_retry={Callback::noop()} on_more={Callback::noop()} />
    }
}

fn space(name: &str, slug: &str, location: &str, equipment_count: usize) -> MakerspaceSummary {
    MakerspaceSummary {
        id: format!("id-{slug}"),
        name: name.into(),
        slug: slug.into(),
        location: location.into(),
        equipment_count,
    }
}

fn machine(id: &str, name: &str, status: EquipmentStatus) -> Machine {
    Machine {
        id: id.into(),
        name: name.into(),
        kind: "3D printer".into(),
        status,
    }
}

#[tokio::test]
async fn a_loading_list_shows_placeholders_and_says_it_is_loading() {
    let html = render(list(Remote::Loading, MoreState::Idle)).await;

    assert!(html.contains(r#"aria-busy="true""#), "{html}");
    assert_eq!(html.matches("space-card--placeholder").count(), 3, "{html}");
    assert!(html.contains("Loading makerspaces…"), "{html}");
}

#[tokio::test]
async fn a_failed_list_says_why_and_offers_to_try_again() {
    let failed = Remote::Failed(RequestError::Network("connection refused".into()));

    let html = render(list(failed, MoreState::Idle)).await;

    assert!(
        html.contains("The makerspaces could not be loaded"),
        "{html}"
    );
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("MakrX could not be reached"), "{html}");
    assert!(html.contains("Try again"), "{html}");
    assert!(!html.contains("space-card"), "{html}");
}

#[tokio::test]
async fn an_empty_network_says_so_instead_of_showing_nothing() {
    let empty = Remote::Ready(Directory::default());

    let html = render(list(empty, MoreState::Idle)).await;

    assert!(html.contains("No makerspaces yet"), "{html}");
    assert!(!html.contains("space-card"), "{html}");
    assert!(!html.contains("alert"), "{html}");
}

#[tokio::test]
async fn a_filled_list_shows_each_space_with_its_location_and_machine_count() {
    let directory = Directory {
        spaces: vec![
            space("MakrX Demo Space", "demo-space", "Bengaluru", 4),
            space("Garage Lab", "garage-lab", "", 1),
        ],
        total: 2,
        next_page: None,
    };

    let html = render(list(Remote::Ready(directory), MoreState::Idle)).await;

    assert!(html.contains("2 makerspaces in the network"), "{html}");
    assert!(html.contains("MakrX Demo Space"), "{html}");
    assert!(html.contains("Bengaluru"), "{html}");
    assert!(html.contains("4 machines"), "{html}");
    assert!(html.contains("1 machine<"), "{html}");
    assert!(html.contains("Location not given"), "{html}");
    assert!(html.contains(r#"href="/spaces/demo-space""#), "{html}");
    assert!(html.contains(r#"href="/spaces/garage-lab""#), "{html}");
    assert!(!html.contains("Show more"), "{html}");
}

#[tokio::test]
async fn a_partly_loaded_list_counts_what_is_shown_and_offers_more() {
    let directory = Directory {
        spaces: vec![space("MakrX Demo Space", "demo-space", "Bengaluru", 4)],
        total: 30,
        next_page: Some("cursor".into()),
    };

    let html = render(list(Remote::Ready(directory), MoreState::Idle)).await;

    assert!(html.contains("1 of 30 makerspaces"), "{html}");
    assert!(html.contains("Show more makerspaces"), "{html}");
}

#[test]
fn machine_counts_read_naturally() {
    assert_eq!(machines_label(0), "No machines listed");
    assert_eq!(machines_label(1), "1 machine");
    assert_eq!(machines_label(12), "12 machines");
}

#[tokio::test]
async fn each_status_has_its_own_badge_colour_and_words() {
    let expected = [
        (EquipmentStatus::Available, "status--available", "Available"),
        (EquipmentStatus::InUse, "status--in-use", "In use"),
        (
            EquipmentStatus::Maintenance,
            "status--maintenance",
            "Maintenance",
        ),
        (
            EquipmentStatus::OutOfOrder,
            "status--out-of-order",
            "Out of order",
        ),
        (EquipmentStatus::Unknown, "status--unknown", "Unknown"),
    ];
    for (status, class, label) in expected {
        let html = render(html! { <StatusBadge {status} /> }).await;

        assert!(html.contains(class), "{status:?}: {html}");
        assert!(
            html.contains(&format!("</span>{label}</span>")),
            "{status:?}: {html}"
        );
        assert!(!html.contains("status--changed"), "{status:?}: {html}");
    }
}

#[tokio::test]
async fn a_badge_that_just_changed_is_marked_to_flash() {
    let html = render(html! { <StatusBadge status={EquipmentStatus::InUse} changed=true /> }).await;

    assert!(html.contains("status--changed"), "{html}");
}

#[tokio::test]
async fn live_changes_win_over_the_statuses_the_page_loaded() {
    let machines = vec![
        machine("laser", "Trotec Speedy 360", EquipmentStatus::Available),
        machine("printer", "Prusa MK4 #2", EquipmentStatus::InUse),
    ];
    let changed = Rc::new(HashMap::from([(
        "laser".to_owned(),
        EquipmentStatus::OutOfOrder,
    )]));

    let html = render(html! { <EquipmentList {machines} {changed} /> }).await;

    assert!(html.contains("0 of 2 available now"), "{html}");
    assert!(html.contains("Out of order"), "{html}");
    assert!(!html.contains(">Available<"), "{html}");
    assert_eq!(html.matches("status--changed").count(), 1, "{html}");
}

#[tokio::test]
async fn a_space_without_machines_says_so() {
    let html = render(html! { <EquipmentList machines={Vec::<Machine>::new()} /> }).await;

    assert!(html.contains("No machines are listed"), "{html}");
}

#[tokio::test]
async fn the_live_indicator_tells_when_it_is_reconnecting() {
    let live = render(html! { <LiveIndicator state={LinkState::Live} /> }).await;
    let reconnecting =
        render(html! { <LiveIndicator state={LinkState::Reconnecting { attempt: 3 }} /> }).await;

    assert!(
        live.contains("live--on") && live.contains(">Live<"),
        "{live}"
    );
    assert!(reconnecting.contains("Reconnecting…"), "{reconnecting}");
    assert!(reconnecting.contains("attempt 3"), "{reconnecting}");
}

#[tokio::test]
async fn the_landing_page_starts_in_its_loading_state_inside_the_layout() {
    let html = render_at("/", html! { <Shell /> }).await;

    assert!(html.contains("Makerspaces near you"), "{html}");
    assert!(html.contains(r#"aria-busy="true""#), "{html}");
    assert!(html.contains(r#"href="/makrcave/""#), "{html}");
    assert!(html.contains(r#"href="/store/""#), "{html}");
}

#[tokio::test]
async fn an_unknown_address_shows_the_not_found_page() {
    let html = render_at("/no/such/page", html! { <Shell /> }).await;

    assert!(html.contains("There is nothing at this address"), "{html}");
}

#[tokio::test]
async fn a_makerspace_address_shows_its_page_loading() {
    let html = render_at("/spaces/demo-space", html! { <Shell /> }).await;

    assert!(html.contains("All makerspaces"), "{html}");
    assert!(html.contains("Loading the makerspace…"), "{html}");
}
