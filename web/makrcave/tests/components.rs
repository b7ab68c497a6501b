//! MakrCave's components rendered natively with Yew's server renderer, in each state a page
//! can show them in. Effects do not run on the server, so nothing here fetches.

use std::collections::HashMap;
use std::rc::Rc;

use makrcave::components::{
    ApprovalQueue, AssignForm, BookingDialog, BookingList, BookingState, CheckoffQueue,
    ClosureList, DeskDay, Finding, GateForm, HoursForm, InvitationList, InviteForm, LevelForm,
    MachineForm, MachineList, MaintenanceLog, MemberList, OfferList, Picked, PlanForm, PlanList,
    QrLabel, RulesForm, SentInvitationList, SkillForm, SkillList, SlotFinder, SpaceList,
    WaitingList, WaitlistDialog, WeekCalendar, qr_path, refusal, slot_key,
};
use makrcave::marks::{Asking, Sent};
use makrcave::services::{Booked, Occurrence};
use makrcave::time::{Date, LocalTime};
use makrcave::types::{
    BookingNote, CheckoffAsk, Closure, Day, DeskBooking, DeskMachine, EquipmentClass, FoundSlot,
    Gate, HeldLevel, Invitation, Machine, MachineDetails, MachineSummary, MachineWeek,
    MaintenanceNote, Member, MembershipRole, MyBooking, MySpace, Offer, OpeningSpan,
    PendingBooking, PlanSummary, ReservationStatus, SentInvitation, SkillLevels, SkillStanding,
    SpaceRules, Stretch, StretchKind, Waiting, Weekday,
};
use makrx_web::equipment::EquipmentStatus;
use makrx_web::graphql::{ApiError, FieldError, RequestError};
use yew::prelude::*;

use makrx_web::testing::render;

fn at(text: &str) -> LocalTime {
    LocalTime::parse(text).unwrap_or_else(|| panic!("{text} is a time"))
}

/// A local day of Europe/Berlin, with its hours as the API gives them.
fn day(date: &str, offsets: &[(&str, &str)], end: &str) -> Day {
    Day {
        date: Date::parse(date).expect("a date"),
        starts_at: at(&format!("{date}T00:00:00{}", offsets[0].1)),
        ends_at: at(end),
        hours: offsets
            .iter()
            .map(|(clock, offset)| at(&format!("{date}T{clock}:00{offset}")))
            .collect(),
    }
}

fn hours(from: u32, to: u32, offset: &str) -> Vec<(String, String)> {
    (from..to)
        .map(|hour| (format!("{hour:02}:00"), offset.to_owned()))
        .collect()
}

fn stretch(from: &str, to: &str, kind: StretchKind) -> Stretch {
    Stretch {
        starts_at: at(from),
        ends_at: at(to),
        kind,
        reason: None,
        booking: None,
    }
}

fn machine() -> Machine {
    Machine {
        id: "m1".into(),
        name: "Trotec Speedy 360".into(),
        kind: "laser cutter".into(),
        status: EquipmentStatus::Available,
        hourly_cost_minor: 1200,
        currency: "EUR".into(),
        requires_approval: false,
        max_booking_minutes: 240,
        waitlist_offer_minutes: 30,
        space_name: "Fab Lab Berlin".into(),
        space_slug: "fab-lab-berlin".into(),
    }
}

/// The week of 26 October 2026 in Berlin: the clocks went back on Sunday the 25th, so the
/// week before (from 19 October) ends on a 25-hour day.
fn week_with_the_clock_change() -> MachineWeek {
    let summer = hours(0, 24, "+02:00");
    let mut days: Vec<Day> = (19..=24)
        .map(|n| {
            let date = format!("2026-10-{n}");
            let owned: Vec<(&str, &str)> = summer
                .iter()
                .map(|(c, o)| (c.as_str(), o.as_str()))
                .collect();
            day(&date, &owned, &format!("2026-10-{}T00:00:00+02:00", n + 1))
        })
        .collect();
    let mut sunday: Vec<(String, String)> = hours(0, 3, "+02:00");
    sunday.extend(hours(2, 24, "+01:00"));
    let sunday: Vec<(&str, &str)> = sunday
        .iter()
        .map(|(c, o)| (c.as_str(), o.as_str()))
        .collect();
    days.push(day("2026-10-25", &sunday, "2026-10-26T00:00:00+01:00"));
    let mut booked = stretch(
        "2026-10-20T10:00:00+02:00",
        "2026-10-20T12:00:00+02:00",
        StretchKind::Booked,
    );
    booked.booking = Some(BookingNote {
        id: "ada".into(),
        booker: "Ada Lovelace".into(),
        status: ReservationStatus::Approved,
        offer_expires_at: None,
    });
    let mut mine = stretch(
        "2026-10-21T14:00:00+02:00",
        "2026-10-21T15:30:00+02:00",
        StretchKind::Mine,
    );
    mine.booking = Some(BookingNote {
        id: "mine".into(),
        booker: "Me".into(),
        status: ReservationStatus::Pending,
        offer_expires_at: None,
    });
    let mut blackout = stretch(
        "2026-10-22T00:00:00+02:00",
        "2026-10-23T00:00:00+02:00",
        StretchKind::Blocked,
    );
    blackout.reason = Some("Annual deep clean".into());
    MachineWeek {
        machine: machine(),
        monday: Date::parse("2026-10-19").expect("a date"),
        time_zone: "Europe/Berlin".into(),
        days,
        stretches: vec![
            // Starts before the week: cut at Monday's midnight.
            stretch(
                "2026-10-18T20:00:00+02:00",
                "2026-10-19T09:00:00+02:00",
                StretchKind::Free,
            ),
            booked,
            mine,
            blackout,
            stretch(
                "2026-10-24T23:00:00+02:00",
                "2026-10-25T04:00:00+01:00",
                StretchKind::Free,
            ),
        ],
        // Loaded the week before.
        now: at("2026-10-12T09:00:00+02:00").unix_seconds(),
    }
}

/// How a stretch's button begins: what it does (for screen readers), then the times it shows,
/// so that its name holds what it shows.
fn named(does: &str, times: &str) -> String {
    format!(
        r#"<span class="visually-hidden">{does} </span><span class="stretch__times">{times}</span>"#
    )
}

fn calendar(week: MachineWeek) -> Html {
    html! { <WeekCalendar {week} on_pick={Callback::noop()} on_wait={Callback::noop()} /> }
}

#[tokio::test]
async fn a_week_across_the_clock_change_draws_a_25_hour_sunday() {
    let html = render(calendar(week_with_the_clock_change())).await;

    assert_eq!(html.matches(r#"class="day""#).count(), 7, "{html}");
    assert!(html.contains("--day-hours: 25"), "{html}");
    assert_eq!(html.matches("--day-hours: 24").count(), 6, "{html}");
    assert!(html.contains("25-hour day: the clocks change"), "{html}");
    // Sunday's two o'clocks are both marked.
    let sunday = &html[html.find("Sun 25 Oct").expect("Sunday")..];
    assert_eq!(sunday.matches(">02:00<").count(), 2, "{sunday}");
}

#[tokio::test]
async fn a_stretch_across_midnight_is_cut_into_each_day_with_the_local_clock() {
    let html = render(calendar(week_with_the_clock_change())).await;

    // Saturday 23:00 to Sunday 04:00 winter time: an hour on Saturday, then five on Sunday
    // (the clocks went back at three).
    assert!(
        html.contains(&named("Book Sat 24 Oct", "23:00–24:00")),
        "{html}"
    );
    assert!(
        html.contains(&named("Book Sun 25 Oct", "00:00–04:00")),
        "{html}"
    );
    // Sunday's track is 25 hours: its first five hours are a fifth of it.
    let sunday = &html[html.find("Sun 25 Oct").expect("Sunday")..];
    assert!(sunday.contains("top: 0.000%; height: 20.000%"), "{sunday}");
    // The free stretch from Sunday 18 October starts the week at Monday's midnight.
    assert!(
        html.contains(&named("Book Mon 19 Oct", "00:00–09:00")),
        "{html}"
    );
}

#[tokio::test]
async fn own_and_others_bookings_and_blackouts_say_what_they_are() {
    let html = render(calendar(week_with_the_clock_change())).await;

    assert!(html.contains("Booked by Ada Lovelace"), "{html}");
    assert!(
        html.contains("Your booking, waiting for approval"),
        "{html}"
    );
    assert!(html.contains("Closed: Annual deep clean"), "{html}");
    assert!(html.contains("14:00–15:30"), "{html}");
    // Free stretches are buttons to book, others' bookings to come buttons to wait for.
    assert_eq!(html.matches("<button").count(), 4, "{html}");
    assert!(
        html.contains(&named("Join the waitlist for Tue 20 Oct", "10:00–12:00")),
        "{html}"
    );
}

#[tokio::test]
async fn an_others_booking_the_member_may_not_see_is_only_busy() {
    let mut week = week_with_the_clock_change();
    week.stretches = vec![stretch(
        "2026-10-20T10:00:00+02:00",
        "2026-10-20T12:00:00+02:00",
        StretchKind::Booked,
    )];

    let html = render(calendar(week)).await;

    assert!(html.contains(">Booked<"), "{html}");
    assert!(!html.contains("Booked by"), "{html}");
    assert_eq!(html.matches("Nothing this day").count(), 6, "{html}");
}

#[tokio::test]
async fn a_booking_that_has_begun_cannot_be_waited_for() {
    let mut week = week_with_the_clock_change();
    week.now = at("2026-10-20T10:30:00+02:00").unix_seconds();

    let html = render(calendar(week)).await;

    assert!(html.contains("Booked by Ada Lovelace"), "{html}");
    assert!(!html.contains("Join the waitlist"), "{html}");
}

fn dialog(state: BookingState) -> Html {
    let week = week_with_the_clock_change();
    let day = week.days[1].clone();
    let picked = Picked {
        from: at("2026-10-20T13:00:00+02:00").unix_seconds(),
        to: at("2026-10-20T18:00:00+02:00").unix_seconds(),
    };
    html! {
        <BookingDialog machine={machine()} {day} {picked} time_zone="Europe/Berlin" {state}
            on_confirm={Callback::noop()} on_close={Callback::noop()} />
    }
}

#[tokio::test]
async fn the_booking_dialog_shows_the_times_in_the_spaces_zone_and_the_cost() {
    let html = render(dialog(BookingState::Choosing)).await;

    assert!(
        html.contains("Book Trotec Speedy 360 on Tue 20 Oct"),
        "{html}"
    );
    assert!(
        html.contains("13:00–14:00 (Europe/Berlin) · estimated cost 12.00 EUR"),
        "{html}"
    );
    // Starts every quarter hour until the stretch's last quarter, lengths up to four hours.
    assert!(html.contains(">17:45</option>"), "{html}");
    assert!(!html.contains(">18:00</option>"), "{html}");
    assert!(html.contains(">4 h</option>"), "{html}");
    assert!(!html.contains("role=\"alert\""), "{html}");
}

#[tokio::test]
async fn a_refused_booking_shows_the_apis_reason_beside_the_choice() {
    let clash = RequestError::Api(vec![ApiError {
        message:
            "Trotec Speedy 360 is already booked from 2026-10-20 13:00 to 14:00 (Europe/Berlin)"
                .into(),
        code: Some("CONFLICT".into()),
        details: vec![],
    }]);

    let html = render(dialog(BookingState::Refused(refusal(&clash)))).await;

    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("Not booked. "), "{html}");
    assert!(
        html.contains("is already booked from 2026-10-20 13:00 to 14:00 (Europe/Berlin)"),
        "{html}"
    );
    // The choice stays, to change and try again.
    assert!(html.contains("<select"), "{html}");
}

#[test]
fn refusals_name_the_field_a_skill_or_sign_in() {
    let invalid = RequestError::Api(vec![ApiError {
        message: "Invalid input".into(),
        code: Some("VALIDATION_ERROR".into()),
        details: vec![FieldError {
            field: "startsAt".into(),
            message: "must not be in the past".into(),
        }],
    }]);
    assert_eq!(refusal(&invalid), "The start must not be in the past.");
    let skill = RequestError::Api(vec![ApiError {
        message: "Booking Trotec Speedy 360 needs Laser cutting at level basic".into(),
        code: Some("FORBIDDEN".into()),
        details: vec![],
    }]);
    assert_eq!(
        refusal(&skill),
        "Booking Trotec Speedy 360 needs Laser cutting at level basic"
    );
    assert_eq!(
        refusal(&RequestError::Status(401)),
        "Sign in to book this machine."
    );
}

#[tokio::test]
async fn a_booking_says_where_it_stands_and_what_it_costs() {
    let booked = Booked {
        status: ReservationStatus::Pending,
        cost: "12.00 EUR".into(),
    };

    let html = render(dialog(BookingState::Booked(booked))).await;

    assert!(
        html.contains("Booked: waiting for approval. Estimated cost 12.00 EUR."),
        "{html}"
    );
}

#[tokio::test]
async fn machines_say_which_skill_they_need_and_whether_it_is_held() {
    let machines = vec![
        MachineSummary {
            id: "a".into(),
            name: "Prusa MK4".into(),
            kind: "printer".into(),
            class: EquipmentClass::Printer3d,
            status: EquipmentStatus::Available,
            gate: None,
        },
        MachineSummary {
            id: "b".into(),
            name: "Trotec".into(),
            kind: "laser".into(),
            class: EquipmentClass::LaserCutter,
            status: EquipmentStatus::Maintenance,
            gate: Some(Gate {
                skill: "Laser cutting".into(),
                level: "basic".into(),
                held: false,
            }),
        },
    ];

    let html = render(html! { <MachineList {machines} /> }).await;

    assert!(html.contains("3D printer · printer"), "{html}");
    assert!(
        html.contains("Needs Laser cutting: basic — you do not hold it yet"),
        "{html}"
    );
    assert!(html.contains("Maintenance"), "{html}");
    assert!(html.contains(r#"href="/machines/b""#), "{html}");
}

#[tokio::test]
async fn no_machines_and_no_spaces_are_said_in_words() {
    let machines = render(html! { <MachineList machines={Vec::new()} /> }).await;
    assert!(
        machines.contains("This makerspace has no machines yet."),
        "{machines}"
    );

    let spaces =
        render(html! { <SpaceList spaces={Vec::new()} directory={Some(AttrValue::from("/"))} /> })
            .await;
    assert!(
        spaces.contains("You do not belong to a makerspace yet"),
        "{spaces}"
    );
    assert!(spaces.contains(r#"href="/""#), "{spaces}");
}

#[tokio::test]
async fn a_members_spaces_show_the_role_and_a_suspension() {
    let spaces = vec![MySpace {
        name: "Fab Lab Berlin".into(),
        slug: "fab-lab-berlin".into(),
        location: "Berlin".into(),
        time_zone: "Europe/Berlin".into(),
        role: MembershipRole::Staff,
        suspended: true,
        plan: None,
    }];

    let html = render(html! { <SpaceList {spaces} directory={None::<AttrValue>} /> }).await;

    assert!(html.contains("Staff"), "{html}");
    assert!(html.contains("suspended"), "{html}");
    assert!(html.contains(r#"href="/spaces/fab-lab-berlin""#), "{html}");
    assert!(html.contains("Staff book without a plan"), "{html}");
    // A suspended member runs nothing.
    assert!(!html.contains("The desk"), "{html}");
}

#[tokio::test]
async fn a_members_space_says_their_plan_or_whom_to_ask_for_one() {
    let space = |plan: Option<&str>| MySpace {
        name: "Fab Lab Berlin".into(),
        slug: "fab-lab-berlin".into(),
        location: "Berlin".into(),
        time_zone: "Europe/Berlin".into(),
        role: MembershipRole::Member,
        suspended: false,
        plan: plan.map(str::to_owned),
    };

    let html = render(html! {
        <SpaceList spaces={vec![space(Some("Hobby until 31 Dec 2026"))]} directory={None::<AttrValue>} />
    })
    .await;
    let none = render(html! {
        <SpaceList spaces={vec![space(None)]} directory={None::<AttrValue>} />
    })
    .await;

    assert!(html.contains("Plan: Hobby until 31 Dec 2026"), "{html}");
    assert!(
        none.contains("On no plan yet: ask the space's staff"),
        "{none}"
    );
    assert!(
        !html.contains("Members</a>"),
        "a member has no staff pages: {html}"
    );
}

#[tokio::test]
async fn free_time_that_has_passed_cannot_be_picked_and_a_whole_day_ends_at_24() {
    let mut week = week_with_the_clock_change();
    week.stretches = vec![
        stretch(
            "2026-10-19T00:00:00+02:00",
            "2026-10-20T00:00:00+02:00",
            StretchKind::Free,
        ),
        stretch(
            "2026-10-20T00:00:00+02:00",
            "2026-10-21T00:00:00+02:00",
            StretchKind::Free,
        ),
        stretch(
            "2026-10-21T00:00:00+02:00",
            "2026-10-22T00:00:00+02:00",
            StretchKind::Free,
        ),
    ];
    week.now = at("2026-10-20T09:07:00+02:00").unix_seconds();

    let html = render(calendar(week)).await;

    assert!(html.contains("stretch--past"), "{html}");
    assert!(!html.contains("Book Mon 19 Oct"), "{html}");
    assert!(
        html.contains(&named("Book Tue 20 Oct", "09:15–24:00")),
        "{html}"
    );
    assert!(
        html.contains(&named("Book Wed 21 Oct", "00:00–24:00")),
        "{html}"
    );
}

fn my_booking(id: &str, starts: &str, ends: &str, until: Option<&str>) -> MyBooking {
    MyBooking {
        id: id.into(),
        machine_id: "m1".into(),
        machine_name: "Trotec Speedy 360".into(),
        space_name: "Fab Lab Berlin".into(),
        time_zone: "Europe/Berlin".into(),
        starts_at: at(starts),
        ends_at: at(ends),
        status: ReservationStatus::Approved,
        cost: "12.00 EUR".into(),
        cancellable_until: until.map(at),
        check_in_opens_at: None,
        offer_expires_at: None,
    }
}

fn bookings(cancelling: HashMap<String, Asking>) -> Html {
    let bookings = vec![
        my_booking(
            "past",
            "2026-11-30T10:00:00+01:00",
            "2026-11-30T11:00:00+01:00",
            None,
        ),
        my_booking(
            "late",
            "2026-12-07T09:00:00+01:00",
            "2026-12-07T10:00:00+01:00",
            Some("2026-12-07T08:00:00+01:00"),
        ),
        MyBooking {
            check_in_opens_at: Some(at("2026-12-09T13:45:00+01:00")),
            ..my_booking(
                "open",
                "2026-12-09T14:00:00+01:00",
                "2026-12-09T15:30:00+01:00",
                Some("2026-12-09T13:00:00+01:00"),
            )
        },
    ];
    // Monday 7 December, 08:30 in Berlin: the first booking's deadline has gone.
    let now = at("2026-12-07T08:30:00+01:00").unix_seconds();
    html! {
        <BookingList {bookings} {now} cancelling={Rc::new(cancelling)} on_cancel={Callback::noop()} />
    }
}

#[tokio::test]
async fn bookings_to_come_offer_cancelling_until_the_deadline_and_say_when_it_has_gone() {
    let html = render(bookings(HashMap::new())).await;

    let (upcoming, past) = html.split_at(html.find("The last 30 days").expect("the past"));
    assert!(upcoming.contains("Wed 9 Dec 14:00–15:30"), "{upcoming}");
    assert!(upcoming.contains("until Wed 9 Dec 13:00"), "{upcoming}");
    assert_eq!(upcoming.matches(">Cancel<").count(), 1, "{upcoming}");
    assert!(
        upcoming.contains("Cancelling closed at Mon 7 Dec 08:00: ask the space's staff."),
        "{upcoming}"
    );
    assert!(
        upcoming.contains("Check in at the desk from 13:45 until 15:30"),
        "{upcoming}"
    );
    assert!(past.contains("Mon 30 Nov 10:00–11:00"), "{past}");
    assert!(!past.contains("Cancel"), "{past}");
    assert!(html.contains("Approved · 12.00 EUR"), "{html}");
}

#[tokio::test]
async fn a_refused_cancellation_says_why_beside_its_booking() {
    let refused = HashMap::from([(
        "open".to_owned(),
        Asking::Refused("Bookings here can be cancelled up to 60 minutes before they start".into()),
    )]);

    let html = render(bookings(refused)).await;

    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("Not cancelled. "), "{html}");
}

#[tokio::test]
async fn no_bookings_say_where_to_book() {
    let html = render(html! {
        <BookingList bookings={Vec::new()} now={0} on_cancel={Callback::noop()} />
    })
    .await;

    assert!(html.contains("No bookings to come."), "{html}");
    assert!(html.contains("None."), "{html}");
}

fn found(machine: &str, starts: &str, ends: &str) -> FoundSlot {
    FoundSlot {
        machine_id: format!("id-{machine}"),
        machine_name: machine.into(),
        starts_at: at(starts),
        ends_at: at(ends),
    }
}

fn finder(finding: Finding, booking: HashMap<String, BookingState>) -> Html {
    let days: Vec<(Date, LocalTime)> = (0..15)
        .map(|n| {
            let date = Date::parse("2026-12-07").expect("a date").add_days(n);
            (date, at(&format!("{date}T00:00:00+01:00")))
        })
        .collect();
    html! {
        <SlotFinder makerspace_id="space" classes={vec![EquipmentClass::LaserCutter, EquipmentClass::Printer3d]}
            {days} time_zone="Europe/Berlin" {finding} booking={Rc::new(booking)}
            on_search={Callback::noop()} on_book={Callback::noop()} />
    }
}

#[tokio::test]
async fn the_slot_finder_offers_the_spaces_classes_and_days() {
    let html = render(finder(Finding::Idle, HashMap::new())).await;

    assert!(html.contains(">Laser cutter</option>"), "{html}");
    assert!(html.contains(">3D printer</option>"), "{html}");
    // The first eight days, so that a week's search stays within the days loaded.
    assert!(html.contains(">Mon 14 Dec</option>"), "{html}");
    assert!(!html.contains(">Tue 15 Dec</option>"), "{html}");
    assert!(!html.contains("<ol"), "{html}");
}

#[tokio::test]
async fn found_slots_are_listed_earliest_first_each_with_its_booking() {
    let first = found(
        "Epilog Fusion",
        "2026-12-07T09:00:00+01:00",
        "2026-12-07T10:00:00+01:00",
    );
    let second = found(
        "Trotec",
        "2026-12-07T09:00:00+01:00",
        "2026-12-07T10:00:00+01:00",
    );
    let third = found(
        "Epilog Fusion",
        "2026-12-08T14:00:00+01:00",
        "2026-12-08T15:00:00+01:00",
    );
    let booking = HashMap::from([
        (
            slot_key(&first),
            BookingState::Booked(Booked {
                status: ReservationStatus::Approved,
                cost: "12.00 EUR".into(),
            }),
        ),
        (
            slot_key(&second),
            BookingState::Refused("Trotec is booked from 09:00 to 10:00 (Europe/Berlin)".into()),
        ),
    ]);

    let html = render(finder(Finding::Found(vec![first, second, third]), booking)).await;

    assert!(html.contains("Mon 7 Dec 09:00–10:00"), "{html}");
    assert!(html.contains("Booked: approved"), "{html}");
    assert!(
        html.contains("Trotec is booked from 09:00 to 10:00"),
        "{html}"
    );
    assert!(
        html.contains(r#"aria-label="Book Epilog Fusion Tue 8 Dec 14:00–15:00""#),
        "{html}"
    );
    assert_eq!(html.matches(">Book<").count(), 1, "{html}");
}

#[tokio::test]
async fn a_search_that_finds_nothing_or_is_refused_says_so() {
    let none = render(finder(Finding::Found(Vec::new()), HashMap::new())).await;
    assert!(none.contains("No free slot of that length then."), "{none}");

    let refused = render(finder(
        Finding::Refused("Booking here needs a membership plan, and you are not on one".into()),
        HashMap::new(),
    ))
    .await;
    assert!(refused.contains(r#"role="alert""#), "{refused}");
    assert!(refused.contains("needs a membership plan"), "{refused}");
}

fn pending(id: &str, booker: &str, starts: &str, ends: &str) -> PendingBooking {
    PendingBooking {
        id: id.into(),
        booker: booker.into(),
        machine_name: "Prusa MK4".into(),
        starts_at: at(starts),
        ends_at: at(ends),
        note: String::new(),
    }
}

#[tokio::test]
async fn the_approvals_queue_lists_requests_to_approve_or_reject_and_says_why_one_failed() {
    let mut with_note = pending(
        "b",
        "Bob",
        "2026-12-08T14:00:00+01:00",
        "2026-12-08T15:00:00+01:00",
    );
    with_note.note = "Enclosure prototype".into();
    let requests = vec![
        pending(
            "a",
            "Ada",
            "2026-12-07T09:00:00+01:00",
            "2026-12-07T10:00:00+01:00",
        ),
        with_note,
    ];
    let deciding = HashMap::from([(
        "b".to_owned(),
        Asking::Refused("The booking is no longer pending".into()),
    )]);

    let html = render(html! {
        <ApprovalQueue pending={requests} time_zone="Europe/Berlin" deciding={Rc::new(deciding)}
            on_decide={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Mon 7 Dec 09:00–10:00"), "{html}");
    assert!(html.contains("Prusa MK4 · Ada"), "{html}");
    assert!(html.contains("“Enclosure prototype”"), "{html}");
    assert_eq!(html.matches(">Approve<").count(), 2, "{html}");
    assert!(html.contains("aria-label=\"Reject Bob's booking"), "{html}");
    assert!(html.contains("The booking is no longer pending"), "{html}");
}

#[tokio::test]
async fn an_empty_queue_says_requests_will_appear() {
    let html = render(html! {
        <ApprovalQueue pending={Vec::new()} time_zone="Europe/Berlin" on_decide={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Nothing waits for approval."), "{html}");
}

#[tokio::test]
async fn invitations_say_which_space_what_role_and_until_when() {
    let invitations = vec![Invitation {
        id: "i1".into(),
        space_name: "Fab Lab Berlin".into(),
        role: MembershipRole::Staff,
        invited_by: "Olga Owner".into(),
        expires_at: at("2026-12-10T12:00:00+01:00"),
    }];
    let refused = HashMap::from([(
        "i1".to_owned(),
        Asking::Refused("This invitation has expired".into()),
    )]);

    let html = render(html! {
        <InvitationList {invitations} answering={Rc::new(refused)} on_answer={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Fab Lab Berlin as staff"), "{html}");
    assert!(
        html.contains("From Olga Owner, open until 10 Dec 2026"),
        "{html}"
    );
    assert!(
        html.contains(">Join<") && html.contains(">Decline<"),
        "{html}"
    );
    assert!(html.contains("This invitation has expired"), "{html}");
    let none =
        render(html! { <InvitationList invitations={Vec::new()} on_answer={Callback::noop()} /> })
            .await;
    assert!(!none.contains("Invitations"), "{none}");
}

fn skill(id: &str, held: Option<HeldLevel>) -> SkillStanding {
    SkillStanding {
        id: id.into(),
        name: format!("Skill {id}"),
        description: String::new(),
        levels: vec!["basic".into(), "advanced".into(), "trainer".into()],
        held,
    }
}

fn held(level: &str, rank: usize, expires: Option<&str>, expired: bool) -> Option<HeldLevel> {
    Some(HeldLevel {
        level: level.into(),
        rank,
        expires_at: expires.map(at),
        expired,
    })
}

#[test]
fn a_check_off_is_asked_for_above_the_level_held_or_afresh_once_it_lapsed() {
    assert_eq!(
        skill("a", None).levels_to_request(),
        ["basic", "advanced", "trainer"]
    );
    assert_eq!(
        skill("b", held("advanced", 2, None, false)).levels_to_request(),
        ["trainer"]
    );
    assert!(
        skill("c", held("trainer", 3, None, false))
            .levels_to_request()
            .is_empty()
    );
    assert_eq!(
        skill("d", held("advanced", 2, None, true))
            .levels_to_request()
            .len(),
        3
    );
}

#[tokio::test]
async fn skills_show_the_level_held_until_when_and_what_can_be_asked_for() {
    let skills = vec![
        skill("none", None),
        skill(
            "held",
            held("basic", 1, Some("2027-03-01T00:00:00+01:00"), false),
        ),
        skill("top", held("trainer", 3, None, false)),
        skill("lapsed", held("advanced", 2, None, true)),
    ];
    let asked = HashMap::from([("lapsed".to_owned(), "advanced".to_owned())]);

    let html = render(html! {
        <SkillList {skills} asked={Rc::new(asked)} on_ask={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Not checked off yet"), "{html}");
    assert!(html.contains("basic until 1 Mar 2027"), "{html}");
    assert!(
        html.contains("advanced — lapsed, ask for a new check-off"),
        "{html}"
    );
    assert!(html.contains("Check-off at advanced requested"), "{html}");
    // A form for the skill not held and the one held at basic; none at the top level.
    assert_eq!(html.matches("Request a check-off").count(), 2, "{html}");
    let held = &html[html.find("Skill held").expect("the held skill")..];
    let held = &held[..held.find("Skill top").expect("the next skill")];
    assert!(!held.contains(">basic</option>"), "{held}");
    assert!(held.contains(">advanced</option>"), "{held}");
}

#[tokio::test]
async fn a_booking_can_repeat_weekly_for_up_to_twelve_weeks() {
    let html = render(dialog(BookingState::Choosing)).await;

    assert!(
        html.contains(r#"for="booking-weeks" class="field__label">Repeat</label>"#),
        "{html}"
    );
    assert!(html.contains(">Only this once</option>"), "{html}");
    assert!(html.contains(">Weekly, 12 weeks</option>"), "{html}");
    assert!(!html.contains(">Weekly, 13 weeks</option>"), "{html}");
}

#[tokio::test]
async fn a_series_shows_every_week_booked_or_refused_with_its_reason() {
    let week = |day: u32, outcome| Occurrence {
        starts_at: at(&format!(
            "2026-10-{day}T13:00:00+0{}:00",
            if day < 25 { 2 } else { 1 }
        )),
        ends_at: at(&format!(
            "2026-10-{day}T14:00:00+0{}:00",
            if day < 25 { 2 } else { 1 }
        )),
        outcome,
    };
    let weeks = vec![
        week(20, Ok(ReservationStatus::Approved)),
        week(27, Err("Trotec Speedy 360 is already booked then".into())),
    ];

    let html = render(dialog(BookingState::Series(weeks))).await;

    assert!(html.contains("Booked 1 of 2 weeks."), "{html}");
    assert!(
        html.contains("Tue 20 Oct 13:00–14:00: booked, approved"),
        "{html}"
    );
    assert!(
        html.contains("Tue 27 Oct 13:00–14:00: <strong>not booked. </strong>Trotec Speedy 360 is already booked then"),
        "{html}"
    );
    assert!(!html.contains("<select"), "{html}");
}

fn waitlist_dialog(state: BookingState) -> Html {
    let taken = stretch(
        "2026-10-20T10:00:00+02:00",
        "2026-10-20T12:00:00+02:00",
        StretchKind::Booked,
    );
    html! {
        <WaitlistDialog machine={machine()} {taken} time_zone="Europe/Berlin" {state}
            on_join={Callback::noop()} on_close={Callback::noop()} />
    }
}

#[tokio::test]
async fn waiting_for_a_taken_slot_says_how_long_an_offer_is_held() {
    let html = render(waitlist_dialog(BookingState::Choosing)).await;

    assert!(html.contains("Wait for Trotec Speedy 360"), "{html}");
    assert!(
        html.contains("Tue 20 Oct 10:00–12:00 (Europe/Berlin) is taken. If it frees, it is held for the first person waiting for 30 minutes"),
        "{html}"
    );
    assert!(html.contains(">Join the waitlist<"), "{html}");

    let refused = render(waitlist_dialog(BookingState::Refused(
        "You are already on the waitlist for this slot".into(),
    )))
    .await;
    assert!(refused.contains("Not on the waitlist. "), "{refused}");
    assert!(refused.contains("already on the waitlist"), "{refused}");

    let joined = render(waitlist_dialog(BookingState::Waiting)).await;
    assert!(joined.contains(r#"role="status""#), "{joined}");
    assert!(
        joined.contains("You are on the waitlist for Tue 20 Oct 10:00–12:00"),
        "{joined}"
    );
    assert!(!joined.contains("<form"), "{joined}");
}

fn offer(id: &str, expires_at: i64) -> Offer {
    Offer {
        id: id.into(),
        machine_name: "Trotec Speedy 360".into(),
        starts_at: at("2026-12-07T09:00:00+01:00"),
        ends_at: at("2026-12-07T10:00:00+01:00"),
        time_zone: "Europe/Berlin".into(),
        expires_at,
    }
}

#[tokio::test]
async fn an_offer_counts_down_and_can_be_taken_or_declined() {
    let now = at("2026-12-07T08:00:00+01:00").unix_seconds();
    let offers = vec![offer("o1", now + 299)];

    let html = render(html! {
        <OfferList {offers} {now} on_answer={Callback::noop()} on_lapsed={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Offered to you"), "{html}");
    assert!(html.contains("Mon 7 Dec 09:00–10:00"), "{html}");
    assert!(html.contains(r#"role="timer""#), "{html}");
    assert!(html.contains("4:59 left to take it up"), "{html}");
    assert!(
        html.contains(r#"aria-label="Take it: Trotec Speedy 360 Mon 7 Dec 09:00–10:00""#),
        "{html}"
    );
    assert!(html.contains(">Decline<"), "{html}");
}

#[tokio::test]
async fn a_lapsed_offer_says_so_and_no_offers_show_nothing() {
    let now = at("2026-12-07T08:00:00+01:00").unix_seconds();
    let answering = Rc::new(HashMap::from([(
        "o1".to_owned(),
        Asking::Refused("The offer has lapsed".into()),
    )]));

    let html = render(html! {
        <OfferList offers={vec![offer("o1", now)]} {now} {answering}
            on_answer={Callback::noop()} on_lapsed={Callback::noop()} />
    })
    .await;
    assert!(html.contains("The offer has lapsed"), "{html}");
    assert!(!html.contains("role=\"timer\""), "{html}");
    assert!(html.contains("Not answered. "), "{html}");

    let none = render(html! {
        <OfferList offers={Vec::new()} {now} on_answer={Callback::noop()} on_lapsed={Callback::noop()} />
    })
    .await;
    assert!(!none.contains("Offered to you"), "{none}");
}

#[tokio::test]
async fn the_slots_waited_for_can_be_left_and_none_say_how_to_wait() {
    let waiting = vec![Waiting {
        id: "w1".into(),
        machine_id: "m1".into(),
        machine_name: "Trotec Speedy 360".into(),
        space_name: "Fab Lab Berlin".into(),
        time_zone: "Europe/Berlin".into(),
        starts_at: at("2026-12-08T18:00:00+01:00"),
        ends_at: at("2026-12-08T20:00:00+01:00"),
    }];

    let html = render(html! { <WaitingList {waiting} on_leave={Callback::noop()} /> }).await;
    assert!(html.contains("Tue 8 Dec 18:00–20:00"), "{html}");
    assert!(
        html.contains("Trotec Speedy 360 · Fab Lab Berlin"),
        "{html}"
    );
    assert!(
        html.contains(
            r#"aria-label="Leave the waitlist for Trotec Speedy 360 on Tue 8 Dec 18:00""#
        ),
        "{html}"
    );

    let none =
        render(html! { <WaitingList waiting={Vec::new()} on_leave={Callback::noop()} /> }).await;
    assert!(
        none.contains("No waitlists. When a slot you want is taken"),
        "{none}"
    );
}

#[test]
fn a_week_holds_the_persons_offers_and_not_their_bookings() {
    let mut week = week_with_the_clock_change();
    let expires = at("2026-10-19T09:30:00+02:00").unix_seconds();
    let mut offered = stretch(
        "2026-10-23T09:00:00+02:00",
        "2026-10-23T10:00:00+02:00",
        StretchKind::Mine,
    );
    offered.booking = Some(BookingNote {
        id: "offer".into(),
        booker: "Me".into(),
        status: ReservationStatus::Offered,
        offer_expires_at: Some(expires),
    });
    week.stretches.push(offered);

    let offers = week.offers();

    assert_eq!(offers.len(), 1, "{offers:?}");
    assert_eq!(offers[0].id, "offer");
    assert_eq!(offers[0].expires_at, expires);
    assert_eq!(offers[0].machine_name, "Trotec Speedy 360");
}

fn desk_booking(
    booker: &str,
    status: ReservationStatus,
    (starts, ends): (&str, &str),
    opens: Option<&str>,
) -> DeskBooking {
    DeskBooking {
        id: format!("b-{booker}"),
        booker: booker.into(),
        starts_at: at(starts),
        ends_at: at(ends),
        status,
        check_in_opens_at: opens.map(at),
        note: String::new(),
    }
}

/// Monday 7 December in Berlin at 10:00: Ada's 10:00 booking is open for check-in, Bob's at
/// 11:00 opens at 10:45, Cy is at the machine, Dee's 08:00 booking went by unused, Eve's
/// waits for approval.
fn desk_day() -> Html {
    let laser = DeskMachine {
        id: "laser".into(),
        name: "Trotec Speedy 360".into(),
        status: EquipmentStatus::Available,
        bookings: vec![
            desk_booking(
                "Dee",
                ReservationStatus::Approved,
                ("2026-12-07T08:00:00+01:00", "2026-12-07T09:00:00+01:00"),
                Some("2026-12-07T07:45:00+01:00"),
            ),
            desk_booking(
                "Ada",
                ReservationStatus::Approved,
                ("2026-12-07T10:00:00+01:00", "2026-12-07T11:00:00+01:00"),
                Some("2026-12-07T09:45:00+01:00"),
            ),
            desk_booking(
                "Bob",
                ReservationStatus::Approved,
                ("2026-12-07T11:00:00+01:00", "2026-12-07T12:00:00+01:00"),
                Some("2026-12-07T10:45:00+01:00"),
            ),
        ],
    };
    let printer = DeskMachine {
        id: "printer".into(),
        name: "Prusa MK4".into(),
        status: EquipmentStatus::InUse,
        bookings: vec![
            desk_booking(
                "Cy",
                ReservationStatus::CheckedIn,
                ("2026-12-07T09:00:00+01:00", "2026-12-07T12:00:00+01:00"),
                None,
            ),
            desk_booking(
                "Eve",
                ReservationStatus::Pending,
                ("2026-12-07T14:00:00+01:00", "2026-12-07T15:00:00+01:00"),
                None,
            ),
        ],
    };
    let idle = DeskMachine {
        id: "mill".into(),
        name: "Shapeoko".into(),
        status: EquipmentStatus::Available,
        bookings: Vec::new(),
    };
    let now = at("2026-12-07T10:00:00+01:00").unix_seconds();
    html! {
        <DeskDay machines={vec![laser, printer, idle]} slug="fab-lab-berlin" {now}
            on_step={Callback::noop()} />
    }
}

#[tokio::test]
async fn the_desk_checks_in_once_the_window_opens_and_out_once_in() {
    let html = render(desk_day()).await;

    assert!(
        html.contains(r#"aria-label="Check in Ada at Trotec Speedy 360 10:00–11:00""#),
        "{html}"
    );
    assert!(html.contains("Check-in opens at 10:45"), "{html}");
    assert!(
        html.contains(r#"aria-label="Check out Cy at Prusa MK4 09:00–12:00""#),
        "{html}"
    );
    assert_eq!(html.matches(">Check in<").count(), 1, "{html}");
    assert!(html.contains("Not checked in: a no-show"), "{html}");
}

#[tokio::test]
async fn the_desk_sends_pending_bookings_to_the_queue_and_says_when_a_machine_is_free() {
    let html = render(desk_day()).await;

    assert!(
        html.contains("Waiting for approval: decide in the queue"),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/spaces/fab-lab-berlin/approvals""#),
        "{html}"
    );
    assert!(html.contains("No bookings this day."), "{html}");

    let none = render(html! {
        <DeskDay machines={Vec::new()} slug="fab-lab-berlin" now={0} on_step={Callback::noop()} />
    })
    .await;
    assert!(none.contains("This space has no machines yet."), "{none}");
}

fn member(id: &str, name: &str, role: MembershipRole, suspended: bool) -> Member {
    Member {
        user_id: id.into(),
        name: name.into(),
        role,
        since: at("2026-03-02T09:00:00Z"),
        suspended,
        plan: (role == MembershipRole::Member).then(|| "Hobby".to_owned()),
    }
}

fn member_list(managing: bool) -> Html {
    let members = vec![
        member("u-olga", "Olga", MembershipRole::Owner, false),
        member("u-ada", "Ada", MembershipRole::Member, false),
        member("u-bob", "Bob", MembershipRole::Staff, true),
    ];
    html! {
        <MemberList {members} total={120} my_id="u-olga" {managing} on_act={Callback::noop()} />
    }
}

#[tokio::test]
async fn managers_change_roles_and_suspend_everyone_but_themselves() {
    let html = render(member_list(true)).await;

    assert!(html.contains("Members (120)"), "{html}");
    assert!(html.contains("Plan: Hobby"), "{html}");
    assert!(html.contains("Owner · since 2 Mar 2026"), "{html}");
    // Ada and Bob have a role to choose; the manager's own row has none.
    assert_eq!(html.matches("<select").count(), 2, "{html}");
    assert!(html.contains(r#"for="role-u-ada""#), "{html}");
    assert!(!html.contains(r#"for="role-u-olga""#), "{html}");
    assert!(html.contains(r#"aria-label="Suspend Ada""#), "{html}");
    assert!(html.contains(r#"aria-label="Reinstate Bob""#), "{html}");
    assert!(html.contains(" · suspended"), "{html}");
    // Nothing applies until a different role is chosen.
    assert!(!html.contains("Make "), "{html}");
    assert!(html.contains("The 3 longest-standing are shown."), "{html}");
}

#[tokio::test]
async fn staff_see_the_members_without_controls() {
    let html = render(member_list(false)).await;

    assert!(!html.contains("<select"), "{html}");
    assert!(!html.contains("<button"), "{html}");
    assert!(html.contains("Staff · since 2 Mar 2026"), "{html}");
}

#[tokio::test]
async fn an_invitation_says_where_it_went_or_why_not() {
    let sent = render(html! {
        <InviteForm state={Sent::Done("Invitation sent to new@makrx.dev: it holds for 14 days.".into())} on_invite={Callback::noop()} />
    })
    .await;
    assert!(
        sent.contains("Invitation sent to new@makrx.dev: it holds for 14 days."),
        "{sent}"
    );
    assert!(sent.contains(r#"type="email""#), "{sent}");

    let refused = render(html! {
        <InviteForm state={Sent::Refused("Only owners invite an owner".into())} on_invite={Callback::noop()} />
    })
    .await;
    assert!(refused.contains("Not invited. "), "{refused}");
    assert!(refused.contains("Only owners invite an owner"), "{refused}");
}

#[tokio::test]
async fn invitations_waiting_can_be_withdrawn_and_none_is_said() {
    let invitations = vec![SentInvitation {
        id: "i1".into(),
        email: "new@makrx.dev".into(),
        role: MembershipRole::Staff,
        expires_at: at("2026-12-17T09:00:00Z"),
    }];

    let html = render(html! {
        <SentInvitationList {invitations} on_revoke={Callback::noop()} />
    })
    .await;
    assert!(html.contains("as staff · until 17 Dec 2026"), "{html}");
    assert!(
        html.contains(r#"aria-label="Withdraw the invitation to new@makrx.dev""#),
        "{html}"
    );

    let none = render(html! {
        <SentInvitationList invitations={Vec::new()} on_revoke={Callback::noop()} />
    })
    .await;
    assert!(none.contains("None."), "{none}");
}

#[tokio::test]
async fn checkoff_requests_say_who_asks_for_what_and_none_is_said() {
    let requests = vec![CheckoffAsk {
        id: "c1".into(),
        member: "Ada".into(),
        skill: "Laser cutting".into(),
        level: "advanced".into(),
        note: "Did the course".into(),
        asked_at: at("2026-12-01T09:00:00Z"),
    }];

    let html = render(html! { <CheckoffQueue {requests} on_settle={Callback::noop()} /> }).await;
    assert!(html.contains("Laser cutting · advanced"), "{html}");
    assert!(
        html.contains("asked 1 Dec 2026 · “Did the course”"),
        "{html}"
    );
    assert!(
        html.contains(r#"aria-label="Grant Laser cutting at advanced for Ada""#),
        "{html}"
    );
    assert!(
        html.contains(r#"aria-label="Decline Laser cutting at advanced for Ada""#),
        "{html}"
    );

    let none =
        render(html! { <CheckoffQueue requests={Vec::new()} on_settle={Callback::noop()} /> })
            .await;
    assert!(
        none.contains("No one is waiting to be checked off."),
        "{none}"
    );
}

fn skill_levels(id: &str, name: &str, levels: &[&str]) -> SkillLevels {
    SkillLevels {
        id: id.into(),
        name: name.into(),
        levels: levels.iter().map(|level| (*level).to_owned()).collect(),
    }
}

#[tokio::test]
async fn a_level_is_chosen_among_the_chosen_skills_levels() {
    let members = vec![("u-ada".to_owned(), "Ada".to_owned())];
    let skills = vec![
        skill_levels("s1", "Laser cutting", &["basic", "advanced"]),
        skill_levels("s2", "Soldering", &["basic", "SMD"]),
    ];

    let html = render(html! {
        <LevelForm {members} {skills} state={Sent::Done("Ada holds Laser cutting at basic now.".into())}
            on_change={Callback::noop()} />
    })
    .await;
    assert!(html.contains(">advanced</option>"), "{html}");
    assert!(!html.contains(">SMD</option>"), "{html}");
    assert!(
        html.contains("Ada holds Laser cutting at basic now."),
        "{html}"
    );

    let empty = render(html! {
        <LevelForm members={Vec::new()} skills={Vec::new()} state={Sent::Writing} on_change={Callback::noop()} />
    })
    .await;
    assert!(
        empty.contains("The space needs members and skills first."),
        "{empty}"
    );
}

#[tokio::test]
async fn a_refused_skill_says_why() {
    let html = render(html! {
        <SkillForm state={Sent::Refused("A skill named Soldering exists already".into())}
            on_define={Callback::noop()} />
    })
    .await;

    assert!(html.contains("Not defined. "), "{html}");
    assert!(html.contains("exists already"), "{html}");
    assert!(
        html.contains("Levels, lowest first, one per line"),
        "{html}"
    );
}

fn laser_details() -> MachineDetails {
    MachineDetails {
        name: "Trotec Speedy 360".into(),
        kind: "laser cutter".into(),
        class: EquipmentClass::LaserCutter,
        location: "Workshop".into(),
        hourly_cost_minor: 1250,
        requires_approval: true,
    }
}

#[tokio::test]
async fn a_machines_form_starts_from_its_details_in_the_spaces_currency() {
    let html = render(html! {
        <MachineForm details={laser_details()} currency="EUR" action="Save" state={Sent::Writing}
            on_save={Callback::noop()} />
    })
    .await;

    assert!(html.contains(r#"value="Trotec Speedy 360""#), "{html}");
    assert!(html.contains(r#"value="12.50""#), "{html}");
    assert!(html.contains("An hour costs (EUR)"), "{html}");
    assert!(
        html.contains(r#"<option value="Laser cutter" selected="selected">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<input checked type="checkbox">"#),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="false""#), "{html}");
    assert!(html.contains(">Save</button>"), "{html}");
}

#[tokio::test]
async fn a_machine_is_gated_by_a_skills_level_or_by_none() {
    let skills = vec![
        skill_levels("s1", "Laser cutting", &["basic", "advanced"]),
        skill_levels("s2", "Soldering", &["basic", "SMD"]),
    ];

    let gated = render(html! {
        <GateForm skills={skills.clone()} gate={Some(("s1".to_owned(), "advanced".to_owned()))}
            state={Sent::Done("Booking it takes Laser cutting at advanced or above.".into())}
            on_set={Callback::noop()} />
    })
    .await;
    assert!(
        gated.contains(r#"<option value="s1" selected="selected">Laser cutting</option>"#),
        "{gated}"
    );
    assert!(
        gated.contains(r#"<option value="advanced" selected="selected">advanced</option>"#),
        "{gated}"
    );
    assert!(!gated.contains(">SMD</option>"), "{gated}");
    assert!(
        gated.contains("Booking it takes Laser cutting at advanced or above."),
        "{gated}"
    );

    let open = render(html! {
        <GateForm {skills} gate={None::<(String, String)>} state={Sent::Writing} on_set={Callback::noop()} />
    })
    .await;
    assert!(
        open.contains(r#"selected="selected">None: anyone on a plan may book it</option>"#),
        "{open}"
    );
    assert!(!open.contains("At least at level"), "{open}");
}

#[tokio::test]
async fn the_maintenance_log_lists_the_work_done_and_none_is_said() {
    let log = vec![MaintenanceNote {
        id: "m1".into(),
        description: "Cleaned the lens".into(),
        by: "Stella".into(),
        at: at("2026-11-28T15:00:00Z"),
        cost: "4.00 EUR".into(),
    }];

    let html = render(html! {
        <MaintenanceLog {log} currency="EUR" state={Sent::Refused("The description is empty".into())}
            on_log={Callback::noop()} />
    })
    .await;
    assert!(html.contains("28 Nov 2026"), "{html}");
    assert!(html.contains("Cleaned the lens"), "{html}");
    assert!(html.contains("Stella · 4.00 EUR"), "{html}");
    assert!(html.contains("Not logged. "), "{html}");

    let none = render(html! {
        <MaintenanceLog log={Vec::new()} currency="EUR" state={Sent::Writing} on_log={Callback::noop()} />
    })
    .await;
    assert!(none.contains("Nothing logged yet."), "{none}");
}

#[tokio::test]
async fn a_machines_qr_code_is_an_svg_of_its_page() {
    let url = "https://makrcave.com/makrcave/machines/0193b0c8-7a6e-7cc0-8f1e-2a3b4c5d6e7f";
    let (width, path) = qr_path(url).expect("a QR code");

    // 67 bytes need a version 4 symbol or larger: 33 modules a side or more, and its three
    // finder patterns start with a 7-module dark run at the top left.
    assert!(width >= 33, "{width}");
    assert!(path.starts_with("M0 0h7v1h-7z"), "{path}");
    assert_eq!(
        qr_path(url),
        Some((width, path.clone())),
        "the same address, the same code"
    );
    assert_eq!(
        scanned(width, &path),
        url,
        "a scanner reads the address back"
    );

    let html = render(html! { <QrLabel name="Trotec Speedy 360" {url} /> }).await;
    assert!(html.contains("<svg"), "{html}");
    assert!(
        html.contains(&format!(r#"aria-label="QR code opening {url}""#)),
        "{html}"
    );
    assert!(html.contains(&format!(r#"d="{path}""#)), "{html}");
    assert!(html.contains("Trotec Speedy 360</figcaption>"), "{html}");
}

#[test]
fn a_clock_on_a_local_day_is_read_on_either_side_of_a_clock_change() {
    let week = week_with_the_clock_change();
    let sunday = week.days.last().expect("the 25-hour Sunday");
    // Spring: Sunday 29 March 2026 skips from 02:00 to 03:00.
    let mut spring: Vec<(String, String)> = hours(0, 2, "+01:00");
    spring.extend(hours(3, 24, "+02:00"));
    let spring: Vec<(&str, &str)> = spring
        .iter()
        .map(|(c, o)| (c.as_str(), o.as_str()))
        .collect();
    let spring = day("2026-03-29", &spring, "2026-03-30T00:00:00+02:00");

    assert_eq!(
        sunday.instant_at("02:30"),
        Some(at("2026-10-25T02:30:00+02:00").unix_seconds()),
        "the first of the two half past twos"
    );
    assert_eq!(
        sunday.instant_at("03:00"),
        Some(at("2026-10-25T03:00:00+01:00").unix_seconds())
    );
    assert_eq!(
        sunday.instant_at("24:00"),
        Some(at("2026-10-26T00:00:00+01:00").unix_seconds())
    );
    assert_eq!(spring.instant_at("02:30"), None, "a time the clocks skip");
    assert_eq!(
        spring.instant_at("09:15"),
        Some(at("2026-03-29T09:15:00+02:00").unix_seconds())
    );
    for bad in ["9:15", "09:60", "25:00", "noon", ""] {
        assert_eq!(spring.instant_at(bad), None, "{bad:?}");
    }
}

#[tokio::test]
async fn the_settings_form_checks_its_minutes_and_hours_say_when_the_space_is_open() {
    let rules = SpaceRules {
        time_zone: "Europe/Berlin".into(),
        is_public: false,
        currency: "EUR".into(),
        max_booking_minutes: 240,
        cancellation_notice_minutes: 60,
        waitlist_offer_minutes: 30,
    };
    let html = render(html! {
        <RulesForm {rules} state={Sent::Done("Saved.".into())} on_save={Callback::noop()} />
    })
    .await;
    assert!(html.contains(r#"value="Europe/Berlin""#), "{html}");
    assert!(
        html.contains(r#"id="rules-longest""#) && html.contains(r#"value="240""#),
        "{html}"
    );
    assert!(html.contains("Saved."), "{html}");

    let hours = vec![OpeningSpan {
        weekday: Weekday::Tuesday,
        opens: "09:00".into(),
        closes: "21:00".into(),
    }];
    let open = render(html! {
        <HoursForm {hours} state={Sent::Writing} on_save={Callback::noop()} />
    })
    .await;
    assert!(
        open.contains(r#"<option value="Tuesday" selected="selected">Tuesday</option>"#),
        "{open}"
    );
    assert!(
        open.contains(r#"aria-label="Remove Tuesday 09:00–21:00""#),
        "{open}"
    );

    let always = render(html! {
        <HoursForm hours={Vec::new()} state={Sent::Writing} on_save={Callback::noop()} />
    })
    .await;
    assert!(always.contains("Open around the clock."), "{always}");
}

#[tokio::test]
async fn closures_say_what_closes_when_in_the_spaces_zone() {
    let closures = vec![Closure {
        id: "b1".into(),
        machine: None,
        starts_at: at("2026-12-24T00:00:00+01:00"),
        ends_at: at("2026-12-27T00:00:00+01:00"),
        reason: "Holidays".into(),
    }];
    let machines = vec![("m1".to_owned(), "Trotec Speedy 360".to_owned())];

    let html = render(html! {
        <ClosureList {closures} {machines} time_zone="Europe/Berlin" state={Sent::Writing}
            on_add={Callback::noop()} on_lift={Callback::noop()} />
    })
    .await;
    assert!(
        html.contains("Thu 24 Dec 00:00 – Sun 27 Dec 00:00"),
        "{html}"
    );
    assert!(html.contains("The whole space"), "{html}");
    assert!(html.contains("Holidays"), "{html}");
    assert!(html.contains("From (Europe/Berlin)"), "{html}");
    assert!(html.contains(">Trotec Speedy 360</option>"), "{html}");

    let none = render(html! {
        <ClosureList closures={Vec::new()} machines={Vec::new()} time_zone="Europe/Berlin"
            state={Sent::Writing} on_add={Callback::noop()} on_lift={Callback::noop()} />
    })
    .await;
    assert!(none.contains("No closures to come."), "{none}");
}

/// What a scanner reads from a QR code drawn as [`qr_path`] draws it: the path's squares on a
/// white ground with a quiet zone, four pixels a module.
fn scanned(width: usize, path: &str) -> String {
    const SCALE: usize = 4;
    let side = (width + 8) * SCALE;
    let mut dark = vec![false; (width + 8) * (width + 8)];
    for square in path.split('z').filter(|square| !square.is_empty()) {
        // `M{x} {y}h{run}v1h-{run}`
        let (at, run) = square[1..].split_once('h').expect("a run");
        let (x, y) = at.split_once(' ').expect("x and y");
        let (x, y): (usize, usize) = (x.parse().expect("x"), y.parse().expect("y"));
        let run: usize = run
            .split_once('v')
            .expect("a height")
            .0
            .parse()
            .expect("a run");
        for column in x..x + run {
            dark[(y + 4) * (width + 8) + column + 4] = true;
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        if dark[(y / SCALE) * (width + 8) + x / SCALE] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the picture");
    grids[0].decode().expect("a readable code").1
}

#[tokio::test]
async fn plans_say_what_they_cost_allow_and_cover_and_a_plan_needs_a_class() {
    let plans = vec![PlanSummary {
        id: "p1".into(),
        name: "Hobby".into(),
        price: "25.00 EUR a month".into(),
        quotas: "3 h a day, 6 h a week".into(),
        classes: "3D printer, Laser cutter".into(),
    }];

    let html = render(html! { <PlanList plans={plans.clone()} /> }).await;
    assert!(
        html.contains("25.00 EUR a month · 3 h a day, 6 h a week"),
        "{html}"
    );
    assert!(html.contains("3D printer, Laser cutter"), "{html}");

    let none = render(html! { <PlanList plans={Vec::new()} /> }).await;
    assert!(none.contains("No plans yet"), "{none}");

    let form = render(html! {
        <PlanForm currency="EUR" state={Sent::Writing} on_define={Callback::noop()} />
    })
    .await;
    // Nothing is chosen yet: the plan cannot be defined.
    assert!(
        form.contains(r#"type="submit" disabled"#) || form.contains("disabled"),
        "{form}"
    );
    assert!(form.contains("Machines it covers"), "{form}");

    let assign = render(html! {
        <AssignForm members={vec![("u-ada".to_owned(), "Ada".to_owned())]} {plans}
            today={Date::parse("2026-12-07").expect("a date")}
            state={Sent::Done("Ada is on Hobby from 7 Dec 2026.".into())} on_assign={Callback::noop()} />
    })
    .await;
    assert!(assign.contains(">Ada</option>"), "{assign}");
    assert!(assign.contains(">Hobby</option>"), "{assign}");
    assert!(
        assign.contains("Ada is on Hobby from 7 Dec 2026."),
        "{assign}"
    );
}
