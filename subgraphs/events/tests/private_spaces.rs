//! A private makerspace's events are for its members and platform admins only: anyone else,
//! signed in or not, is told the space or machine is not found, on the history query and on
//! every subscription, exactly as for one that does not exist; members receive them all.

use chrono::Utc;
use events::EventBus;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{
    self, Changed, EquipmentStatus, EquipmentStatusChanged, ReservationState, ReservationStatus,
    topics,
};
use makrx_service::{Caller, CallerUser};
use makrx_testkit::{Endpoint, Subscription, auth, error_code, token, unique_email};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

const HISTORY: &str = "query($space: ID!) {
    equipmentStatusChanges(makerspaceId: $space) { nodes { status } } }";
const STATUS_CHANGED: &str = "subscription($space: ID!) {
    equipmentStatusChanged(makerspaceId: $space, after: \"0\") { status } }";
const RESERVATION_CHANGED: &str = "subscription($machine: ID!) {
    reservationChanged(equipmentId: $machine, after: \"0\") { status } }";
const SPACE_RESERVATIONS_CHANGED: &str = "subscription($space: ID!) {
    spaceReservationsChanged(makerspaceId: $space, after: \"0\") { status } }";

/// A private space with one machine whose status changed once and which was booked once.
struct PrivateSpace {
    id: Uuid,
    machine: Uuid,
}

impl PrivateSpace {
    async fn found(db: &PgPool) -> Self {
        let (id, machine) = (Uuid::now_v7(), Uuid::now_v7());
        sqlx::query(
            "insert into makrcave.makerspaces (id, name, slug, owner_id, is_public)
             values ($1, 'Private Lab', $2, $1, false)",
        )
        .bind(id)
        .bind(format!("private-{}", id.simple()))
        .execute(db)
        .await
        .expect("a private makerspace");
        sqlx::query(
            "insert into makrcave.equipment (id, makerspace_id, name, kind) values ($1, $2, 'Laser', 'laser cutter')",
        )
        .bind(machine)
        .bind(id)
        .execute(db)
        .await
        .expect("a machine");
        let mut tx = db.begin().await.expect("a transaction");
        let change = EquipmentStatusChanged {
            equipment_id: machine,
            makerspace_id: id,
            status: EquipmentStatus::Maintenance,
            changed_at: Utc::now(),
        };
        outbox::publish(&mut tx, topics::EQUIPMENT_STATUS_CHANGED, &change)
            .await
            .expect("the event is written");
        let booking = ReservationState {
            id: Uuid::now_v7(),
            equipment_id: machine,
            makerspace_id: id,
            status: ReservationStatus::Pending,
            starts_at: Utc::now(),
            ends_at: Utc::now() + chrono::Duration::hours(1),
            updated_at: Utc::now(),
        };
        let booked = Changed {
            action: "reservation.created".into(),
            entity_id: booking.id,
            makerspace_id: id,
            actor_id: id,
            after: serde_json::to_value(&booking).expect("a booking as JSON"),
        };
        outbox::publish(&mut tx, topics::RESERVATION_CHANGED, &booked)
            .await
            .expect("the event is written");
        tx.commit().await.expect("commit");
        Self { id, machine }
    }

    /// Makes the holder of `token` a member (suspended or not) of the space.
    async fn admit(&self, db: &PgPool, token: &str, suspended: bool) {
        let user = signed_in(db, token).await;
        sqlx::query(
            "insert into makrcave.memberships (makerspace_id, user_id, role, suspended_at)
             values ($1, $2, 'member', case when $3 then now() end)",
        )
        .bind(self.id)
        .bind(user.id)
        .bind(suspended)
        .execute(db)
        .await
        .expect("a membership");
    }
}

async fn signed_in(db: &PgPool, token: &str) -> CallerUser {
    match auth(db.clone())
        .caller(Some(&format!("Bearer {token}")))
        .await
    {
        Ok(Caller::User(user)) => user,
        other => panic!("the token names a user: {other:?}"),
    }
}

async fn events(db: &PgPool) -> Endpoint {
    let bus = EventBus::start(db.clone(), None)
        .await
        .expect("the bus starts");
    Endpoint::serve(events::app(db.clone(), auth(db.clone()), bus)).await
}

fn ws_url(api: &Endpoint) -> String {
    format!("ws://{}/graphql", api.addr)
}

/// Asks for the space's history and subscribes to its machines' status and bookings as the
/// holder of `token`, and checks that each is refused as if the space did not exist.
async fn assert_not_found(api: &Endpoint, space: &PrivateSpace, token: Option<&str>, who: &str) {
    let history = api.send(HISTORY, json!({"space": space.id}), token).await;
    assert_eq!(error_code(&history), Some("NOT_FOUND"), "{who}: {history}");
    assert!(history["data"].is_null(), "{who} reads nothing: {history}");
    let subscriptions = [
        (STATUS_CHANGED, json!({"space": space.id})),
        (RESERVATION_CHANGED, json!({"machine": space.machine})),
        (SPACE_RESERVATIONS_CHANGED, json!({"space": space.id})),
    ];
    for (query, variables) in subscriptions {
        let refused = Subscription::start(&ws_url(api), query, variables, token)
            .await
            .next()
            .await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{who}: {refused}"
        );
        assert!(
            refused["data"].is_null(),
            "{who} receives nothing: {refused}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn anonymous_callers_cannot_follow_a_private_space(db: PgPool) {
    let api = events(&db).await;
    let space = PrivateSpace::found(&db).await;
    assert_not_found(&api, &space, None, "anonymous").await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn members_of_another_space_and_suspended_members_cannot_follow_a_private_space(db: PgPool) {
    let api = events(&db).await;
    let space = PrivateSpace::found(&db).await;
    let elsewhere = PrivateSpace::found(&db).await;
    let outsider = token(&unique_email("outsider"));
    elsewhere.admit(&db, &outsider, false).await;
    assert_not_found(&api, &space, Some(&outsider), "a member of another space").await;
    let suspended = token(&unique_email("suspended"));
    space.admit(&db, &suspended, true).await;
    assert_not_found(&api, &space, Some(&suspended), "a suspended member").await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn members_and_platform_admins_follow_a_private_space(db: PgPool) {
    let api = events(&db).await;
    let space = PrivateSpace::found(&db).await;
    let member = token(&unique_email("member"));
    space.admit(&db, &member, false).await;
    for (who, token) in [("a member", member), ("an admin", token("admin@makrx.dev"))] {
        let history = api
            .send(HISTORY, json!({"space": space.id}), Some(&token))
            .await;
        let status = Subscription::start(
            &ws_url(&api),
            STATUS_CHANGED,
            json!({"space": space.id}),
            Some(&token),
        )
        .await
        .next()
        .await;
        assert_eq!(
            history["data"]["equipmentStatusChanges"]["nodes"],
            json!([{"status": "MAINTENANCE"}]),
            "{who}: {history}"
        );
        assert_eq!(
            status["data"]["equipmentStatusChanged"]["status"], "MAINTENANCE",
            "{who}: {status}"
        );
        let feeds = [
            (
                "reservationChanged",
                RESERVATION_CHANGED,
                json!({"machine": space.machine}),
            ),
            (
                "spaceReservationsChanged",
                SPACE_RESERVATIONS_CHANGED,
                json!({"space": space.id}),
            ),
        ];
        for (field, query, variables) in feeds {
            let booked = Subscription::start(&ws_url(&api), query, variables, Some(&token))
                .await
                .next()
                .await;
            assert_eq!(
                booked["data"][field]["status"], "PENDING",
                "{who}: {booked}"
            );
        }
    }
}
