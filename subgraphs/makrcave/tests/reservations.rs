//! Booking machines: what a booking is checked against (clashes, skills by level order, plans,
//! quotas, opening hours across a daylight-saving change, blackouts, the machine's state),
//! and that a refused booking writes nothing.

mod common;

use common::lab::{Lab, NOW, at};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, error_message};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_trained_member_books_the_laser_and_gets_a_cost_estimate_in_local_time(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;

    // Tuesday 1 December, 10:00 to 11:30 in Berlin.
    let booking = lab
        .booked(
            &ada,
            &lab.laser,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:30:00Z",
        )
        .await;

    assert_eq!(booking["status"], "APPROVED");
    assert_eq!(booking["startsAt"], "2026-12-01T10:00:00+01:00");
    assert_eq!(booking["endsAt"], "2026-12-01T11:30:00+01:00");
    assert_eq!(
        booking["costEstimateMinor"], 1800,
        "1.5 h at 12.00 EUR an hour"
    );
    assert_eq!(booking["currency"], "EUR");
    assert_eq!(
        lab.count("select count(*) from shared.audit_logs where action = 'reservation.created'")
            .await,
        1
    );
    assert_eq!(
        lab.count(
            "select count(*) from events.outbox where topic = 'makrcave.reservation.changed'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_taken_slot_is_refused_naming_the_booking_it_clashes_with_and_nothing_is_written(
    db: PgPool,
) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;
    let bob = lab.member("bob", Some("basic")).await;
    lab.booked(
        &ada,
        &lab.laser,
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:30:00Z",
    )
    .await;

    let clash = lab
        .book(
            &bob,
            &lab.laser,
            "2026-12-01T10:00:00Z",
            "2026-12-01T11:00:00Z",
        )
        .await;

    assert_eq!(error_code(&clash), Some("CONFLICT"));
    assert!(
        error_message(&clash).contains("from 2026-12-01 10:00 to 11:30 (Europe/Berlin)"),
        "{clash:#}"
    );
    assert_eq!(
        lab.count("select count(*) from makrcave.reservations")
            .await,
        1
    );
    assert_eq!(
        lab.count("select count(*) from shared.audit_logs where entity = 'reservation'")
            .await,
        1
    );
    // Back to back is not a clash.
    lab.booked(
        &bob,
        &lab.laser,
        "2026-12-01T10:30:00Z",
        "2026-12-01T11:00:00Z",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn two_hundred_concurrent_attempts_at_one_slot_make_exactly_one_booking(db: PgPool) {
    let lab = Lab::open(&db).await;
    let mut members = Vec::new();
    for n in 0..10 {
        members.push(lab.member(&format!("racer{n}"), Some("basic")).await);
    }
    let before_audit = lab.count("select count(*) from shared.audit_logs").await;
    let before_events = lab.count("select count(*) from events.outbox").await;

    let attempts = (0..200).map(|n| {
        let who = &members[n % members.len()];
        lab.book(
            who,
            &lab.printer,
            "2026-12-02T13:00:00Z",
            "2026-12-02T14:00:00Z",
        )
    });
    let answers = futures::future::join_all(attempts).await;

    let booked = answers
        .iter()
        .filter(|answer| answer.get("errors").is_none())
        .count();
    let conflicts = answers
        .iter()
        .filter(|answer| error_code(answer) == Some("CONFLICT"))
        .count();
    assert_eq!((booked, conflicts), (1, 199));
    assert_eq!(
        lab.count("select count(*) from makrcave.reservations")
            .await,
        1
    );
    assert_eq!(
        lab.count("select count(*) from shared.audit_logs").await,
        before_audit + 1
    );
    assert_eq!(
        lab.count("select count(*) from events.outbox").await,
        before_events + 1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn skill_levels_compare_by_their_order_never_by_their_names(db: PgPool) {
    let lab = Lab::open(&db).await;
    lab.api
        .data(
            "mutation($input: SetSkillGateInput!) { setEquipmentSkillGate(input: $input) { id } }",
            json!({"input": {"equipmentId": lab.laser, "skillId": lab.laser_safety, "level": "advanced"}}),
            Some(&lab.owner.token),
        )
        .await;
    // By name "basic" sorts after "advanced"; by order it is below it.
    let ada = lab.member("ada", Some("basic")).await;
    let refused = lab
        .book(
            &ada,
            &lab.laser,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    assert!(
        error_message(&refused).contains("Laser safety at level advanced or above; you have basic"),
        "{refused:#}"
    );
    // "expert" sorts before "advanced" by name, after it by order.
    lab.grant(&ada, "expert", None).await;
    lab.booked(
        &ada,
        &lab.laser,
        "2026-12-01T09:00:00Z",
        "2026-12-01T10:00:00Z",
    )
    .await;

    let untrained = lab.member("eve", None).await;
    let refused = lab
        .book(
            &untrained,
            &lab.laser,
            "2026-12-01T11:00:00Z",
            "2026-12-01T12:00:00Z",
        )
        .await;
    assert!(
        error_message(&refused).contains("you have no level in it"),
        "{refused:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_skill_that_lapses_before_the_booking_ends_does_not_count(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    lab.grant(&ada, "basic", Some("2026-12-01T09:30:00Z")).await;

    let refused = lab
        .book(
            &ada,
            &lab.laser,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    assert!(
        error_message(&refused).contains("lapses 2026-12-01 10:30"),
        "{refused:#}"
    );
    lab.booked(
        &ada,
        &lab.laser,
        "2026-11-30T12:00:00Z",
        "2026-11-30T13:00:00Z",
    )
    .await;

    let skills = lab
        .api
        .data(
            "query($id: ID) { mySkills(makerspaceId: $id) { skill { name } level rank expired } }",
            json!({"id": lab.space}),
            Some(&ada.token),
        )
        .await;
    assert_eq!(
        skills["mySkills"],
        json!([{"skill": {"name": "Laser safety"}, "level": "basic", "rank": 2, "expired": false}])
    );
    lab.clock.advance(chrono::Duration::days(2));
    let skills = lab
        .api
        .data(
            "query { mySkills { expired } }",
            json!({}),
            Some(&ada.token),
        )
        .await;
    assert_eq!(skills["mySkills"][0]["expired"], true);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_plan_must_cover_the_machine_and_the_dates(db: PgPool) {
    let lab = Lab::open(&db).await;
    let planless = lab.person("nina", "member").await;
    let refused = lab
        .book(
            &planless,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    assert!(
        error_message(&refused).contains("not on one"),
        "{refused:#}"
    );

    let prints_only = lab
        .api
        .data(
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }",
            json!({"input": {"makerspaceId": lab.space, "name": "Prints only", "priceMinor": 900,
                             "period": "MONTH", "equipmentClasses": ["PRINTER_3D"]}}),
            Some(&lab.owner.token),
        )
        .await["createPlan"]["id"]
        .as_str()
        .expect("a plan id")
        .to_owned();
    lab.put_on_plan(&planless, &prints_only, "2026-11-01", Some("2026-12-01"))
        .await;
    lab.grant(&planless, "expert", None).await;
    let refused = lab
        .book(
            &planless,
            &lab.laser,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    assert!(
        error_message(&refused).contains("your plan Prints only does not cover laser cutters"),
        "{refused:#}"
    );
    // The plan's last day is 1 December, local time: the 1st is covered, the 2nd is not.
    lab.booked(
        &planless,
        &lab.printer,
        "2026-12-01T19:00:00Z",
        "2026-12-01T20:00:00Z",
    )
    .await;
    let refused = lab
        .book(
            &planless,
            &lab.printer,
            "2026-12-02T09:00:00Z",
            "2026-12-02T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    assert!(
        error_message(&refused).contains("runs from 2026-11-01 to 2026-12-01"),
        "{refused:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_book_outside_plans_quotas_and_skills(db: PgPool) {
    let lab = Lab::open(&db).await;
    let sam = lab.person("sam", "staff").await;
    lab.booked(
        &sam,
        &lab.laser,
        "2026-12-01T08:00:00Z",
        "2026-12-01T12:00:00Z",
    )
    .await;
    lab.booked(
        &sam,
        &lab.printer,
        "2026-12-01T08:00:00Z",
        "2026-12-01T12:00:00Z",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn daily_and_weekly_quotas_count_every_booking_of_the_member(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;
    // Tuesday: 2 h on the printer, then 1.5 h on the laser would make 3.5 h of 3.
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-01T09:00:00Z",
        "2026-12-01T11:00:00Z",
    )
    .await;
    let refused = lab
        .book(
            &ada,
            &lab.laser,
            "2026-12-01T12:00:00Z",
            "2026-12-01T13:30:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    assert!(
        error_message(&refused).contains(
            "allows 3 h a day; you have 2 h booked on 2026-12-01 and this booking adds 1.5 h"
        ),
        "{refused:#}"
    );
    lab.booked(
        &ada,
        &lab.laser,
        "2026-12-01T12:00:00Z",
        "2026-12-01T13:00:00Z",
    )
    .await;
    // Wednesday 3 h makes 6 h this week; Thursday's hour would make 7 of 6.
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-02T09:00:00Z",
        "2026-12-02T12:00:00Z",
    )
    .await;
    let refused = lab
        .book(
            &ada,
            &lab.printer,
            "2026-12-03T09:00:00Z",
            "2026-12-03T10:00:00Z",
        )
        .await;
    assert!(
        error_message(&refused).contains("allows 6 h a week"),
        "{refused:#}"
    );
    // Next week is a new week.
    lab.booked(
        &ada,
        &lab.printer,
        "2026-12-07T09:00:00Z",
        "2026-12-07T10:00:00Z",
    )
    .await;
}

/// A member's bookings are looked up by when they start: those that overlap a quota's window
/// start at most the longest booking (a week) before it.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_booking_as_long_as_a_week_counts_in_the_quota_of_its_last_day(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;
    // A week on the printer, as staff could have booked it for her, up to Monday 30 November
    // 09:00 UTC: its last 10 hours fall on that Berlin day (from 23:00 UTC the day before).
    lab.printer_booked_directly(&ada, "2026-11-23T09:00:00Z", "2026-11-30T09:00:00Z")
        .await;

    let refused = lab
        .book(
            &ada,
            &lab.laser,
            "2026-11-30T12:00:00Z",
            "2026-11-30T13:00:00Z",
        )
        .await;

    assert!(
        error_message(&refused).contains("allows 3 h a day; you have 10 h booked on 2026-11-30"),
        "{refused:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn concurrent_bookings_cannot_break_a_daily_quota(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", Some("basic")).await;
    let hours = [
        ("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"),
        ("2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"),
        ("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"),
        ("2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z"),
        ("2026-12-01T13:00:00Z", "2026-12-01T14:00:00Z"),
    ];
    let answers = futures::future::join_all(
        hours
            .iter()
            .map(|(start, end)| lab.book(&ada, &lab.printer, start, end)),
    )
    .await;
    let booked = answers
        .iter()
        .filter(|answer| answer.get("errors").is_none())
        .count();
    assert_eq!(booked, 3, "3 h a day, however the requests interleave");
    assert!(
        answers
            .iter()
            .filter(|answer| answer.get("errors").is_some())
            .all(|answer| error_code(answer) == Some("FORBIDDEN"))
    );
}

/// A booking is worked out from the booker's standing read without locks; the statement that
/// books locks their membership and refuses (as a `CONFLICT` to try again) if it changed
/// meanwhile, since their role decides whether quotas apply.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_booking_statement_holds_the_bookers_standing_as_it_was_read(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let sam = lab.person("sam", "staff").await;
    let holds = |who: &str, as_staff: bool, is_admin: bool| {
        let (db, space, who) = (lab.db.clone(), lab.space.clone(), who.to_owned());
        async move {
            sqlx::query_scalar::<_, bool>("select makrcave.hold_booker($1::uuid, $2::uuid, $3, $4)")
                .bind(space)
                .bind(who)
                .bind(as_staff)
                .bind(is_admin)
                .fetch_one(&db)
                .await
                .expect("an answer")
        }
    };
    assert!(
        holds(&ada.id, false, false).await,
        "a member booking as one"
    );
    assert!(holds(&sam.id, true, false).await, "staff booking as staff");
    assert!(
        !holds(&ada.id, true, false).await,
        "a member worked out as staff"
    );
    assert!(
        !holds(&sam.id, false, false).await,
        "staff worked out as a member"
    );

    sqlx::query(
        "update makrcave.memberships set suspended_at = now()
         where makerspace_id = $1::uuid and user_id = $2::uuid",
    )
    .bind(&lab.space)
    .bind(&ada.id)
    .execute(&lab.db)
    .await
    .expect("ada is suspended");
    assert!(!holds(&ada.id, false, false).await, "suspended meanwhile");

    let stranger = uuid::Uuid::now_v7().to_string();
    assert!(
        !holds(&stranger, false, false).await,
        "no member (any more)"
    );
    assert!(
        holds(&stranger, true, true).await,
        "a platform admin books as staff"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn opening_hours_follow_local_time_across_the_autumn_clock_change(db: PgPool) {
    let lab = Lab::open(&db).await;
    lab.clock.advance(at("2026-10-20T08:00:00Z") - at(NOW));
    let sam = lab.person("sam", "staff").await;
    // Saturday 24 October is summer time: 09:00 in Berlin is 07:00 UTC.
    lab.booked(
        &sam,
        &lab.printer,
        "2026-10-24T07:00:00Z",
        "2026-10-24T08:00:00Z",
    )
    .await;
    let early = lab
        .book(
            &sam,
            &lab.printer,
            "2026-10-24T06:00:00Z",
            "2026-10-24T07:00:00Z",
        )
        .await;
    assert_eq!(error_code(&early), Some("VALIDATION_ERROR"));
    // Monday 26 October is winter time: 07:00 UTC is 08:00 in Berlin, before opening.
    let closed = lab
        .book(
            &sam,
            &lab.printer,
            "2026-10-26T07:00:00Z",
            "2026-10-26T08:00:00Z",
        )
        .await;
    assert_eq!(error_code(&closed), Some("VALIDATION_ERROR"));
    assert!(error_message(&closed).contains("closed"), "{closed:#}");
    lab.booked(
        &sam,
        &lab.printer,
        "2026-10-26T08:00:00Z",
        "2026-10-26T09:00:00Z",
    )
    .await;
    // Closing time moves too: 21:00 is 19:00 UTC in summer, 20:00 UTC in winter.
    let late = lab
        .book(
            &sam,
            &lab.printer,
            "2026-10-24T19:00:00Z",
            "2026-10-24T19:30:00Z",
        )
        .await;
    assert_eq!(error_code(&late), Some("VALIDATION_ERROR"));
    lab.booked(
        &sam,
        &lab.printer,
        "2026-10-26T19:00:00Z",
        "2026-10-26T20:00:00Z",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn blackouts_close_the_space_or_one_machine(db: PgPool) {
    let lab = Lab::open(&db).await;
    let sam = lab.person("sam", "staff").await;
    let add = "mutation($input: AddBlackoutInput!) { addBlackout(input: $input) { id } }";
    lab.api
        .data(
            add,
            json!({"input": {"makerspaceId": lab.space, "startsAt": "2026-12-24T00:00:00Z",
                             "endsAt": "2026-12-27T00:00:00Z", "reason": "Christmas"}}),
            Some(&lab.owner.token),
        )
        .await;
    lab.api
        .data(
            add,
            json!({"input": {"makerspaceId": lab.space, "equipmentId": lab.laser,
                             "startsAt": "2026-12-02T00:00:00Z", "endsAt": "2026-12-03T00:00:00Z",
                             "reason": "new tube"}}),
            Some(&lab.owner.token),
        )
        .await;

    let christmas = lab
        .book(
            &sam,
            &lab.printer,
            "2026-12-24T09:00:00Z",
            "2026-12-24T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&christmas), Some("CONFLICT"));
    assert!(
        error_message(&christmas).contains("Christmas"),
        "{christmas:#}"
    );
    let laser = lab
        .book(
            &sam,
            &lab.laser,
            "2026-12-02T09:00:00Z",
            "2026-12-02T10:00:00Z",
        )
        .await;
    assert!(error_message(&laser).contains("new tube"), "{laser:#}");
    lab.booked(
        &sam,
        &lab.printer,
        "2026-12-02T09:00:00Z",
        "2026-12-02T10:00:00Z",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bookings_in_the_past_too_long_or_off_the_minute_are_invalid(db: PgPool) {
    let lab = Lab::open(&db).await;
    let sam = lab.person("sam", "staff").await;
    let past = lab
        .book(
            &sam,
            &lab.printer,
            "2026-11-30T07:00:00Z",
            "2026-11-30T09:00:00Z",
        )
        .await;
    assert_eq!(error_code(&past), Some("VALIDATION_ERROR"));
    assert!(
        error_message(&past).contains("startsAt: must not be in the past"),
        "{past:#}"
    );
    let long = lab
        .book(
            &sam,
            &lab.printer,
            "2026-12-01T08:00:00Z",
            "2026-12-01T12:01:00Z",
        )
        .await;
    assert!(
        error_message(&long).contains("at most 240 minutes"),
        "{long:#}"
    );
    let odd = lab
        .book(
            &sam,
            &lab.printer,
            "2026-12-01T08:00:30Z",
            "2026-12-01T09:00:00Z",
        )
        .await;
    assert!(error_message(&odd).contains("whole minute"), "{odd:#}");
    assert_eq!(
        lab.count("select count(*) from makrcave.reservations")
            .await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_machine_out_of_order_cannot_be_booked(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    lab.api
        .data(
            "mutation($input: SetEquipmentStatusInput!) { setEquipmentStatus(input: $input) { status } }",
            json!({"input": {"equipmentId": lab.printer, "status": "OUT_OF_ORDER"}}),
            Some(&lab.owner.token),
        )
        .await;
    let refused = lab
        .book(
            &ada,
            &lab.printer,
            "2026-12-01T09:00:00Z",
            "2026-12-01T10:00:00Z",
        )
        .await;
    assert_eq!(error_code(&refused), Some("CONFLICT"));
    assert!(
        error_message(&refused).contains("out of order"),
        "{refused:#}"
    );
}
