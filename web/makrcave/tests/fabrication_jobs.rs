//! The jobs a space makes for the store's customers as its page draws them: a queue for each
//! process, each job's facts in words, a button for each thing the staff may do now, and the
//! API's refusals in the page's words.

use std::collections::HashMap;
use std::rc::Rc;

use makrcave::components::{DECLINED, JobBoard, SpaceList, job_status_words};
use makrcave::marks::{Asking, Saving};
use makrcave::time::LocalTime;
use makrcave::types::{
    FabricationJob, FabricationJobStatus, MembershipRole, MySpace, PrintProcess,
};
use makrx_web::graphql::{ApiError, FieldError, RequestError};
use makrx_web::testing::render;
use yew::prelude::*;

use FabricationJobStatus::{Accepted, Declined, Dispatched, Printing};

/// A 30 × 20 × 10 mm bracket of order #1042, new, due Monday 7 Dec at 14:00 in Berlin.
fn bracket() -> FabricationJob {
    FabricationJob {
        id: "j1".to_owned(),
        order_number: 1042,
        status: Dispatched,
        reason: None,
        ready_by: LocalTime::parse("2026-12-07T14:00:00+01:00"),
        file_name: "bracket.stl".to_owned(),
        material: "PLA".to_owned(),
        colour: Some("black".to_owned()),
        infill_percent: 20,
        quantity: 3,
        process: PrintProcess::Fdm,
        print_seconds: 3_900,
        material_grams: 11.6,
        bbox_mm: vec![30.0, 20.0, 10.04],
        next_statuses: vec![Accepted, Declined],
    }
}

fn resin_figure() -> FabricationJob {
    FabricationJob {
        id: "j2".to_owned(),
        order_number: 1043,
        file_name: "figure.stl".to_owned(),
        material: "RESIN".to_owned(),
        colour: None,
        quantity: 1,
        process: PrintProcess::Resin,
        ..bracket()
    }
}

fn board(jobs: Vec<FabricationJob>) -> Html {
    html! { <JobBoard {jobs} on_move={Callback::noop()} on_decline={Callback::noop()} /> }
}

#[tokio::test]
async fn a_space_without_jobs_says_where_they_come_from() {
    let html = render(board(Vec::new())).await;

    assert!(
        html.contains("No jobs yet: parts ordered from the store appear here once paid."),
        "{html}"
    );
}

#[tokio::test]
async fn jobs_queue_by_process_with_what_making_each_takes() {
    let html = render(board(vec![bracket(), resin_figure()])).await;

    let fdm = html.find("FDM queue").expect("an FDM queue");
    let resin = html.find("Resin queue").expect("a resin queue");
    assert!(
        fdm < html.find("bracket.stl").expect("the bracket") && fdm < resin,
        "{html}"
    );
    assert!(
        resin < html.find("figure.stl").expect("the figure"),
        "{html}"
    );
    for fact in [
        "Order #1042 · bracket.stl",
        "New: waiting to be accepted",
        "Mon 7 Dec 14:00",
        ">PLA<",
        ">black<",
        "12 g a copy, 35 g in all",
        "3 copies",
        "20 %",
        "1:05 a copy, 3:15 in all",
        "30 × 20 × 10 mm",
        ">RESIN<",
        "The space's choice",
        ">12 g<",
        "Solid (resin)",
    ] {
        assert!(html.contains(fact), "{fact}: {html}");
    }
    assert_eq!(html.matches("1 job<").count(), 2, "{html}");
}

#[tokio::test]
async fn each_next_status_is_a_button_in_words() {
    let printing = FabricationJob {
        status: Printing,
        next_statuses: vec![
            FabricationJobStatus::PostProcessing,
            FabricationJobStatus::Ready,
        ],
        ..bracket()
    };

    let new = render(board(vec![bracket()])).await;
    let moving = render(board(vec![printing])).await;

    assert!(new.contains(">Accept</button>"), "{new}");
    assert!(new.contains(">Decline…</button>"), "{new}");
    assert!(!new.contains("Start printing"), "{new}");
    assert!(moving.contains(">Post-processing</button>"), "{moving}");
    assert!(moving.contains(">Ready</button>"), "{moving}");
    assert!(!moving.contains("Decline"), "{moving}");
}

#[tokio::test]
async fn a_move_refused_says_so_by_the_job() {
    let moving = Rc::new(HashMap::from([(
        "j1".to_owned(),
        Asking::Refused("A job that is printing cannot become accepted.".to_owned()),
    )]));

    let html = render(html! {
        <JobBoard jobs={vec![bracket()]} {moving} on_move={Callback::noop()} on_decline={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Not moved. "), "{html}");
    assert!(
        html.contains("A job that is printing cannot become accepted."),
        "{html}"
    );
}

#[tokio::test]
async fn a_decline_without_a_reason_is_refused_by_its_field() {
    let declining = Rc::new(HashMap::from([(
        "j1".to_owned(),
        Saving::Refused(RequestError::Api(vec![ApiError {
            message: "invalid input".to_owned(),
            code: Some("VALIDATION_ERROR".to_owned()),
            details: vec![FieldError {
                field: "reason".to_owned(),
                message: "say why the job is declined: the customer reads it".to_owned(),
            }],
        }])),
    )]));

    let html = render(html! {
        <JobBoard jobs={vec![bracket()]} {declining} on_move={Callback::noop()} on_decline={Callback::noop()} />
    })
    .await;

    assert!(
        html.contains(">Say why the job is declined: the customer reads it</p>"),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains("Not declined. "), "{html}");
    assert!(html.contains("See what is marked."), "{html}");
}

#[tokio::test]
async fn declined_jobs_leave_the_queue_with_their_reason() {
    let declined = FabricationJob {
        status: Declined,
        reason: Some("Too fine for our nozzle".to_owned()),
        next_statuses: Vec::new(),
        ..bracket()
    };
    let declining = Rc::new(HashMap::from([(
        "j1".to_owned(),
        Saving::Done(DECLINED.to_owned()),
    )]));

    let html = render(html! {
        <JobBoard jobs={vec![declined.clone()]} {declining} on_move={Callback::noop()} on_decline={Callback::noop()} />
    })
    .await;

    assert_eq!(
        job_status_words(&declined),
        "Declined: Too fine for our nozzle"
    );
    assert!(!html.contains("FDM queue"), "{html}");
    assert!(html.contains("Nothing to make now"), "{html}");
    assert!(html.contains("Delivered, declined and cancelled"), "{html}");
    assert!(html.contains("Declined: Too fine for our nozzle"), "{html}");
    assert!(html.contains("the part goes to the next space"), "{html}");
    assert!(!html.contains("<button"), "{html}");
}

#[tokio::test]
async fn the_staff_find_the_jobs_among_their_spaces_pages() {
    let space = |role| MySpace {
        name: "Fab Lab Berlin".into(),
        slug: "fab-lab-berlin".into(),
        location: "Berlin".into(),
        time_zone: "Europe/Berlin".into(),
        role,
        suspended: false,
        plan: None,
    };

    let staff = render(html! {
        <SpaceList spaces={vec![space(MembershipRole::Staff)]} directory={None::<AttrValue>} />
    })
    .await;
    let member = render(html! {
        <SpaceList spaces={vec![space(MembershipRole::Member)]} directory={None::<AttrValue>} />
    })
    .await;

    assert!(
        staff.contains(r#"href="/spaces/fab-lab-berlin/jobs""#),
        "{staff}"
    );
    assert!(!member.contains("/jobs"), "{member}");
}
