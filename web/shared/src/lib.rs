//! What the MakrX web apps share: the one GraphQL client function, the subscription client,
//! the session (sign-in and the access token), run-time configuration and the layout every
//! app is framed by.
//!
//! Operations are checked against `schema/supergraph.graphql` at compile time (graphql_client
//! reads the composed supergraph; its `join__` directives do not bother it).

pub mod components;
pub mod config;
mod console;
pub mod equipment;
pub mod form;
pub mod graphql;
pub mod hooks;
pub mod layout;
pub mod remote;
pub mod session;
pub mod subscription;
#[cfg(feature = "test-support")]
pub mod testing;
