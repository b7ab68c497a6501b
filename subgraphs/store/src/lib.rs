//! The MakrX.Store subgraph: the catalog of parts and materials.

mod products;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema, SchemaBuilder};
use makrx_service::{Auth, graphql, http};
use sqlx::PgPool;

pub use products::Product;

/// Where the store subgraph listens unless `LISTEN_ADDR` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4003";

#[derive(MergedObject, Default)]
pub struct Query(products::ProductQuery);

pub type StoreSchema = Schema<Query, EmptyMutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, EmptyMutation, EmptySubscription> {
    graphql::with_limits(Schema::build(
        Query::default(),
        EmptyMutation,
        EmptySubscription,
    ))
}

/// The store schema over `db`.
pub fn schema(db: PgPool) -> StoreSchema {
    builder()
        .data(graphql::loader(products::ProductById(db.clone())))
        .data(db)
        .finish()
}

/// The subgraph SDL that `schema/store.graphql` holds.
pub fn sdl() -> String {
    graphql::federation_sdl(&builder().finish())
}

/// The store service: its schema at `/graphql` plus health checks.
pub fn app(db: PgPool, auth: Auth) -> axum::Router {
    http::service(
        graphql::routes(schema(db.clone()), auth.clone()),
        http::Readiness::new(db, auth),
    )
}
