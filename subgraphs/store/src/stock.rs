//! Stock: where the store keeps goods (a warehouse, or a makerspace where customers pick up) and
//! how many of each variant are on hand there and allocated to orders. How many can be sold is
//! one rule, `store.stock_available` (on hand, less allocated, less what carts hold), which every
//! reader asks.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use makrx_service::error::violated_constraint;
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::categories;
use crate::changes::{self, Action};
use crate::loaders::Loaders;
use crate::policy::store_staff;
use crate::products::ProductVariant;

/// A makerspace, as the store refers to it (MakrCave owns the rest).
#[derive(SimpleObject)]
#[graphql(unresolvable)]
pub struct Makerspace {
    pub id: ID,
}

/// What kind of place a stock location is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockLocationKind {
    /// Goods are shipped from here.
    Warehouse,
    /// A makerspace: customers may pick up here.
    Makerspace,
}

/// A place where the store keeps goods.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StockLocation {
    pub id: Uuid,
    pub name: String,
    pub makerspace_id: Option<Uuid>,
}

/// A place where the store keeps goods: a warehouse, or a makerspace where customers pick up.
#[Object]
impl StockLocation {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.name
    }

    async fn kind(&self) -> StockLocationKind {
        match self.makerspace_id {
            Some(_) => StockLocationKind::Makerspace,
            None => StockLocationKind::Warehouse,
        }
    }

    /// The makerspace it is, for a pickup location.
    async fn makerspace(&self) -> Option<Makerspace> {
        self.makerspace_id.map(|id| Makerspace {
            id: ID(id.to_string()),
        })
    }
}

/// A variant's stock at one location.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StockLevel {
    pub variant_id: Uuid,
    pub location_id: Uuid,
    pub on_hand: i32,
    pub allocated: i32,
}

/// A variant's stock at one location.
#[Object]
impl StockLevel {
    async fn location(&self, ctx: &Context<'_>) -> Result<StockLocation, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .locations
            .load_one(self.location_id)
            .await?
            .ok_or_else(|| {
                ApiError::internal(format_args!("stock location {} is gone", self.location_id))
            })
    }

    /// Units there.
    async fn on_hand(&self) -> i32 {
        self.on_hand
    }

    /// Units there that placed orders took and have not yet shipped.
    async fn allocated(&self) -> i32 {
        self.allocated
    }
}

/// Loads how many units of variants a new cart could have now (`store.stock_available`).
pub struct StockAvailable(pub PgPool, pub Clock);

impl Loader<Uuid> for StockAvailable {
    type Value = i64;
    type Error = ApiError;

    async fn load(&self, variants: &[Uuid]) -> Result<HashMap<Uuid, i64>, ApiError> {
        let rows = sqlx::query!(
            r#"select v.id as "id!", store.stock_available(v.id, $2, null) as "available!"
               from unnest($1::uuid[]) as v(id)"#,
            variants,
            self.1.now()
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.id, row.available))
            .collect())
    }
}

/// Loads variants' stock at every location that holds any, by variant.
pub struct StockLevels(pub PgPool);

impl Loader<Uuid> for StockLevels {
    type Value = Vec<StockLevel>;
    type Error = ApiError;

    async fn load(&self, variants: &[Uuid]) -> Result<HashMap<Uuid, Vec<StockLevel>>, ApiError> {
        let rows = sqlx::query_as!(
            StockLevel,
            "select s.variant_id, s.location_id, s.on_hand, s.allocated
             from store.stock s join store.stock_locations l on l.id = s.location_id
             where s.variant_id = any($1) order by l.name",
            variants
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.variant_id))
    }
}

/// Loads stock locations by id.
pub struct LocationById(pub PgPool);

impl Loader<Uuid> for LocationById {
    type Value = StockLocation;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, StockLocation>, ApiError> {
        let rows = sqlx::query_as!(
            StockLocation,
            "select id, name, makerspace_id from store.stock_locations where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

#[derive(Default)]
pub struct StockQuery;

#[Object]
impl StockQuery {
    /// Every place the store keeps goods, by name: where orders ship from and where customers
    /// may pick up.
    async fn stock_locations(&self, ctx: &Context<'_>) -> Result<Vec<StockLocation>, ApiError> {
        Ok(sqlx::query_as!(
            StockLocation,
            "select id, name, makerspace_id from store.stock_locations order by name"
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

#[derive(InputObject)]
pub struct CreateStockLocationInput {
    pub name: String,
    /// The makerspace it is, for a pickup location; a warehouse when left out.
    pub makerspace_id: Option<ID>,
}

#[derive(InputObject)]
pub struct SetStockInput {
    pub variant_id: ID,
    pub location_id: ID,
    /// Units on hand there, as counted: 0 or more, and not fewer than orders have allocated.
    pub on_hand: i32,
}

#[derive(Default)]
pub struct StockMutation;

#[Object(guard = "SignedIn")]
impl StockMutation {
    /// Adds a place to keep goods; store staff only.
    async fn create_stock_location(
        &self,
        ctx: &Context<'_>,
        input: CreateStockLocationInput,
    ) -> Result<StockLocation, ApiError> {
        let staff = store_staff(caller(ctx), "manage stock")?;
        let name = categories::name("name", &input.name)?;
        let makerspace = input
            .makerspace_id
            .as_ref()
            .map(|id| parse_id(id, "makerspaceId"))
            .transpose()?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let location = sqlx::query_as!(
            StockLocation,
            "insert into store.stock_locations (id, name, makerspace_id) values ($1, $2, $3)
             returning id, name, makerspace_id",
            Uuid::now_v7(),
            name,
            makerspace,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| match violated_constraint(&err) {
            Some("stock_locations_name_key") => {
                ApiError::invalid("name", "is already another location's")
            }
            Some("stock_locations_makerspace_key") => {
                ApiError::invalid("makerspaceId", "already has a stock location")
            }
            _ => err.into(),
        })?;
        changes::record(
            &mut tx,
            staff.id,
            Action::STOCK_LOCATION_CREATED,
            location.id,
            None,
            Some(&location),
        )
        .await?;
        tx.commit().await?;
        Ok(location)
    }

    /// Sets how many units of a variant are on hand at a location, after a count or a
    /// delivery; store staff only. Refused below what orders have allocated there.
    async fn set_stock(
        &self,
        ctx: &Context<'_>,
        input: SetStockInput,
    ) -> Result<ProductVariant, ApiError> {
        let staff = store_staff(caller(ctx), "manage stock")?;
        let variant = parse_id(&input.variant_id, "variantId")?;
        let location = parse_id(&input.location_id, "locationId")?;
        if input.on_hand < 0 {
            return Err(ApiError::invalid("onHand", "must not be negative"));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            StockLevel,
            "select variant_id, location_id, on_hand, allocated from store.stock
             where variant_id = $1 and location_id = $2 for update",
            variant,
            location
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            StockLevel,
            "insert into store.stock (variant_id, location_id, on_hand) values ($1, $2, $3)
             on conflict (variant_id, location_id)
             do update set on_hand = excluded.on_hand, updated_at = now()
             returning variant_id, location_id, on_hand, allocated",
            variant,
            location,
            input.on_hand,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| match violated_constraint(&err) {
            Some("stock_variant_fkey") => ApiError::NotFound("variant".into()),
            Some("stock_location_fkey") => ApiError::NotFound("stock location".into()),
            Some("stock_allocated_within_on_hand") => ApiError::Conflict(format!(
                "orders have {} units allocated here; on hand cannot go below that",
                before.as_ref().map_or(0, |level| level.allocated)
            )),
            _ => err.into(),
        })?;
        changes::record(
            &mut tx,
            staff.id,
            Action::STOCK_SET,
            variant,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        ctx.data_unchecked::<Loaders>()
            .variants
            .load_one(variant)
            .await?
            .ok_or_else(|| ApiError::NotFound("variant".into()))
    }
}
