//! Who may book, settle bookings and set a space's rules: the whole matrix of operations and
//! callers in one table, each cell checked through the API, and every refusal checked to have
//! written nothing. Then a private space, which only its members and platform admins see.

mod common;

use common::lab::{
    APPROVE, AVAILABLE_SLOTS, BOOK, CALENDAR, CANCEL, CHECK_IN, Lab, Person, on_booking, stranger,
};
use common::{Who, found_space, writes};
use makrx_service::db::MIGRATOR;
use makrx_testkit::error_code;
use serde_json::{Value, json};
use sqlx::PgPool;

/// What a caller gets: allowed (`OK`) or refused with a code.
type Outcome = Option<&'static str>;
const OK: Outcome = None;
const UNAUTHENTICATED: Outcome = Some("UNAUTHENTICATED");
const FORBIDDEN: Outcome = Some("FORBIDDEN");
const NOT_FOUND: Outcome = Some("NOT_FOUND");

#[derive(Clone, Copy, Debug)]
enum Op {
    CreateReservation,
    CancelReservation,
    ApproveReservation,
    CheckIn,
    Calendar,
    AvailableSlots,
    Reservations,
    UpdateMakerspaceSettings,
    SetOpeningHours,
    AddBlackout,
    CreateSkill,
    GrantSkill,
    CreatePlan,
    AssignPlan,
    UpdateEquipment,
}

/// Who gets what from each operation on one (public) space. The bookings cancelled, approved
/// and checked in are another member's; "Outsider" owns another space.
#[rustfmt::skip]
const MATRIX: [(Op, [Outcome; 7]); 15] = [
    //                               Anonymous        Outsider   Member     Staff      Manager    Owner      PlatformAdmin
    (Op::CreateReservation,         [UNAUTHENTICATED, FORBIDDEN, OK,        OK,        OK,        OK,        OK]),
    (Op::CancelReservation,         [UNAUTHENTICATED, NOT_FOUND, NOT_FOUND, OK,        OK,        OK,        OK]),
    (Op::ApproveReservation,        [UNAUTHENTICATED, NOT_FOUND, NOT_FOUND, OK,        OK,        OK,        OK]),
    (Op::CheckIn,                   [UNAUTHENTICATED, NOT_FOUND, NOT_FOUND, OK,        OK,        OK,        OK]),
    (Op::Calendar,                  [UNAUTHENTICATED, FORBIDDEN, OK,        OK,        OK,        OK,        OK]),
    (Op::AvailableSlots,            [UNAUTHENTICATED, FORBIDDEN, OK,        OK,        OK,        OK,        OK]),
    (Op::Reservations,              [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        OK]),
    (Op::UpdateMakerspaceSettings,  [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK,        OK]),
    (Op::SetOpeningHours,           [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK,        OK]),
    (Op::AddBlackout,               [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK,        OK]),
    (Op::CreateSkill,               [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        OK]),
    (Op::GrantSkill,                [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        OK]),
    (Op::CreatePlan,                [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK,        OK]),
    (Op::AssignPlan,                [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK,        OK]),
    (Op::UpdateEquipment,           [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        OK]),
];

/// The lab with someone in every seat of the matrix, a member whose bookings the others act
/// on, a member to train and put on plans, and a machine whose bookings need approval.
struct Scene {
    lab: Lab,
    outsider: Person,
    member: Person,
    staff: Person,
    manager: Person,
    admin: Person,
    holder: Person,
    trainee: Person,
    resin_printer: String,
    slug: String,
}

impl Scene {
    async fn set(db: &PgPool) -> Scene {
        let lab = Lab::open(db).await;
        let outsider = stranger(&lab.api, db, "outsider").await;
        found_space(&lab.api, &outsider.token, "elsewhere").await;
        let holder = lab.person("holder", "member").await;
        let unlimited = lab.unlimited_plan().await;
        lab.put_on_plan(&holder, &unlimited, "2026-11-01", None)
            .await;
        Scene {
            member: lab.member("member", None).await,
            staff: lab.person("staff", "staff").await,
            manager: lab.person("manager", "manager").await,
            admin: lab.platform_admin(None).await,
            trainee: lab.member("trainee", None).await,
            resin_printer: lab.add_machine("Resin printer", "PRINTER_3D", true).await,
            slug: lab.slug().await,
            outsider,
            holder,
            lab,
        }
    }

    fn caller(&self, who: Who) -> Option<&Person> {
        match who {
            Who::Anonymous => None,
            Who::Outsider => Some(&self.outsider),
            Who::Member => Some(&self.member),
            Who::Staff => Some(&self.staff),
            Who::Manager => Some(&self.manager),
            Who::Owner => Some(&self.lab.owner),
            Who::PlatformAdmin => Some(&self.admin),
        }
    }

    /// A booking of the holder's, made for one cell of the matrix; its id.
    async fn holders_booking(&self, machine: &str, starts_at: String, ends_at: String) -> Value {
        self.lab
            .booked(&self.holder, machine, &starts_at, &ends_at)
            .await["id"]
            .clone()
    }

    /// The request of cell `n` of `op`'s row, with whatever it acts on made fresh for it.
    async fn request(&self, op: Op, n: usize) -> (&'static str, Value) {
        let lab = &self.lab;
        let space = &lab.space;
        let hour = |day: u32, offset: usize| {
            (
                format!("2026-12-{day:02}T{:02}:00:00Z", 8 + offset),
                format!("2026-12-{day:02}T{:02}:00:00Z", 9 + offset),
            )
        };
        match op {
            Op::CreateReservation => {
                let (starts_at, ends_at) = hour(2, n);
                let input =
                    json!({"equipmentId": lab.printer, "startsAt": starts_at, "endsAt": ends_at});
                (BOOK, json!({ "input": input }))
            }
            Op::CancelReservation => {
                let (starts_at, ends_at) = hour(3, n);
                let booking = self.holders_booking(&lab.printer, starts_at, ends_at).await;
                (CANCEL, on_booking(&booking))
            }
            Op::ApproveReservation => {
                let (starts_at, ends_at) = hour(4, n);
                let booking = self
                    .holders_booking(&self.resin_printer, starts_at, ends_at)
                    .await;
                (APPROVE, on_booking(&booking))
            }
            Op::CheckIn => {
                // Two minutes each from now (Monday 09:00 in Berlin): all within the check-in time.
                let minute = |m: usize| format!("2026-11-30T08:{m:02}:00Z");
                let booking = self
                    .holders_booking(&lab.printer, minute(2 * n), minute(2 * n + 2))
                    .await;
                (CHECK_IN, on_booking(&booking))
            }
            Op::Calendar => (
                CALENDAR,
                json!({"slug": self.slug, "from": "2026-11-30T23:00:00Z", "to": "2026-12-01T23:00:00Z"}),
            ),
            Op::AvailableSlots => (
                AVAILABLE_SLOTS,
                json!({"input": {"makerspaceId": space, "equipmentClass": "PRINTER_3D", "minutes": 60,
                                 "from": "2026-12-01T08:00:00Z", "to": "2026-12-01T20:00:00Z"}}),
            ),
            Op::Reservations => (
                "query($space: ID!, $from: DateTime!, $to: DateTime!) {
                    reservations(makerspaceId: $space, from: $from, to: $to) { nodes { id } } }",
                json!({"space": space, "from": "2026-11-30T00:00:00Z", "to": "2026-12-31T00:00:00Z"}),
            ),
            Op::UpdateMakerspaceSettings => (
                "mutation($input: UpdateMakerspaceSettingsInput!) {
                    updateMakerspaceSettings(input: $input) { id } }",
                json!({"input": {"makerspaceId": space, "waitlistOfferMinutes": 30}}),
            ),
            Op::SetOpeningHours => {
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
                (
                    "mutation($input: SetOpeningHoursInput!) { setOpeningHours(input: $input) { weekday } }",
                    json!({"input": {"makerspaceId": space, "hours": week}}),
                )
            }
            Op::AddBlackout => (
                "mutation($input: AddBlackoutInput!) { addBlackout(input: $input) { id } }",
                json!({"input": {"makerspaceId": space,
                                 "startsAt": format!("2027-06-{:02}T00:00:00Z", n + 1),
                                 "endsAt": format!("2027-06-{:02}T00:00:00Z", n + 2),
                                 "reason": "inventory"}}),
            ),
            Op::CreateSkill => (
                "mutation($input: CreateSkillInput!) { createSkill(input: $input) { id } }",
                json!({"input": {"makerspaceId": space, "name": format!("Skill {n}"),
                                 "levels": ["basic", "advanced"]}}),
            ),
            Op::GrantSkill => (
                "mutation($input: GrantSkillInput!) { grantSkill(input: $input) { level } }",
                json!({"input": {"skillId": lab.laser_safety, "userId": self.trainee.id,
                                 "level": "basic"}}),
            ),
            Op::CreatePlan => (
                "mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }",
                json!({"input": {"makerspaceId": space, "name": format!("Plan {n}"), "priceMinor": 0,
                                 "period": "MONTH", "equipmentClasses": ["PRINTER_3D"]}}),
            ),
            Op::AssignPlan => (
                "mutation($input: AssignPlanInput!) { assignPlan(input: $input) { startsOn } }",
                json!({"input": {"makerspaceId": space, "userId": self.trainee.id,
                                 "planId": lab.hobby, "startsOn": "2026-11-01"}}),
            ),
            Op::UpdateEquipment => (
                "mutation($input: UpdateEquipmentInput!) { updateEquipment(input: $input) { id } }",
                json!({"input": {"equipmentId": lab.printer, "location": format!("Bench {n}")}}),
            ),
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn who_may_book_settle_bookings_and_set_a_spaces_rules(db: PgPool) {
    let scene = Scene::set(&db).await;
    let mut wrong = Vec::new();

    for (op, row) in MATRIX {
        for (n, (who, expected)) in Who::ALL.into_iter().zip(row).enumerate() {
            let (query, variables) = scene.request(op, n).await;
            let before = writes(&db).await;
            let answer = scene.lab.ask(scene.caller(who), query, variables).await;
            let wrote = writes(&db).await != before;

            let got = if answer.get("errors").is_none() {
                OK
            } else {
                // Never an expected code, so an error without one is reported below.
                Some(error_code(&answer).unwrap_or("an error without a code"))
            };
            if got != expected {
                wrong.push(format!(
                    "{op:?} as {who:?}: expected {}, got {answer}",
                    expected.unwrap_or("OK")
                ));
            } else if got.is_some() && wrote {
                wrong.push(format!(
                    "{op:?} as {who:?}: refused, yet wrote an audit row or event"
                ));
            }
        }
    }

    assert!(wrong.is_empty(), "cells that differ:\n{}", wrong.join("\n"));
}

const LIST: &str = "query { makerspaces(first: 100) { edges { node { slug } } } }";
const BY_SLUG: &str = "query($slug: String!) { makerspace(slug: $slug) { slug isPublic } }";

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_private_space_is_seen_only_by_its_members_and_platform_admins(db: PgPool) {
    let lab = Lab::open(&db).await;
    let slug = lab.slug().await;
    let member = lab.member("member", None).await;
    let outsider = stranger(&lab.api, &db, "outsider").await;
    found_space(&lab.api, &outsider.token, "elsewhere").await;
    let admin = lab.platform_admin(None).await;
    lab.settings(json!({"isPublic": false})).await;

    for (who, name, sees) in [
        (None, "anonymous", false),
        (Some(&outsider), "a member of another space", false),
        (Some(&member), "a member", true),
        (Some(&lab.owner), "the owner", true),
        (Some(&admin), "a platform admin", true),
    ] {
        let listed = lab.ask(who, LIST, json!({})).await;
        let found = lab.ask(who, BY_SLUG, json!({"slug": slug})).await;

        let slugs: Vec<&Value> = listed["data"]["makerspaces"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} gets the list: {listed:#}"))
            .iter()
            .map(|edge| &edge["node"]["slug"])
            .collect();
        assert_eq!(
            slugs.contains(&&json!(slug)),
            sees,
            "{name} lists it: {listed:#}"
        );
        if sees {
            assert_eq!(
                found["data"]["makerspace"],
                json!({"slug": slug, "isPublic": false}),
                "{name}: {found:#}"
            );
        } else {
            assert_eq!(error_code(&found), Some("NOT_FOUND"), "{name}: {found:#}");
            assert!(
                slugs.contains(&&json!("elsewhere")),
                "{name} still sees the public spaces: {listed:#}"
            );
        }
    }
}
