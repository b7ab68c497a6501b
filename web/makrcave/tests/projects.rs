//! Projects as the pages draw them: a BOM's lines, the builds the stock makes, what a build
//! costs with the store's live prices, what more builds lack and the store's part of it; a
//! project's files, and the upload offered to its editors alone.

use makrcave::components::{
    BomPanel, CollaboratorList, FileList, ProjectForm, ProjectList, Uploading,
};
use makrcave::marks::Sent;
use makrcave::types::{
    Bom, BomCost, BomLine, ProjectFile, ProjectRole, ProjectStatus, ProjectSummary,
    ProjectVisibility, Short,
};
use makrx_web::testing::render;
use yew::prelude::*;

fn lamp() -> Bom {
    let line = |id: &str, quantity: &str, what: &str, source: &str| BomLine {
        id: id.to_owned(),
        quantity: quantity.to_owned(),
        what: what.to_owned(),
        source: source.to_owned(),
        note: None,
    };
    Bom {
        id: "lamp".to_owned(),
        name: "One lamp".to_owned(),
        lines: vec![
            line("bolts", "4", "M3 bolt", "the space's stock, in pieces"),
            line(
                "pla",
                "0.25",
                "PLA 1 kg (Black)",
                "store: PLA-1KG at 22.90 EUR",
            ),
            line("glue", "0.5", "a dab of wood glue", "not counted"),
        ],
        can_build: Some(1),
        cost: Some(BomCost {
            items_minor: 20,
            currency: "EUR".to_owned(),
            store: vec![(573, "EUR".to_owned())],
            lines_without_cost: 1,
        }),
        shortfall: Some(vec![
            Short {
                line_id: "bolts".to_owned(),
                missing: "2".to_owned(),
                to_buy: None,
            },
            Short {
                line_id: "pla".to_owned(),
                missing: "0.7".to_owned(),
                to_buy: Some(("variant-pla".to_owned(), 1)),
            },
        ]),
    }
}

#[tokio::test]
async fn a_bom_says_what_the_stock_makes_what_a_build_costs_and_what_more_builds_lack() {
    let html = render(html! {
        <BomPanel bom={lamp()} builds={4} on_builds={Callback::noop()} cart={Sent::Writing}
            on_cart={Callback::noop()} />
    })
    .await;
    assert!(html.contains("One lamp"), "{html}");
    assert!(html.contains("PLA 1 kg (Black)"), "{html}");
    assert!(
        html.contains(r#"<dd class="bom__can-build">1 build</dd>"#),
        "{html}"
    );
    assert!(
        html.contains("0.20 EUR of the space's items + 5.73 EUR from the store = 5.93 EUR"),
        "{html}"
    );
    assert!(html.contains("1 line(s) without a known cost"), "{html}");
    assert!(html.contains("M3 bolt: 2 missing"), "{html}");
    assert!(
        html.contains("PLA 1 kg (Black): 0.7 missing (buy 1)"),
        "{html}"
    );
    assert!(html.contains("part in my cart"), "{html}");
    assert!(
        !html.contains("Add the line"),
        "no editing for a viewer: {html}"
    );
}

#[tokio::test]
async fn a_bom_with_enough_stock_or_seen_from_outside_offers_no_cart() {
    let mut enough = lamp();
    enough.shortfall = Some(Vec::new());
    let html = render(html! {
        <BomPanel bom={enough} builds={1} on_builds={Callback::noop()} cart={Sent::Writing}
            on_cart={Callback::noop()} />
    })
    .await;
    assert!(html.contains("The stock has enough for 1 build."), "{html}");
    assert!(!html.contains("in my cart"), "{html}");

    let mut outside = lamp();
    (outside.can_build, outside.cost, outside.shortfall) = (None, None, None);
    let html = render(html! {
        <BomPanel bom={outside} builds={1} on_builds={Callback::noop()} cart={Sent::Writing}
            on_cart={Callback::noop()} />
    })
    .await;
    assert!(html.contains("M3 bolt"), "the lines are shown: {html}");
    assert!(!html.contains("The stock makes"), "{html}");
    assert!(!html.contains("Builds wanted"), "{html}");
}

#[tokio::test]
async fn a_projects_files_link_to_them_and_only_editors_may_add_one() {
    let files = vec![ProjectFile {
        id: "f1".to_owned(),
        name: "lamp-base.stl".to_owned(),
        size_bytes: 2_400_000,
        url: "https://files.example/lamp-base.stl?sig".to_owned(),
    }];
    let viewer = render(html! { <FileList files={files.clone()} /> }).await;
    assert!(viewer.contains("lamp-base.stl"), "{viewer}");
    assert!(viewer.contains("2.4 MB"), "{viewer}");
    assert!(!viewer.contains("Add a file"), "{viewer}");
    let editor = render(html! {
        <FileList files={files} uploading={Some(Uploading::Refused("the file is not an STL".to_owned()))} />
    })
    .await;
    assert!(editor.contains("Add a file"), "{editor}");
    assert!(editor.contains("the file is not an STL"), "{editor}");
    let empty = render(html! { <ProjectList projects={Vec::<ProjectSummary>::new()} /> }).await;
    assert!(empty.contains("No projects yet"), "{empty}");
    let listed = render(html! {
        <ProjectList projects={vec![ProjectSummary {
            id: "p1".to_owned(),
            title: "Desk lamp".to_owned(),
            status: ProjectStatus::InProgress,
            visibility: ProjectVisibility::Public,
            space: Some("Fab Lab".to_owned()),
        }]} />
    })
    .await;
    assert!(
        listed.contains("In progress · Anyone (listed in the community hub) · Fab Lab"),
        "{listed}"
    );
}

#[tokio::test]
async fn a_projects_form_offers_who_sees_it_to_its_owner_alone() {
    let owner = render(html! {
        <ProjectForm title="Desk lamp" description="A **lamp**." status={ProjectStatus::InProgress}
            tags={vec!["lighting".to_owned(), "wood".to_owned()]}
            visibility={Some(ProjectVisibility::Public)} state={Sent::Writing} on_save={Callback::noop()} />
    })
    .await;
    assert!(owner.contains("A **lamp**."), "{owner}");
    assert!(owner.contains(r#"value="lighting, wood""#), "{owner}");
    assert!(
        owner.contains(r#"<option value="1" selected="selected">In progress</option>"#),
        "{owner}"
    );
    assert!(owner.contains("Who sees it"), "{owner}");
    let editor = render(html! {
        <ProjectForm title="Desk lamp" description="" status={ProjectStatus::Idea} tags={Vec::<String>::new()}
            state={Sent::Refused("only the project's owner and editors may change it".to_owned())}
            on_save={Callback::noop()} />
    })
    .await;
    assert!(!editor.contains("Who sees it"), "{editor}");
    assert!(editor.contains("Not saved."), "{editor}");
}

#[tokio::test]
async fn the_owner_adds_members_of_the_space_who_are_not_on_the_project_yet() {
    let team = vec![
        ("sam".to_owned(), "Sam".to_owned(), ProjectRole::Owner),
        ("ada".to_owned(), "Ada".to_owned(), ProjectRole::Editor),
    ];
    let members = vec![
        ("ada".to_owned(), "Ada".to_owned()),
        ("bob".to_owned(), "Bob".to_owned()),
        ("sam".to_owned(), "Sam".to_owned()),
    ];
    let owner = render(html! {
        <CollaboratorList collaborators={team.clone()} members={Some(members)} />
    })
    .await;
    assert!(
        owner.contains(r#"<option value="bob" selected="selected">Bob</option>"#),
        "{owner}"
    );
    assert!(
        !owner.contains(r#"<option value="ada""#),
        "Ada is on it already: {owner}"
    );
    assert_eq!(
        owner.matches("Take off").count(),
        1,
        "not the owner: {owner}"
    );
    let viewer = render(html! { <CollaboratorList collaborators={team} /> }).await;
    assert!(viewer.contains("Editor"), "{viewer}");
    assert!(!viewer.contains("Take off"), "{viewer}");
    assert!(!viewer.contains("Add a member"), "{viewer}");
}
