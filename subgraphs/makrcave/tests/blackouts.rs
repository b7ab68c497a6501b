//! Closures of a space or of one machine: managers add and lift them, members see the ones
//! that have not ended, in the space's local time; nobody else sees or changes them.

mod common;

use common::lab::{Lab, stranger};
use makrx_service::db::MIGRATOR;
use makrx_testkit::error_code;
use serde_json::{Value, json};
use sqlx::PgPool;

const ADD: &str = "mutation($input: AddBlackoutInput!) {
    addBlackout(input: $input) { id equipmentId startsAt endsAt reason } }";
const LIST: &str = "query($space: ID!) {
    blackouts(makerspaceId: $space) { id equipmentId startsAt endsAt reason } }";
const REMOVE: &str = "mutation($input: RemoveBlackoutInput!) { removeBlackout(input: $input) }";

async fn close(
    lab: &Lab,
    equipment: Option<&str>,
    starts: &str,
    ends: &str,
    reason: &str,
) -> Value {
    let added = lab
        .as_owner(
            ADD,
            json!({"makerspaceId": lab.space, "equipmentId": equipment,
                   "startsAt": starts, "endsAt": ends, "reason": reason}),
        )
        .await;
    added["addBlackout"].clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn members_see_the_closures_to_come_soonest_first_in_the_spaces_time(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    // Berlin: an hour ahead of UTC in December.
    let laser = close(
        &lab,
        Some(&lab.laser),
        "2026-12-07T08:00:00Z",
        "2026-12-07T12:00:00Z",
        "New lens",
    )
    .await;
    let open_day = close(
        &lab,
        None,
        "2026-12-05T08:00:00Z",
        "2026-12-05T17:00:00Z",
        "Open day",
    )
    .await;
    close(
        &lab,
        None,
        "2026-11-29T08:00:00Z",
        "2026-11-29T12:00:00Z",
        "Over",
    )
    .await;

    let listed = lab.ask(Some(&ada), LIST, json!({"space": lab.space})).await;

    assert_eq!(
        open_day["startsAt"], "2026-12-05T09:00:00+01:00",
        "{open_day:#}"
    );
    assert_eq!(
        listed["data"]["blackouts"],
        json!([
            {"id": open_day["id"], "equipmentId": null, "startsAt": "2026-12-05T09:00:00+01:00",
             "endsAt": "2026-12-05T18:00:00+01:00", "reason": "Open day"},
            {"id": laser["id"], "equipmentId": lab.laser, "startsAt": "2026-12-07T09:00:00+01:00",
             "endsAt": "2026-12-07T13:00:00+01:00", "reason": "New lens"},
        ]),
        "{listed:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_managers_close_and_reopen_and_only_members_look(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let staff = lab.person("stella", "staff").await;
    let outsider = stranger(&lab.api, &lab.db, "olly").await;
    let open_day = close(
        &lab,
        None,
        "2026-12-05T08:00:00Z",
        "2026-12-05T17:00:00Z",
        "Open day",
    )
    .await;
    let input = json!({"input": {"makerspaceId": lab.space, "startsAt": "2026-12-06T08:00:00Z",
                                 "endsAt": "2026-12-06T09:00:00Z"}});
    let lift = json!({"input": {"blackoutId": open_day["id"]}});

    let staff_adds = lab.ask(Some(&staff), ADD, input.clone()).await;
    let member_lifts = lab.ask(Some(&ada), REMOVE, lift.clone()).await;
    let outsider_lists = lab
        .ask(Some(&outsider), LIST, json!({"space": lab.space}))
        .await;
    let outsider_lifts = lab.ask(Some(&outsider), REMOVE, lift.clone()).await;
    let lifted = lab.as_owner(REMOVE, lift["input"].clone()).await;
    let listed = lab.ask(Some(&ada), LIST, json!({"space": lab.space})).await;

    assert_eq!(error_code(&staff_adds), Some("FORBIDDEN"), "{staff_adds:#}");
    assert_eq!(
        error_code(&member_lifts),
        Some("NOT_FOUND"),
        "{member_lifts:#}"
    );
    assert_eq!(
        error_code(&outsider_lists),
        Some("FORBIDDEN"),
        "{outsider_lists:#}"
    );
    assert_eq!(
        error_code(&outsider_lifts),
        Some("NOT_FOUND"),
        "{outsider_lifts:#}"
    );
    assert_eq!(lifted["removeBlackout"], open_day["id"], "{lifted:#}");
    assert_eq!(listed["data"]["blackouts"], json!([]), "{listed:#}");
}
