//! Managing a space's members: the member list, roles, suspension and removal, and the rule
//! that a space always keeps at least one active owner, also when owners act at the same time.

mod common;

use common::{
    Cast, Person, Who, add_machine, count, expect_outcome, found_space, join_as, makrcave,
    newcomer, writes,
};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code};
use serde_json::{Value, json};
use sqlx::PgPool;

const MEMBERS: &str = "query($space: ID!, $first: Int, $after: String) {
    members(makerspaceId: $space, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { user { id } role since suspended } } } }";
const CHANGE_ROLE: &str = "mutation($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) { user { id } role suspended } }";
const SUSPEND: &str = "mutation($input: SuspendMemberInput!) {
    suspendMember(input: $input) { user { id } role suspended } }";
const REINSTATE: &str = "mutation($input: ReinstateMemberInput!) {
    reinstateMember(input: $input) { user { id } role suspended } }";
const REMOVE: &str = "mutation($input: RemoveMemberInput!) {
    removeMember(input: $input) { user { id } role } }";
const LOG_MAINTENANCE: &str = "mutation($input: LogMaintenanceInput!) {
    logMaintenance(input: $input) { id } }";
const MEMBERSHIPS: &str = "query($reps: [_Any!]!) {
    _entities(representations: $reps) { ... on User { memberships { role makerspace { slug } } } } }";

fn member(space: &Value, person: &Person) -> Value {
    json!({"input": {"makerspaceId": space["id"], "userId": person.id()}})
}

fn with_role(space: &Value, person: &Person, role: &str) -> Value {
    json!({"input": {"makerspaceId": space["id"], "userId": person.id(), "role": role}})
}

/// The roles in a space's member list, by user id.
async fn roles(api: &Endpoint, token: &str, space: &Value) -> Vec<(Value, Value, bool)> {
    let members = api
        .data(MEMBERS, json!({"space": space["id"]}), Some(token))
        .await;
    members["members"]["edges"]
        .as_array()
        .expect("the member list's edges")
        .iter()
        .map(|edge| {
            let node = &edge["node"];
            (
                node["user"]["id"].clone(),
                node["role"].clone(),
                node["suspended"]
                    .as_bool()
                    .expect("whether they are suspended"),
            )
        })
        .collect()
}

async fn active_owners(db: &PgPool) -> i64 {
    count(
        db,
        "select count(*) from makrcave.memberships where role = 'owner' and suspended_at is null",
    )
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn members_are_listed_longest_standing_first_a_page_at_a_time(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "list-lab").await;
    let staff = join_as(&api, &owner.token, &space["id"], "STAFF", "staff").await;
    let member = join_as(&api, &owner.token, &space["id"], "MEMBER", "member").await;

    let first = api
        .data(
            MEMBERS,
            json!({"space": space["id"], "first": 2}),
            Some(&member.token),
        )
        .await["members"]
        .clone();
    let rest = api
        .data(
            MEMBERS,
            json!({"space": space["id"], "first": 2, "after": first["pageInfo"]["endCursor"]}),
            Some(&member.token),
        )
        .await["members"]
        .clone();

    assert_eq!(first["totalCount"], 3);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    let listed: Vec<(&Value, &Value)> = [&first, &rest]
        .iter()
        .flat_map(|page| page["edges"].as_array().expect("a page's edges"))
        .map(|edge| (&edge["node"]["user"]["id"], &edge["node"]["role"]))
        .collect();
    assert_eq!(
        listed,
        [
            (&space["owner"]["id"], &json!("OWNER")),
            (staff.id(), &json!("STAFF")),
            (member.id(), &json!("MEMBER")),
        ]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_person_belongs_to_several_spaces_with_a_different_role_in_each(db: PgPool) {
    let api = makrcave(&db).await;
    let first_owner = newcomer("first-owner");
    let second_owner = newcomer("second-owner");
    let workshop = found_space(&api, &first_owner.token, "workshop").await;
    let bio_lab = found_space(&api, &second_owner.token, "bio-lab").await;
    let machine = add_machine(&api, &first_owner.token, &workshop["id"], "Table saw").await;
    let ada = join_as(&api, &first_owner.token, &workshop["id"], "MEMBER", "ada").await;
    let invitation = common::invite(
        &api,
        &second_owner.token,
        &bio_lab["id"],
        &ada.email,
        "MANAGER",
    )
    .await;
    api.data(
        common::ACCEPT,
        json!({"input": {"invitationId": invitation["id"]}}),
        Some(&ada.token),
    )
    .await;

    let memberships = api
        .data(
            MEMBERSHIPS,
            json!({"reps": [{"__typename": "User", "id": ada.id()}]}),
            Some(&ada.token),
        )
        .await["_entities"][0]["memberships"]
        .clone();
    assert_eq!(
        memberships,
        json!([
            {"role": "MEMBER", "makerspace": {"slug": "workshop"}},
            {"role": "MANAGER", "makerspace": {"slug": "bio-lab"}},
        ])
    );
    let log = json!({"input": {"equipmentId": machine["id"], "description": "Oiled it"}});
    let in_workshop = api.send(LOG_MAINTENANCE, log, Some(&ada.token)).await;
    assert_eq!(
        error_code(&in_workshop),
        Some("FORBIDDEN"),
        "a member in the workshop"
    );
    let newcomer = join_as(&api, &ada.token, &bio_lab["id"], "STAFF", "newcomer").await;
    assert!(
        roles(&api, &ada.token, &bio_lab).await.contains(&(
            newcomer.id().clone(),
            json!("STAFF"),
            false
        )),
        "a manager in the bio lab"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_manager_changes_a_members_role_and_the_change_is_recorded(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "promo-lab").await;
    let manager = join_as(&api, &owner.token, &space["id"], "MANAGER", "manager").await;
    let member = join_as(&api, &owner.token, &space["id"], "MEMBER", "member").await;
    let before = writes(&db).await;

    let changed = api
        .data(
            CHANGE_ROLE,
            with_role(&space, &member, "STAFF"),
            Some(&manager.token),
        )
        .await;

    assert_eq!(changed["changeMemberRole"]["role"], "STAFF");
    assert_eq!(writes(&db).await, (before.0 + 1, before.1 + 1));
    let (after,): (Value,) = sqlx::query_as(
        "select after from shared.audit_logs where action = 'membership.role_changed'",
    )
    .fetch_one(&db)
    .await
    .expect("an audit row");
    assert_eq!(after["role"], "staff");
    assert_eq!(
        count(
            &db,
            "select count(*) from events.outbox where topic = 'makrcave.membership.changed' \
             and payload->>'action' = 'membership.role_changed'"
        )
        .await,
        1
    );
    api.data(
        CHANGE_ROLE,
        with_role(&space, &member, "STAFF"),
        Some(&manager.token),
    )
    .await;
    assert_eq!(
        writes(&db).await,
        (before.0 + 1, before.1 + 1),
        "the same role again changes nothing"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_owners_make_or_unmake_an_owner(db: PgPool) {
    let api = makrcave(&db).await;
    let mut owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "crown-lab").await;
    owner.set_id(&space["owner"]["id"]);
    let manager = join_as(&api, &owner.token, &space["id"], "MANAGER", "manager").await;
    let member = join_as(&api, &owner.token, &space["id"], "MEMBER", "member").await;

    for (input, why) in [
        (
            with_role(&space, &member, "OWNER"),
            "a manager makes an owner",
        ),
        (
            with_role(&space, &manager, "OWNER"),
            "a manager makes themselves owner",
        ),
        (
            with_role(&space, &owner, "MEMBER"),
            "a manager unmakes an owner",
        ),
    ] {
        expect_outcome(
            &api,
            &db,
            (CHANGE_ROLE, input),
            Some(&manager.token),
            Some("FORBIDDEN"),
            why,
        )
        .await;
    }

    api.data(
        CHANGE_ROLE,
        with_role(&space, &manager, "OWNER"),
        Some(&owner.token),
    )
    .await;
    let demoted = api
        .data(
            CHANGE_ROLE,
            with_role(&space, &owner, "STAFF"),
            Some(&manager.token),
        )
        .await;
    assert_eq!(demoted["changeMemberRole"]["role"], "STAFF");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_last_owner_cannot_be_demoted_suspended_or_removed_nor_leave(db: PgPool) {
    let api = makrcave(&db).await;
    let mut owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "lonely-lab").await;
    owner.set_id(&space["owner"]["id"]);
    let admin = makrx_testkit::token("admin@makrx.dev");

    for (operation, input, token, why) in [
        (
            CHANGE_ROLE,
            with_role(&space, &owner, "MANAGER"),
            &owner.token,
            "stepping down",
        ),
        (
            CHANGE_ROLE,
            with_role(&space, &owner, "MEMBER"),
            &admin,
            "an admin demoting",
        ),
        (
            SUSPEND,
            member(&space, &owner),
            &admin,
            "an admin suspending",
        ),
        (REMOVE, member(&space, &owner), &admin, "an admin removing"),
        (REMOVE, member(&space, &owner), &owner.token, "leaving"),
    ] {
        expect_outcome(
            &api,
            &db,
            (operation, input),
            Some(token),
            Some("CONFLICT"),
            why,
        )
        .await;
    }
    assert_eq!(active_owners(&db).await, 1);

    let heir = join_as(&api, &owner.token, &space["id"], "OWNER", "heir").await;
    let left = api
        .data(REMOVE, member(&space, &owner), Some(&owner.token))
        .await;
    assert_eq!(left["removeMember"]["role"], "OWNER");
    assert_eq!(
        roles(&api, &heir.token, &space).await,
        [(heir.id().clone(), json!("OWNER"), false)]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn of_two_owners_demoting_each_other_at_once_exactly_one_succeeds(db: PgPool) {
    let api = makrcave(&db).await;
    let mut ada = newcomer("ada");
    let mut grace = newcomer("grace");
    for round in 0..5 {
        let space = found_space(&api, &ada.token, &format!("duel-{round}")).await;
        ada.set_id(&space["owner"]["id"]);
        grace.set_id(&join_as_person(&api, &ada.token, &space, &grace).await);

        let (by_ada, by_grace) = tokio::join!(
            api.send(
                CHANGE_ROLE,
                with_role(&space, &grace, "MEMBER"),
                Some(&ada.token)
            ),
            api.send(
                CHANGE_ROLE,
                with_role(&space, &ada, "MEMBER"),
                Some(&grace.token)
            ),
        );

        let succeeded = [&by_ada, &by_grace]
            .iter()
            .filter(|body| body.get("errors").is_none())
            .count();
        assert_eq!(succeeded, 1, "round {round}: {by_ada:#} {by_grace:#}");
        // The loser waited for the winner's lock and was no longer an owner when it got it.
        let loser = if by_ada.get("errors").is_some() {
            &by_ada
        } else {
            &by_grace
        };
        assert_eq!(error_code(loser), Some("FORBIDDEN"), "{loser:#}");
    }
    assert_eq!(
        count(
            &db,
            "select count(*) from (select makerspace_id from makrcave.memberships
             where role = 'owner' group by makerspace_id having count(*) = 1) as kept"
        )
        .await,
        5,
        "each space kept exactly one owner"
    );
}

/// Invites `person` into `space` as an owner and has them accept, returning their id.
async fn join_as_person(api: &Endpoint, inviter: &str, space: &Value, person: &Person) -> Value {
    let invitation = common::invite(api, inviter, &space["id"], &person.email, "OWNER").await;
    api.data(
        common::ACCEPT,
        json!({"input": {"invitationId": invitation["id"]}}),
        Some(&person.token),
    )
    .await["acceptInvitation"]["user"]["id"]
        .clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn of_two_owners_leaving_at_once_exactly_one_may_go(db: PgPool) {
    let api = makrcave(&db).await;
    let mut ada = newcomer("ada");
    let mut grace = newcomer("grace");
    for round in 0..5 {
        let space = found_space(&api, &ada.token, &format!("exodus-{round}")).await;
        ada.set_id(&space["owner"]["id"]);
        grace.set_id(&join_as_person(&api, &ada.token, &space, &grace).await);

        let (ada_leaves, grace_leaves) = tokio::join!(
            api.send(REMOVE, member(&space, &ada), Some(&ada.token)),
            api.send(REMOVE, member(&space, &grace), Some(&grace.token)),
        );

        let codes = [error_code(&ada_leaves), error_code(&grace_leaves)];
        assert!(
            codes == [None, Some("CONFLICT")] || codes == [Some("CONFLICT"), None],
            "round {round}: {ada_leaves:#} {grace_leaves:#}"
        );
    }
    assert_eq!(active_owners(&db).await, 5, "one owner in each space");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_suspended_members_role_no_longer_counts_until_reinstated(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "strict-lab").await;
    let machine = add_machine(&api, &owner.token, &space["id"], "Lathe").await;
    let staff = join_as(&api, &owner.token, &space["id"], "STAFF", "staff").await;
    let log =
        || json!({"input": {"equipmentId": machine["id"], "description": "Changed the belt"}});

    let suspended = api
        .data(SUSPEND, member(&space, &staff), Some(&owner.token))
        .await;
    assert_eq!(suspended["suspendMember"]["suspended"], true);
    assert_eq!(
        suspended["suspendMember"]["role"], "STAFF",
        "the role is kept"
    );

    for (operation, variables, why) in [
        (LOG_MAINTENANCE, log(), "logging maintenance"),
        (MEMBERS, json!({"space": space["id"]}), "listing members"),
    ] {
        expect_outcome(
            &api,
            &db,
            (operation, variables),
            Some(&staff.token),
            Some("FORBIDDEN"),
            why,
        )
        .await;
    }
    assert!(roles(&api, &owner.token, &space).await.contains(&(
        staff.id().clone(),
        json!("STAFF"),
        true
    )));

    let reinstated = api
        .data(REINSTATE, member(&space, &staff), Some(&owner.token))
        .await;
    assert_eq!(reinstated["reinstateMember"]["suspended"], false);
    api.data(LOG_MAINTENANCE, log(), Some(&staff.token)).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn managers_cannot_suspend_reinstate_or_remove_an_owner(db: PgPool) {
    let api = makrcave(&db).await;
    let mut owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "guarded-lab").await;
    owner.set_id(&space["owner"]["id"]);
    let co_owner = join_as(&api, &owner.token, &space["id"], "OWNER", "co-owner").await;
    let manager = join_as(&api, &owner.token, &space["id"], "MANAGER", "manager").await;

    for operation in [SUSPEND, REMOVE] {
        expect_outcome(
            &api,
            &db,
            (operation, member(&space, &co_owner)),
            Some(&manager.token),
            Some("FORBIDDEN"),
            "a manager against an owner",
        )
        .await;
    }
    api.data(SUSPEND, member(&space, &co_owner), Some(&owner.token))
        .await;
    expect_outcome(
        &api,
        &db,
        (REINSTATE, member(&space, &co_owner)),
        Some(&manager.token),
        Some("FORBIDDEN"),
        "a manager reinstating an owner",
    )
    .await;
    expect_outcome(
        &api,
        &db,
        (SUSPEND, member(&space, &owner)),
        Some(&owner.token),
        Some("CONFLICT"),
        "the only active owner suspending themselves",
    )
    .await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_member_may_leave_a_space_and_is_gone_from_its_list(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "exit-lab").await;
    let member_ = join_as(&api, &owner.token, &space["id"], "MEMBER", "member").await;

    api.data(REMOVE, member(&space, &member_), Some(&member_.token))
        .await;

    assert_eq!(
        roles(&api, &owner.token, &space).await,
        [(space["owner"]["id"].clone(), json!("OWNER"), false)]
    );
    assert_eq!(
        count(
            &db,
            "select count(*) from shared.audit_logs where action = 'membership.left'"
        )
        .await,
        1
    );
    let gone = api
        .send(MEMBERS, json!({"space": space["id"]}), Some(&member_.token))
        .await;
    assert_eq!(error_code(&gone), Some("FORBIDDEN"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn someone_who_is_not_a_member_is_not_found(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "ghost-lab").await;
    let mut stranger = newcomer("stranger");
    stranger.set_id(&json!("0190b5a0-0000-7000-8000-000000000000"));

    for operation in [SUSPEND, REINSTATE, REMOVE] {
        expect_outcome(
            &api,
            &db,
            (operation, member(&space, &stranger)),
            Some(&owner.token),
            Some("NOT_FOUND"),
            "a stranger",
        )
        .await;
    }
    let malformed = api
        .send(
            SUSPEND,
            json!({"input": {"makerspaceId": "x", "userId": "y"}}),
            Some(&owner.token),
        )
        .await;
    assert_eq!(
        makrx_testkit::invalid_fields(&malformed),
        ["makerspaceId", "userId"]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn who_may_do_what_with_members(db: PgPool) {
    use Who::*;
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "members-matrix").await;
    let space = &cast.space;
    let owner_token = cast.owner.token.clone();
    let target = join_as(&api, &owner_token, &space["id"], "MEMBER", "target").await;
    let refused_unless_manager = |who: Who| match who {
        Anonymous => Some("UNAUTHENTICATED"),
        Outsider | Member | Staff => Some("FORBIDDEN"),
        Manager | Owner | PlatformAdmin => None,
    };

    for who in Who::ALL {
        let expected = match who {
            Anonymous => Some("UNAUTHENTICATED"),
            Outsider => Some("FORBIDDEN"),
            _ => None,
        };
        let list = (MEMBERS, json!({"space": space["id"]}));
        expect_outcome(
            &api,
            &db,
            list,
            cast.token(who),
            expected,
            &format!("{who:?} lists members"),
        )
        .await;

        let role = if matches!(who, Owner) {
            "MEMBER"
        } else {
            "STAFF"
        };
        let change = (CHANGE_ROLE, with_role(space, &target, role));
        let expected = refused_unless_manager(who);
        expect_outcome(
            &api,
            &db,
            change,
            cast.token(who),
            expected,
            &format!("{who:?} changes a role"),
        )
        .await;

        let crown = (CHANGE_ROLE, with_role(space, &target, "OWNER"));
        let expected = match who {
            Owner | PlatformAdmin => None,
            Manager => Some("FORBIDDEN"),
            _ => refused_unless_manager(who),
        };
        expect_outcome(
            &api,
            &db,
            crown,
            cast.token(who),
            expected,
            &format!("{who:?} makes an owner"),
        )
        .await;
        if expected.is_none() {
            api.data(
                CHANGE_ROLE,
                with_role(space, &target, "MEMBER"),
                Some(&owner_token),
            )
            .await;
        }

        for (operation, action) in [(SUSPEND, "suspends"), (REINSTATE, "reinstates")] {
            let expected = refused_unless_manager(who);
            let context = format!("{who:?} {action}");
            expect_outcome(
                &api,
                &db,
                (operation, member(space, &target)),
                cast.token(who),
                expected,
                &context,
            )
            .await;
        }

        let removed = join_as(&api, &owner_token, &space["id"], "MEMBER", "removed").await;
        let expected = refused_unless_manager(who);
        expect_outcome(
            &api,
            &db,
            (REMOVE, member(space, &removed)),
            cast.token(who),
            expected,
            &format!("{who:?} removes a member"),
        )
        .await;
    }

    expect_outcome(
        &api,
        &db,
        (REMOVE, member(space, &cast.member)),
        Some(&cast.member.token),
        None,
        "a member leaves",
    )
    .await;
}
