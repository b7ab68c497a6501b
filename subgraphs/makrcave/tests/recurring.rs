//! Weekly series: every occurrence is checked on its own as a single booking is (clashes,
//! blackouts, quotas, plan dates, opening hours) and the answer lists each one as booked or
//! refused with its reason, keeping the same local time across a daylight-saving change.

mod common;

use chrono::{DateTime, Utc};
use common::lab::{Lab, Person};
use common::writes;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const SERIES: &str = "mutation($input: CreateRecurringReservationInput!) {
    createRecurringReservation(input: $input) {
        seriesId
        booked { id status seriesId startsAt endsAt }
        refused { startsAt endsAt code message } } }";

async fn book_weekly(lab: &Lab, who: &Person, starts_at: &str, ends_at: &str, weeks: i32) -> Value {
    lab.ask(
        Some(who),
        SERIES,
        json!({"input": {"equipmentId": lab.printer, "startsAt": starts_at, "endsAt": ends_at,
                         "weeks": weeks}}),
    )
    .await
}

fn starts(occurrences: &Value) -> Vec<&str> {
    occurrences
        .as_array()
        .unwrap_or_else(|| panic!("a list of occurrences, not {occurrences}"))
        .iter()
        .map(|occurrence| occurrence["startsAt"].as_str().expect("a start"))
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_weekly_series_books_what_it_can_and_says_why_it_refused_the_rest(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    // Tuesdays at 10:00 in Berlin: the 8th is Bob's, the 22nd is closed.
    lab.booked(
        &bob,
        &lab.printer,
        "2026-12-08T09:00:00Z",
        "2026-12-08T10:00:00Z",
    )
    .await;
    lab.blackout(
        None,
        "2026-12-21T23:00:00Z",
        "2026-12-23T23:00:00Z",
        "Christmas closing",
    )
    .await;

    let answer = book_weekly(
        &lab,
        &ada,
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:00:00Z",
        4,
    )
    .await;

    let series = &answer["data"]["createRecurringReservation"];
    assert_eq!(
        starts(&series["booked"]),
        ["2026-12-01T10:00:00+01:00", "2026-12-15T10:00:00+01:00"],
        "{answer:#}"
    );
    for booked in series["booked"].as_array().expect("the booked occurrences") {
        assert_eq!(booked["seriesId"], series["seriesId"]);
        assert_eq!(booked["status"], "APPROVED");
    }
    assert_eq!(
        series["refused"],
        json!([
            {"startsAt": "2026-12-08T10:00:00+01:00", "endsAt": "2026-12-08T11:00:00+01:00",
             "code": "CONFLICT",
             "message": "Printer is already booked from 2026-12-08 10:00 to 11:00 (Europe/Berlin)"},
            {"startsAt": "2026-12-22T10:00:00+01:00", "endsAt": "2026-12-22T11:00:00+01:00",
             "code": "CONFLICT",
             "message": "Printer is closed from 2026-12-22 00:00 to 2026-12-24 00:00 (Europe/Berlin): Christmas closing"},
        ]),
        "{answer:#}"
    );
    let in_series: i64 =
        sqlx::query_scalar("select count(*) from makrcave.reservations where series_id = $1::uuid")
            .bind(series["seriesId"].as_str().expect("a series id"))
            .fetch_one(&db)
            .await
            .expect("a count");
    assert_eq!(in_series, 2);
    assert_eq!(
        lab.count("select count(*) from shared.audit_logs where action = 'reservation.created'")
            .await,
        3,
        "Bob's booking and the two of the series"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_weekly_quota_refuses_the_occurrence_that_would_break_it_and_only_that_one(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    // Hobby allows 6 h a week: 5 h are already booked in the week of 7 December.
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-07T09:00:00Z",
        "2026-12-07T12:00:00Z",
    )
    .await;
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-09T09:00:00Z",
        "2026-12-09T11:00:00Z",
    )
    .await;

    // Two hours on Tuesdays from 1 December, three weeks.
    let answer = book_weekly(
        &lab,
        &ada,
        "2026-12-01T13:00:00Z",
        "2026-12-01T15:00:00Z",
        3,
    )
    .await;

    let series = &answer["data"]["createRecurringReservation"];
    assert_eq!(
        starts(&series["booked"]),
        ["2026-12-01T14:00:00+01:00", "2026-12-15T14:00:00+01:00"],
        "{answer:#}"
    );
    assert_eq!(
        series["refused"],
        json!([{"startsAt": "2026-12-08T14:00:00+01:00", "endsAt": "2026-12-08T16:00:00+01:00",
                "code": "FORBIDDEN",
                "message": "your plan Hobby allows 6 h a week; you have 5 h booked in the week of 2026-12-07 and this booking adds 2 h"}]),
        "{answer:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_series_runs_two_to_fifty_two_weeks(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let before = writes(&db).await;

    let one = book_weekly(
        &lab,
        &ada,
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:00:00Z",
        1,
    )
    .await;
    let fifty_three = book_weekly(
        &lab,
        &ada,
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:00:00Z",
        53,
    )
    .await;

    for refused in [&one, &fifty_three] {
        assert_eq!(error_code(refused), Some("VALIDATION_ERROR"), "{refused:#}");
        assert_eq!(invalid_fields(refused), ["weeks"]);
    }
    assert_eq!(writes(&db).await, before);
    assert_eq!(
        lab.count("select count(*) from makrcave.reservations")
            .await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_weekly_series_keeps_its_local_time_across_the_autumn_clock_change(db: PgPool) {
    let lab = Lab::open(&db).await;
    lab.set_clock("2026-10-12T08:00:00Z");
    let ada = lab.person("ada", "member").await;
    lab.put_on_plan(&ada, &lab.hobby, "2026-10-01", None).await;

    // Tuesdays, 10:00 to 11:00 in Berlin, from 13 October; clocks go back on the 25th.
    let answer = book_weekly(
        &lab,
        &ada,
        "2026-10-13T08:00:00Z",
        "2026-10-13T09:00:00Z",
        3,
    )
    .await;

    let series = &answer["data"]["createRecurringReservation"];
    assert_eq!(series["refused"], json!([]), "{answer:#}");
    assert_eq!(
        starts(&series["booked"]),
        [
            "2026-10-13T10:00:00+02:00",
            "2026-10-20T10:00:00+02:00",
            "2026-10-27T10:00:00+01:00",
        ]
    );
    let in_utc: Vec<DateTime<Utc>> = sqlx::query_scalar(
        "select lower(during) from makrcave.reservations order by lower(during)",
    )
    .fetch_all(&db)
    .await
    .expect("the series' rows");
    assert_eq!(
        in_utc,
        [
            "2026-10-13T08:00:00Z",
            "2026-10-20T08:00:00Z",
            "2026-10-27T09:00:00Z",
        ]
        .map(common::lab::at)
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_occurrence_that_falls_in_the_hour_the_clocks_skip_is_refused_not_dropped(db: PgPool) {
    let lab = Lab::open(&db).await;
    let sam = lab.person("sam", "staff").await;
    // Open around the clock; Berlin skips 02:00 to 03:00 on Sunday 28 March 2027.
    lab.as_owner(
        "mutation($input: SetOpeningHoursInput!) { setOpeningHours(input: $input) { weekday } }",
        json!({"makerspaceId": lab.space, "hours": []}),
    )
    .await;

    // Sundays, 02:15 to 02:45 in Berlin, from 21 March 2027.
    let answer = book_weekly(
        &lab,
        &sam,
        "2027-03-21T01:15:00Z",
        "2027-03-21T01:45:00Z",
        2,
    )
    .await;

    let series = &answer["data"]["createRecurringReservation"];
    assert_eq!(
        starts(&series["booked"]),
        ["2027-03-21T02:15:00+01:00"],
        "{answer:#}"
    );
    assert_eq!(
        series["refused"],
        json!([{"startsAt": "2027-03-28T03:00:00+02:00", "endsAt": "2027-03-28T03:00:00+02:00",
                "code": "VALIDATION_ERROR",
                "message": "startsAt: 2027-03-28 02:15 does not exist in Europe/Berlin: the clocks skip it that day"}]),
        "28 March has no 02:15, and the answer says so: {answer:#}"
    );
}
