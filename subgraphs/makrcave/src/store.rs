//! The store's entities as MakrCave refers to them: by key alone, the store resolving the rest
//! (names, live prices) through the router. MakrCave never copies them.

use async_graphql::{ID, SimpleObject};
use uuid::Uuid;

/// A product of the store (its fields are the store's).
#[derive(Clone, Debug, SimpleObject)]
#[graphql(unresolvable)]
pub struct Product {
    pub id: ID,
}

/// A variant of a store product, with its live price (its fields are the store's).
#[derive(Clone, Debug, SimpleObject)]
#[graphql(unresolvable)]
pub struct ProductVariant {
    pub id: ID,
}

impl Product {
    /// The product `id`, when there is one.
    pub fn of(id: Option<Uuid>) -> Option<Self> {
        id.map(|id| Self {
            id: ID(id.to_string()),
        })
    }
}

impl ProductVariant {
    /// The variant `id`, when there is one.
    pub fn of(id: Option<Uuid>) -> Option<Self> {
        id.map(|id| Self {
            id: ID(id.to_string()),
        })
    }
}
