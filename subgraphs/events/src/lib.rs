//! The events subgraph: relays the outbox to subscribers and serves GraphQL subscriptions.

mod bus;
mod equipment_status;
mod fabrication;
mod feed;
mod loans;
mod orders;
mod policy;
mod relay;
mod reservations;
mod stock;

use async_graphql::{EmptyMutation, MergedObject, MergedSubscription, Schema, SchemaBuilder};
use makrx_service::{Auth, graphql, http};
use sqlx::PgPool;

pub use bus::{Event, EventBus};

/// Where the events subgraph listens unless `LISTEN_ADDR` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4004";

#[derive(MergedObject, Default)]
pub struct Query(equipment_status::EquipmentStatusQuery);

#[derive(MergedSubscription, Default)]
pub struct Subscription(
    equipment_status::EquipmentStatusSubscription,
    fabrication::FabricationSubscription,
    orders::OrderSubscription,
    reservations::ReservationSubscription,
    stock::StockSubscription,
    loans::LoanSubscription,
);

pub type EventsSchema = Schema<Query, EmptyMutation, Subscription>;

fn builder() -> SchemaBuilder<Query, EmptyMutation, Subscription> {
    graphql::with_limits(Schema::build(
        Query::default(),
        EmptyMutation,
        Subscription::default(),
    ))
}

/// The events schema over `db`, delivering what `bus` carries.
pub fn schema(db: PgPool, bus: EventBus) -> EventsSchema {
    builder().data(db).data(bus).finish()
}

/// The subgraph SDL that `schema/events.graphql` holds.
pub fn sdl() -> String {
    graphql::federation_sdl(&builder().finish())
}

/// The events service: its schema at `/graphql` (subscriptions over WebSocket) plus health checks.
pub fn app(db: PgPool, auth: Auth, bus: EventBus) -> axum::Router {
    let readiness = http::Readiness::new(db.clone(), auth.clone()).with_redis(bus.redis());
    http::service(graphql::routes(schema(db, bus), auth), readiness)
}
