//! What the MakrCave tests share: the service on a free port and a few steps most tests take.
#![allow(dead_code)]

pub mod lab;

use makrx_service::Clock;
use makrx_testkit::{Endpoint, auth};
use serde_json::{Value, json};
use sqlx::PgPool;

pub const CREATE_SPACE: &str = "mutation($input: CreateMakerspaceInput!) {
    createMakerspace(input: $input) { id slug name owner { id } } }";
pub const ADD_EQUIPMENT: &str = "mutation($input: AddEquipmentInput!) {
    addEquipment(input: $input) { id name kind status } }";
pub const SET_STATUS: &str = "mutation($input: SetEquipmentStatusInput!) {
    setEquipmentStatus(input: $input) { id status } }";

pub async fn makrcave(db: &PgPool) -> Endpoint {
    makrcave_at(db, Clock::system()).await
}

/// The service deciding by `clock`, which the test moves.
pub async fn makrcave_at(db: &PgPool, clock: Clock) -> Endpoint {
    Endpoint::serve(makrcave::app(db.clone(), auth(db.clone()), clock, None)).await
}

/// Founds a space as the holder of `token`, returning it.
pub async fn found_space(api: &Endpoint, token: &str, slug: &str) -> Value {
    let input = json!({"input": {"name": format!("Space {slug}"), "slug": slug, "description": "A place to make things"}});
    api.data(CREATE_SPACE, input, Some(token)).await["createMakerspace"].clone()
}

/// Adds a machine to a space as the holder of `token`, returning it.
pub async fn add_machine(api: &Endpoint, token: &str, space_id: &Value, name: &str) -> Value {
    let input = json!({"input": {"makerspaceId": space_id, "name": name, "kind": "laser cutter"}});
    api.data(ADD_EQUIPMENT, input, Some(token)).await["addEquipment"].clone()
}

pub async fn count(db: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db)
        .await
        .expect("a count")
}

pub const INVITE: &str = "mutation($input: InviteMemberInput!) {
    inviteMember(input: $input) {
        id email role status expiresAt createdAt makerspace { id slug } invitedBy { id } } }";
pub const ACCEPT: &str = "mutation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { role since suspended user { id } makerspace { id slug } } }";

/// A person of a test: their address, a token for it, and their user id once known.
#[derive(Clone, Debug)]
pub struct Person {
    pub email: String,
    pub token: String,
    known_id: Option<Value>,
}

impl Person {
    /// Their user id, which a test knows only once they have joined or founded a space.
    pub fn id(&self) -> &Value {
        self.known_id
            .as_ref()
            .unwrap_or_else(|| panic!("{}'s id is not known yet", self.email))
    }

    /// Keeps their user id as an answer gave it.
    pub fn set_id(&mut self, id: &Value) {
        assert!(id.is_string(), "a user id for {}, not {id}", self.email);
        self.known_id = Some(id.clone());
    }
}

/// Someone nobody has met yet (their id is known once they join a space).
pub fn newcomer(name: &str) -> Person {
    let email = makrx_testkit::unique_email(name);
    let token = makrx_testkit::token(&email);
    Person {
        email,
        token,
        known_id: None,
    }
}

/// Invites `email` to a space in `role` (`MEMBER`, `STAFF`, ...) as the holder of `inviter`,
/// returning the invitation.
pub async fn invite(
    api: &Endpoint,
    inviter: &str,
    space_id: &Value,
    email: &str,
    role: &str,
) -> Value {
    let input = json!({"input": {"makerspaceId": space_id, "email": email, "role": role}});
    api.data(INVITE, input, Some(inviter)).await["inviteMember"].clone()
}

/// Someone new in a space with `role`, through the front door: invited by the holder of
/// `inviter`, then accepting with their own token.
pub async fn join_as(
    api: &Endpoint,
    inviter: &str,
    space_id: &Value,
    role: &str,
    name: &str,
) -> Person {
    let mut person = newcomer(name);
    let invitation = invite(api, inviter, space_id, &person.email, role).await;
    let joined = api
        .data(
            ACCEPT,
            json!({"input": {"invitationId": invitation["id"]}}),
            Some(&person.token),
        )
        .await;
    person.set_id(&joined["acceptInvitation"]["user"]["id"]);
    person
}

/// Audit rows and events written so far; a refused request adds to neither.
pub async fn writes(db: &PgPool) -> (i64, i64) {
    (
        count(db, "select count(*) from shared.audit_logs").await,
        count(db, "select count(*) from events.outbox").await,
    )
}

/// Who asks, in an authorization matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    /// The owner of another space.
    Outsider,
    Member,
    Staff,
    Manager,
    Owner,
    PlatformAdmin,
}

impl Who {
    pub const ALL: [Who; 7] = [
        Who::Anonymous,
        Who::Outsider,
        Who::Member,
        Who::Staff,
        Who::Manager,
        Who::Owner,
        Who::PlatformAdmin,
    ];
}

/// A space with one person in each role, an owner of another space, and a platform admin.
pub struct Cast {
    pub space: Value,
    pub other_space: Value,
    pub owner: Person,
    pub manager: Person,
    pub staff: Person,
    pub member: Person,
    pub outsider: Person,
    pub admin: String,
}

impl Cast {
    /// Founds `slug` and `<slug>-elsewhere` and fills the roles.
    pub async fn gather(api: &Endpoint, slug: &str) -> Self {
        let mut owner = newcomer("owner");
        let space = found_space(api, &owner.token, slug).await;
        owner.set_id(&space["owner"]["id"]);
        let mut outsider = newcomer("outsider");
        let other_space = found_space(api, &outsider.token, &format!("{slug}-elsewhere")).await;
        outsider.set_id(&other_space["owner"]["id"]);
        let manager = join_as(api, &owner.token, &space["id"], "MANAGER", "manager").await;
        let staff = join_as(api, &owner.token, &space["id"], "STAFF", "staff").await;
        let member = join_as(api, &owner.token, &space["id"], "MEMBER", "member").await;
        Self {
            space,
            other_space,
            owner,
            manager,
            staff,
            member,
            outsider,
            admin: makrx_testkit::token("admin@makrx.dev"),
        }
    }

    /// The token `who` sends, if any.
    pub fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Anonymous => None,
            Who::Outsider => Some(&self.outsider.token),
            Who::Member => Some(&self.member.token),
            Who::Staff => Some(&self.staff.token),
            Who::Manager => Some(&self.manager.token),
            Who::Owner => Some(&self.owner.token),
            Who::PlatformAdmin => Some(&self.admin),
        }
    }
}

/// Sends an operation as the holder of `token` and checks its outcome: `None` that it is
/// allowed, `Some(code)` that it is refused with that code and wrote nothing. Returns the body.
pub async fn expect_outcome(
    api: &Endpoint,
    db: &PgPool,
    (query, variables): (&str, Value),
    token: Option<&str>,
    refused_with: Option<&str>,
    context: &str,
) -> Value {
    let before = writes(db).await;
    let body = api.send(query, variables, token).await;
    match refused_with {
        None => assert!(
            body.get("errors").is_none(),
            "{context}: should be allowed, got {body:#}"
        ),
        Some(code) => {
            assert_eq!(
                makrx_testkit::error_code(&body),
                Some(code),
                "{context}: {body:#}"
            );
            assert_eq!(
                writes(db).await,
                before,
                "{context}: a refused request writes nothing"
            );
        }
    }
    body
}
