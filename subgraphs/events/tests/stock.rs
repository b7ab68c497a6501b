//! A space's stock running low is told to the people inside it only: its active members and
//! platform admins follow `stockLow`; anyone else, even of a public space, is told the space is
//! not found; and only the running low is told, not the rest of the inventory's changes.

use events::EventBus;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{self, Changed, topics};
use makrx_service::{Caller, CallerUser};
use makrx_testkit::{Endpoint, Subscription, auth, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

const STOCK_LOW: &str = "subscription($space: ID!) {
    stockLow(makerspaceId: $space, after: \"0\") { name onHand reorderPoint } }";

/// A public space whose PLA was added, then ran low.
async fn public_space_running_low(db: &PgPool) -> Uuid {
    let space = Uuid::now_v7();
    sqlx::query(
        "insert into makrcave.makerspaces (id, name, slug, owner_id, is_public)
         values ($1, 'Open Lab', $2, $1, true)",
    )
    .bind(space)
    .bind(format!("open-{}", space.simple()))
    .execute(db)
    .await
    .expect("a public makerspace");
    let item = |on_hand: &str| {
        json!({"id": Uuid::nil(), "makerspace_id": space, "name": "PLA, black", "sku": null,
               "category": "material", "unit": "grams", "reorder_point": "500",
               "store_product_id": null, "on_hand": on_hand, "low": on_hand != "1000",
               "created_at": "2026-12-05T10:00:00Z", "updated_at": "2026-12-05T11:00:00Z"})
    };
    let mut tx = db.begin().await.expect("a transaction");
    for (action, after) in [
        ("inventory_item.added", item("1000")),
        ("inventory_item.low", item("450.5")),
    ] {
        let change = Changed {
            action: action.into(),
            entity_id: Uuid::nil(),
            makerspace_id: space,
            actor_id: space,
            after,
        };
        outbox::publish(&mut tx, topics::INVENTORY_ITEM_CHANGED, &change)
            .await
            .expect("the event is written");
    }
    tx.commit().await.expect("commit");
    space
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

async fn admit(db: &PgPool, space: Uuid, token: &str, suspended: bool) {
    let user = signed_in(db, token).await;
    sqlx::query(
        "insert into makrcave.memberships (makerspace_id, user_id, role, suspended_at)
         values ($1, $2, 'member', case when $3 then now() end)",
    )
    .bind(space)
    .bind(user.id)
    .bind(suspended)
    .execute(db)
    .await
    .expect("a membership");
}

async fn first_told(api: &Endpoint, space: Uuid, token: Option<&str>) -> Value {
    Subscription::start(
        &format!("ws://{}/graphql", api.addr),
        STOCK_LOW,
        json!({"space": space}),
        token,
    )
    .await
    .next()
    .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_the_people_inside_a_space_are_told_its_stock_runs_low(db: PgPool) {
    let bus = EventBus::start(db.clone(), None)
        .await
        .expect("the bus starts");
    let api = Endpoint::serve(events::app(db.clone(), auth(db.clone()), bus)).await;
    let space = public_space_running_low(&db).await;
    let (member, suspended) = (
        token(&unique_email("member")),
        token(&unique_email("suspended")),
    );
    admit(&db, space, &member, false).await;
    admit(&db, space, &suspended, true).await;
    let passer_by = token(&unique_email("passer-by"));

    for (who, token) in [
        ("anonymous", None),
        ("someone outside the public space", Some(passer_by.as_str())),
        ("a suspended member", Some(suspended.as_str())),
    ] {
        let refused = first_told(&api, space, token).await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{who}: {refused}"
        );
        assert!(refused["data"].is_null(), "{who} is told nothing");
    }
    let admin = token("admin@makrx.dev");
    for (who, token) in [("a member", member.as_str()), ("an admin", admin.as_str())] {
        let told = first_told(&api, space, Some(token)).await;
        assert_eq!(
            told["data"]["stockLow"],
            json!({"name": "PLA, black", "onHand": "450.5", "reorderPoint": "500"}),
            "{who} is told the running low, not the item's adding: {told}"
        );
    }
}
