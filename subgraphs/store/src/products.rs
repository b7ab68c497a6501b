//! The catalog: the `Product` entity, listing it a page at a time, and finding one by SKU.

use std::collections::HashMap;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, Object, SimpleObject};
use makrx_service::ApiError;
use sqlx::PgPool;
use uuid::Uuid;

/// Something the store sells: a part or a material.
#[derive(Clone, Debug, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Product {
    #[graphql(skip)]
    pub id: Uuid,
    /// The stock-keeping unit, unique in the catalog.
    pub sku: String,
    pub name: String,
    /// The price in the currency's minor units (cents).
    pub price_cents: i32,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    pub stock_quantity: i32,
}

#[async_graphql::ComplexObject]
impl Product {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }
}

/// Loads products by id, for references from other subgraphs.
pub struct ProductById(pub PgPool);

impl Loader<Uuid> for ProductById {
    type Value = Product;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Product>, ApiError> {
        let products = sqlx::query_as!(
            Product,
            r#"select id, sku, name, price_cents, currency, stock_quantity
               from store.products where id = any($1)"#,
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(products
            .into_iter()
            .map(|product| (product.id, product))
            .collect())
    }
}

/// How many products there are in all, beside the page of them.
pub struct ProductTotal;

#[Object]
impl ProductTotal {
    /// The number of products in the catalog.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        Ok(
            sqlx::query_scalar!(r#"select count(*) as "count!" from store.products"#)
                .fetch_one(ctx.data_unchecked::<PgPool>())
                .await?,
        )
    }
}

const MAX_PAGE: i32 = 100;
const DEFAULT_PAGE: i32 = 20;

#[derive(Default)]
pub struct ProductQuery;

#[Object]
impl ProductQuery {
    /// The catalog by SKU, a page at a time.
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Product, ProductTotal>, ApiError> {
        let first = first.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&first) {
            return Err(ApiError::invalid(
                "first",
                format!("must be between 1 and {MAX_PAGE}"),
            ));
        }
        let mut page = sqlx::query_as!(
            Product,
            r#"select id, sku, name, price_cents, currency, stock_quantity
               from store.products where $1::text is null or sku > $1
               order by sku limit $2"#,
            after.as_deref(),
            i64::from(first) + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let has_next = page.len() > first as usize;
        page.truncate(first as usize);
        let mut connection =
            Connection::with_additional_fields(after.is_some(), has_next, ProductTotal);
        connection.edges.extend(
            page.into_iter()
                .map(|product| Edge::new(product.sku.clone(), product)),
        );
        Ok(connection)
    }

    /// A product by its SKU.
    async fn product(&self, ctx: &Context<'_>, sku: String) -> Result<Product, ApiError> {
        sqlx::query_as!(
            Product,
            r#"select id, sku, name, price_cents, currency, stock_quantity
               from store.products where sku = $1"#,
            sku.trim()
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("product {sku:?}")))
    }

    #[graphql(entity)]
    async fn find_product_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Product>, ApiError> {
        let Ok(id) = id.parse() else { return Ok(None) };
        ctx.data_unchecked::<DataLoader<ProductById>>()
            .load_one(id)
            .await
    }
}
