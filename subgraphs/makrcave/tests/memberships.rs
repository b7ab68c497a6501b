//! `User.memberships`, contributed to the identity service's entity: seen by the person, by
//! fellow members of the space, and by platform admins, and by nobody else.

mod common;

use common::{found_space, makrcave};
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, token, unique_email};
use serde_json::{Value, json};
use sqlx::PgPool;

const MEMBERSHIPS: &str = "query($reps: [_Any!]!) {
    _entities(representations: $reps) { ... on User { id memberships { role makerspace { slug } } } } }";

async fn memberships_of(api: &Endpoint, user_id: &Value, token: Option<&str>) -> Value {
    let reps = json!({"reps": [{"__typename": "User", "id": user_id}]});
    api.data(MEMBERSHIPS, reps, token).await["_entities"][0]["memberships"].clone()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn memberships_are_seen_by_the_person_and_admins_but_not_strangers(db: PgPool) {
    let api = makrcave(&db).await;
    let owner = token(&unique_email("owner"));
    let space = found_space(&api, &owner, "woodshop").await;
    let owner_id = &space["owner"]["id"];

    let own = memberships_of(&api, owner_id, Some(&owner)).await;
    assert_eq!(
        own,
        json!([{"role": "OWNER", "makerspace": {"slug": "woodshop"}}])
    );
    assert_eq!(
        memberships_of(&api, owner_id, Some(&token("admin@makrx.dev"))).await,
        own
    );
    assert_eq!(
        memberships_of(&api, owner_id, Some(&token(&unique_email("stranger")))).await,
        json!([])
    );
    assert_eq!(memberships_of(&api, owner_id, None).await, json!([]));
}
