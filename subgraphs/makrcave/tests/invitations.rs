//! Invitations: managers and above invite by email with a role; the person invited, signed in
//! with that verified email, sees the invitation and accepts or declines it within 14 days; to
//! anyone else it does not exist.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{
    ACCEPT, Cast, Who, count, expect_outcome, found_space, invite, join_as, makrcave, makrcave_at,
    newcomer, writes,
};
use makrx_service::Clock;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, error_code, error_message, invalid_fields, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const MY_INVITATIONS: &str =
    "query { myInvitations { id email role status makerspace { slug } invitedBy { id } } }";
const INVITATIONS: &str = "query($space: ID!, $first: Int, $after: String) {
    invitations(makerspaceId: $space, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id email role status } } } }";
const DECLINE: &str = "mutation($input: DeclineInvitationInput!) {
    declineInvitation(input: $input) { id status } }";
const REVOKE: &str = "mutation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) { id status } }";
const MEMBERS: &str = "query($space: ID!) {
    members(makerspaceId: $space) { totalCount edges { node { user { id } role suspended } } } }";

fn answer(query: &'static str, invitation: &Value) -> (&'static str, Value) {
    (query, json!({"input": {"invitationId": invitation["id"]}}))
}

fn invite_input(space_id: &Value, email: &str, role: &str) -> Value {
    json!({"input": {"makerspaceId": space_id, "email": email, "role": role}})
}

async fn my_invitations(api: &Endpoint, token: &str) -> Value {
    api.data(MY_INVITATIONS, json!({}), Some(token)).await["myInvitations"].clone()
}

async fn invitations_of(api: &Endpoint, token: &str, space_id: &Value) -> Value {
    api.data(INVITATIONS, json!({"space": space_id}), Some(token))
        .await["invitations"]
        .clone()
}

fn at(text: &Value) -> DateTime<Utc> {
    let text = text
        .as_str()
        .unwrap_or_else(|| panic!("a time, not {text}"));
    text.parse()
        .unwrap_or_else(|error| panic!("an RFC 3339 time, not {text:?}: {error}"))
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_invited_person_sees_the_invitation_accepts_it_and_becomes_a_member(db: PgPool) {
    let now = Utc::now();
    let api = makrcave_at(&db, Clock::manual(now)).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "welcome-lab").await;
    let invitee = newcomer("invitee");

    let invitation = invite(
        &api,
        &owner.token,
        &space["id"],
        &format!("  {}  ", invitee.email.to_uppercase()),
        "STAFF",
    )
    .await;
    assert_eq!(
        invitation["email"],
        invitee.email.as_str(),
        "kept lower-cased"
    );
    assert_eq!(invitation["status"], "PENDING");
    assert_eq!(invitation["role"], "STAFF");
    assert_eq!(invitation["invitedBy"]["id"], space["owner"]["id"]);
    assert_eq!(at(&invitation["createdAt"]), Clock::manual(now).now());
    assert_eq!(
        at(&invitation["expiresAt"]) - at(&invitation["createdAt"]),
        Duration::days(14)
    );

    let mine = my_invitations(&api, &invitee.token).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(mine[0]["id"], invitation["id"]);
    assert_eq!(mine[0]["makerspace"]["slug"], "welcome-lab");

    let joined = api
        .data(ACCEPT, answer(ACCEPT, &invitation).1, Some(&invitee.token))
        .await["acceptInvitation"]
        .clone();
    assert_eq!(joined["role"], "STAFF");
    assert_eq!(joined["suspended"], false);
    assert_eq!(joined["makerspace"]["slug"], "welcome-lab");

    let members = api
        .data(MEMBERS, json!({"space": space["id"]}), Some(&invitee.token))
        .await["members"]
        .clone();
    assert_eq!(members["totalCount"], 2);
    assert!(
        members["edges"]
            .as_array()
            .expect("the member list's edges")
            .iter()
            .any(|edge| edge["node"]["user"]["id"] == joined["user"]["id"]
                && edge["node"]["role"] == "STAFF"),
        "the new member is listed with their role: {members:#}"
    );
    assert_eq!(my_invitations(&api, &invitee.token).await, json!([]));
    let sent = invitations_of(&api, &owner.token, &space["id"]).await;
    assert_eq!(sent["edges"][0]["node"]["status"], "ACCEPTED");
    for action in [
        "invitation.sent",
        "invitation.accepted",
        "membership.joined",
    ] {
        let audit = sqlx::query_scalar::<_, i64>(
            "select count(*) from shared.audit_logs where action = $1",
        )
        .bind(action)
        .fetch_one(&db)
        .await
        .expect("a count");
        assert_eq!(audit, 1, "{action} is audited");
    }
    assert_eq!(
        count(
            &db,
            "select count(*) from events.outbox where topic in \
             ('makrcave.invitation.changed', 'makrcave.membership.changed')"
        )
        .await,
        3
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_declined_invitation_makes_no_member_and_cannot_be_accepted_afterwards(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "decline-lab").await;
    let invitee = newcomer("invitee");
    let invitation = invite(&api, &owner.token, &space["id"], &invitee.email, "MEMBER").await;

    let declined = api
        .data(
            DECLINE,
            answer(DECLINE, &invitation).1,
            Some(&invitee.token),
        )
        .await;
    assert_eq!(declined["declineInvitation"]["status"], "DECLINED");

    let late = api
        .send(ACCEPT, answer(ACCEPT, &invitation).1, Some(&invitee.token))
        .await;
    assert_eq!(error_code(&late), Some("CONFLICT"));
    assert_eq!(my_invitations(&api, &invitee.token).await, json!([]));
    assert_eq!(
        count(&db, "select count(*) from makrcave.memberships").await,
        1,
        "only the owner"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_revoked_invitation_can_no_longer_be_accepted(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "revoke-lab").await;
    let invitee = newcomer("invitee");
    let invitation = invite(&api, &owner.token, &space["id"], &invitee.email, "MEMBER").await;

    let revoked = api
        .data(REVOKE, answer(REVOKE, &invitation).1, Some(&owner.token))
        .await;
    assert_eq!(revoked["revokeInvitation"]["status"], "REVOKED");

    assert_eq!(my_invitations(&api, &invitee.token).await, json!([]));
    let late = api
        .send(ACCEPT, answer(ACCEPT, &invitation).1, Some(&invitee.token))
        .await;
    assert_eq!(error_code(&late), Some("CONFLICT"));
    let again = api
        .send(REVOKE, answer(REVOKE, &invitation).1, Some(&owner.token))
        .await;
    assert_eq!(error_code(&again), Some("CONFLICT"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_invitation_expires_fourteen_days_after_it_is_sent(db: PgPool) {
    let clock = Clock::manual(Utc::now());
    let api = makrcave_at(&db, clock.clone()).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "expiry-lab").await;
    let invitee = newcomer("invitee");
    let invitation = invite(&api, &owner.token, &space["id"], &invitee.email, "MEMBER").await;

    clock.advance(Duration::days(14) - Duration::seconds(1));
    assert_eq!(
        my_invitations(&api, &invitee.token).await[0]["status"],
        "PENDING"
    );

    clock.advance(Duration::seconds(1));
    assert_eq!(my_invitations(&api, &invitee.token).await, json!([]));
    let sent = invitations_of(&api, &owner.token, &space["id"]).await;
    assert_eq!(sent["edges"][0]["node"]["status"], "EXPIRED");
    let before = writes(&db).await;
    let late = api
        .send(ACCEPT, answer(ACCEPT, &invitation).1, Some(&invitee.token))
        .await;
    assert_eq!(error_code(&late), Some("CONFLICT"));
    assert!(error_message(&late).contains("expired"), "{late:#}");
    assert_eq!(
        writes(&db).await,
        before,
        "a refused request writes nothing"
    );

    let fresh = invite(&api, &owner.token, &space["id"], &invitee.email, "MEMBER").await;
    assert_eq!(
        fresh["status"], "PENDING",
        "an expired invitation does not block a new one"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn someone_signed_in_with_another_email_cannot_see_accept_or_decline_it(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "private-lab").await;
    let invitation = invite(
        &api,
        &owner.token,
        &space["id"],
        &unique_email("invitee"),
        "MEMBER",
    )
    .await;
    let someone_else = newcomer("someone-else");

    assert_eq!(my_invitations(&api, &someone_else.token).await, json!([]));
    for query in [ACCEPT, DECLINE] {
        expect_outcome(
            &api,
            &db,
            answer(query, &invitation),
            Some(&someone_else.token),
            Some("NOT_FOUND"),
            "another person's invitation",
        )
        .await;
    }
    assert_eq!(
        count(&db, "select count(*) from makrcave.memberships").await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn inviting_a_member_or_someone_already_invited_is_a_conflict(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "busy-lab").await;
    let member = join_as(&api, &owner.token, &space["id"], "MEMBER", "member").await;
    let invited = unique_email("invited");
    invite(&api, &owner.token, &space["id"], &invited, "MEMBER").await;

    for (email, why) in [
        (invited.clone(), "a second pending invitation"),
        (invited.to_uppercase(), "the same address in capitals"),
        (member.email.clone(), "someone already a member"),
        (owner.email.clone(), "the owner themselves"),
    ] {
        expect_outcome(
            &api,
            &db,
            (common::INVITE, invite_input(&space["id"], &email, "STAFF")),
            Some(&owner.token),
            Some("CONFLICT"),
            why,
        )
        .await;
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn of_many_invitations_sent_at_once_each_person_receives_exactly_one(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "rush-lab").await;
    let emails: Vec<String> = (0..4).map(|_| unique_email("popular")).collect();

    let attempts = emails.iter().cycle().take(25 * emails.len()).map(|email| {
        api.send(
            common::INVITE,
            invite_input(&space["id"], email, "MEMBER"),
            Some(&owner.token),
        )
    });
    let answers = futures::future::join_all(attempts).await;

    let sent = answers.iter().filter(|body| body.get("errors").is_none());
    assert_eq!(sent.count(), emails.len(), "one for each person");
    assert!(
        answers
            .iter()
            .filter(|body| body.get("errors").is_some())
            .all(|body| error_code(body) == Some("CONFLICT")),
        "{answers:#?}"
    );
    assert_eq!(
        count(
            &db,
            "select count(distinct email) - count(*) from makrcave.invitations"
        )
        .await,
        0,
        "no address was invited twice"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_invitation_needs_an_email_address(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "typo-lab").await;
    let body = expect_outcome(
        &api,
        &db,
        (
            common::INVITE,
            invite_input(&space["id"], "ada at example.org", "MEMBER"),
        ),
        Some(&owner.token),
        Some("VALIDATION_ERROR"),
        "not an address",
    )
    .await;
    assert_eq!(invalid_fields(&body), ["email"]);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn invitations_are_listed_newest_first_a_page_at_a_time(db: PgPool) {
    let clock = Clock::manual(Utc::now());
    let api = makrcave_at(&db, clock.clone()).await;
    let owner = newcomer("owner");
    let space = found_space(&api, &owner.token, "paged-lab").await;
    let mut emails = Vec::new();
    for _ in 0..3 {
        let email = unique_email("invited");
        invite(&api, &owner.token, &space["id"], &email, "MEMBER").await;
        emails.push(email);
        clock.advance(Duration::minutes(1));
    }

    let first = api
        .data(
            INVITATIONS,
            json!({"space": space["id"], "first": 2}),
            Some(&owner.token),
        )
        .await["invitations"]
        .clone();
    let rest = api
        .data(
            INVITATIONS,
            json!({"space": space["id"], "first": 2, "after": first["pageInfo"]["endCursor"]}),
            Some(&owner.token),
        )
        .await["invitations"]
        .clone();

    assert_eq!(first["totalCount"], 3);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    let seen: Vec<&Value> = [&first, &rest]
        .iter()
        .flat_map(|page| page["edges"].as_array().expect("a page's edges"))
        .map(|edge| &edge["node"]["email"])
        .collect();
    assert_eq!(
        seen,
        [&json!(emails[2]), &json!(emails[1]), &json!(emails[0])]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn who_may_do_what_with_invitations(db: PgPool) {
    use Who::*;
    let api = makrcave(&db).await;
    let cast = Cast::gather(&api, "matrix-lab").await;
    let space_id = &cast.space["id"];
    let refused_unless_manager = |who: Who| match who {
        Anonymous => Some("UNAUTHENTICATED"),
        Outsider | Member | Staff => Some("FORBIDDEN"),
        Manager | Owner | PlatformAdmin => None,
    };

    for who in Who::ALL {
        let input = invite_input(space_id, &unique_email("as-member"), "MEMBER");
        let expected = refused_unless_manager(who);
        expect_outcome(
            &api,
            &db,
            (common::INVITE, input),
            cast.token(who),
            expected,
            &format!("{who:?} invites a member"),
        )
        .await;

        let input = invite_input(space_id, &unique_email("as-owner"), "OWNER");
        let expected = match who {
            Owner | PlatformAdmin => None,
            Manager => Some("FORBIDDEN"),
            _ => refused_unless_manager(who),
        };
        expect_outcome(
            &api,
            &db,
            (common::INVITE, input),
            cast.token(who),
            expected,
            &format!("{who:?} invites an owner"),
        )
        .await;

        let list = (INVITATIONS, json!({"space": space_id}));
        let expected = refused_unless_manager(who);
        expect_outcome(
            &api,
            &db,
            list,
            cast.token(who),
            expected,
            &format!("{who:?} lists invitations"),
        )
        .await;

        let expected = (who == Anonymous).then_some("UNAUTHENTICATED");
        let mine = expect_outcome(
            &api,
            &db,
            (MY_INVITATIONS, json!({})),
            cast.token(who),
            expected,
            &format!("{who:?} lists their own"),
        )
        .await;
        if who != Anonymous {
            assert_eq!(
                mine["data"]["myInvitations"],
                json!([]),
                "{who:?} sees none of the others'"
            );
        }
    }

    let invitation = invite(
        &api,
        &cast.owner.token,
        space_id,
        &unique_email("invitee"),
        "MEMBER",
    )
    .await;
    for who in Who::ALL {
        let expected = Some(if who == Anonymous {
            "UNAUTHENTICATED"
        } else {
            "NOT_FOUND"
        });
        for query in [ACCEPT, DECLINE] {
            expect_outcome(
                &api,
                &db,
                answer(query, &invitation),
                cast.token(who),
                expected,
                &format!("{who:?} answers someone else's invitation"),
            )
            .await;
        }
    }

    for who in Who::ALL {
        let invitation = invite(
            &api,
            &cast.owner.token,
            space_id,
            &unique_email("revoked"),
            "MEMBER",
        )
        .await;
        let expected = match who {
            Anonymous => Some("UNAUTHENTICATED"),
            Outsider | Member | Staff => Some("NOT_FOUND"),
            Manager | Owner | PlatformAdmin => None,
        };
        expect_outcome(
            &api,
            &db,
            answer(REVOKE, &invitation),
            cast.token(who),
            expected,
            &format!("{who:?} revokes"),
        )
        .await;
    }
}
