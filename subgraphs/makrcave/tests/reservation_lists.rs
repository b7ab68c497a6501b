//! A member's bookings (`myReservations`) and a space's (`reservations`), a page at a time:
//! every booking of the list exactly once, earliest start first (a tie broken by id), the whole
//! list counted on every page, and a cursor or page size that makes no sense refused.

mod common;

use common::lab::{Lab, Person, at};
use makrx_service::db::MIGRATOR;
use makrx_testkit::error_code;
use serde_json::{Value, json};
use sqlx::PgPool;

const MY_RESERVATIONS: &str = "query($first: Int, $after: String) {
    myReservations(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }";
const RESERVATIONS: &str = "query($space: ID!, $from: DateTime!, $to: DateTime!, $first: Int,
                                  $after: String) {
    reservations(makerspaceId: $space, from: $from, to: $to, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }";

/// A booking of `machine` for `who` in `status`, written straight into the database past every
/// booking rule; its id.
async fn booked_directly(
    lab: &Lab,
    who: &Person,
    machine: &str,
    (starts_at, ends_at): (&str, &str),
    status: &str,
) -> String {
    sqlx::query_scalar(
        "insert into makrcave.reservations
             (id, makerspace_id, equipment_id, user_id, during, status, cost_minor, currency)
         values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, tstzrange($4, $5), $6, 0, 'EUR')
         returning id::text",
    )
    .bind(&lab.space)
    .bind(machine)
    .bind(&who.id)
    .bind(at(starts_at))
    .bind(at(ends_at))
    .bind(status)
    .fetch_one(&lab.db)
    .await
    .expect("a booking row")
}

/// Every page of a list as `who` sees it, `first` at a time, each asked for after the last
/// one's `endCursor` until one says there is no next page (ten at most); each page's `field`.
async fn every_page(
    lab: &Lab,
    who: &Person,
    (query, field): (&str, &str),
    variables: Value,
    first: i32,
) -> Vec<Value> {
    let mut pages: Vec<Value> = Vec::new();
    let mut after = Value::Null;
    while pages.len() < 10 {
        let mut page_variables = variables.clone();
        page_variables["first"] = json!(first);
        page_variables["after"] = after;
        let answer = lab.ask(Some(who), query, page_variables).await;
        let page = answer["data"][field].clone();
        assert!(page.is_object(), "{answer:#}");
        after = page["pageInfo"]["endCursor"].clone();
        let more = page["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap_or_else(|| panic!("whether a page follows: {answer:#}"));
        pages.push(page);
        if !more {
            break;
        }
    }
    pages
}

/// The booking ids on `pages`, in order.
fn ids(pages: &[Value]) -> Vec<&str> {
    pages
        .iter()
        .flat_map(|page| page["edges"].as_array().expect("a page's edges"))
        .map(|edge| edge["node"]["id"].as_str().expect("a booking's id"))
        .collect()
}

/// Each page's `totalCount` and `hasNextPage`.
fn counts_and_next(pages: &[Value]) -> Vec<(Value, Value)> {
    pages
        .iter()
        .map(|page| {
            (
                page["totalCount"].clone(),
                page["pageInfo"]["hasNextPage"].clone(),
            )
        })
        .collect()
}

/// Ada's six bookings from Tuesday 1 December on, in the order the lists give them: two start
/// at the same time (on two machines), one is cancelled. She also has one that ended before
/// the clock's now, which neither list from now on holds.
async fn adas_bookings(lab: &Lab, ada: &Person) -> Vec<String> {
    let nine_on_tuesday = ("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z");
    booked_directly(
        lab,
        ada,
        &lab.printer,
        ("2026-11-29T09:00:00Z", "2026-11-29T10:00:00Z"),
        "completed",
    )
    .await;
    let mut tied = [
        booked_directly(lab, ada, &lab.printer, nine_on_tuesday, "approved").await,
        booked_directly(lab, ada, &lab.laser, nine_on_tuesday, "approved").await,
    ];
    tied.sort();
    let mut bookings = tied.to_vec();
    for (during, status) in [
        (("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"), "approved"),
        (
            ("2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z"),
            "cancelled",
        ),
        (("2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z"), "pending"),
        (("2026-12-04T09:00:00Z", "2026-12-04T10:00:00Z"), "approved"),
    ] {
        bookings.push(booked_directly(lab, ada, &lab.printer, during, status).await);
    }
    bookings
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn my_reservations_pages_through_every_booking_of_mine_once_earliest_first(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let adas = adas_bookings(&lab, &ada).await;
    booked_directly(
        &lab,
        &bob,
        &lab.printer,
        ("2026-12-01T13:00:00Z", "2026-12-01T14:00:00Z"),
        "approved",
    )
    .await;

    let pages = every_page(
        &lab,
        &ada,
        (MY_RESERVATIONS, "myReservations"),
        json!({}),
        2,
    )
    .await;

    assert_eq!(ids(&pages), adas, "{pages:#?}");
    assert_eq!(
        counts_and_next(&pages),
        [
            (json!(6), json!(true)),
            (json!(6), json!(true)),
            (json!(6), json!(false)),
        ]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn reservations_pages_through_every_booking_of_the_space_in_the_range_once(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let staff = lab.person("stella", "staff").await;
    let mut expected = adas_bookings(&lab, &ada).await;
    let bobs = booked_directly(
        &lab,
        &bob,
        &lab.printer,
        ("2026-12-01T13:00:00Z", "2026-12-01T14:00:00Z"),
        "approved",
    )
    .await;
    // After Ada's three on Tuesday, before her Wednesday one.
    expected.insert(3, bobs);
    booked_directly(
        &lab,
        &bob,
        &lab.printer,
        ("2026-12-05T09:00:00Z", "2026-12-05T10:00:00Z"),
        "approved",
    )
    .await;
    let range = json!({"space": lab.space, "from": "2026-11-30T00:00:00Z",
                       "to": "2026-12-05T00:00:00Z"});

    let pages = every_page(&lab, &staff, (RESERVATIONS, "reservations"), range, 3).await;

    assert_eq!(ids(&pages), expected, "{pages:#?}");
    assert_eq!(
        counts_and_next(&pages),
        [
            (json!(7), json!(true)),
            (json!(7), json!(true)),
            (json!(7), json!(false)),
        ]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn both_lists_refuse_a_malformed_cursor_and_a_page_size_out_of_range(db: PgPool) {
    let lab = Lab::open(&db).await;
    let range = json!({"space": lab.space, "from": "2026-11-30T00:00:00Z",
                       "to": "2026-12-05T00:00:00Z"});
    let refused = [
        ("after", json!("yesterday")),
        ("after", json!("12:not-an-id")),
        ("first", json!(0)),
        ("first", json!(101)),
    ];

    for (name, value) in refused {
        for (query, mut variables) in [(MY_RESERVATIONS, json!({})), (RESERVATIONS, range.clone())]
        {
            variables[name] = value.clone();
            let answer = lab.ask(Some(&lab.owner), query, variables).await;
            assert_eq!(
                error_code(&answer),
                Some("VALIDATION_ERROR"),
                "{name} {value}: {answer:#}"
            );
        }
    }
}
