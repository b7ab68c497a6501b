//! A makerspace set up for booking tests: Berlin time, open 09:00 to 21:00 every day, a laser
//! cutter gated by laser safety at level basic, a 3D printer anyone may use, and the plan
//! Hobby (both classes, 3 h a day, 6 h a week). Time stands still at Monday 30 November 2026,
//! 08:00 UTC (09:00 in Berlin) until a test moves it.

use chrono::{DateTime, Utc};
use makrx_service::Clock;
use makrx_testkit::{Endpoint, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

use super::{found_space, makrcave_at};

pub const NOW: &str = "2026-11-30T08:00:00Z";

pub const BOOK: &str = "mutation($input: CreateReservationInput!) {
    createReservation(input: $input) {
        id status startsAt endsAt costEstimateMinor currency equipment { name } } }";

/// Someone with a token and an id.
#[derive(Clone)]
pub struct Person {
    pub token: String,
    pub id: String,
}

pub struct Lab {
    pub api: Endpoint,
    pub clock: Clock,
    pub db: PgPool,
    pub space: String,
    pub owner: Person,
    pub laser: String,
    pub printer: String,
    pub laser_safety: String,
    pub hobby: String,
}

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a UTC time")
}

impl Lab {
    pub async fn open(db: &PgPool) -> Lab {
        let clock = Clock::manual(at(NOW));
        let api = makrcave_at(db, clock.clone()).await;
        let owner_token = token(&unique_email("owner"));
        let slug = format!("lab-{}", uuid::Uuid::now_v7().simple());
        let space = found_space(&api, &owner_token, &slug).await;
        let space_id = space["id"].as_str().expect("a space id").to_owned();
        let owner = Person {
            id: space["owner"]["id"].as_str().expect("an owner id").into(),
            token: owner_token,
        };
        let call = |query: &'static str, input: Value| {
            let api = &api;
            let token = owner.token.clone();
            async move {
                api.data(query, json!({ "input": input }), Some(&token))
                    .await
            }
        };
        call(
            "mutation($input: UpdateMakerspaceSettingsInput!) { updateMakerspaceSettings(input: $input) { id } }",
            json!({"makerspaceId": space_id, "timeZone": "Europe/Berlin", "currency": "EUR"}),
        )
        .await;
        let week: Vec<Value> = [
            "MONDAY",
            "TUESDAY",
            "WEDNESDAY",
            "THURSDAY",
            "FRIDAY",
            "SATURDAY",
            "SUNDAY",
        ]
        .iter()
        .map(|day| json!({"weekday": day, "opens": "09:00", "closes": "21:00"}))
        .collect();
        call(
            "mutation($input: SetOpeningHoursInput!) { setOpeningHours(input: $input) { weekday } }",
            json!({"makerspaceId": space_id, "hours": week}),
        )
        .await;
        let add = "mutation($input: AddEquipmentInput!) { addEquipment(input: $input) { id } }";
        let laser = call(
            add,
            json!({"makerspaceId": space_id, "name": "Laser", "kind": "Trotec Speedy 360",
                   "class": "LASER_CUTTER", "hourlyCostMinor": 1200}),
        )
        .await["addEquipment"]["id"]
            .as_str()
            .expect("the laser's id")
            .to_owned();
        let printer = call(
            add,
            json!({"makerspaceId": space_id, "name": "Printer", "kind": "Prusa MK4",
                   "class": "PRINTER_3D", "hourlyCostMinor": 300}),
        )
        .await["addEquipment"]["id"]
            .as_str()
            .expect("the printer's id")
            .to_owned();
        let laser_safety = call(
            "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id } }",
            json!({"makerspaceId": space_id, "name": "Laser safety",
                   "levels": ["novice", "basic", "advanced", "expert"]}),
        )
        .await["createSkill"]["id"]
            .as_str()
            .expect("the skill's id")
            .to_owned();
        call(
            "mutation($input: SetSkillGateInput!) { setEquipmentSkillGate(input: $input) { id } }",
            json!({"equipmentId": laser, "skillId": laser_safety, "level": "basic"}),
        )
        .await;
        let hobby = call(
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }",
            json!({"makerspaceId": space_id, "name": "Hobby", "priceMinor": 2500, "period": "MONTH",
                   "dailyQuotaHours": 3, "weeklyQuotaHours": 6,
                   "equipmentClasses": ["LASER_CUTTER", "PRINTER_3D"]}),
        )
        .await["createPlan"]["id"]
            .as_str()
            .expect("the plan's id")
            .to_owned();
        Lab {
            api,
            clock,
            db: db.clone(),
            space: space_id,
            owner,
            laser,
            printer,
            laser_safety,
            hobby,
        }
    }

    /// A new person with `role` in the space (`member`, `staff`, `manager`, `owner`).
    pub async fn person(&self, name: &str, role: &str) -> Person {
        let person = stranger(&self.api, &self.db, name).await;
        self.admit(&person, role).await;
        person
    }

    async fn admit(&self, person: &Person, role: &str) {
        sqlx::query("insert into makrcave.memberships (makerspace_id, user_id, role) values ($1::uuid, $2::uuid, $3)")
            .bind(&self.space)
            .bind(&person.id)
            .bind(role)
            .execute(&self.db)
            .await
            .expect("a membership");
    }

    /// The platform admin of the development OIDC server, a member of the space in `role` if
    /// given (a member on the Hobby plan when that role is `member`).
    pub async fn platform_admin(&self, role: Option<&str>) -> Person {
        let admin = signed_in(&self.api, &self.db, "admin@makrx.dev").await;
        if let Some(role) = role {
            self.admit(&admin, role).await;
        }
        if role == Some("member") {
            self.put_on_plan(&admin, &self.hobby, "2026-11-01", None)
                .await;
        }
        admin
    }

    /// A member on the Hobby plan from today on, with laser safety at `level` if given.
    pub async fn member(&self, name: &str, level: Option<&str>) -> Person {
        let member = self.person(name, "member").await;
        self.put_on_plan(&member, &self.hobby, "2026-11-01", None)
            .await;
        if let Some(level) = level {
            self.grant(&member, level, None).await;
        }
        member
    }

    pub async fn put_on_plan(
        &self,
        member: &Person,
        plan: &str,
        starts_on: &str,
        ends_on: Option<&str>,
    ) {
        self.api
            .data(
                "mutation($input: AssignPlanInput!) { assignPlan(input: $input) { startsOn } }",
                json!({"input": {"makerspaceId": self.space, "userId": member.id, "planId": plan,
                                 "startsOn": starts_on, "endsOn": ends_on}}),
                Some(&self.owner.token),
            )
            .await;
    }

    pub async fn grant(&self, member: &Person, level: &str, expires_at: Option<&str>) {
        self.api
            .data(
                "mutation($input: GrantSkillInput!) { grantSkill(input: $input) { level } }",
                json!({"input": {"skillId": self.laser_safety, "userId": member.id, "level": level,
                                 "expiresAt": expires_at}}),
                Some(&self.owner.token),
            )
            .await;
    }

    /// Tries to book `machine` from `starts_at` to `ends_at` (UTC) as `who`; the whole answer.
    pub async fn book(&self, who: &Person, machine: &str, starts_at: &str, ends_at: &str) -> Value {
        self.api
            .send(
                BOOK,
                json!({"input": {"equipmentId": machine, "startsAt": starts_at, "endsAt": ends_at}}),
                Some(&who.token),
            )
            .await
    }

    /// Books and insists it works; the reservation.
    pub async fn booked(
        &self,
        who: &Person,
        machine: &str,
        starts_at: &str,
        ends_at: &str,
    ) -> Value {
        let answer = self.book(who, machine, starts_at, ends_at).await;
        assert!(
            answer.get("errors").is_none(),
            "the booking failed: {answer:#}"
        );
        answer["data"]["createReservation"].clone()
    }

    /// An approved booking of the printer for `who`, written straight into the database past
    /// every booking rule (as long as the longest booking, say); its id.
    pub async fn printer_booked_directly(
        &self,
        who: &Person,
        starts_at: &str,
        ends_at: &str,
    ) -> String {
        sqlx::query_scalar(
            "insert into makrcave.reservations
                 (id, makerspace_id, equipment_id, user_id, during, status, cost_minor, currency)
             values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, tstzrange($4, $5),
                     'approved', 0, 'EUR')
             returning id::text",
        )
        .bind(&self.space)
        .bind(&self.printer)
        .bind(&who.id)
        .bind(at(starts_at))
        .bind(at(ends_at))
        .fetch_one(&self.db)
        .await
        .expect("a booking row")
    }

    /// How many rows `sql` counts.
    pub async fn count(&self, sql: &'static str) -> i64 {
        super::count(&self.db, sql).await
    }
}

/// Someone signed in who belongs to no space yet.
pub async fn stranger(api: &Endpoint, db: &PgPool, name: &str) -> Person {
    signed_in(api, db, &unique_email(name)).await
}

/// The holder of `email`, signed in.
async fn signed_in(api: &Endpoint, db: &PgPool, email: &str) -> Person {
    let token = token(email);
    // Any request with a token provisions its user.
    api.send("query { __typename }", json!({}), Some(&token))
        .await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from shared.users where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .expect("the user exists once they have called");
    Person {
        token,
        id: id.to_string(),
    }
}

/// Operations the lifecycle, waitlist, recurring, calendar and access tests share.
pub const CANCEL: &str = "mutation($input: ReservationInput!) {
    cancelReservation(input: $input) { id status } }";
pub const APPROVE: &str = "mutation($input: ReservationInput!) {
    approveReservation(input: $input) { id status } }";
pub const REJECT: &str = "mutation($input: ReservationInput!) {
    rejectReservation(input: $input) { id status } }";
pub const CHECK_IN: &str = "mutation($input: ReservationInput!) {
    checkIn(input: $input) { id status checkedInAt checkedOutAt } }";
pub const CHECK_OUT: &str = "mutation($input: ReservationInput!) {
    checkOut(input: $input) { id status checkedInAt checkedOutAt } }";
pub const CALENDAR: &str = "query($slug: String!, $from: DateTime!, $to: DateTime!) {
    makerspace(slug: $slug) { equipment { id calendar(from: $from, to: $to) {
        startsAt endsAt kind reason reservation { id user { id } } } } } }";
pub const AVAILABLE_SLOTS: &str = "query($input: AvailableSlotsInput!) {
    availableSlots(input: $input) { equipment { name } startsAt endsAt } }";

/// The input of an operation on one booking.
pub fn on_booking(reservation_id: &Value) -> Value {
    json!({"input": {"reservationId": reservation_id}})
}

impl Lab {
    /// Sends an operation as `who` (nobody signed in when `None`); the whole answer.
    pub async fn ask(&self, who: Option<&Person>, query: &str, variables: Value) -> Value {
        self.api
            .send(query, variables, who.map(|who| who.token.as_str()))
            .await
    }

    /// An operation the owner sets the lab up with, which must work; its data.
    pub async fn as_owner(&self, query: &str, input: Value) -> Value {
        self.api
            .data(query, json!({ "input": input }), Some(&self.owner.token))
            .await
    }

    /// Changes the space's settings (`cancellationNoticeMinutes`, `isPublic`, ...).
    pub async fn settings(&self, settings: Value) {
        let mut input = json!({"makerspaceId": self.space});
        let fields = input.as_object_mut().expect("an input object");
        fields.extend(settings.as_object().expect("settings as an object").clone());
        self.as_owner(
            "mutation($input: UpdateMakerspaceSettingsInput!) { updateMakerspaceSettings(input: $input) { id } }",
            input,
        )
        .await;
    }

    /// Adds a machine of `class` (`PRINTER_3D`, ...) costing nothing; its id.
    pub async fn add_machine(&self, name: &str, class: &str, requires_approval: bool) -> String {
        self.as_owner(
            "mutation($input: AddEquipmentInput!) { addEquipment(input: $input) { id } }",
            json!({"makerspaceId": self.space, "name": name, "kind": name, "class": class,
                   "requiresApproval": requires_approval}),
        )
        .await["addEquipment"]["id"]
            .as_str()
            .expect("the machine's id")
            .to_owned()
    }

    /// Closes one machine, or the whole space when `machine` is `None`, from `starts_at` to
    /// `ends_at` (UTC).
    pub async fn blackout(
        &self,
        machine: Option<&str>,
        starts_at: &str,
        ends_at: &str,
        reason: &str,
    ) {
        self.as_owner(
            "mutation($input: AddBlackoutInput!) { addBlackout(input: $input) { id } }",
            json!({"makerspaceId": self.space, "equipmentId": machine, "startsAt": starts_at,
                   "endsAt": ends_at, "reason": reason}),
        )
        .await;
    }

    /// A plan without quotas covering every class; its id.
    pub async fn unlimited_plan(&self) -> String {
        self.as_owner(
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }",
            json!({"makerspaceId": self.space, "name": "Unlimited", "priceMinor": 9900,
                   "period": "MONTH",
                   "equipmentClasses": ["PRINTER_3D", "LASER_CUTTER", "CNC", "OTHER"]}),
        )
        .await["createPlan"]["id"]
            .as_str()
            .expect("the plan's id")
            .to_owned()
    }

    /// Sets the manual clock to `to` (UTC), forwards or back.
    pub fn set_clock(&self, to: &str) {
        self.clock.advance(at(to) - self.clock.now());
    }

    /// The space's slug, by which clients find it.
    pub async fn slug(&self) -> String {
        sqlx::query_scalar("select slug from makrcave.makerspaces where id = $1::uuid")
            .bind(&self.space)
            .fetch_one(&self.db)
            .await
            .expect("the lab's slug")
    }

    /// Asks for the calendars of the lab's machines from `from` to `to` as `who`; the whole
    /// answer (`calendar_of` picks one machine's).
    pub async fn calendars(&self, who: Option<&Person>, from: &str, to: &str) -> Value {
        let slug = self.slug().await;
        self.ask(who, CALENDAR, json!({"slug": slug, "from": from, "to": to}))
            .await
    }

    /// Asks for free slots of `minutes` of a class as `who`; the whole answer.
    pub async fn available_slots(
        &self,
        who: &Person,
        class: &str,
        minutes: i32,
        from: &str,
        to: &str,
    ) -> Value {
        self.ask(
            Some(who),
            AVAILABLE_SLOTS,
            json!({"input": {"makerspaceId": self.space, "equipmentClass": class,
                             "minutes": minutes, "from": from, "to": to}}),
        )
        .await
    }
}

/// One machine's calendar out of a `Lab::calendars` answer.
pub fn calendar_of(answer: &Value, machine: &str) -> Value {
    answer["data"]["makerspace"]["equipment"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|equipment| equipment["id"] == machine)
        .map(|equipment| equipment["calendar"].clone())
        .unwrap_or_else(|| panic!("no calendar of {machine} in {answer:#}"))
}

/// Who asks, and what they get: `ok` for data, or the error's code (any other code fails).
pub async fn outcome(
    lab: &Lab,
    who: Option<&Person>,
    query: &str,
    variables: Value,
) -> &'static str {
    let answer = lab.ask(who, query, variables).await;
    match makrx_testkit::error_code(&answer) {
        None => "ok",
        Some("UNAUTHENTICATED") => "UNAUTHENTICATED",
        Some("NOT_FOUND") => "NOT_FOUND",
        Some("FORBIDDEN") => "FORBIDDEN",
        Some(other) => panic!("{query}: unexpected {other}: {answer}"),
    }
}
