//! The MakrX.Store subgraph: the catalog of parts and materials (categories, products and their
//! variants), the stock behind it, customers' carts, which hold stock while they shop, and the
//! orders they place.

mod carts;
mod categories;
mod changes;
mod loaders;
mod orders;
pub mod policy;
mod products;
mod rates;
mod stock;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};
use makrx_service::{Auth, Clock, graphql, http};
use sqlx::PgPool;

pub use carts::CART_TOKEN_HEADER;
pub use products::{Product, ProductVariant};

/// Where the store subgraph listens unless `LISTEN_ADDR` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4003";

#[derive(MergedObject, Default)]
pub struct Query(
    carts::CartQuery,
    categories::CategoryQuery,
    orders::OrderQuery,
    products::ProductQuery,
    rates::RateQuery,
    stock::StockQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    carts::CartMutation,
    categories::CategoryMutation,
    orders::OrderMutation,
    products::ProductMutation,
    rates::RateMutation,
    stock::StockMutation,
);

pub type StoreSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    graphql::with_limits(Schema::build(
        Query::default(),
        Mutation::default(),
        EmptySubscription,
    ))
}

/// The store schema over `db`, deciding by `clock` (when holds lapse).
pub fn schema(db: PgPool, clock: Clock) -> StoreSchema {
    builder()
        .data(loaders::Loaders::new(&db, &clock))
        .data(db)
        .data(clock)
        .finish()
}

/// The subgraph SDL that `schema/store.graphql` holds.
pub fn sdl() -> String {
    graphql::federation_sdl(&builder().finish())
}

/// The store service: its schema at `/graphql` plus health checks.
pub fn app(db: PgPool, auth: Auth, clock: Clock) -> axum::Router {
    http::service(
        graphql::routes(schema(db.clone(), clock), auth.clone()),
        http::Readiness::new(db, auth),
    )
}
