//! The audit log keeps every change: each mutation of the schema (found by introspection, so a
//! new one must be added here) is made once for real, and its audit rows are read back, each
//! with who did it, what it was done to, and the thing's state before an update or removal and
//! after an addition or update.

mod common;

use std::collections::BTreeSet;

use common::lab::Lab;
use common::newcomer;
use makrx_service::db::MIGRATOR;
use serde_json::{Value, json};
use sqlx::PgPool;

/// Each mutation and the action its audit row records.
const ACTIONS: [(&str, &str); 55] = [
    ("createMakerspace", "makerspace.created"),
    ("updateMakerspaceSettings", "makerspace.settings_updated"),
    ("setOpeningHours", "makerspace.opening_hours_set"),
    ("addBlackout", "blackout.added"),
    ("removeBlackout", "blackout.removed"),
    ("addEquipment", "equipment.added"),
    ("updateEquipment", "equipment.updated"),
    ("setEquipmentSkillGate", "equipment.skill_gate_set"),
    ("setEquipmentStatus", "equipment.status_set"),
    ("logMaintenance", "maintenance_entry.logged"),
    ("createSkill", "skill.created"),
    ("grantSkill", "skill.granted"),
    ("revokeSkill", "skill.revoked"),
    ("requestCheckoff", "checkoff.requested"),
    ("settleCheckoff", "checkoff.settled"),
    ("createPlan", "plan.created"),
    ("assignPlan", "plan.assigned"),
    ("createReservation", "reservation.created"),
    ("createRecurringReservation", "reservation.created"),
    ("approveReservation", "reservation.approved"),
    ("rejectReservation", "reservation.rejected"),
    ("cancelReservation", "reservation.cancelled"),
    ("checkIn", "reservation.checked_in"),
    ("checkOut", "reservation.checked_out"),
    ("joinWaitlist", "waitlist.joined"),
    ("leaveWaitlist", "waitlist.left"),
    ("acceptWaitlistOffer", "reservation.offer_accepted"),
    ("declineWaitlistOffer", "reservation.offer_ended"),
    ("inviteMember", "invitation.sent"),
    ("acceptInvitation", "invitation.accepted"),
    ("declineInvitation", "invitation.declined"),
    ("revokeInvitation", "invitation.revoked"),
    ("changeMemberRole", "membership.role_changed"),
    ("suspendMember", "membership.suspended"),
    ("reinstateMember", "membership.reinstated"),
    ("removeMember", "membership.removed"),
    ("addInventoryLocation", "inventory_location.added"),
    ("addInventoryItem", "inventory_item.added"),
    ("updateInventoryItem", "inventory_item.updated"),
    ("recordStockMovement", "stock_movement.recorded"),
    ("importInventory", "inventory_import.completed"),
    ("setToolLending", "inventory_item.lending_set"),
    ("lendTool", "tool_loan.lent"),
    ("returnTool", "tool_loan.returned"),
    ("createProject", "project.created"),
    ("updateProject", "project.updated"),
    ("setProjectCollaborator", "project_collaborator.set"),
    ("removeProjectCollaborator", "project_collaborator.removed"),
    ("addBom", "bom.added"),
    ("addBomLine", "bom_line.added"),
    ("updateBomLine", "bom_line.updated"),
    ("removeBomLine", "bom_line.removed"),
    ("offerFabrication", "fabrication_service.offered"),
    ("setFabricationPrinter", "fabrication_printer.set"),
    ("removeFabricationPrinter", "fabrication_printer.removed"),
];

/// Mutations whose audit rows are checked where what they need runs: object storage
/// (tests/project_files.rs; asking for an upload writes none, as it changes nothing anyone sees
/// until the file is confirmed) and a paid part's job (tests/fabrication_jobs.rs).
const ELSEWHERE: [&str; 6] = [
    "createProjectFileUpload",
    "confirmProjectFile",
    "removeProjectFile",
    "setFabricationJobStatus",
    "scheduleFabricationJob",
    "recordFabricationMaterial",
];

/// Actions that add a thing (nothing before it), and those that remove one (nothing after).
const ADDITIONS: [&str; 20] = [
    "makerspace.created",
    "bom.added",
    "bom_line.added",
    "project.created",
    "tool_loan.lent",
    "inventory_import.completed",
    "inventory_location.added",
    "inventory_item.added",
    "stock_movement.recorded",
    "blackout.added",
    "equipment.added",
    "maintenance_entry.logged",
    "skill.created",
    "checkoff.requested",
    "plan.created",
    "reservation.created",
    "reservation.offered",
    "waitlist.joined",
    "invitation.sent",
    "membership.joined",
];
const REMOVALS: [&str; 7] = [
    "bom_line.removed",
    "fabrication_printer.removed",
    "project_collaborator.removed",
    "blackout.removed",
    "skill.revoked",
    "membership.removed",
    "membership.left",
];
/// Actions that add a thing or change it if it is there already.
const UPSERTS: [&str; 5] = [
    "skill.granted",
    "plan.assigned",
    "project_collaborator.set",
    "fabrication_service.offered",
    "fabrication_printer.set",
];

/// Makes one mutation as the holder of `token` and answers its data, failing on any error.
async fn act(lab: &Lab, token: &str, mutation: &str, input: Value, selection: &str) -> Value {
    let input_type = lab
        .api
        .data(
            "query { __type(name: \"Mutation\") { fields { name args { type { ofType { name } } } } } }",
            json!({}),
            None,
        )
        .await["__type"]["fields"]
        .as_array()
        .expect("mutations")
        .iter()
        .find(|field| field["name"] == mutation)
        .map(|field| field["args"][0]["type"]["ofType"]["name"].clone())
        .expect("the mutation exists");
    let input_type = input_type.as_str().expect("an input type");
    let query =
        format!("mutation($input: {input_type}!) {{ {mutation}(input: $input){selection} }}");
    let answer = lab
        .api
        .send(&query, json!({ "input": input }), Some(token))
        .await;
    assert!(answer["errors"].is_null(), "{mutation}: {answer:#}");
    answer["data"][mutation].clone()
}

/// The offer a person on the printer's waitlist has been made.
async fn offer_of(lab: &Lab, token: &str) -> Value {
    let places = lab
        .api
        .data(
            "query { myWaitlist { id offerId } }",
            json!({}),
            Some(token),
        )
        .await;
    let offer = &places["myWaitlist"][0]["offerId"];
    assert!(offer.is_string(), "an offer: {places:#}");
    offer.clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_mutation_writes_an_audit_row_with_the_state_before_and_after(db: PgPool) {
    // Lab::open founds the space, sets it up and adds its machines, skill and plan; `member`
    // assigns the plan and grants the skill.
    let lab = Lab::open(&db).await;
    let owner = lab.owner.clone();
    let ada = lab.member("ada", Some("basic")).await;
    let bob = lab.member("bob", None).await;
    let cy = lab.member("cy", None).await;
    let id = " { id }";

    act(
        &lab,
        &owner.token,
        "updateEquipment",
        json!({"equipmentId": lab.printer, "requiresApproval": true, "location": "Back room"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "setEquipmentStatus",
        json!({"equipmentId": lab.printer, "status": "IN_USE"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "logMaintenance",
        json!({"equipmentId": lab.printer, "description": "Nozzle swapped"}),
        id,
    )
    .await;
    let blackout = act(&lab, &owner.token, "addBlackout", json!({"makerspaceId": lab.space, "startsAt": "2026-12-05T08:00:00Z", "endsAt": "2026-12-05T12:00:00Z", "reason": "Open day"}), id).await;
    act(
        &lab,
        &owner.token,
        "removeBlackout",
        json!({"blackoutId": blackout["id"]}),
        "",
    )
    .await;
    let request = act(
        &lab,
        &ada.token,
        "requestCheckoff",
        json!({"skillId": lab.laser_safety, "level": "advanced"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "settleCheckoff",
        json!({"requestId": request["id"], "grant": true}),
        id,
    )
    .await;

    // Tuesday 1 December: Ada on the laser; Bob's printer booking approved, Cy's rejected.
    act(&lab, &ada.token, "createReservation", json!({"equipmentId": lab.laser, "startsAt": "2026-12-01T09:00:00Z", "endsAt": "2026-12-01T10:00:00Z"}), id).await;
    let bobs = act(&lab, &bob.token, "createReservation", json!({"equipmentId": lab.printer, "startsAt": "2026-12-01T10:00:00Z", "endsAt": "2026-12-01T11:00:00Z"}), id).await;
    act(
        &lab,
        &owner.token,
        "approveReservation",
        json!({"reservationId": bobs["id"]}),
        id,
    )
    .await;
    let cys = act(&lab, &cy.token, "createReservation", json!({"equipmentId": lab.printer, "startsAt": "2026-12-01T12:00:00Z", "endsAt": "2026-12-01T13:00:00Z"}), id).await;
    act(
        &lab,
        &owner.token,
        "rejectReservation",
        json!({"reservationId": cys["id"]}),
        id,
    )
    .await;
    act(&lab, &ada.token, "createRecurringReservation", json!({"equipmentId": lab.printer, "startsAt": "2026-12-02T09:00:00Z", "endsAt": "2026-12-02T10:00:00Z", "weeks": 2}), " { seriesId }").await;

    // Bob's slot: Ada waits and leaves; Cy and Ada wait; Bob cancels; Cy declines the offer,
    // which passes to Ada, who takes it.
    let slot = json!({"equipmentId": lab.printer, "startsAt": "2026-12-01T10:00:00Z", "endsAt": "2026-12-01T11:00:00Z"});
    let place = act(&lab, &ada.token, "joinWaitlist", slot.clone(), id).await;
    act(
        &lab,
        &ada.token,
        "leaveWaitlist",
        json!({"entryId": place["id"]}),
        "",
    )
    .await;
    act(&lab, &cy.token, "joinWaitlist", slot.clone(), id).await;
    act(&lab, &ada.token, "joinWaitlist", slot, id).await;
    act(
        &lab,
        &bob.token,
        "cancelReservation",
        json!({"reservationId": bobs["id"]}),
        id,
    )
    .await;
    let cys_offer = offer_of(&lab, &cy.token).await;
    act(
        &lab,
        &cy.token,
        "declineWaitlistOffer",
        json!({"reservationId": cys_offer}),
        id,
    )
    .await;
    let adas_offer = offer_of(&lab, &ada.token).await;
    act(
        &lab,
        &ada.token,
        "acceptWaitlistOffer",
        json!({"reservationId": adas_offer}),
        id,
    )
    .await;

    // The owner uses the laser now.
    let now = act(&lab, &owner.token, "createReservation", json!({"equipmentId": lab.laser, "startsAt": "2026-11-30T08:00:00Z", "endsAt": "2026-11-30T09:00:00Z"}), id).await;
    for step in ["checkIn", "checkOut"] {
        act(
            &lab,
            &owner.token,
            step,
            json!({"reservationId": now["id"]}),
            id,
        )
        .await;
    }

    // Members: Dan joins and goes through every change; Eve declines; Fay's invitation is
    // withdrawn.
    let dan = newcomer("dan");
    let invited = act(
        &lab,
        &owner.token,
        "inviteMember",
        json!({"makerspaceId": lab.space, "email": dan.email, "role": "MEMBER"}),
        id,
    )
    .await;
    let joined = act(
        &lab,
        &dan.token,
        "acceptInvitation",
        json!({"invitationId": invited["id"]}),
        " { user { id } }",
    )
    .await;
    let dan_id = joined["user"]["id"].as_str().expect("Dan's id").to_owned();
    let eve = newcomer("eve");
    let invited = act(
        &lab,
        &owner.token,
        "inviteMember",
        json!({"makerspaceId": lab.space, "email": eve.email, "role": "MEMBER"}),
        id,
    )
    .await;
    act(
        &lab,
        &eve.token,
        "declineInvitation",
        json!({"invitationId": invited["id"]}),
        id,
    )
    .await;
    let invited = act(
        &lab,
        &owner.token,
        "inviteMember",
        json!({"makerspaceId": lab.space, "email": "fay@test.makrx.dev", "role": "MEMBER"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "revokeInvitation",
        json!({"invitationId": invited["id"]}),
        id,
    )
    .await;
    let member = json!({"makerspaceId": lab.space, "userId": dan_id});
    act(
        &lab,
        &owner.token,
        "changeMemberRole",
        json!({"makerspaceId": lab.space, "userId": dan_id, "role": "STAFF"}),
        " { role }",
    )
    .await;
    for change in ["suspendMember", "reinstateMember", "removeMember"] {
        act(&lab, &owner.token, change, member.clone(), " { role }").await;
    }
    act(
        &lab,
        &owner.token,
        "revokeSkill",
        json!({"skillId": lab.laser_safety, "userId": ada.id}),
        "",
    )
    .await;

    let shelf = act(
        &lab,
        &owner.token,
        "addInventoryLocation",
        json!({"makerspaceId": lab.space, "name": "Shelf A"}),
        id,
    )
    .await;
    let pla = act(
        &lab,
        &owner.token,
        "addInventoryItem",
        json!({"makerspaceId": lab.space, "name": "PLA", "unit": "GRAMS", "reorderPoint": "500"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "recordStockMovement",
        json!({"itemId": pla["id"], "kind": "RECEIVE", "quantity": "100", "locationId": shelf["id"]}),
        " { item { low } }",
    )
    .await;
    act(
        &lab,
        &owner.token,
        "updateInventoryItem",
        json!({"id": pla["id"], "name": "PLA, black", "sku": "PLA-BLK"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "importInventory",
        json!({"makerspaceId": lab.space, "csv": "name,unit\nWood glue,pieces\n", "dryRun": false}),
        " { itemsAdded }",
    )
    .await;
    act(
        &lab,
        &owner.token,
        "setToolLending",
        json!({"itemId": pla["id"], "lendable": true}),
        id,
    )
    .await;
    let loan = act(
        &lab,
        &owner.token,
        "lendTool",
        json!({"itemId": pla["id"], "memberId": owner.id, "locationId": shelf["id"],
               "quantity": "10", "dueAt": "2026-12-07T18:00:00Z"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "returnTool",
        json!({"loanId": loan["id"], "condition": "GOOD"}),
        id,
    )
    .await;
    let project = act(
        &lab,
        &owner.token,
        "createProject",
        json!({"title": "Desk lamp", "makerspaceId": lab.space, "visibility": "SPACE"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "updateProject",
        json!({"id": project["id"], "status": "IN_PROGRESS"}),
        id,
    )
    .await;
    let helper = json!({"projectId": project["id"], "userId": ada.id});
    act(
        &lab,
        &owner.token,
        "setProjectCollaborator",
        json!({"projectId": project["id"], "userId": ada.id, "role": "EDITOR"}),
        " { role }",
    )
    .await;
    act(&lab, &owner.token, "removeProjectCollaborator", helper, id).await;
    let bom = act(
        &lab,
        &owner.token,
        "addBom",
        json!({"projectId": project["id"], "name": "One lamp"}),
        id,
    )
    .await;
    let line = act(
        &lab,
        &owner.token,
        "addBomLine",
        json!({"bomId": bom["id"], "quantity": "2", "inventoryItemId": pla["id"]}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "updateBomLine",
        json!({"lineId": line["id"], "quantity": "3"}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "removeBomLine",
        json!({"lineId": line["id"]}),
        id,
    )
    .await;
    act(
        &lab,
        &owner.token,
        "offerFabrication",
        json!({"makerspaceId": lab.space, "materials": ["PLA"]}),
        " { accepting }",
    )
    .await;
    let printer = json!({"equipmentId": lab.printer, "process": "FDM",
                         "buildXMm": 250.0, "buildYMm": 210.0, "buildZMm": 220.0});
    act(
        &lab,
        &owner.token,
        "setFabricationPrinter",
        printer,
        " { process }",
    )
    .await;
    act(
        &lab,
        &owner.token,
        "removeFabricationPrinter",
        json!({"equipmentId": lab.printer}),
        "",
    )
    .await;

    let rows = sqlx::query_as::<_, (Option<uuid::Uuid>, String, String, String, Option<Value>, Option<Value>)>(
        "select actor_id, action, entity, entity_id, before, after from shared.audit_logs order by id",
    )
    .fetch_all(&db)
    .await
    .expect("the audit log");

    // Every mutation of the schema is among those made here.
    let schema = lab
        .api
        .data(
            "query { __type(name: \"Mutation\") { fields { name } } }",
            json!({}),
            None,
        )
        .await;
    let mutations: BTreeSet<&str> = schema["__type"]["fields"]
        .as_array()
        .expect("mutations")
        .iter()
        .map(|field| field["name"].as_str().expect("a name"))
        .collect();
    let mapped: BTreeSet<&str> = ACTIONS
        .iter()
        .map(|(mutation, _)| *mutation)
        .chain(ELSEWHERE)
        .collect();
    assert_eq!(
        mutations, mapped,
        "each mutation is mapped to its action here, or said to be checked elsewhere"
    );

    let written: BTreeSet<&str> = rows.iter().map(|row| row.1.as_str()).collect();
    for (mutation, action) in ACTIONS {
        assert!(
            written.contains(action),
            "{mutation} wrote no {action} row: {written:?}"
        );
    }
    for (actor, action, entity, entity_id, before, after) in &rows {
        let row = format!("{action} of {entity} {entity_id}: before {before:?}, after {after:?}");
        assert!(actor.is_some(), "{row} names who did it");
        assert!(action.starts_with(&format!("{entity}.")), "{row}");
        assert!(!entity_id.is_empty(), "{row}");
        let (adds, removes) = (
            ADDITIONS.contains(&action.as_str()),
            REMOVALS.contains(&action.as_str()),
        );
        if !adds && !UPSERTS.contains(&action.as_str()) {
            assert!(before.is_some(), "{row} keeps the state before");
        }
        if adds {
            assert!(before.is_none(), "{row} adds a thing");
        }
        if removes {
            assert!(after.is_none(), "{row} removes a thing");
        } else {
            assert!(after.is_some(), "{row} keeps the state after");
        }
    }

    // What the review found missing: whose skill was revoked, what the settings were.
    let revoked = rows
        .iter()
        .find(|row| row.1 == "skill.revoked")
        .expect("a revocation");
    assert_eq!(
        revoked.4.as_ref().expect("before")["user_id"],
        ada.id.as_str()
    );
    let settings = rows
        .iter()
        .find(|row| row.1 == "makerspace.settings_updated")
        .expect("settings");
    assert_eq!(settings.4.as_ref().expect("before")["time_zone"], "UTC");
    assert_eq!(
        settings.5.as_ref().expect("after")["time_zone"],
        "Europe/Berlin"
    );
}
