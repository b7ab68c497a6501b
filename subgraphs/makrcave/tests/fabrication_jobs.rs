//! A paid part becomes a job at a makerspace: the one its customer chose while it can make
//! it, otherwise the one that would have it ready first, or none; once however often the
//! payment is announced. The space's staff move it along its life, or decline it, and a
//! declined part goes on to the next space that can make it.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{ADD_EQUIPMENT, Cast, Person, Who, found_space, makrcave, newcomer};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{self, OrderPartsPaid, PaidPart, PrintProcess, StoreChanged, topics};
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

const OFFER: &str = "mutation($input: OfferFabricationInput!) {
    offerFabrication(input: $input) { accepting } }";
const SET_PRINTER: &str = "mutation($input: SetFabricationPrinterInput!) {
    setFabricationPrinter(input: $input) { process } }";
const BLACKOUT: &str = "mutation($input: AddBlackoutInput!) { addBlackout(input: $input) { id } }";
const JOBS_OF_PART: &str = "query($parts: [_Any!]!) { _entities(representations: $parts) {
    ... on OrderPart { fabricationJobs {
        id status reason readyBy replaces makerspace { slug } orderNumber fileName quantity } } } }";
const JOBS_OF_SPACE: &str = "query($slug: String!) { makerspace(slug: $slug) {
    fabricationJobs { fileName status nextStatuses customer { id } } } }";
const MOVE: &str = "mutation($input: SetFabricationJobStatusInput!) {
    setFabricationJobStatus(input: $input) { id status reason nextStatuses } }";
const SCHEDULE: &str = "mutation($input: ScheduleFabricationJobInput!) {
    scheduleFabricationJob(input: $input) {
        status readyBy bookings { id status startsAt endsAt note equipment { name } user { id } } } }";
const BOOK: &str =
    "mutation($input: CreateReservationInput!) { createReservation(input: $input) { id } }";

/// A space of `owner`'s that makes PLA on a 250 x 210 x 220 mm printer, accepting jobs at once
/// or by hand; answers the printer's id.
async fn offers_pla(api: &Endpoint, owner: &Person, space: &Value, automatically: bool) -> Value {
    let printer = api
        .data(
            ADD_EQUIPMENT,
            json!({"input": {"makerspaceId": space["id"], "name": "MK4", "kind": "Prusa MK4",
                             "class": "PRINTER_3D"}}),
            Some(&owner.token),
        )
        .await["addEquipment"]["id"]
        .clone();
    api.data(
        OFFER,
        json!({"input": {"makerspaceId": space["id"], "materials": ["PLA"],
                         "acceptsAutomatically": automatically}}),
        Some(&owner.token),
    )
    .await;
    api.data(
        SET_PRINTER,
        json!({"input": {"equipmentId": printer, "process": "FDM",
                         "buildXMm": 250.0, "buildYMm": 210.0, "buildZMm": 220.0}}),
        Some(&owner.token),
    )
    .await;
    printer
}

/// A customer: someone with their own (unrelated) space, so that their id is known.
async fn customer(api: &Endpoint, name: &str) -> Person {
    let mut person = newcomer(name);
    let home = found_space(api, &person.token, &format!("{name}-home")).await;
    person.set_id(&home["owner"]["id"]);
    person
}

fn uuid(id: &Value) -> Uuid {
    id.as_str().and_then(|id| id.parse().ok()).expect("a uuid")
}

/// A 20 mm PLA cube printed in an hour a copy, twice, to be made by `makerspace` (none: the
/// earliest).
fn cube(process: PrintProcess, makerspace: Option<&Value>) -> PaidPart {
    PaidPart {
        id: Uuid::now_v7(),
        quote_id: Uuid::now_v7(),
        upload_id: Uuid::now_v7(),
        file_name: "cube.stl".into(),
        material: "PLA".into(),
        colour: None,
        infill_percent: 20,
        quantity: 2,
        process,
        print_seconds: 3_600,
        material_grams: 6.5,
        bbox_mm: vec![20.0, 20.0, 20.0],
        makerspace_id: makerspace.map(|space| uuid(&space["id"])),
    }
}

/// The store announces `parts` of an order of `customer`'s paid, as it does on payment;
/// answers the order's id.
async fn paid(db: &PgPool, customer: &Person, number: i64, parts: &[PaidPart]) -> Uuid {
    let order = OrderPartsPaid {
        order_id: Uuid::now_v7(),
        number,
        customer_id: uuid(customer.id()),
        parts: parts.to_vec(),
    };
    let mut tx = db.begin().await.expect("a transaction");
    outbox::publish(&mut tx, topics::ORDER_PARTS_PAID, &order)
        .await
        .expect("announced");
    tx.commit().await.expect("committed");
    order.order_id
}

/// Waits until the dispatcher has handled every announcement.
async fn dispatched(db: &PgPool) {
    for _ in 0..200 {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from events.deliveries where consumer = 'makrcave.fabrication_dispatch'",
        )
        .fetch_one(db)
        .await
        .expect("deliveries");
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the paid parts were not dispatched within 10 s");
}

/// What MakrCave announced of parts no space will make.
async fn unmade(db: &PgPool) -> Vec<Value> {
    sqlx::query_scalar(
        "select payload from events.outbox where topic = 'makrcave.fabrication_part.unmade'
         order by seq",
    )
    .fetch_all(db)
    .await
    .expect("announcements")
}

/// The jobs of an order part, as `token`'s holder sees them.
async fn jobs_of(api: &Endpoint, part: &PaidPart, token: &str) -> Value {
    api.data(
        JOBS_OF_PART,
        json!({"parts": [{"__typename": "OrderPart", "id": part.id}]}),
        Some(token),
    )
    .await["_entities"][0]["fabricationJobs"]
        .clone()
}

/// Moves `job` to `status` as `token`'s holder, who may.
async fn move_job(api: &Endpoint, job: &Value, status: &str, token: Option<&str>) {
    api.data(
        MOVE,
        json!({"input": {"jobId": job, "status": status}}),
        token,
    )
    .await;
}

/// Only the staff of the job's space may do `query`: someone signed out is asked to sign in,
/// another space's owner and a plain member learn nothing of the job, its customer is refused.
async fn only_staff_may(
    api: &Endpoint,
    cast: &Cast,
    customer: &Person,
    query: &str,
    variables: Value,
) {
    for (who, code) in [
        (Who::Anonymous, "UNAUTHENTICATED"),
        (Who::Outsider, "NOT_FOUND"),
        (Who::Member, "NOT_FOUND"),
    ] {
        let refused = api.send(query, variables.clone(), cast.token(who)).await;
        assert_eq!(error_code(&refused), Some(code), "{who:?}: {refused}");
    }
    let by_customer = api.send(query, variables, Some(&customer.token)).await;
    assert_eq!(error_code(&by_customer), Some("FORBIDDEN"), "{by_customer}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_paid_part_goes_to_the_chosen_space_or_the_one_ready_first_and_once(db: PgPool) {
    tokio::spawn(makrcave::dispatch_paid_parts(db.clone(), Clock::system()));
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "print-farm").await;
    offers_pla(&api, &cast.owner, &cast.space, false).await;
    offers_pla(&api, &cast.outsider, &cast.other_space, true).await;
    // The farm is closed for three days: the other space has a part ready first.
    let now = Utc::now();
    api.data(
        BLACKOUT,
        json!({"input": {"makerspaceId": cast.space["id"], "startsAt": now,
                         "endsAt": now + chrono::Duration::days(3), "reason": "Moving"}}),
        Some(&cast.owner.token),
    )
    .await;
    let buyer = customer(&api, "buyer").await;

    let chosen = cube(PrintProcess::Fdm, Some(&cast.space));
    let earliest = cube(PrintProcess::Fdm, None);
    let resin = cube(PrintProcess::Resin, Some(&cast.space));
    let parts = [chosen.clone(), earliest.clone(), resin.clone()];
    let order = paid(&db, &buyer, 1041, &parts).await;
    dispatched(&db).await;

    let at_farm = jobs_of(&api, &chosen, &buyer.token).await;
    assert_eq!(at_farm.as_array().map(Vec::len), Some(1), "{at_farm}");
    assert_eq!(at_farm[0]["makerspace"]["slug"], "print-farm");
    assert_eq!(
        at_farm[0]["status"], "DISPATCHED",
        "the farm accepts by hand"
    );
    assert_eq!(at_farm[0]["orderNumber"], 1041);
    let ready: chrono::DateTime<Utc> =
        serde_json::from_value(at_farm[0]["readyBy"].clone()).expect("a ready time");
    let expected = now + chrono::Duration::days(3) + chrono::Duration::hours(2);
    assert!(
        (ready - expected).num_seconds().abs() < 60,
        "two hour-long copies after the closure: {ready}, not {expected}"
    );

    let elsewhere = jobs_of(&api, &earliest, &buyer.token).await;
    assert_eq!(elsewhere[0]["makerspace"]["slug"], "print-farm-elsewhere");
    assert_eq!(
        elsewhere[0]["status"], "ACCEPTED",
        "the space that would have it first accepts automatically"
    );

    let nowhere = jobs_of(&api, &resin, &buyer.token).await;
    assert_eq!(nowhere[0]["status"], "DECLINED");
    assert_eq!(nowhere[0]["makerspace"], Value::Null);
    assert_eq!(
        nowhere[0]["reason"],
        "no makerspace that makes its material on a printer it fits is taking jobs now"
    );

    assert_eq!(
        unmade(&db).await,
        [json!({"order_id": order, "order_part_id": resin.id,
                "reason": "no makerspace that makes its material on a printer it fits is taking jobs now"})],
        "the store hears of the part nobody will make"
    );

    // The payment announced again makes nothing more.
    paid(&db, &buyer, 1041, &parts).await;
    dispatched(&db).await;
    let jobs: i64 = sqlx::query_scalar("select count(*) from makrcave.fabrication_jobs")
        .fetch_one(&db)
        .await
        .expect("jobs");
    assert_eq!(jobs, 3);

    // The farm's staff see the job sent to it and nothing else; its members nothing.
    let queue = api
        .data(
            JOBS_OF_SPACE,
            json!({"slug": "print-farm"}),
            Some(&cast.staff.token),
        )
        .await;
    assert_eq!(
        queue["makerspace"]["fabricationJobs"],
        json!([{"fileName": "cube.stl", "status": "DISPATCHED",
                "nextStatuses": ["ACCEPTED", "DECLINED"], "customer": {"id": buyer.id()}}])
    );
    let member = api
        .send(
            JOBS_OF_SPACE,
            json!({"slug": "print-farm"}),
            Some(&cast.member.token),
        )
        .await;
    assert_eq!(error_code(&member), Some("FORBIDDEN"));
    // Nobody else reads a customer's jobs, whoever knows the part.
    let stranger = customer(&api, "stranger").await;
    assert_eq!(jobs_of(&api, &chosen, &stranger.token).await, json!([]));
    assert_eq!(
        jobs_of(&api, &chosen, &cast.outsider.token).await,
        json!([]),
        "another space's owner"
    );
    assert_eq!(
        jobs_of(&api, &chosen, &cast.staff.token)
            .await
            .as_array()
            .map(Vec::len),
        Some(1),
        "the staff of the space making it"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_move_a_job_along_its_life_and_a_declined_part_goes_on_to_the_next_space(db: PgPool) {
    tokio::spawn(makrcave::dispatch_paid_parts(db.clone(), Clock::system()));
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "maker-lab").await;
    offers_pla(&api, &cast.owner, &cast.space, false).await;
    offers_pla(&api, &cast.outsider, &cast.other_space, true).await;
    let buyer = customer(&api, "buyer").await;
    let kept = cube(PrintProcess::Fdm, Some(&cast.space));
    let declined = cube(PrintProcess::Fdm, Some(&cast.space));
    let order = paid(&db, &buyer, 7, &[kept.clone(), declined.clone()]).await;
    dispatched(&db).await;
    let job = jobs_of(&api, &kept, &buyer.token).await[0]["id"].clone();
    let move_to = |status: &str| json!({"input": {"jobId": job, "status": status}});

    only_staff_may(&api, &cast, &buyer, MOVE, move_to("ACCEPTED")).await;
    let staff = Some(cast.staff.token.as_str());
    let skipped = api.send(MOVE, move_to("PRINTING"), staff).await;
    assert_eq!(error_code(&skipped), Some("CONFLICT"));
    assert_eq!(
        error_message(&skipped),
        "a job that is dispatched cannot become printing"
    );
    let cancelled = api.send(MOVE, move_to("CANCELLED"), staff).await;
    assert_eq!(invalid_fields(&cancelled), vec!["status"]);

    let life = [
        ("ACCEPTED", json!(["PRINTING", "DECLINED"])),
        ("PRINTING", json!(["POST_PROCESSING", "READY"])),
        ("POST_PROCESSING", json!(["READY"])),
        ("READY", json!(["SHIPPED", "DELIVERED"])),
        ("SHIPPED", json!(["DELIVERED"])),
        ("DELIVERED", json!([])),
    ];
    for (status, next) in life {
        let moved = api.data(MOVE, move_to(status), staff).await;
        assert_eq!(moved["setFabricationJobStatus"]["status"], status);
        assert_eq!(
            moved["setFabricationJobStatus"]["nextStatuses"], next,
            "{status}"
        );
    }
    let after_delivery = api.send(MOVE, move_to("READY"), staff).await;
    assert_eq!(
        error_message(&after_delivery),
        "a job that is delivered cannot become ready"
    );

    // Declined with a reason, the part goes on to the other space, as a new job.
    let first = jobs_of(&api, &declined, &buyer.token).await[0]["id"].clone();
    let decline = |job: &Value, reason: Option<&str>| json!({"input": {"jobId": job, "status": "DECLINED", "reason": reason}});
    let unexplained = api.send(MOVE, decline(&first, Some("  ")), staff).await;
    assert_eq!(invalid_fields(&unexplained), vec!["reason"]);
    let answer = api
        .data(
            MOVE,
            decline(&first, Some("Our MK4 is booked solid")),
            staff,
        )
        .await;
    assert_eq!(answer["setFabricationJobStatus"]["status"], "DECLINED");
    let jobs = jobs_of(&api, &declined, &buyer.token).await;
    assert_eq!(jobs.as_array().map(Vec::len), Some(2), "{jobs}");
    assert_eq!(jobs[0]["reason"], "Our MK4 is booked solid");
    assert_eq!(jobs[1]["makerspace"]["slug"], "maker-lab-elsewhere");
    assert_eq!(jobs[1]["status"], "ACCEPTED");
    assert_eq!(jobs[1]["replaces"], first);
    assert_eq!(
        jobs_of(&api, &declined, &cast.outsider.token).await,
        json!([jobs[1].clone()]),
        "the next space's staff see their job, not the one declined before it"
    );

    // The last space that could make it declines it too: it is not sent back to the first.
    api.data(
        MOVE,
        decline(&jobs[1]["id"], Some("Out of PLA")),
        Some(&cast.outsider.token),
    )
    .await;
    let jobs = jobs_of(&api, &declined, &buyer.token).await;
    assert_eq!(
        unmade(&db).await,
        [json!({"order_id": order, "order_part_id": declined.id,
                "reason": "Out of PLA"})],
        "the store hears of the part nobody will make, with the last space's reason"
    );
    let statuses: Vec<&Value> = jobs
        .as_array()
        .expect("jobs")
        .iter()
        .map(|job| &job["status"])
        .collect();
    assert_eq!(statuses, [&json!("DECLINED"), &json!("DECLINED")]);

    let actions: Vec<String> = sqlx::query_scalar(
        "select action from shared.audit_logs where entity = 'fabrication_job' order by id",
    )
    .fetch_all(&db)
    .await
    .expect("audit rows");
    let count = |action: &str| actions.iter().filter(|each| *each == action).count();
    assert_eq!(count("fabrication_job.dispatched"), 3, "{actions:?}");
    assert_eq!(count("fabrication_job.moved"), 6);
    assert_eq!(count("fabrication_job.declined"), 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_order_called_off_cancels_its_jobs_not_yet_delivered(db: PgPool) {
    tokio::spawn(makrcave::dispatch_paid_parts(db.clone(), Clock::system()));
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "quick-print").await;
    offers_pla(&api, &cast.owner, &cast.space, true).await;
    let buyer = customer(&api, "buyer").await;
    let delivered = cube(PrintProcess::Fdm, None);
    let printing = cube(PrintProcess::Fdm, None);
    paid(&db, &buyer, 88, &[delivered.clone(), printing.clone()]).await;
    dispatched(&db).await;
    let staff = Some(cast.staff.token.as_str());
    let job_of = |jobs: Value| jobs[0]["id"].clone();
    let first = job_of(jobs_of(&api, &delivered, &buyer.token).await);
    for status in ["PRINTING", "READY", "DELIVERED"] {
        move_job(&api, &first, status, staff).await;
    }
    let second = job_of(jobs_of(&api, &printing, &buyer.token).await);
    move_job(&api, &second, "PRINTING", staff).await;

    // The store refunds the order: it says so as it says every change of an order.
    let order_id: Uuid =
        sqlx::query_scalar("select order_id from makrcave.fabrication_jobs limit 1")
            .fetch_one(&db)
            .await
            .expect("the order");
    let refunded = StoreChanged {
        action: "order.status_changed".into(),
        entity_id: order_id,
        actor_id: None,
        after: json!({"id": order_id, "number": 88, "customer_id": buyer.id(),
                      "status": "refunded", "total_minor": 1000, "currency": "INR",
                      "updated_at": Utc::now()}),
    };
    let mut tx = db.begin().await.expect("a transaction");
    outbox::publish(&mut tx, topics::ORDER_CHANGED, &refunded)
        .await
        .expect("announced");
    tx.commit().await.expect("committed");
    dispatched(&db).await;

    let kept = jobs_of(&api, &delivered, &buyer.token).await;
    assert_eq!(
        kept[0]["status"], "DELIVERED",
        "a delivered part stays delivered"
    );
    let called_off = jobs_of(&api, &printing, &buyer.token).await;
    assert_eq!(called_off[0]["status"], "CANCELLED");
    assert_eq!(called_off[0]["reason"], "order #88 was refunded");
    let again = api
        .send(
            MOVE,
            json!({"input": {"jobId": second, "status": "READY"}}),
            staff,
        )
        .await;
    assert_eq!(
        error_message(&again),
        "a job that is cancelled cannot become ready"
    );

    // Jobs over stay on the space's list for a month, unless asked for from further back; a
    // job under way always.
    sqlx::query(
        "update makrcave.fabrication_jobs set updated_at = now() - interval '31 days'
         where id = any($1)",
    )
    .bind([uuid(&first), uuid(&second)])
    .execute(&db)
    .await
    .expect("a month on");
    let listed = |over_since: Option<chrono::DateTime<Utc>>| {
        api.data(
            "query($slug: String!, $since: DateTime) { makerspace(slug: $slug) {
                fabricationJobs(overSince: $since) { status } } }",
            json!({"slug": "quick-print", "since": over_since}),
            staff,
        )
    };
    assert_eq!(
        listed(None).await["makerspace"]["fabricationJobs"],
        json!([])
    );
    let year_ago = Utc::now() - chrono::TimeDelta::days(365);
    assert_eq!(
        listed(Some(year_ago)).await["makerspace"]["fabricationJobs"],
        json!([{"status": "DELIVERED"}, {"status": "CANCELLED"}])
    );
    let back_to_work = cube(PrintProcess::Fdm, None);
    paid(&db, &buyer, 89, std::slice::from_ref(&back_to_work)).await;
    dispatched(&db).await;
    sqlx::query("update makrcave.fabrication_jobs set updated_at = now() - interval '1 year'")
        .execute(&db)
        .await
        .expect("long ago");
    assert_eq!(
        listed(None).await["makerspace"]["fabricationJobs"],
        json!([{"status": "ACCEPTED"}])
    );
}

fn at(value: &Value) -> chrono::DateTime<Utc> {
    value
        .as_str()
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
        .map(|at| at.with_timezone(&Utc))
        .expect("a time")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_give_an_accepted_job_printer_time_that_nobody_else_can_book(db: PgPool) {
    tokio::spawn(makrcave::dispatch_paid_parts(db.clone(), Clock::system()));
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "print-shop").await;
    let printer = offers_pla(&api, &cast.owner, &cast.space, false).await;
    let laser = api
        .data(
            ADD_EQUIPMENT,
            json!({"input": {"makerspaceId": cast.space["id"], "name": "Laser", "kind": "CO2",
                             "class": "LASER_CUTTER"}}),
            Some(&cast.owner.token),
        )
        .await["addEquipment"]["id"]
        .clone();
    let buyer = customer(&api, "buyer").await;
    let part = cube(PrintProcess::Fdm, Some(&cast.space));
    let dropped = cube(PrintProcess::Fdm, Some(&cast.space));
    paid(&db, &buyer, 12, &[part.clone(), dropped.clone()]).await;
    dispatched(&db).await;
    let job = jobs_of(&api, &part, &buyer.token).await[0]["id"].clone();
    let staff = Some(cast.staff.token.as_str());
    let ten = (Utc::now() + chrono::TimeDelta::days(1))
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .expect("10:00")
        .and_utc();
    let hour = chrono::TimeDelta::hours(1);
    let schedule = |equipment: &Value, starts: chrono::DateTime<Utc>| json!({"input": {"jobId": job, "equipmentId": equipment, "startsAt": starts}});

    let waiting = api.send(SCHEDULE, schedule(&printer, ten), staff).await;
    assert_eq!(
        error_message(&waiting),
        "a job waiting to be accepted cannot be scheduled: accept it first"
    );
    move_job(&api, &job, "ACCEPTED", staff).await;
    only_staff_may(&api, &cast, &buyer, SCHEDULE, schedule(&printer, ten)).await;
    let on_the_laser = api.send(SCHEDULE, schedule(&laser, ten), staff).await;
    assert_eq!(invalid_fields(&on_the_laser), vec!["equipmentId"]);
    let off_the_minute = api
        .send(
            SCHEDULE,
            schedule(&printer, ten + chrono::TimeDelta::seconds(30)),
            staff,
        )
        .await;
    assert_eq!(invalid_fields(&off_the_minute), vec!["startsAt"]);
    let past = api
        .send(
            SCHEDULE,
            schedule(&printer, ten - chrono::TimeDelta::days(2)),
            staff,
        )
        .await;
    assert_eq!(invalid_fields(&past), vec!["startsAt"]);

    // Two copies of an hour each: two hours, by default.
    let scheduled =
        api.data(SCHEDULE, schedule(&printer, ten), staff).await["scheduleFabricationJob"].clone();
    assert_eq!(scheduled["status"], "ACCEPTED");
    assert_eq!(at(&scheduled["readyBy"]), ten + hour * 2);
    let booking = &scheduled["bookings"][0];
    assert_eq!(scheduled["bookings"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (at(&booking["startsAt"]), at(&booking["endsAt"])),
        (ten, ten + hour * 2)
    );
    assert_eq!(booking["status"], "APPROVED");
    assert_eq!(booking["note"], "Order #12: cube.stl × 2, PLA");
    assert_eq!(booking["equipment"]["name"], "MK4");
    assert_eq!(&booking["user"]["id"], cast.staff.id());
    assert_eq!(
        jobs_of(&api, &part, &buyer.token).await[0]["readyBy"],
        scheduled["readyBy"],
        "the customer reads the new ready-by"
    );
    let audited: Vec<(String, Uuid)> = sqlx::query_as(
        "select action, actor_id from shared.audit_logs
         where action in ('fabrication_job.scheduled', 'reservation.created') order by id",
    )
    .fetch_all(&db)
    .await
    .expect("the audit log");
    let staff_id = uuid(cast.staff.id());
    assert_eq!(
        audited,
        [
            ("reservation.created".to_owned(), staff_id),
            ("fabrication_job.scheduled".to_owned(), staff_id)
        ]
    );

    // The slot is the printer's like any booking: nobody books over it, not even the owner,
    // and the job's next slot follows it.
    let book_printer = |from: chrono::DateTime<Utc>, to: chrono::DateTime<Utc>| json!({"input": {"equipmentId": printer, "startsAt": from, "endsAt": to}});
    let over_it = api
        .send(
            BOOK,
            book_printer(ten + hour, ten + hour * 3),
            Some(&cast.owner.token),
        )
        .await;
    assert_eq!(error_code(&over_it), Some("CONFLICT"), "{over_it}");
    assert!(
        error_message(&over_it).starts_with("MK4 is already booked"),
        "{over_it}"
    );
    let twice = api
        .send(SCHEDULE, schedule(&printer, ten + hour), staff)
        .await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");
    let more = json!({"input": {"jobId": job, "equipmentId": printer,
                                "startsAt": ten + hour * 3, "endsAt": ten + hour * 4}});
    let two_slots = api.data(SCHEDULE, more, staff).await["scheduleFabricationJob"].clone();
    assert_eq!(two_slots["bookings"].as_array().map(Vec::len), Some(2));
    assert_eq!(at(&two_slots["readyBy"]), ten + hour * 4);
    let cancel = json!({"input": {"reservationId": two_slots["bookings"][1]["id"]}});
    api.data(
        "mutation($input: ReservationInput!) { cancelReservation(input: $input) { status } }",
        cancel,
        staff,
    )
    .await;
    let one_slot = api
        .data(
            "query($id: ID!) { fabricationJob(id: $id) { readyBy bookings { id } } }",
            json!({"id": job}),
            staff,
        )
        .await["fabricationJob"]
        .clone();
    assert_eq!(one_slot["bookings"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        at(&one_slot["readyBy"]),
        ten + hour * 2,
        "the last slot cancelled, the job is ready by the end of the one left"
    );
    let rescheduled: i64 = sqlx::query_scalar(
        "select count(*) from shared.audit_logs where action = 'fabrication_job.scheduled'",
    )
    .fetch_one(&db)
    .await
    .expect("the audit log");
    assert_eq!(rescheduled, 3, "scheduled twice, a slot cancelled once");
    let more = json!({"input": {"jobId": job, "equipmentId": printer,
                                "startsAt": ten + hour * 3, "endsAt": ten + hour * 4}});
    api.data(SCHEDULE, more, staff).await;
    let customer_view = api
        .data(
            "query($id: ID!) { fabricationJob(id: $id) { bookings { id } } }",
            json!({"id": job}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(
        customer_view["fabricationJob"]["bookings"],
        json!([]),
        "the customer does not see the space's bookings"
    );

    // Printed early: the slots not yet begun are let go of, and the printer is free again.
    for status in ["PRINTING", "READY"] {
        move_job(&api, &job, status, staff).await;
    }
    let done = api
        .data(
            "query($id: ID!) { fabricationJob(id: $id) { bookings { id } } }",
            json!({"id": job}),
            staff,
        )
        .await;
    assert_eq!(done["fabricationJob"]["bookings"], json!([]));
    let released: Vec<String> = sqlx::query_scalar(
        "select status from makrcave.reservations where fabrication_job_id = $1",
    )
    .bind(uuid(&job))
    .fetch_all(&db)
    .await
    .expect("the job's bookings");
    assert_eq!(released, ["cancelled", "cancelled", "cancelled"]);
    api.data(
        BOOK,
        book_printer(ten + hour, ten + hour * 3),
        Some(&cast.owner.token),
    )
    .await;
    let ready = api
        .send(SCHEDULE, schedule(&printer, ten + hour * 5), staff)
        .await;
    assert_eq!(
        error_message(&ready),
        "a job that is ready cannot be scheduled"
    );

    // Declined: its slot goes too.
    let other = jobs_of(&api, &dropped, &buyer.token).await[0]["id"].clone();
    move_job(&api, &other, "ACCEPTED", staff).await;
    let slot = json!({"input": {"jobId": other, "equipmentId": printer,
                                "startsAt": ten + hour * 5}});
    api.data(SCHEDULE, slot, staff).await;
    api.data(
        MOVE,
        json!({"input": {"jobId": other, "status": "DECLINED", "reason": "Nozzle broke"}}),
        staff,
    )
    .await;
    let let_go: Vec<String> = sqlx::query_scalar(
        "select status from makrcave.reservations where fabrication_job_id = $1",
    )
    .bind(uuid(&other))
    .fetch_all(&db)
    .await
    .expect("the declined job's bookings");
    assert_eq!(let_go, ["cancelled"]);
}

const ADD_LOCATION: &str = "mutation($input: AddInventoryLocationInput!) {
    addInventoryLocation(input: $input) { id } }";
const ADD_ITEM: &str =
    "mutation($input: AddInventoryItemInput!) { addInventoryItem(input: $input) { id } }";
const RECEIVE: &str = "mutation($input: RecordStockMovementInput!) {
    recordStockMovement(input: $input) { item { onHand } } }";
const USED: &str = "mutation($input: RecordFabricationMaterialInput!) {
    recordFabricationMaterial(input: $input) {
        movement { kind quantity change location reason recordedBy { id } } item { onHand } } }";
const MATERIAL_OF_JOB: &str = "query($id: ID!) { fabricationJob(id: $id) {
    materialUsed { kind quantity reason } } }";

/// A kilogram of black PLA on `owner`'s shelf in `space`: the item's and the shelf's ids.
async fn pla_on_the_shelf(api: &Endpoint, owner: &Person, space: &Value) -> (Value, Value) {
    let owner = Some(owner.token.as_str());
    let shelf = api
        .data(
            ADD_LOCATION,
            json!({"input": {"makerspaceId": space["id"], "name": "Shelf"}}),
            owner,
        )
        .await["addInventoryLocation"]["id"]
        .clone();
    let item = api
        .data(
            ADD_ITEM,
            json!({"input": {"makerspaceId": space["id"], "name": "PLA black",
                             "unit": "GRAMS", "category": "MATERIAL"}}),
            owner,
        )
        .await["addInventoryItem"]["id"]
        .clone();
    api.data(
        RECEIVE,
        json!({"input": {"itemId": item, "kind": "RECEIVE", "quantity": "1000",
                         "locationId": shelf}}),
        owner,
    )
    .await;
    (item, shelf)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn staff_record_the_material_a_printed_job_took_from_their_stock(db: PgPool) {
    tokio::spawn(makrcave::dispatch_paid_parts(db.clone(), Clock::system()));
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "filament-lab").await;
    offers_pla(&api, &cast.owner, &cast.space, true).await;
    let (pla, shelf) = pla_on_the_shelf(&api, &cast.owner, &cast.space).await;
    let (elsewhere, _) = pla_on_the_shelf(&api, &cast.outsider, &cast.other_space).await;
    let buyer = customer(&api, "buyer").await;
    let part = cube(PrintProcess::Fdm, Some(&cast.space));
    paid(&db, &buyer, 5, std::slice::from_ref(&part)).await;
    dispatched(&db).await;
    let job = jobs_of(&api, &part, &buyer.token).await[0]["id"].clone();
    let staff = Some(cast.staff.token.as_str());
    let used = |item: &Value, grams: &str| json!({"input": {"jobId": job, "itemId": item, "locationId": shelf, "quantity": grams}});

    let too_soon = api.send(USED, used(&pla, "13"), staff).await;
    assert_eq!(
        error_message(&too_soon),
        "a job that is accepted has used no material: record it once printing starts"
    );
    move_job(&api, &job, "PRINTING", staff).await;
    only_staff_may(&api, &cast, &buyer, USED, used(&pla, "13")).await;
    let other_stock = api.send(USED, used(&elsewhere, "13"), staff).await;
    assert_eq!(invalid_fields(&other_stock), vec!["itemId"]);
    let too_much = api.send(USED, used(&pla, "2000"), staff).await;
    assert_eq!(
        error_message(&too_much),
        "only 1000 g of PLA black are at Shelf: consuming 2000 g is refused"
    );
    let nothing = api.send(USED, used(&pla, "0"), staff).await;
    assert_eq!(invalid_fields(&nothing), vec!["quantity"]);

    let recorded =
        api.data(USED, used(&pla, "13.5"), staff).await["recordFabricationMaterial"].clone();
    assert_eq!(
        recorded["movement"],
        json!({"kind": "CONSUME", "quantity": "13.5", "change": "-13.5", "location": "Shelf",
               "reason": "Order #5: cube.stl × 2", "recordedBy": {"id": cast.staff.id()}})
    );
    assert_eq!(recorded["item"]["onHand"], "986.5");
    api.data(USED, used(&pla, "1"), staff).await;
    let of_job = |token| api.data(MATERIAL_OF_JOB, json!({"id": job}), token);
    assert_eq!(
        of_job(staff).await["fabricationJob"]["materialUsed"],
        json!([
            {"kind": "CONSUME", "quantity": "13.5", "reason": "Order #5: cube.stl × 2"},
            {"kind": "CONSUME", "quantity": "1", "reason": "Order #5: cube.stl × 2"}
        ])
    );
    assert_eq!(
        of_job(Some(&buyer.token)).await["fabricationJob"]["materialUsed"],
        json!([]),
        "the customer does not see the space's stock"
    );
    let audited: Vec<(Uuid, Value)> = sqlx::query_as(
        "select actor_id, after from shared.audit_logs
         where action = 'stock_movement.recorded' and after->>'fabrication_job_id' is not null
         order by id",
    )
    .fetch_all(&db)
    .await
    .expect("the audit log");
    assert_eq!(audited.len(), 2);
    assert_eq!(audited[0].0, uuid(cast.staff.id()));
    assert_eq!(audited[0].1["fabrication_job_id"], job);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from events.outbox
         where topic = 'makrcave.fabrication_job.changed'
           and payload->>'action' = 'fabrication_job.material_recorded'",
    )
    .fetch_one(&db)
    .await
    .expect("the outbox");
    assert_eq!(told, 2, "the job's followers hear of each record");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn jobs_still_to_print_hold_up_the_next_part_until_they_are_given_printer_time(db: PgPool) {
    tokio::spawn(makrcave::dispatch_paid_parts(db.clone(), Clock::system()));
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "queue-lab").await;
    let printer = offers_pla(&api, &cast.owner, &cast.space, true).await;
    let buyer = customer(&api, "buyer").await;
    let ready_by = |part: PaidPart| {
        let (api, db, buyer) = (&api, &db, &buyer);
        async move {
            paid(db, buyer, 1, std::slice::from_ref(&part)).await;
            dispatched(db).await;
            let jobs = jobs_of(api, &part, &buyer.token).await;
            (jobs[0]["id"].clone(), at(&jobs[0]["readyBy"]))
        }
    };
    let minute = chrono::TimeDelta::minutes(1);
    let two_hours = chrono::TimeDelta::hours(2);

    // Two copies of an hour each, one part after the other on the one printer.
    let (first, first_ready) = ready_by(cube(PrintProcess::Fdm, None)).await;
    let (_, second_ready) = ready_by(cube(PrintProcess::Fdm, None)).await;
    let behind = second_ready - first_ready;
    assert!(
        (two_hours - minute..two_hours + minute).contains(&behind),
        "the second part waits for the first: {behind}"
    );

    // Given printer time tomorrow, the first no longer holds up today's queue.
    let tomorrow = (Utc::now() + chrono::TimeDelta::days(1))
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .expect("10:00")
        .and_utc();
    let slot = json!({"input": {"jobId": first, "equipmentId": printer, "startsAt": tomorrow}});
    api.data(SCHEDULE, slot, Some(&cast.staff.token)).await;
    let (_, third_ready) = ready_by(cube(PrintProcess::Fdm, None)).await;
    let behind = third_ready - first_ready;
    assert!(
        (two_hours - minute..two_hours + minute).contains(&behind),
        "the third waits for the second only, not for the first too: {behind}"
    );
    assert!(third_ready < tomorrow);
}
