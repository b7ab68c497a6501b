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
    Endpoint::serve(makrcave::app(db.clone(), auth(db.clone()), clock)).await
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
