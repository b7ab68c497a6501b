//! What the MakrX web apps share: the one GraphQL client function, the subscription client,
//! run-time configuration and the layout every app is framed by.
//!
//! Operations are checked against `schema/supergraph.graphql` at compile time (graphql_client
//! reads the composed supergraph; its `join__` directives do not bother it).

pub mod config;
mod console;
pub mod equipment;
pub mod graphql;
pub mod hooks;
pub mod layout;
pub mod remote;
pub mod subscription;
