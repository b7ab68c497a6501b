//! Waitlists for a taken slot: when the slot frees, the first in line is offered it (the offer
//! holds the slot and is announced as an event), takes it up, declines it, or lets it lapse so
//! that the next in line is offered it. Time passes by the lab's clock, never by sleeping.

mod common;

use common::lab::{CANCEL, Lab, Person, on_booking};
use common::writes;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;

const JOIN: &str = "mutation($input: JoinWaitlistInput!) {
    joinWaitlist(input: $input) {
        id equipmentId equipment { id } startsAt endsAt status offerId } }";
const MY_WAITLIST: &str = "query { myWaitlist { id status offerId startsAt endsAt } }";
const ACCEPT: &str = "mutation($input: WaitlistOfferInput!) {
    acceptWaitlistOffer(input: $input) { id status user { id } startsAt endsAt offerExpiresAt } }";
const DECLINE: &str = "mutation($input: WaitlistOfferInput!) {
    declineWaitlistOffer(input: $input) { id status } }";
const RESERVATION: &str = "query($id: ID!) {
    reservation(id: $id) { id status user { id } offerExpiresAt } }";

/// Tuesday 1 December, 10:00 to 11:00 in Berlin: the slot everyone wants.
const STARTS: &str = "2026-12-01T09:00:00Z";
const ENDS: &str = "2026-12-01T10:00:00Z";

async fn join(lab: &Lab, who: &Person, starts_at: &str, ends_at: &str) -> Value {
    lab.ask(
        Some(who),
        JOIN,
        json!({"input": {"equipmentId": lab.printer, "startsAt": starts_at, "endsAt": ends_at}}),
    )
    .await
}

async fn waitlist_of(lab: &Lab, who: &Person) -> Value {
    lab.api.data(MY_WAITLIST, json!({}), Some(&who.token)).await["myWaitlist"].clone()
}

/// The waitlist offers announced to `who`.
async fn offers_announced_to(lab: &Lab, who: &Person) -> i64 {
    sqlx::query_scalar(
        "select count(*) from events.outbox
         where topic = 'makrcave.waitlist.offered' and payload->>'user_id' = $1",
    )
    .bind(&who.id)
    .fetch_one(&lab.db)
    .await
    .expect("a count")
}

/// Ada holds the slot; Bob, then Cy, wait for it.
struct Queue {
    lab: Lab,
    ada: Person,
    bob: Person,
    cy: Person,
    booking: Value,
}

async fn queue(db: &PgPool) -> Queue {
    let lab = Lab::open(db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    let cy = lab.member("cy", None).await;
    let booking = lab.booked(&ada, &lab.printer, STARTS, ENDS).await;
    for who in [&bob, &cy] {
        let joined = join(&lab, who, STARTS, ENDS).await;
        assert!(joined.get("errors").is_none(), "{joined:#}");
    }
    Queue {
        lab,
        ada,
        bob,
        cy,
        booking,
    }
}

/// Ada lets go of the slot.
async fn ada_cancels(queue: &Queue) {
    let cancelled = queue
        .lab
        .ask(Some(&queue.ada), CANCEL, on_booking(&queue.booking["id"]))
        .await;
    assert!(cancelled.get("errors").is_none(), "{cancelled:#}");
}

/// Ada lets go of the slot, which goes to Bob; his offer's id.
async fn bob_is_offered_adas_slot(queue: &Queue) -> Value {
    ada_cancels(queue).await;
    let bobs = waitlist_of(&queue.lab, &queue.bob).await;
    assert!(
        bobs[0]["offerId"].is_string(),
        "Bob is offered the slot: {bobs:#}"
    );
    bobs[0]["offerId"].clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_joins_the_waitlist_of_a_taken_slot_once(db: PgPool) {
    let lab = Lab::open(&db).await;
    let ada = lab.member("ada", None).await;
    let bob = lab.member("bob", None).await;
    lab.booked(&ada, &lab.printer, STARTS, ENDS).await;
    let before = writes(&db).await;

    let free_slot = join(&lab, &bob, "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z").await;
    let after_free_slot = writes(&db).await;
    let joined = join(&lab, &bob, STARTS, ENDS).await;
    let twice = join(&lab, &bob, STARTS, ENDS).await;

    assert_eq!(error_code(&free_slot), Some("VALIDATION_ERROR"));
    assert_eq!(invalid_fields(&free_slot), ["startsAt"]);
    assert!(error_message(&free_slot).contains("book it instead"));
    assert_eq!(after_free_slot, before, "a refusal writes nothing");
    assert_eq!(
        joined["data"]["joinWaitlist"]["status"], "waiting",
        "{joined:#}"
    );
    assert_eq!(
        joined["data"]["joinWaitlist"]["startsAt"],
        "2026-12-01T10:00:00+01:00"
    );
    assert_eq!(
        joined["data"]["joinWaitlist"]["equipment"]["id"], lab.printer,
        "the place names the machine waited for: {joined:#}"
    );
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice:#}");
    assert_eq!(
        lab.count("select count(*) from makrcave.waitlist_entries")
            .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_freed_slot_is_offered_to_the_first_in_line_and_held_for_them(db: PgPool) {
    let queue = queue(&db).await;
    let lab = &queue.lab;

    let cancelled = lab
        .ask(Some(&queue.ada), CANCEL, on_booking(&queue.booking["id"]))
        .await;
    let bobs = waitlist_of(lab, &queue.bob).await;
    let cys = waitlist_of(lab, &queue.cy).await;
    let cy_books = lab.book(&queue.cy, &lab.printer, STARTS, ENDS).await;
    let offer = lab
        .ask(
            Some(&queue.bob),
            RESERVATION,
            json!({"id": bobs[0]["offerId"]}),
        )
        .await;

    assert!(cancelled.get("errors").is_none(), "{cancelled:#}");
    assert_eq!(bobs[0]["status"], "offered", "{bobs:#}");
    assert!(bobs[0]["offerId"].is_string(), "{bobs:#}");
    assert_eq!(cys[0]["status"], "waiting", "{cys:#}");
    assert_eq!(cys[0].get("offerId"), Some(&Value::Null), "{cys:#}");
    assert_eq!(error_code(&cy_books), Some("CONFLICT"), "{cy_books:#}");
    assert_eq!(
        offer["data"]["reservation"],
        json!({"id": bobs[0]["offerId"], "status": "OFFERED", "user": {"id": queue.bob.id},
               "offerExpiresAt": "2026-11-30T08:30:00+00:00"}),
        "held for the space's 30 minutes: {offer:#}"
    );
    assert_eq!(offers_announced_to(lab, &queue.bob).await, 1);
    assert_eq!(offers_announced_to(lab, &queue.cy).await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_offer_left_past_its_time_lapses_at_the_next_booking_and_passes_to_the_next_in_line(
    db: PgPool,
) {
    let queue = queue(&db).await;
    let lab = &queue.lab;
    let dan = lab.member("dan", None).await;
    let bobs_offer = bob_is_offered_adas_slot(&queue).await;

    lab.clock.advance(chrono::Duration::minutes(31));
    // Someone books another slot of the printer.
    lab.booked(
        &dan,
        &lab.printer,
        "2026-12-01T12:00:00Z",
        "2026-12-01T13:00:00Z",
    )
    .await;
    let bobs = waitlist_of(lab, &queue.bob).await;
    let cys = waitlist_of(lab, &queue.cy).await;
    let bob_accepts = lab
        .ask(Some(&queue.bob), ACCEPT, on_booking(&bobs_offer))
        .await;
    let cy_accepts = lab
        .ask(Some(&queue.cy), ACCEPT, on_booking(&cys[0]["offerId"]))
        .await;

    assert_eq!(bobs, json!([]), "a lapsed place is no longer open");
    assert_eq!(cys[0]["status"], "offered", "{cys:#}");
    assert_eq!(offers_announced_to(lab, &queue.cy).await, 1);
    assert_eq!(
        error_code(&bob_accepts),
        Some("CONFLICT"),
        "{bob_accepts:#}"
    );
    assert!(
        error_message(&bob_accepts).contains("lapsed"),
        "{bob_accepts:#}"
    );
    assert_eq!(
        cy_accepts["data"]["acceptWaitlistOffer"],
        json!({"id": cys[0]["offerId"], "status": "APPROVED", "user": {"id": queue.cy.id},
               "startsAt": "2026-12-01T10:00:00+01:00", "endsAt": "2026-12-01T11:00:00+01:00",
               "offerExpiresAt": null}),
        "{cy_accepts:#}"
    );
    assert_eq!(waitlist_of(lab, &queue.cy).await, json!([]));
    assert_eq!(
        lab.count(
            "select count(*) from makrcave.reservations
             where makrcave.holds_slot(status)"
        )
        .await,
        2,
        "Cy's booking and Dan's"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_expired_offer_taken_up_before_anyone_noticed_is_lapsed_and_passed_on(db: PgPool) {
    let queue = queue(&db).await;
    let lab = &queue.lab;
    let bobs_offer = bob_is_offered_adas_slot(&queue).await;

    lab.clock.advance(chrono::Duration::minutes(30));
    let bob_accepts = lab
        .ask(Some(&queue.bob), ACCEPT, on_booking(&bobs_offer))
        .await;
    let cys = waitlist_of(lab, &queue.cy).await;

    assert_eq!(
        error_code(&bob_accepts),
        Some("CONFLICT"),
        "{bob_accepts:#}"
    );
    assert!(
        error_message(&bob_accepts).contains("lapsed"),
        "{bob_accepts:#}"
    );
    assert_eq!(cys[0]["status"], "offered", "{cys:#}");
    assert_eq!(offers_announced_to(lab, &queue.cy).await, 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn declining_an_offer_passes_it_to_the_next_in_line(db: PgPool) {
    let queue = queue(&db).await;
    let lab = &queue.lab;
    let bobs_offer = bob_is_offered_adas_slot(&queue).await;

    let declined = lab
        .ask(Some(&queue.bob), DECLINE, on_booking(&bobs_offer))
        .await;
    let cys = waitlist_of(lab, &queue.cy).await;
    let cy_accepts = lab
        .ask(Some(&queue.cy), ACCEPT, on_booking(&cys[0]["offerId"]))
        .await;

    assert_eq!(
        declined["data"]["declineWaitlistOffer"]["status"], "LAPSED",
        "{declined:#}"
    );
    assert_eq!(waitlist_of(lab, &queue.bob).await, json!([]));
    assert_eq!(cys[0]["status"], "offered", "{cys:#}");
    assert_eq!(
        cy_accepts["data"]["acceptWaitlistOffer"]["status"], "APPROVED",
        "{cy_accepts:#}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn nobody_but_the_person_offered_may_take_up_or_decline_an_offer(db: PgPool) {
    let queue = queue(&db).await;
    let lab = &queue.lab;
    let bobs_offer = bob_is_offered_adas_slot(&queue).await;
    let before = writes(&db).await;

    let cy_accepts = lab
        .ask(Some(&queue.cy), ACCEPT, on_booking(&bobs_offer))
        .await;
    let cy_declines = lab
        .ask(Some(&queue.cy), DECLINE, on_booking(&bobs_offer))
        .await;

    assert_eq!(error_code(&cy_accepts), Some("NOT_FOUND"), "{cy_accepts:#}");
    assert_eq!(
        error_code(&cy_declines),
        Some("NOT_FOUND"),
        "{cy_declines:#}"
    );
    assert_eq!(writes(&db).await, before);
    assert_eq!(waitlist_of(lab, &queue.bob).await[0]["status"], "offered");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_refused_booking_attempt_still_passes_a_lapsed_offer_on(db: PgPool) {
    let queue = queue(&db).await;
    let lab = &queue.lab;
    let dan = lab.member("dan", None).await;
    ada_cancels(&queue).await;
    lab.clock.advance(chrono::Duration::minutes(31));

    // Dan is not in line: Cy is next, so the slot is not his to book.
    let dan_books = lab.book(&dan, &lab.printer, STARTS, ENDS).await;
    let cys = waitlist_of(lab, &queue.cy).await;

    assert_eq!(error_code(&dan_books), Some("CONFLICT"), "{dan_books:#}");
    assert_eq!(cys[0]["status"], "offered", "{cys:#}");
    assert_eq!(offers_announced_to(lab, &queue.cy).await, 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn someone_who_may_no_longer_book_the_machine_is_passed_over(db: PgPool) {
    let queue = queue(&db).await;
    let lab = &queue.lab;
    // Bob's plan now ends the day before the slot.
    lab.put_on_plan(&queue.bob, &lab.hobby, "2026-11-01", Some("2026-11-30"))
        .await;

    ada_cancels(&queue).await;
    let bobs = waitlist_of(lab, &queue.bob).await;
    let cys = waitlist_of(lab, &queue.cy).await;

    assert_eq!(bobs[0]["status"], "waiting", "{bobs:#}");
    assert_eq!(cys[0]["status"], "offered", "{cys:#}");
    assert_eq!(offers_announced_to(lab, &queue.bob).await, 0);
}
