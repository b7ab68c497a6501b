//! What a space makes for the store's customers as its page draws it: the offer's form and
//! its sentence, the printers after the offer, and the API's refusals by their fields.

use std::collections::HashMap;
use std::rc::Rc;

use makrcave::components::{OfferForm, OfferSummary, PrinterList, SpaceList, offer_words};
use makrcave::marks::Saving;
use makrcave::types::{
    FabricationOffer, Material, MembershipRole, MySpace, PrintProcess, PrinterSetup, SpacePrinter,
};
use makrx_web::graphql::{ApiError, FieldError, RequestError};
use makrx_web::testing::render;
use yew::prelude::*;

fn materials() -> Vec<Material> {
    [
        ("PLA", "PLA", PrintProcess::Fdm),
        ("PETG", "PETG", PrintProcess::Fdm),
        ("RESIN", "Standard resin", PrintProcess::Resin),
    ]
    .into_iter()
    .map(|(code, name, process)| Material {
        code: code.to_owned(),
        name: name.to_owned(),
        process,
    })
    .collect()
}

fn printers() -> Vec<SpacePrinter> {
    vec![
        SpacePrinter {
            id: "p1".to_owned(),
            name: "Prusa MK4".to_owned(),
            making: Some(PrinterSetup {
                process: PrintProcess::Fdm,
                build_mm: [250.0, 210.0, 220.0],
            }),
        },
        SpacePrinter {
            id: "p2".to_owned(),
            name: "Form 3".to_owned(),
            making: None,
        },
    ]
}

fn refused(field: &str, message: &str) -> Saving {
    Saving::Refused(RequestError::Api(vec![ApiError {
        message: "Invalid input".to_owned(),
        code: Some("VALIDATION_ERROR".to_owned()),
        details: vec![FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        }],
    }]))
}

#[test]
fn the_offer_reads_in_a_sentence() {
    assert_eq!(
        offer_words(None),
        "Not offered: the store sends the space no jobs."
    );
    let offer = FabricationOffer {
        materials: vec!["PLA".to_owned(), "PETG".to_owned()],
        ..FabricationOffer::default()
    };
    assert_eq!(
        offer_words(Some(&offer)),
        "Offered: the store sends jobs in PLA, PETG, each accepted by the staff."
    );
    let paused = FabricationOffer {
        accepting: false,
        ..offer
    };
    assert_eq!(
        offer_words(Some(&paused)),
        "Paused: the store sends the space no new jobs."
    );
}

#[tokio::test]
async fn before_the_offer_the_form_lists_the_stores_materials_and_takes_jobs_by_hand() {
    let html = render(html! {
        <OfferForm offer={None} materials={materials()} on_save={Callback::noop()} />
    })
    .await;
    assert!(html.contains("Not offered"), "{html}");
    for code in ["PLA", "PETG", "RESIN"] {
        assert!(html.contains(&format!(r#"id="material-{code}""#)), "{html}");
    }
    assert!(html.contains("Standard resin"), "{html}");
    assert!(html.contains("Resin</span>"), "{html}");
    assert_eq!(
        html.matches("checked").count(),
        1,
        "no material is chosen yet, new jobs are taken: {html}"
    );
    assert!(html.contains("Accept jobs automatically"), "{html}");
    assert!(html.contains("Taking new jobs"), "{html}");
    assert!(html.contains("Offer fabrication"), "{html}");
}

#[tokio::test]
async fn a_refusal_of_the_materials_is_shown_by_them() {
    let html = render(html! {
        <OfferForm offer={None} materials={materials()}
            state={Some(refused("materials", "must name at least one material"))}
            on_save={Callback::noop()} />
    })
    .await;
    assert!(html.contains(r#"id="materials-error""#), "{html}");
    assert!(
        html.contains(">Must name at least one material</p>"),
        "{html}"
    );
    assert!(html.contains("See what is marked."), "{html}");
}

#[tokio::test]
async fn the_members_read_the_offer_by_the_materials_names() {
    let offer = FabricationOffer {
        materials: vec!["RESIN".to_owned()],
        accepts_automatically: true,
        accepting: true,
    };
    let html = render(html! {
        <OfferSummary offer={Some(offer)} materials={materials()} />
    })
    .await;
    assert!(html.contains("<dd>Standard resin</dd>"), "{html}");
    assert!(html.contains("Accepted automatically"), "{html}");
    assert!(!html.contains("<form"), "{html}");
}

#[tokio::test]
async fn printers_come_after_the_offer() {
    let html = render(html! {
        <PrinterList printers={printers()} offered={false} manages={true}
            on_save={Callback::noop()} on_remove={Callback::noop()} />
    })
    .await;
    assert!(html.contains("Printers come after the offer"), "{html}");
    assert!(!html.contains("Prusa MK4"), "{html}");

    let none = render(html! {
        <PrinterList printers={Vec::new()} offered={true} manages={true}
            on_save={Callback::noop()} on_remove={Callback::noop()} />
    })
    .await;
    assert!(none.contains("The space has no 3D printers"), "{none}");
}

#[tokio::test]
async fn managers_set_each_printer_and_its_refused_side_is_marked() {
    let saving = Rc::new(HashMap::from([(
        "p1".to_owned(),
        refused("buildXMm", "must be 1 to 5000 mm"),
    )]));
    let html = render(html! {
        <PrinterList printers={printers()} offered={true} manages={true} {saving}
            on_save={Callback::noop()} on_remove={Callback::noop()} />
    })
    .await;
    assert!(
        html.contains("Makes parts: FDM (filament), 250 × 210 × 220 mm"),
        "{html}"
    );
    assert!(html.contains(r#"value="250""#), "{html}");
    assert!(
        html.contains(r#"aria-describedby="printer-p1-buildXMm-error""#),
        "{html}"
    );
    assert_eq!(
        html.matches(">Must be 1 to 5000 mm</p>").count(),
        1,
        "only the width is refused: {html}"
    );
    assert!(html.contains(r#"aria-label="Save Prusa MK4""#), "{html}");
    assert!(
        html.contains(r#"aria-label="Remove Prusa MK4 from fabrication""#),
        "{html}"
    );
    assert!(html.contains("Makes no parts for the store"), "{html}");
    assert!(
        html.contains(r#"aria-label="Make parts on Form 3""#),
        "{html}"
    );
    assert_eq!(
        html.matches(">Remove<").count(),
        1,
        "only a printer making parts is removed: {html}"
    );
}

#[tokio::test]
async fn the_other_members_read_the_printers() {
    let html = render(html! {
        <PrinterList printers={printers()} offered={true} manages={false}
            on_save={Callback::noop()} on_remove={Callback::noop()} />
    })
    .await;
    assert!(html.contains("Makes parts: FDM (filament)"), "{html}");
    assert!(!html.contains("<form"), "{html}");
}

#[tokio::test]
async fn managers_find_fabrication_among_their_spaces_pages() {
    let space = |role| MySpace {
        name: "Fab Lab Berlin".to_owned(),
        slug: "fab-lab-berlin".to_owned(),
        location: String::new(),
        time_zone: "Europe/Berlin".to_owned(),
        role,
        suspended: false,
        plan: None,
    };
    let link = r#"href="/spaces/fab-lab-berlin/fabrication""#;
    let managed = render(html! {
        <SpaceList spaces={vec![space(MembershipRole::Manager)]} directory={None::<AttrValue>} />
    })
    .await;
    assert!(managed.contains(link), "{managed}");
    let staffed = render(html! {
        <SpaceList spaces={vec![space(MembershipRole::Staff)]} directory={None::<AttrValue>} />
    })
    .await;
    assert!(!staffed.contains(link), "{staffed}");
}
