//! A machine's calendar (free, booked, the caller's own, blocked, in the space's local time)
//! and the free slots of a class of machine that a member may use, each checked against a
//! calendar worked out by hand; every slot offered is one the booking then accepts.

mod common;

use common::lab::{CANCEL, Lab, Person, calendar_of, on_booking, stranger};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

/// Tuesday 1 December, midnight to midnight in Berlin.
const DAY_FROM: &str = "2026-11-30T23:00:00Z";
const DAY_TO: &str = "2026-12-01T23:00:00Z";

/// One stretch of a calendar as the API answers it; times are local to Berlin on 1 December.
fn stretch(from: &str, to: &str, kind: &str, reason: Option<&str>, reservation: Value) -> Value {
    let local = |time: &str| {
        if time == "24:00" {
            "2026-12-02T00:00:00+01:00".to_owned()
        } else {
            format!("2026-12-01T{time}:00+01:00")
        }
    };
    json!({"startsAt": local(from), "endsAt": local(to), "kind": kind, "reason": reason,
           "reservation": reservation})
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_members_day_shows_free_booked_their_own_and_blocked_stretches_in_local_time(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let bobs = lab
        .booked(
            &bob,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let adas = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T12:00:00Z",
            "2026-12-01T13:30:00Z",
        )
        .await;
    lab.blackout(
        Some(&lab.printer),
        "2026-12-01T15:00:00Z",
        "2026-12-01T16:00:00Z",
        "filter change",
    )
    .await;

    let answer = lab.calendars(Some(&ada), DAY_FROM, DAY_TO).await;

    let adas_own = json!({"id": adas["id"], "user": {"id": ada.id}});
    assert_eq!(
        calendar_of(&answer, &lab.printer),
        json!([
            stretch("00:00", "09:00", "BLOCKED", Some("closed"), Value::Null),
            stretch("09:00", "10:00", "FREE", None, Value::Null),
            stretch("10:00", "11:00", "BOOKED", None, Value::Null),
            stretch("11:00", "13:00", "FREE", None, Value::Null),
            stretch("13:00", "14:30", "MINE", None, adas_own),
            stretch("14:30", "16:00", "FREE", None, Value::Null),
            stretch(
                "16:00",
                "17:00",
                "BLOCKED",
                Some("filter change"),
                Value::Null
            ),
            stretch("17:00", "21:00", "FREE", None, Value::Null),
            stretch("21:00", "24:00", "BLOCKED", Some("closed"), Value::Null),
        ]),
        "{answer:#}"
    );
    assert_eq!(bobs["status"], "APPROVED");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_see_whose_every_booking_is(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let staff = lab.person("stella", "staff").await;
    let bobs = lab
        .booked(
            &bob,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    let adas = lab
        .booked(
            &ada,
            &lab.printer,
            "2026-12-01T12:00:00Z",
            "2026-12-01T13:30:00Z",
        )
        .await;

    let answer = lab.calendars(Some(&staff), DAY_FROM, DAY_TO).await;

    assert_eq!(
        calendar_of(&answer, &lab.printer),
        json!([
            stretch("00:00", "09:00", "BLOCKED", Some("closed"), Value::Null),
            stretch("09:00", "10:00", "FREE", None, Value::Null),
            stretch(
                "10:00",
                "11:00",
                "BOOKED",
                None,
                json!({"id": bobs["id"], "user": {"id": bob.id}})
            ),
            stretch("11:00", "13:00", "FREE", None, Value::Null),
            stretch(
                "13:00",
                "14:30",
                "BOOKED",
                None,
                json!({"id": adas["id"], "user": {"id": ada.id}})
            ),
            stretch("14:30", "21:00", "FREE", None, Value::Null),
            stretch("21:00", "24:00", "BLOCKED", Some("closed"), Value::Null),
        ]),
        "{answer:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_calendar_covers_at_most_thirty_one_days_forwards(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;

    let month = lab
        .calendars(Some(&ada), "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")
        .await;
    let longer = lab
        .calendars(Some(&ada), "2026-12-01T00:00:00Z", "2027-01-01T00:01:00Z")
        .await;
    let reversed = lab.calendars(Some(&ada), DAY_TO, DAY_FROM).await;

    assert!(month.get("errors").is_none(), "{month:#}");
    assert_eq!(error_code(&longer), Some("VALIDATION_ERROR"), "{longer:#}");
    assert!(
        error_message(&longer).contains("at most 31 days"),
        "{longer:#}"
    );
    assert_eq!(
        error_code(&reversed),
        Some("VALIDATION_ERROR"),
        "{reversed:#}"
    );
    assert_eq!(invalid_fields(&reversed), ["to"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_members_of_the_space_see_its_calendars(db: PgPool) {
    let lab = Lab::open(&db).await;
    let outsider = stranger(&lab.api, &lab.db, "outsider").await;

    let as_outsider = lab.calendars(Some(&outsider), DAY_FROM, DAY_TO).await;
    let as_nobody = lab.calendars(None, DAY_FROM, DAY_TO).await;

    assert_eq!(
        error_code(&as_outsider),
        Some("FORBIDDEN"),
        "{as_outsider:#}"
    );
    assert_eq!(
        error_code(&as_nobody),
        Some("UNAUTHENTICATED"),
        "{as_nobody:#}"
    );
}

/// A slot as `availableSlots` answers it: the machine's name and its local start ("01 15:00",
/// the day of December and the time in Berlin), an hour long.
fn hour(machine: &str, starts_at: &str) -> Value {
    let (day, time) = starts_at
        .split_once(' ')
        .unwrap_or_else(|| panic!("a day and a time: {starts_at:?}"));
    let (hours, minutes) = time
        .split_once(':')
        .unwrap_or_else(|| panic!("hours and minutes: {time:?}"));
    let end_hour = hours
        .parse::<u32>()
        .unwrap_or_else(|error| panic!("hours as a number: {hours:?}: {error}"))
        + 1;
    json!({"equipment": {"name": machine},
           "startsAt": format!("2026-12-{day}T{hours}:{minutes}:00+01:00"),
           "endsAt": format!("2026-12-{day}T{end_hour:02}:{minutes}:00+01:00")})
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn free_hours_of_the_printers_match_the_calendar_worked_out_by_hand(db: PgPool) {
    let lab = Lab::open(&db).await;
    let second = lab.add_machine("Printer B", "PRINTER_3D", false).await;
    let staff = lab.person("stella", "staff").await;
    // Ada's plan ends on Tuesday 1 December.
    let ada = lab.person("ada", "member").await;
    lab.put_on_plan(&ada, &lab.hobby, "2026-11-01", Some("2026-12-01"))
        .await;
    // In Berlin time, from Tuesday 15:00 to Wednesday 12:00, with the space open 09:00-21:00:
    //   Printer    booked 15:00-16:30            -> free 16:30-21:00, Wed 09:00-12:00
    //   Printer B  booked 16:00-17:00,
    //              blackout 18:00-19:00          -> free 15:00-16:00, 17:00-18:00, 19:00-21:00,
    //                                               Wed 09:00-12:00
    lab.booked(
        &staff,
        &lab.printer,
        "2026-12-01T14:00:00Z",
        "2026-12-01T15:30:00Z",
    )
    .await;
    lab.booked(
        &staff,
        &second,
        "2026-12-01T15:00:00Z",
        "2026-12-01T16:00:00Z",
    )
    .await;
    lab.blackout(
        Some(&second),
        "2026-12-01T17:00:00Z",
        "2026-12-01T18:00:00Z",
        "nozzle swap",
    )
    .await;
    let (from, to) = ("2026-12-01T14:00:00Z", "2026-12-02T11:00:00Z");

    let for_ada = lab.available_slots(&ada, "PRINTER_3D", 60, from, to).await;
    let for_staff = lab
        .available_slots(&staff, "PRINTER_3D", 60, from, to)
        .await;

    // Whole hours back to back from the start of each free stretch, earliest first; Ada's end
    // with her plan, on Tuesday.
    let tuesday = [
        hour("Printer B", "01 15:00"),
        hour("Printer", "01 16:30"),
        hour("Printer B", "01 17:00"),
        hour("Printer", "01 17:30"),
        hour("Printer", "01 18:30"),
        hour("Printer B", "01 19:00"),
        hour("Printer", "01 19:30"),
        hour("Printer B", "01 20:00"),
    ];
    let wednesday = [
        hour("Printer", "02 09:00"),
        hour("Printer B", "02 09:00"),
        hour("Printer", "02 10:00"),
        hour("Printer B", "02 10:00"),
        hour("Printer", "02 11:00"),
        hour("Printer B", "02 11:00"),
    ];
    assert_eq!(
        for_ada["data"]["availableSlots"],
        json!(tuesday),
        "{for_ada:#}"
    );
    assert_eq!(
        for_staff["data"]["availableSlots"],
        json!([&tuesday[..], &wednesday[..]].concat()),
        "{for_staff:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_without_the_lasers_skill_is_offered_no_laser_slots_while_staff_are(db: PgPool) {
    let lab = Lab::open(&db).await;
    let untrained = lab.member("ada", None).await;
    let staff = lab.person("stella", "staff").await;
    let (from, to) = ("2026-12-01T14:00:00Z", "2026-12-01T16:00:00Z");

    let for_member = lab
        .available_slots(&untrained, "LASER_CUTTER", 60, from, to)
        .await;
    let for_staff = lab
        .available_slots(&staff, "LASER_CUTTER", 60, from, to)
        .await;

    assert_eq!(
        for_member["data"]["availableSlots"],
        json!([]),
        "{for_member:#}"
    );
    assert_eq!(
        for_staff["data"]["availableSlots"],
        json!([hour("Laser", "01 15:00"), hour("Laser", "01 16:00")]),
        "{for_staff:#}"
    );
}

/// The slots a search offers `who`, each with its machine's id.
async fn offered(lab: &Lab, who: &Person, class: &str, from: &str, to: &str) -> Vec<Value> {
    let answer = lab
        .ask(
            Some(who),
            "query($input: AvailableSlotsInput!) {
                availableSlots(input: $input) { equipment { id name } startsAt endsAt } }",
            json!({"input": {"makerspaceId": lab.space, "equipmentClass": class, "minutes": 60,
                             "from": from, "to": to, "first": 30}}),
        )
        .await;
    answer["data"]["availableSlots"]
        .as_array()
        .unwrap_or_else(|| panic!("slots: {answer:#}"))
        .clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_slot_the_search_offers_is_booked_whatever_the_callers_role(db: PgPool) {
    let lab = Lab::open(&db).await;
    // Ada (trained, on Hobby: 3 h a day) has 2.5 h booked on Tuesday: a further hour that day
    // breaks her daily quota, so she is offered Wednesday only.
    let ada = lab.member("ada", Some("basic")).await;
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-01T08:00:00Z",
        "2026-12-01T10:30:00Z",
    )
    .await;
    let staff = lab.person("stella", "staff").await;
    let admin = lab.platform_admin(None).await;
    let (from, to) = ("2026-12-01T14:00:00Z", "2026-12-02T11:00:00Z");
    let people = [
        ("a member", &ada),
        ("staff", &staff),
        ("a platform admin", &admin),
    ];

    for (who, person) in people {
        for class in ["LASER_CUTTER", "PRINTER_3D"] {
            let slots = offered(&lab, person, class, from, to).await;
            assert!(!slots.is_empty(), "{who} is offered {class} slots");
            if person.id == ada.id {
                assert!(
                    slots
                        .iter()
                        .all(|slot| slot["startsAt"].as_str().unwrap().starts_with("2026-12-02")),
                    "Ada's Tuesday is full: {slots:#?}"
                );
            }
            for slot in slots {
                let (machine, starts_at, ends_at) = (
                    slot["equipment"]["id"].as_str().expect("a machine"),
                    slot["startsAt"].as_str().expect("a start"),
                    slot["endsAt"].as_str().expect("an end"),
                );
                let booked = lab.book(person, machine, starts_at, ends_at).await;
                assert!(booked["errors"].is_null(), "{who} books {slot}: {booked:#}");
                // Cancelled, it takes neither the slot nor any quota from the next one.
                let id = &booked["data"]["createReservation"]["id"];
                lab.ask(Some(person), CANCEL, on_booking(id)).await;
            }
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_platform_admin_who_joined_as_a_member_is_offered_what_a_member_may_book(db: PgPool) {
    let lab = Lab::open(&db).await;
    // On the Hobby plan, without the laser's skill: they book as a member, not as staff.
    let admin = lab.platform_admin(Some("member")).await;
    let (from, to) = ("2026-12-01T14:00:00Z", "2026-12-01T16:00:00Z");

    let lasers = offered(&lab, &admin, "LASER_CUTTER", from, to).await;
    let refused = lab
        .book(
            &admin,
            &lab.laser,
            "2026-12-01T14:00:00Z",
            "2026-12-01T15:00:00Z",
        )
        .await;
    let printers = offered(&lab, &admin, "PRINTER_3D", from, to).await;

    assert_eq!(
        lasers,
        Vec::<Value>::new(),
        "no laser slots for the untrained"
    );
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused:#}");
    assert!(
        error_message(&refused).contains("needs Laser safety"),
        "{refused:#}"
    );
    assert_eq!(printers.len(), 2, "{printers:#?}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_whose_plan_does_not_cover_a_class_is_refused_its_slots(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    lab.add_machine("Shapeoko", "CNC", false).await;

    let answer = lab
        .available_slots(
            &ada,
            "CNC",
            60,
            "2026-12-01T08:00:00Z",
            "2026-12-01T20:00:00Z",
        )
        .await;

    assert_eq!(error_code(&answer), Some("FORBIDDEN"), "{answer:#}");
    assert!(
        error_message(&answer).contains("your plan Hobby does not cover CNC machines"),
        "{answer:#}"
    );
}
