//! A makerspace offers to make the store's customers' parts: its managers say which materials
//! and which of its 3D printers; anyone who may see the space reads the offer.

mod common;

use common::{ADD_EQUIPMENT, Cast, Who, expect_outcome, makrcave};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const OFFER: &str = "mutation($input: OfferFabricationInput!) {
    offerFabrication(input: $input) { materials acceptsAutomatically accepting } }";
const SET_PRINTER: &str = "mutation($input: SetFabricationPrinterInput!) {
    setFabricationPrinter(input: $input) { process buildXMm buildYMm buildZMm machine { name } } }";
const REMOVE_PRINTER: &str = "mutation($input: RemoveFabricationPrinterInput!) {
    removeFabricationPrinter(input: $input) }";
const SERVICE: &str = "query($slug: String!) { makerspace(slug: $slug) {
    fabricationService { materials accepting printers { process buildZMm machine { name } } } } }";

async fn printer(api: &Endpoint, cast: &Cast, name: &str, class: &str) -> Value {
    api.data(
        ADD_EQUIPMENT,
        json!({"input": {"makerspaceId": cast.space["id"], "name": name, "kind": name, "class": class}}),
        Some(&cast.owner.token),
    )
    .await["addEquipment"]["id"]
        .clone()
}

fn offer(cast: &Cast, materials: &[&str]) -> (&'static str, Value) {
    (
        OFFER,
        json!({"input": {"makerspaceId": cast.space["id"], "materials": materials,
                         "acceptsAutomatically": true}}),
    )
}

fn set_printer(machine: &Value, z: f32) -> (&'static str, Value) {
    (
        SET_PRINTER,
        json!({"input": {"equipmentId": machine, "process": "RESIN",
                         "buildXMm": 145.0, "buildYMm": 145.0, "buildZMm": z}}),
    )
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn managers_and_above_offer_fabrication_on_their_printers(db: PgPool) {
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "resin-works").await;
    let form = printer(&api, &cast, "Form 3+", "PRINTER_3D").await;

    for who in Who::ALL {
        let refused = match who {
            Who::Anonymous => Some("UNAUTHENTICATED"),
            Who::Outsider | Who::Member | Who::Staff => Some("FORBIDDEN"),
            Who::Manager | Who::Owner | Who::PlatformAdmin => None,
        };
        let context = format!("{who:?} offers fabrication");
        expect_outcome(
            &api,
            &db,
            offer(&cast, &["resin"]),
            cast.token(who),
            refused,
            &context,
        )
        .await;
        let context = format!("{who:?} sets a printer");
        expect_outcome(
            &api,
            &db,
            set_printer(&form, 185.0),
            cast.token(who),
            refused,
            &context,
        )
        .await;
    }

    let read = api
        .data(SERVICE, json!({"slug": "resin-works"}), None)
        .await;
    assert_eq!(
        read["makerspace"]["fabricationService"],
        json!({"materials": ["RESIN"], "accepting": true,
               "printers": [{"process": "RESIN", "buildZMm": 185.0, "machine": {"name": "Form 3+"}}]}),
        "anyone reads a public space's offer"
    );

    let removed = (REMOVE_PRINTER, json!({"input": {"equipmentId": form}}));
    expect_outcome(
        &api,
        &db,
        removed.clone(),
        cast.token(Who::Staff),
        Some("FORBIDDEN"),
        "staff",
    )
    .await;
    let gone = api
        .data(removed.0, removed.1.clone(), Some(&cast.owner.token))
        .await;
    assert_eq!(gone["removeFabricationPrinter"], form);
    let again = api
        .send(removed.0, removed.1, Some(&cast.owner.token))
        .await;
    assert_eq!(error_code(&again), Some("NOT_FOUND"));
    let read = api
        .data(SERVICE, json!({"slug": "resin-works"}), None)
        .await;
    assert_eq!(
        read["makerspace"]["fabricationService"]["printers"],
        json!([])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_offer_names_known_materials_and_real_printers(db: PgPool) {
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "print-shop").await;
    let owner = Some(cast.owner.token.as_str());
    let form = printer(&api, &cast, "Form 3+", "PRINTER_3D").await;
    let laser = printer(&api, &cast, "Epilog", "LASER_CUTTER").await;

    let none = api
        .send(SET_PRINTER, set_printer(&form, 185.0).1, owner)
        .await;
    assert_eq!(error_code(&none), Some("CONFLICT"));
    assert_eq!(
        error_message(&none),
        "the makerspace does not offer fabrication: offer it first (offerFabrication)"
    );

    let unknown = api
        .send(OFFER, offer(&cast, &["PLA", "unobtainium"]).1, owner)
        .await;
    assert_eq!(invalid_fields(&unknown), ["materials"]);
    assert!(
        error_message(&unknown).contains("known materials: PLA"),
        "{unknown}"
    );
    let empty = api.send(OFFER, offer(&cast, &[]).1, owner).await;
    assert_eq!(invalid_fields(&empty), ["materials"]);
    let offered = api
        .data(OFFER, offer(&cast, &["resin", "pla", "RESIN"]).1, owner)
        .await;
    assert_eq!(
        offered["offerFabrication"],
        json!({"materials": ["RESIN", "PLA"], "acceptsAutomatically": true, "accepting": true})
    );

    let not_a_printer = api
        .send(SET_PRINTER, set_printer(&laser, 185.0).1, owner)
        .await;
    assert_eq!(invalid_fields(&not_a_printer), ["equipmentId"]);
    assert_eq!(
        error_message(&not_a_printer),
        "equipmentId: Epilog is not a 3D printer"
    );
    let flat = api
        .send(SET_PRINTER, set_printer(&form, 0.0).1, owner)
        .await;
    assert_eq!(invalid_fields(&flat), ["buildZMm"]);
    let unknown = set_printer(&json!("0193a5c0-0000-7000-8000-00000000beef"), 185.0);
    let missing = api.send(unknown.0, unknown.1, owner).await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));

    let set = api
        .data(SET_PRINTER, set_printer(&form, 185.0).1, owner)
        .await;
    assert_eq!(set["setFabricationPrinter"]["machine"]["name"], "Form 3+");
    let changed = api
        .data(SET_PRINTER, set_printer(&form, 300.0).1, owner)
        .await;
    assert_eq!(changed["setFabricationPrinter"]["buildZMm"], 300.0);
}
