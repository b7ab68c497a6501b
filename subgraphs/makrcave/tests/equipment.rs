//! A makerspace's machines: only its owner adds them and sets their status, and each status
//! change is announced through the outbox in the same transaction.

mod common;

use common::{ADD_EQUIPMENT, SET_STATUS, add_machine, count, found_space, makrcave, writes};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, invalid_fields, token, unique_email};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_owner_adds_a_machine_and_everyone_sees_it(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let space = found_space(&api, &owner, "laser-lab").await;
    let machine = add_machine(&api, &owner, &space["id"], "Trotec Speedy 360").await;
    assert_eq!(machine["status"], "AVAILABLE");
    let seen = api
        .data(
            "query { makerspace(slug: \"laser-lab\") { equipment { name status } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        seen["makerspace"]["equipment"],
        json!([{"name": "Trotec Speedy 360", "status": "AVAILABLE"}])
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_of_another_space_cannot_touch_this_ones_machines(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let space = found_space(&api, &owner, "home-space").await;
    let machine = add_machine(&api, &owner, &space["id"], "Prusa MK4").await;
    let intruder = token(&unique_email("intruder"));
    found_space(&api, &intruder, "other-space").await;
    let written = writes(&db).await;

    let add = api
        .send(
            ADD_EQUIPMENT,
            json!({"input": {"makerspaceId": space["id"], "name": "Mine", "kind": "CNC"}}),
            Some(&intruder),
        )
        .await;
    assert_eq!(error_code(&add), Some("FORBIDDEN"));
    let set = api
        .send(
            SET_STATUS,
            json!({"input": {"equipmentId": machine["id"], "status": "OUT_OF_ORDER"}}),
            Some(&intruder),
        )
        .await;
    assert_eq!(error_code(&set), Some("FORBIDDEN"));
    let anonymous = api
        .send(
            SET_STATUS,
            json!({"input": {"equipmentId": machine["id"], "status": "OUT_OF_ORDER"}}),
            None,
        )
        .await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));

    assert_eq!(
        count(&db, "select count(*) from makrcave.equipment").await,
        1
    );
    assert_eq!(
        count(
            &db,
            "select count(*) from makrcave.equipment where status = 'available'"
        )
        .await,
        1
    );
    assert_eq!(
        writes(&db).await,
        written,
        "a refused request writes no audit row and no event"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_platform_admin_may_keep_any_spaces_machines(db: PgPool) {
    let api = makrcave(&db).await;
    let space = found_space(&api, &token(&unique_email("owner")), "admin-kept").await;
    let machine = add_machine(&api, &token("admin@makrx.dev"), &space["id"], "Shapeoko").await;
    assert_eq!(machine["name"], "Shapeoko");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_status_change_writes_its_event_and_audit_row(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let space = found_space(&api, &owner, "print-farm").await;
    let machine = add_machine(&api, &owner, &space["id"], "Bambu X1").await;
    let set = api
        .data(
            SET_STATUS,
            json!({"input": {"equipmentId": machine["id"], "status": "MAINTENANCE"}}),
            Some(&owner),
        )
        .await;
    assert_eq!(set["setEquipmentStatus"]["status"], "MAINTENANCE");

    let (topic, payload): (String, serde_json::Value) = sqlx::query_as(
        "select topic, payload from events.outbox where topic = 'makrcave.equipment.status_changed'",
    )
    .fetch_one(&db)
    .await
    .expect("one status event");
    assert_eq!(topic, "makrcave.equipment.status_changed");
    assert_eq!(payload["status"], "maintenance");
    assert_eq!(payload["equipment_id"], machine["id"]);
    assert_eq!(payload["makerspace_id"], space["id"]);
    assert_eq!(
        count(
            &db,
            "select count(*) from shared.audit_logs where action = 'equipment.status_set'"
        )
        .await,
        1
    );

    let written = writes(&db).await;
    api.data(
        SET_STATUS,
        json!({"input": {"equipmentId": machine["id"], "status": "MAINTENANCE"}}),
        Some(&owner),
    )
    .await;
    assert_eq!(
        writes(&db).await,
        written,
        "setting the same status again records and announces nothing"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_duplicate_machine_name_is_a_conflict(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let space = found_space(&api, &owner, "dupes").await;
    add_machine(&api, &owner, &space["id"], "Ultimaker").await;
    let body = api.send(ADD_EQUIPMENT, json!({"input": {"makerspaceId": space["id"], "name": "Ultimaker", "kind": "3D printer"}}), Some(&owner)).await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn wrong_machine_ids_are_clear_errors(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let malformed = api
        .send(
            SET_STATUS,
            json!({"input": {"equipmentId": "7", "status": "IN_USE"}}),
            Some(&owner),
        )
        .await;
    assert_eq!(error_code(&malformed), Some("VALIDATION_ERROR"));
    let unknown = api.send(SET_STATUS, json!({"input": {"equipmentId": "0190b5a0-0000-7000-8000-000000000000", "status": "IN_USE"}}), Some(&owner)).await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_machine_is_found_by_id_by_those_who_may_see_its_space(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let space = found_space(&api, &owner, "by-id").await;
    let machine = add_machine(&api, &owner, &space["id"], "Epilog Fusion").await;
    let outsider = token(&unique_email("outsider"));
    found_space(&api, &outsider, "elsewhere").await;
    let query = "query($id: ID!) { equipment(id: $id) { name makerspace { slug } } }";
    let id = json!({"id": machine["id"]});

    for caller in [None, Some(outsider.as_str()), Some(owner.as_str())] {
        let seen = api.data(query, id.clone(), caller).await;
        assert_eq!(seen["equipment"]["name"], "Epilog Fusion");
        assert_eq!(seen["equipment"]["makerspace"]["slug"], "by-id");
    }

    sqlx::query("update makrcave.makerspaces set is_public = false where slug = 'by-id'")
        .execute(&db)
        .await
        .expect("a private space");
    for caller in [None, Some(outsider.as_str())] {
        let body = api.send(query, id.clone(), caller).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    }
    let seen = api.data(query, id.clone(), Some(&owner)).await;
    assert_eq!(seen["equipment"]["name"], "Epilog Fusion");

    let wrong = api.send(query, json!({"id": "not-an-id"}), None).await;
    assert_eq!(invalid_fields(&wrong), ["id"], "{wrong}");
    let unknown = api
        .send(
            query,
            json!({"id": "01936d7e-0000-7000-8000-000000000000"}),
            Some(&owner),
        )
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
}
