//! A tool loan running overdue is told to its borrower alone: `toolLoanOverdue` gives the
//! signed-in member their own overdue loans, never another's nor a loan's other changes, and
//! asks anyone else to sign in.

use events::EventBus;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{self, Changed, topics};
use makrx_service::{Caller, CallerUser};
use makrx_testkit::{Endpoint, Subscription, auth, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

const OVERDUE: &str = "subscription {
    toolLoanOverdue(after: \"0\") { loanId quantity dueAt remindedOn } }";

async fn signed_in(db: &PgPool, token: &str) -> CallerUser {
    match auth(db.clone())
        .caller(Some(&format!("Bearer {token}")))
        .await
    {
        Ok(Caller::User(user)) => user,
        other => panic!("the token names a user: {other:?}"),
    }
}

/// A loan to `member` as MakrCave announces it: lent, then overdue.
async fn lent_then_overdue(db: &PgPool, member: Uuid) -> Uuid {
    let loan = Uuid::now_v7();
    let state = |reminded_on: Value| {
        json!({"id": loan, "item_id": Uuid::nil(), "makerspace_id": Uuid::nil(),
               "member_id": member, "quantity": "1", "serial": null, "location_id": Uuid::nil(),
               "lent_by": Uuid::nil(), "lent_at": "2026-11-30T08:00:00Z",
               "due_at": "2026-12-01T18:00:00Z", "returned_at": null, "condition": null,
               "condition_note": "", "received_by": null, "reminded_on": reminded_on})
    };
    let mut tx = db.begin().await.expect("a transaction");
    for (action, after) in [
        ("tool_loan.lent", state(Value::Null)),
        ("tool_loan.overdue", state(json!("2026-12-02"))),
    ] {
        let change = Changed {
            action: action.into(),
            entity_id: loan,
            makerspace_id: Uuid::nil(),
            actor_id: Uuid::nil(),
            after,
        };
        outbox::publish(&mut tx, topics::TOOL_LOAN_CHANGED, &change)
            .await
            .expect("the event is written");
    }
    tx.commit().await.expect("commit");
    loan
}

async fn first_told(api: &Endpoint, token: Option<&str>) -> Value {
    Subscription::start(
        &format!("ws://{}/graphql", api.addr),
        OVERDUE,
        json!({}),
        token,
    )
    .await
    .next()
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_overdue_loan_is_told_to_its_borrower_alone(db: PgPool) {
    let bus = EventBus::start(db.clone(), None)
        .await
        .expect("the bus starts");
    let api = Endpoint::serve(events::app(db.clone(), auth(db.clone()), bus)).await;
    let (ada, bob) = (token(&unique_email("ada")), token(&unique_email("bob")));
    let ada_id = signed_in(&db, &ada).await.id;
    let bob_id = signed_in(&db, &bob).await.id;
    let adas = lent_then_overdue(&db, ada_id).await;
    let bobs = lent_then_overdue(&db, bob_id).await;

    let anonymous = first_told(&api, None).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous}"
    );
    for (token, loan) in [(&ada, adas), (&bob, bobs)] {
        let told = first_told(&api, Some(token)).await;
        assert_eq!(
            told["data"]["toolLoanOverdue"],
            json!({"loanId": loan, "quantity": "1", "dueAt": "2026-12-01T18:00:00+00:00",
                   "remindedOn": "2026-12-02"}),
            "each is told their own overdue loan first, not its lending nor another's: {told}"
        );
    }
}
