//! What happens to a booking after it is made: staff approve or reject it where the machine
//! needs approval, its holder cancels it up to the space's notice (staff at any time), staff
//! check its holder in from 15 minutes before the start and out again, and only its holder
//! and the space's staff ever see it.

mod common;

use common::lab::{APPROVE, CANCEL, CHECK_IN, CHECK_OUT, Lab, REJECT, on_booking, stranger};
use common::writes;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, error_message};
use serde_json::{Value, json};
use sqlx::PgPool;

const UPDATE_EQUIPMENT: &str = "mutation($input: UpdateEquipmentInput!) {
    updateEquipment(input: $input) { id requiresApproval } }";
const MY_RESERVATIONS: &str = "query { myReservations { nodes { id status } } }";
const RESERVATION: &str = "query($id: ID!) { reservation(id: $id) { id status user { id } } }";

async fn status_in_db(lab: &Lab, reservation: &Value) -> String {
    sqlx::query_scalar("select status from makrcave.reservations where id = $1::uuid")
        .bind(reservation.as_str().expect("a booking's id"))
        .fetch_one(&lab.db)
        .await
        .expect("the booking's row")
}

/// Makes the printer one whose members' bookings wait for staff, as staff would.
async fn printer_needs_approval(lab: &Lab) {
    let staff = lab.person("sam", "staff").await;
    let updated = lab
        .ask(
            Some(&staff),
            UPDATE_EQUIPMENT,
            json!({"input": {"equipmentId": lab.printer, "requiresApproval": true}}),
        )
        .await;
    assert_eq!(
        updated["data"]["updateEquipment"]["requiresApproval"], true,
        "{updated:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_pending_booking_holds_its_slot_until_staff_approve_it_once(db: PgPool) {
    let lab = Lab::open(&db).await;
    printer_needs_approval(&lab).await;
    let staff = lab.person("stella", "staff").await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;

    let pending = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let clash = lab
        .book(
            &bob,
            &lab.printer,
            "2026-12-01T09:30:00Z",
            "2026-12-01T10:30:00Z",
        )
        .await;
    let approved = lab
        .ask(Some(&staff), APPROVE, on_booking(&pending["id"]))
        .await;
    let before_again = writes(&db).await;
    let again = lab
        .ask(Some(&staff), APPROVE, on_booking(&pending["id"]))
        .await;

    assert_eq!(pending["status"], "PENDING");
    assert_eq!(error_code(&clash), Some("CONFLICT"), "{clash:#}");
    assert_eq!(
        approved["data"]["approveReservation"]["status"], "APPROVED",
        "{approved:#}"
    );
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again:#}");
    assert!(
        error_message(&again).contains("approved cannot be approved"),
        "{again:#}"
    );
    assert_eq!(writes(&db).await, before_again, "a refusal writes nothing");
    assert_eq!(status_in_db(&lab, &pending["id"]).await, "approved");
    assert_eq!(
        lab.count("select count(*) from shared.audit_logs where action = 'reservation.approved'")
            .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_rejected_booking_frees_its_slot_for_another_member(db: PgPool) {
    let lab = Lab::open(&db).await;
    printer_needs_approval(&lab).await;
    let staff = lab.person("stella", "staff").await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let pending = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;

    let rejected = lab
        .ask(Some(&staff), REJECT, on_booking(&pending["id"]))
        .await;
    let bobs = lab
        .booked(
            &bob,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let approve_rejected = lab
        .ask(Some(&staff), APPROVE, on_booking(&pending["id"]))
        .await;

    assert_eq!(
        rejected["data"]["rejectReservation"]["status"], "REJECTED",
        "{rejected:#}"
    );
    assert_eq!(bobs["status"], "PENDING");
    assert_eq!(error_code(&approve_rejected), Some("CONFLICT"));
    assert_eq!(status_in_db(&lab, &pending["id"]).await, "rejected");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_cancels_their_own_booking_up_to_the_notice_the_space_sets(db: PgPool) {
    let lab = Lab::open(&db).await;
    lab.settings(json!({"cancellationNoticeMinutes": 60})).await;
    let ada = lab.member("ada", None).await;
    // Monday 30 November, 12:00 and 14:00 in Berlin; the clock says 09:00 there.
    let noon = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T11:00:00Z",
            "2026-11-30T12:00:00Z",
        )
        .await;
    let afternoon = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T13:00:00Z",
            "2026-11-30T14:00:00Z",
        )
        .await;

    lab.set_clock("2026-11-30T09:00:00Z");
    let two_hours_before = lab.ask(Some(&ada), CANCEL, on_booking(&noon["id"])).await;
    lab.set_clock("2026-11-30T12:30:00Z");
    let before_late = writes(&db).await;
    let half_an_hour_before = lab
        .ask(Some(&ada), CANCEL, on_booking(&afternoon["id"]))
        .await;
    let after_late = writes(&db).await;

    assert_eq!(
        two_hours_before["data"]["cancelReservation"]["status"], "CANCELLED",
        "{two_hours_before:#}"
    );
    assert_eq!(
        error_code(&half_an_hour_before),
        Some("FORBIDDEN"),
        "{half_an_hour_before:#}"
    );
    assert!(
        error_message(&half_an_hour_before).contains("up to 60 minutes before they start"),
        "{half_an_hour_before:#}"
    );
    assert_eq!(after_late, before_late, "a refusal writes nothing");
    assert_eq!(status_in_db(&lab, &afternoon["id"]).await, "approved");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_booking_says_until_when_its_holder_may_cancel_it(db: PgPool) {
    let lab = Lab::open(&db).await;
    lab.settings(json!({"cancellationNoticeMinutes": 90})).await;
    let ada = lab.member("ada", None).await;
    // Monday 30 November, 12:00 in Berlin.
    let noon = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T11:00:00Z",
            "2026-11-30T12:00:00Z",
        )
        .await;
    let deadline = "query { myReservations { nodes { status cancellableUntil } } }";

    let before = lab.ask(Some(&ada), deadline, json!({})).await;
    lab.ask(Some(&ada), CANCEL, on_booking(&noon["id"])).await;
    let after = lab.ask(Some(&ada), deadline, json!({})).await;

    assert_eq!(
        before["data"]["myReservations"]["nodes"][0]["cancellableUntil"],
        "2026-11-30T10:30:00+01:00",
        "{before:#}"
    );
    assert_eq!(
        after["data"]["myReservations"]["nodes"][0],
        json!({"status": "CANCELLED", "cancellableUntil": null}),
        "{after:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_cancel_a_booking_after_the_members_deadline(db: PgPool) {
    let lab = Lab::open(&db).await;
    lab.settings(json!({"cancellationNoticeMinutes": 60})).await;
    let ada = lab.member("ada", None).await;
    let staff = lab.person("stella", "staff").await;
    let booking = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T13:00:00Z",
            "2026-11-30T14:00:00Z",
        )
        .await;
    lab.set_clock("2026-11-30T12:30:00Z");

    let cancelled = lab
        .ask(Some(&staff), CANCEL, on_booking(&booking["id"]))
        .await;

    assert_eq!(
        cancelled["data"]["cancelReservation"]["status"], "CANCELLED",
        "{cancelled:#}"
    );
    assert_eq!(status_in_db(&lab, &booking["id"]).await, "cancelled");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_cannot_cancel_someone_elses_booking_nor_learn_it_exists(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let booking = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let before = writes(&db).await;

    let refused = lab
        .ask(Some(&bob), CANCEL, on_booking(&booking["id"]))
        .await;

    assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{refused:#}");
    assert_eq!(writes(&db).await, before);
    assert_eq!(status_in_db(&lab, &booking["id"]).await, "approved");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_check_a_member_in_from_fifteen_minutes_before_the_start_and_out_to_complete_it(
    db: PgPool,
) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let staff = lab.person("stella", "staff").await;
    // Monday 30 November, 11:00 to 12:00 in Berlin.
    let booking = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T10:00:00Z",
            "2026-11-30T11:00:00Z",
        )
        .await;

    let window = "query($id: ID!) { reservation(id: $id) { checkInOpensAt } }";
    let opens = lab
        .ask(Some(&ada), window, json!({"id": booking["id"]}))
        .await;
    lab.set_clock("2026-11-30T09:44:00Z");
    let too_early = lab
        .ask(Some(&staff), CHECK_IN, on_booking(&booking["id"]))
        .await;
    let by_themselves = lab
        .ask(Some(&ada), CHECK_IN, on_booking(&booking["id"]))
        .await;
    lab.set_clock("2026-11-30T09:45:00Z");
    let checked_in = lab
        .ask(Some(&staff), CHECK_IN, on_booking(&booking["id"]))
        .await;
    let opens_once_in = lab
        .ask(Some(&ada), window, json!({"id": booking["id"]}))
        .await;
    lab.set_clock("2026-11-30T10:50:00Z");
    let checked_out = lab
        .ask(Some(&staff), CHECK_OUT, on_booking(&booking["id"]))
        .await;

    assert_eq!(
        opens["data"]["reservation"]["checkInOpensAt"], "2026-11-30T10:45:00+01:00",
        "the holder sees when check-in opens, in the space's time: {opens:#}"
    );
    assert_eq!(
        opens_once_in["data"]["reservation"]["checkInOpensAt"],
        Value::Null,
        "{opens_once_in:#}"
    );
    assert_eq!(error_code(&too_early), Some("CONFLICT"), "{too_early:#}");
    assert!(
        error_message(&too_early).contains("from 15 minutes before its start"),
        "{too_early:#}"
    );
    assert_eq!(
        error_code(&by_themselves),
        Some("FORBIDDEN"),
        "{by_themselves:#}"
    );
    assert_eq!(
        checked_in["data"]["checkIn"],
        json!({"id": booking["id"], "status": "CHECKED_IN",
               "checkedInAt": "2026-11-30T09:45:00+00:00", "checkedOutAt": null}),
        "{checked_in:#}"
    );
    assert_eq!(
        checked_out["data"]["checkOut"],
        json!({"id": booking["id"], "status": "COMPLETED",
               "checkedInAt": "2026-11-30T09:45:00+00:00",
               "checkedOutAt": "2026-11-30T10:50:00+00:00"}),
        "{checked_out:#}"
    );
    assert_eq!(status_in_db(&lab, &booking["id"]).await, "completed");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_booking_is_seen_by_its_holder_and_staff_and_by_no_other_member(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let staff = lab.person("stella", "staff").await;
    let elsewhere = stranger(&lab.api, &lab.db, "elsewhere").await;
    let booking = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let by_id = json!({"id": booking["id"]});

    let adas_list = lab.ask(Some(&ada), MY_RESERVATIONS, json!({})).await;
    let bobs_list = lab.ask(Some(&bob), MY_RESERVATIONS, json!({})).await;
    let as_holder = lab.ask(Some(&ada), RESERVATION, by_id.clone()).await;
    let as_staff = lab.ask(Some(&staff), RESERVATION, by_id.clone()).await;
    let as_other_member = lab.ask(Some(&bob), RESERVATION, by_id.clone()).await;
    let as_outsider = lab.ask(Some(&elsewhere), RESERVATION, by_id.clone()).await;
    let as_nobody = lab.ask(None, RESERVATION, by_id).await;

    assert_eq!(
        adas_list["data"]["myReservations"]["nodes"],
        json!([{"id": booking["id"], "status": "APPROVED"}])
    );
    assert_eq!(bobs_list["data"]["myReservations"]["nodes"], json!([]));
    let seen = json!({"id": booking["id"], "status": "APPROVED", "user": {"id": ada.id}});
    assert_eq!(as_holder["data"]["reservation"], seen, "{as_holder:#}");
    assert_eq!(as_staff["data"]["reservation"], seen, "{as_staff:#}");
    assert_eq!(error_code(&as_other_member), Some("NOT_FOUND"));
    assert_eq!(error_code(&as_outsider), Some("NOT_FOUND"));
    assert_eq!(
        error_code(&as_nobody),
        Some("UNAUTHENTICATED"),
        "{as_nobody:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn my_reservations_leaves_out_bookings_that_have_ended(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let ended = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T08:00:00Z",
            "2026-11-30T09:00:00Z",
        )
        .await;
    let later = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-11-30T12:00:00Z",
            "2026-11-30T13:00:00Z",
        )
        .await;
    lab.set_clock("2026-11-30T09:00:00Z");

    let now_on = lab.ask(Some(&ada), MY_RESERVATIONS, json!({})).await;
    let whole_day = lab
        .ask(
            Some(&ada),
            "query($from: DateTime) { myReservations(from: $from) { nodes { id } } }",
            json!({"from": "2026-11-29T23:00:00Z"}),
        )
        .await;

    assert_eq!(
        now_on["data"]["myReservations"]["nodes"],
        json!([{"id": later["id"], "status": "APPROVED"}])
    );
    assert_eq!(
        whole_day["data"]["myReservations"]["nodes"],
        json!([{"id": ended["id"]}, {"id": later["id"]}])
    );
}

/// Both lists find a booking under way when they start, however long before it began (they
/// look up bookings by their start, at most the longest booking back).
#[sqlx::test(migrator = "MIGRATOR")]
async fn lists_include_a_week_long_booking_under_way_at_their_start(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let week = lab
        .printer_booked_directly(&ada, "2026-11-23T09:00:00Z", "2026-11-30T09:00:00Z")
        .await;
    let from = "2026-11-30T08:59:00Z";

    let mine = lab
        .ask(
            Some(&ada),
            "query($from: DateTime) { myReservations(from: $from) { nodes { id } } }",
            json!({"from": from}),
        )
        .await;
    let spaces = lab
        .ask(
            Some(&lab.owner),
            "query($space: ID!, $from: DateTime!, $to: DateTime!) {
                reservations(makerspaceId: $space, from: $from, to: $to) { nodes { id } } }",
            json!({"space": lab.space, "from": from, "to": "2026-12-01T00:00:00Z"}),
        )
        .await;

    assert_eq!(
        mine["data"]["myReservations"]["nodes"],
        json!([{"id": week}]),
        "{mine:#}"
    );
    assert_eq!(
        spaces["data"]["reservations"]["nodes"],
        json!([{"id": week}]),
        "{spaces:#}"
    );
}
