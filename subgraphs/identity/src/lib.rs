//! The identity subgraph: users and their profiles, roles and feature flags; and the web
//! apps' sign-in (`/auth/*`), which keeps their refresh tokens on the server.

mod feature_flags;
mod profile;
mod session;
mod users;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};
use makrx_service::{Auth, graphql, http};
use sqlx::PgPool;

pub use session::{DEFAULT_WEB_ORIGIN, SignInSettings, WebOrigin, WebSignIn};
pub use users::User;

/// Where the identity subgraph listens unless `LISTEN_ADDR` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4001";

#[derive(MergedObject, Default)]
pub struct Query(users::UserQuery, feature_flags::FeatureFlagQuery);

#[derive(MergedObject, Default)]
pub struct Mutation(users::UserMutation, feature_flags::FeatureFlagMutation);

pub type IdentitySchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    graphql::with_limits(Schema::build(
        Query::default(),
        Mutation::default(),
        EmptySubscription,
    ))
}

/// The identity schema over `db`.
pub fn schema(db: PgPool) -> IdentitySchema {
    builder()
        .data(graphql::loader(users::UserLoader(db.clone())))
        .data(db)
        .finish()
}

/// The subgraph SDL that `schema/identity.graphql` holds.
pub fn sdl() -> String {
    graphql::federation_sdl(&builder().finish())
}

/// The identity service: its schema at `/graphql`, the web apps' sign-in at `/auth/*`, plus
/// health checks.
pub fn app(db: PgPool, auth: Auth, sign_in: WebSignIn) -> axum::Router {
    let routes = graphql::routes(schema(db.clone()), auth.clone()).merge(session::routes(
        sign_in,
        db.clone(),
        auth.clone(),
    ));
    http::service(routes, http::Readiness::new(db, auth))
}
