//! Scale-out: replicas share nothing in memory. With Redis, a subscriber connected to one
//! replica of the events service receives a change made through another replica of MakrCave.

use makrx::platform::Subgraphs;
use makrx_service::db::MIGRATOR;
use makrx_testkit::{Endpoint, Subscription, auth, token, unique_email};
use serde_json::json;
use sqlx::PgPool;

fn endpoint(subgraphs: &Subgraphs, name: &str) -> Endpoint {
    let (_, addr) = subgraphs
        .addrs
        .iter()
        .find(|(n, _)| *n == name)
        .expect("the subgraph runs");
    Endpoint::at(&format!("http://{addr}/graphql"), *addr)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_subscriber_on_one_replica_hears_of_a_change_made_on_another(db: PgPool) {
    let redis_url = std::env::var("REDIS_URL").expect("REDIS_URL names the Redis the tests use");
    let first = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), Some(&redis_url))
        .await
        .expect("replica 1");
    let second = Subgraphs::start_on_free_ports(db.clone(), auth(db.clone()), Some(&redis_url))
        .await
        .expect("replica 2");
    let owner = token(&unique_email("owner"));
    let makrcave = endpoint(&first, "makrcave");
    let space = makrcave
        .data(
            "mutation { createMakerspace(input: {name: \"Twin Lab\", slug: \"twin-lab\"}) { id } }",
            json!({}),
            Some(&owner),
        )
        .await["createMakerspace"]["id"]
        .clone();
    let machine = makrcave
        .data(
            "mutation($space: ID!) { addEquipment(input: {makerspaceId: $space, name: \"Glowforge\", kind: \"laser cutter\"}) { id } }",
            json!({"space": space}),
            Some(&owner),
        )
        .await["addEquipment"]["id"]
        .clone();

    // Subscribed on the second replica, without a cursor: only live delivery can bring the change.
    let events = endpoint(&second, "events");
    let mut subscription = Subscription::start(
        &format!("ws://{}/graphql", events.addr),
        "subscription($space: ID!) { equipmentStatusChanged(makerspaceId: $space) { equipmentId status } }",
        json!({"space": space}),
        None,
    )
    .await;
    // The change travels through the outbox, a NOTIFY, the relay and the Redis stream: far
    // longer than the server takes to read the subscribe message already sent.
    makrcave
        .data(
            "mutation($machine: ID!) { setEquipmentStatus(input: {equipmentId: $machine, status: OUT_OF_ORDER}) { id } }",
            json!({"machine": machine}),
            Some(&owner),
        )
        .await;
    let event = subscription.next().await;
    assert_eq!(
        event["data"]["equipmentStatusChanged"],
        json!({"equipmentId": machine, "status": "OUT_OF_ORDER"})
    );
    first.stop().await;
    second.stop().await;
}
