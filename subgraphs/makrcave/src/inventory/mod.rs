//! Inventory: a makerspace's consumables, parts, materials and tools, the places they are kept,
//! and every change to how much there is as a stock movement (who, why, when). A movement
//! locks its item's row, then reads and writes the item's levels at the places it touches, its
//! total and the movement itself in one transaction; the database's checks keep every level at
//! zero or more, so stock never goes negative however many people take the last units at once.
//! Falling to or below the reorder point is announced once (`inventory_item.low`), and again
//! only after the item was restocked above it.

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::dataloader::Loader;
use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::{ApiError, error::on_constraint, paging, parse_id};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::loaders::Loaders;
use crate::members::User;
use crate::policy::{self, MembershipRole};
use crate::space::Makerspace;
use crate::store::Product;

/// A statement reading movements (as `m`, their place as `l` and a transfer's other place as
/// `t`): the movement's columns as `StockMovement` takes them, then `$tail` (`from ...`).
macro_rules! movement_query {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            $crate::inventory::StockMovement,
            r#"select m.id, m.item_id, m.kind as "kind: _", m.quantity, m.change,
                      l.name as location, t.name as "to_location?", m.member_id, m.reason,
                      m.recorded_by, m.recorded_at, m.fabrication_job_id "# + $tail
            $(, $arg)*
        )
    };
}
pub(crate) use movement_query;

mod export;
mod import;
mod lending;
mod receipts;
pub use export::ExportQuery;
pub use import::ImportMutation;
pub use lending::{
    LendingByItem, LendingMutation, LendingQuery, remind_overdue, remind_overdue_loans,
};
pub use receipts::receive_store_orders;

/// The most a quantity may be: a hundred billion of its unit.
const MAX_QUANTITY: i64 = 100_000_000_000;
/// The most movements an item's history answers at once.
const MAX_MOVEMENTS: i32 = 100;

/// What sort of thing an item is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ItemCategory {
    /// Used up: glue, sandpaper, solder.
    Consumable,
    /// Built into things: bolts, boards, motors.
    Part,
    /// Worked or printed: filament, resin, plywood.
    Material,
    /// Used and kept: a multimeter, a soldering iron.
    Tool,
}

/// What an item is counted in.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StockUnit {
    /// Whole pieces only.
    Pieces,
    Grams,
    Millilitres,
    Metres,
}

impl StockUnit {
    /// `quantity` of the unit in words: `3 pieces`, `250.5 g`.
    pub fn amount(self, quantity: Decimal) -> String {
        let quantity = quantity.normalize();
        match self {
            Self::Pieces if quantity == Decimal::ONE => "1 piece".to_owned(),
            Self::Pieces => format!("{quantity} pieces"),
            Self::Grams => format!("{quantity} g"),
            Self::Millilitres => format!("{quantity} ml"),
            Self::Metres => format!("{quantity} m"),
        }
    }

    /// `quantity` as the unit takes it (at most three decimals; whole for pieces), or what is
    /// wrong with it.
    fn checked(self, quantity: Decimal) -> Result<Decimal, String> {
        let quantity = quantity.normalize();
        if quantity.is_sign_negative() || quantity > Decimal::from(MAX_QUANTITY) {
            return Err(format!("must be from 0 to {MAX_QUANTITY}"));
        }
        match self {
            Self::Pieces if quantity.fract() != Decimal::ZERO => {
                Err("must be a whole number of pieces".into())
            }
            _ if quantity.scale() > 3 => Err("may have at most three decimals".into()),
            _ => Ok(quantity),
        }
    }
}

/// What a stock movement does.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Units arrive at a place (a delivery, a donation).
    Receive,
    /// Units leave a place for a member.
    Issue,
    /// A count at a place: the level there becomes the quantity counted.
    Adjust,
    /// Units move from one place to another; the total stays.
    Transfer,
    /// Units are used up at a place (by a job or a booking).
    Consume,
}

/// A place where a space keeps stock: a room, a shelf, a bin.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct InventoryLocation {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Uuid,
    pub name: String,
}

#[ComplexObject]
impl InventoryLocation {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }
}

/// Something a makerspace keeps in stock.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct InventoryItem {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Uuid,
    pub name: String,
    /// The space's own code for it, unique in the space.
    pub sku: Option<String>,
    pub category: ItemCategory,
    pub unit: StockUnit,
    /// At or below it, staff are told (`inventory_item.low`), once until restocked above it.
    pub reorder_point: Decimal,
    #[graphql(skip)]
    pub store_product_id: Option<Uuid>,
    /// How much of it one unit bought from the store is, in its unit (1000 for a 1 kg spool
    /// kept in grams): a delivered store order receives its quantity times this.
    pub store_pack: Decimal,
    /// What the space pays for one unit, in minor units of its currency; none when unknown.
    pub unit_cost_minor: Option<i64>,
    /// How much there is, at all its places together: the sum of its movements.
    pub on_hand: Decimal,
    /// Whether it is at or below its reorder point.
    pub low: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[ComplexObject]
impl InventoryItem {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Makerspace, ApiError> {
        Makerspace::referenced(ctx, self.makerspace_id).await
    }

    /// The store product it is bought as: its name and live price come from the store.
    async fn store_product(&self) -> Option<Product> {
        Product::of(self.store_product_id)
    }

    /// How much is at each place that holds any, by the place's name.
    async fn levels(&self, ctx: &Context<'_>) -> Result<Vec<InventoryLevel>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .inventory_levels
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// What borrowing it takes; none when the space does not lend it.
    async fn lending(&self, ctx: &Context<'_>) -> Result<Option<lending::ToolLending>, ApiError> {
        lending::lending_of(ctx, self.id).await
    }

    /// Its latest movements, newest first.
    async fn movements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100 (default 20).", default = 20)] last: i32,
    ) -> Result<Vec<StockMovement>, ApiError> {
        if !(1..=MAX_MOVEMENTS).contains(&last) {
            return Err(ApiError::invalid(
                "last",
                format!("must be from 1 to {MAX_MOVEMENTS}"),
            ));
        }
        let mut movements = ctx
            .data_unchecked::<Loaders>()
            .stock_movements
            .load_one(self.id)
            .await?
            .unwrap_or_default();
        movements.truncate(last as usize);
        Ok(movements)
    }
}

/// How much of an item is at one place.
#[derive(Clone, Debug, SimpleObject)]
pub struct InventoryLevel {
    pub location: InventoryLocation,
    pub on_hand: Decimal,
}

/// A change to an item's stock, as recorded.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct StockMovement {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub item_id: Uuid,
    pub kind: MovementKind,
    /// As recorded: the units received, issued, moved or consumed, or the count found.
    pub quantity: Decimal,
    /// What it did to the item's total: more (positive), less (negative), or nothing (a
    /// transfer).
    pub change: Decimal,
    /// Where the units arrived, left, were counted, or moved from.
    pub location: String,
    /// Where a transfer moved them to.
    pub to_location: Option<String>,
    #[graphql(skip)]
    pub member_id: Option<Uuid>,
    /// Why, in the words of who recorded it.
    pub reason: String,
    #[graphql(skip)]
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
    /// The fabrication job that used the units consumed.
    #[graphql(skip)]
    pub fabrication_job_id: Option<Uuid>,
}

#[ComplexObject]
impl StockMovement {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The member the units were issued to.
    async fn member(&self) -> Option<User> {
        self.member_id.map(|id| User { id })
    }

    /// Who recorded it.
    async fn recorded_by(&self) -> User {
        User {
            id: self.recorded_by,
        }
    }

    /// The item it moved (its name and unit), as whoever may read the movement reads it.
    async fn item(&self, ctx: &Context<'_>) -> Result<InventoryItem, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .inventory_items
            .load_one(self.item_id)
            .await?
            .ok_or_else(|| ApiError::internal(format_args!("the item {} is missing", self.item_id)))
    }
}

/// What `recordStockMovement` answers: the movement and the item as it now stands.
#[derive(SimpleObject)]
pub struct RecordedMovement {
    pub movement: StockMovement,
    pub item: InventoryItem,
}

/// The caller's id if they hold `at_least` in the space's inventory; `NOT_FOUND` for a caller
/// outside the space, as for a space that does not exist.
async fn space_access(
    ctx: &Context<'_>,
    space: Uuid,
    at_least: MembershipRole,
) -> Result<Uuid, ApiError> {
    policy::require_inside(ctx, caller(ctx), space, at_least, "makerspace").await
}

/// The space an item belongs to and the caller's id, if they hold `at_least` in it;
/// `NOT_FOUND` for an item that does not exist or a caller outside its space.
async fn item_access(
    ctx: &Context<'_>,
    id: Uuid,
    at_least: MembershipRole,
) -> Result<(Uuid, Uuid), ApiError> {
    let space = sqlx::query_scalar!(
        "select makerspace_id from makrcave.inventory_items where id = $1",
        id
    )
    .fetch_optional(ctx.data_unchecked::<PgPool>())
    .await?
    .ok_or_else(|| ApiError::NotFound("inventory item".into()))?;
    let caller_id =
        policy::require_inside(ctx, caller(ctx), space, at_least, "inventory item").await?;
    Ok((space, caller_id))
}

#[derive(Default)]
pub struct InventoryQuery;

#[Object(guard = "SignedIn")]
impl InventoryQuery {
    /// An item of a space's inventory, for the space's members (`NOT_FOUND` for anyone else,
    /// as for an item that does not exist).
    async fn inventory_item(&self, ctx: &Context<'_>, id: ID) -> Result<InventoryItem, ApiError> {
        let id = parse_id(&id, "id")?;
        item_access(ctx, id, MembershipRole::Member).await?;
        ctx.data_unchecked::<Loaders>()
            .inventory_items
            .load_one(id)
            .await?
            .ok_or_else(|| ApiError::NotFound("inventory item".into()))
    }

    /// A space's inventory in name order, a page at a time, for its members: all of it, those
    /// whose name or SKU contains `search`, only those at or below their reorder point, or
    /// only those with some on hand at one place.
    #[allow(clippy::too_many_arguments)]
    async fn inventory_items(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        search: Option<String>,
        #[graphql(default)] low_only: bool,
        #[graphql(desc = "Only items with some on hand at this place.")] location_id: Option<ID>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, InventoryItem>, ApiError> {
        let space = parse_id(&makerspace_id, "makerspaceId")?;
        space_access(ctx, space, MembershipRole::Member).await?;
        let first = paging::page_size(first)?;
        let after = paging::id_after(after.as_deref())?;
        let search = search
            .map(|text| text.trim().to_lowercase())
            .filter(|text| !text.is_empty());
        let location = location_id
            .map(|id| parse_id(&id, "locationId"))
            .transpose()?;
        let page = sqlx::query_as!(
            InventoryItem,
            r#"select i.id, i.makerspace_id, i.name, i.sku, i.category as "category: _",
                      i.unit as "unit: _", i.reorder_point, i.store_product_id,
                      i.store_pack, i.unit_cost_minor, i.on_hand, i.low,
                      i.created_at, i.updated_at
               from makrcave.inventory_items i
               where i.makerspace_id = $1
                 and ($2::text is null or strpos(lower(i.name || ' ' || coalesce(i.sku, '')), $2) > 0)
                 and (not $3 or i.low)
                 and ($4::uuid is null
                      or (i.name, i.id) > (select a.name, a.id from makrcave.inventory_items a
                                           where a.id = $4 and a.makerspace_id = $1))
                 and ($6::uuid is null
                      or exists (select from makrcave.inventory_levels l
                                 where l.item_id = i.id and l.location_id = $6 and l.on_hand > 0))
               order by i.name, i.id
               limit $5"#,
            space,
            search,
            low_only,
            after,
            first as i64 + 1,
            location,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(paging::connection_by_id(page, first, after, |item| item.id))
    }

    /// The places a space keeps stock, by name, for its members.
    async fn inventory_locations(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<Vec<InventoryLocation>, ApiError> {
        let space = parse_id(&makerspace_id, "makerspaceId")?;
        space_access(ctx, space, MembershipRole::Member).await?;
        Ok(sqlx::query_as!(
            InventoryLocation,
            "select id, makerspace_id, name from makrcave.inventory_locations
             where makerspace_id = $1 order by name",
            space
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

#[derive(InputObject)]
pub struct AddInventoryLocationInput {
    pub makerspace_id: ID,
    /// Unique in the space: `Shelf B2`, `Filament cabinet`.
    pub name: String,
}

#[derive(InputObject)]
pub struct AddInventoryItemInput {
    pub makerspace_id: ID,
    pub name: String,
    pub unit: StockUnit,
    #[graphql(default_with = "ItemCategory::Consumable")]
    pub category: ItemCategory,
    /// The space's own code for it, unique in the space.
    pub sku: Option<String>,
    /// Default 0: told only when it runs out.
    #[graphql(default)]
    pub reorder_point: Decimal,
    /// The store product it is bought as.
    pub store_product_id: Option<ID>,
    /// How much of it one unit bought from the store is, in its unit (default 1; 1000 for a
    /// 1 kg spool kept in grams).
    #[graphql(default_with = "Decimal::ONE")]
    pub store_pack: Decimal,
    /// What the space pays for one unit, in minor units of its currency.
    pub unit_cost_minor: Option<i64>,
}

#[derive(InputObject)]
pub struct UpdateInventoryItemInput {
    pub id: ID,
    pub name: Option<String>,
    /// `null` takes its code away; left out, it stays.
    pub sku: MaybeUndefined<String>,
    pub category: Option<ItemCategory>,
    /// Raised to or above what is on hand, the item is low at once (and told so).
    pub reorder_point: Option<Decimal>,
    /// `null`: bought as no store product; left out, it stays.
    pub store_product_id: MaybeUndefined<ID>,
    /// How much of it one unit bought from the store is, in its unit.
    pub store_pack: Option<Decimal>,
    /// What the space pays for one unit (`null`: unknown); left out, it stays.
    pub unit_cost_minor: MaybeUndefined<i64>,
}

#[derive(InputObject)]
pub struct RecordStockMovementInput {
    pub item_id: ID,
    pub kind: MovementKind,
    /// More than zero: the units received, issued, moved or consumed; for `ADJUST`, the count
    /// found (zero or more).
    pub quantity: Decimal,
    /// Where the units arrive (`RECEIVE`), leave from (`ISSUE`, `CONSUME`, `TRANSFER`) or are
    /// counted (`ADJUST`).
    pub location_id: ID,
    /// Where a `TRANSFER` moves them to; for it only.
    pub to_location_id: Option<ID>,
    /// The member an `ISSUE` gives them to (a user id).
    pub member_id: Option<ID>,
    /// Why, for the history: `spools for the 3D printing course`.
    #[graphql(default)]
    pub reason: String,
}

#[derive(Default)]
pub struct InventoryMutation;

#[Object(guard = "SignedIn")]
impl InventoryMutation {
    /// Adds a place to keep stock in a space; staff and above.
    async fn add_inventory_location(
        &self,
        ctx: &Context<'_>,
        input: AddInventoryLocationInput,
    ) -> Result<InventoryLocation, ApiError> {
        let space = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor = space_access(ctx, space, MembershipRole::Staff).await?;
        let name = text("name", &input.name, 80)?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let location = sqlx::query_as!(
            InventoryLocation,
            "insert into makrcave.inventory_locations (id, makerspace_id, name)
             values ($1, $2, $3) returning id, makerspace_id, name",
            Uuid::now_v7(),
            space,
            name,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            on_constraint(err, "inventory_locations_makerspace_id_name_key", || {
                ApiError::invalid(
                    "name",
                    format!("the space has a place called {name} already"),
                )
            })
        })?;
        record(
            &mut tx,
            actor,
            Action::INVENTORY_LOCATION_ADDED,
            location.id,
            space,
            &location,
        )
        .await?;
        tx.commit().await?;
        Ok(location)
    }

    /// Adds an item to a space's inventory, with nothing in stock yet (a `RECEIVE` brings
    /// some); staff and above.
    async fn add_inventory_item(
        &self,
        ctx: &Context<'_>,
        input: AddInventoryItemInput,
    ) -> Result<InventoryItem, ApiError> {
        let space = parse_id(&input.makerspace_id, "makerspaceId")?;
        let product = input
            .store_product_id
            .as_ref()
            .map(|id| parse_id(id, "storeProductId"))
            .transpose()?;
        let actor = space_access(ctx, space, MembershipRole::Staff).await?;
        let name = text("name", &input.name, 120)?;
        let sku = input
            .sku
            .as_deref()
            .map(str::trim)
            .filter(|sku| !sku.is_empty())
            .map(|sku| text("sku", sku, 64))
            .transpose()?;
        let reorder_point = input
            .unit
            .checked(input.reorder_point)
            .map_err(|message| ApiError::invalid("reorderPoint", message))?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let item = sqlx::query_as!(
            InventoryItem,
            // Nothing on hand yet: at or below any reorder point, so low (and told when it falls
            // there again after a receipt).
            r#"insert into makrcave.inventory_items
                   (id, makerspace_id, name, sku, category, unit, reorder_point, store_product_id,
                    store_pack, unit_cost_minor, low)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true)
               returning id, makerspace_id, name, sku, category as "category: _",
                         unit as "unit: _", reorder_point, store_product_id, store_pack, unit_cost_minor, on_hand, low,
                         created_at, updated_at"#,
            Uuid::now_v7(),
            space,
            name,
            sku,
            input.category as ItemCategory,
            input.unit as StockUnit,
            reorder_point,
            product,
            pack(input.unit, input.store_pack)?,
            cost(input.unit_cost_minor)?,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            on_constraint(err, "inventory_items_makerspace_id_sku_key", || {
                ApiError::invalid("sku", "is another item's in this space")
            })
        })?;
        record(
            &mut tx,
            actor,
            Action::INVENTORY_ITEM_ADDED,
            item.id,
            space,
            &item,
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Changes an item's name, code, category, reorder point or store product; its unit stays,
    /// as its stock is counted in it. Staff and above.
    async fn update_inventory_item(
        &self,
        ctx: &Context<'_>,
        input: UpdateInventoryItemInput,
    ) -> Result<InventoryItem, ApiError> {
        let id = parse_id(&input.id, "id")?;
        let product = match &input.store_product_id {
            MaybeUndefined::Value(id) => MaybeUndefined::Value(parse_id(id, "storeProductId")?),
            MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        };
        let (space, actor) = item_access(ctx, id, MembershipRole::Staff).await?;
        let db = ctx.data_unchecked::<PgPool>();
        let name = input
            .name
            .as_deref()
            .map(|name| text("name", name, 120))
            .transpose()?;
        let sku = match &input.sku {
            MaybeUndefined::Value(sku) if !sku.trim().is_empty() => {
                MaybeUndefined::Value(text("sku", sku, 64)?.to_owned())
            }
            MaybeUndefined::Value(_) | MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        };
        let mut tx = db.begin().await?;
        let before = lock(&mut tx, id).await?;
        let reorder_point = input
            .reorder_point
            .map(|point| before.unit.checked(point))
            .transpose()
            .map_err(|message| ApiError::invalid("reorderPoint", message))?
            .unwrap_or(before.reorder_point);
        let after = sqlx::query_as!(
            InventoryItem,
            r#"update makrcave.inventory_items
               set name = $2, sku = $3, category = $4, reorder_point = $5, store_product_id = $6,
                   unit_cost_minor = $7, store_pack = $8, low = on_hand <= $5, updated_at = now()
               where id = $1
               returning id, makerspace_id, name, sku, category as "category: _",
                         unit as "unit: _", reorder_point, store_product_id, store_pack, unit_cost_minor, on_hand, low,
                         created_at, updated_at"#,
            id,
            name.unwrap_or(&before.name),
            updated(sku, before.sku.clone()),
            input.category.unwrap_or(before.category) as ItemCategory,
            reorder_point,
            updated(product, before.store_product_id),
            cost(updated(input.unit_cost_minor, before.unit_cost_minor))?,
            input
                .store_pack
                .map(|given| pack(before.unit, given))
                .transpose()?
                .unwrap_or(before.store_pack),
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            on_constraint(err, "inventory_items_makerspace_id_sku_key", || {
                ApiError::invalid("sku", "is another item's in this space")
            })
        })?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::INVENTORY_ITEM_UPDATED,
                entity_id: id,
                makerspace_id: space,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tell_if_low(&mut tx, actor, &before, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a change to an item's stock and keeps its levels in step; staff and above.
    /// Refused with `CONFLICT`, saying how much there is, when it would take more than a place
    /// holds: stock never goes negative.
    async fn record_stock_movement(
        &self,
        ctx: &Context<'_>,
        input: RecordStockMovementInput,
    ) -> Result<RecordedMovement, ApiError> {
        let item_id = parse_id(&input.item_id, "itemId")?;
        let location = parse_id(&input.location_id, "locationId")?;
        let to_location = input
            .to_location_id
            .as_ref()
            .map(|id| parse_id(id, "toLocationId"))
            .transpose()?;
        let member = input
            .member_id
            .as_ref()
            .map(|id| parse_id(id, "memberId"))
            .transpose()?;
        match (input.kind, to_location) {
            (MovementKind::Transfer, None) => {
                return Err(ApiError::invalid("toLocationId", "a transfer needs one"));
            }
            (MovementKind::Transfer, Some(to)) if to == location => {
                return Err(ApiError::invalid(
                    "toLocationId",
                    "must be another place than the one moved from",
                ));
            }
            (MovementKind::Transfer, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(ApiError::invalid("toLocationId", "is for a transfer only"));
            }
        }
        if member.is_some() && input.kind != MovementKind::Issue {
            return Err(ApiError::invalid("memberId", "is for an issue only"));
        }
        let reason = input.reason.trim();
        if reason.chars().count() > 500 {
            return Err(ApiError::invalid(
                "reason",
                "must be at most 500 characters",
            ));
        }
        let (_, actor) = item_access(ctx, item_id, MembershipRole::Staff).await?;
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let recorded = record_movement(
            &mut tx,
            Movement {
                item_id,
                kind: input.kind,
                quantity: input.quantity,
                location,
                to_location,
                member,
                reason,
                actor,
                fabrication_job: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(recorded)
    }
}

/// A movement to record, checked for its shape.
pub struct Movement<'a> {
    pub item_id: Uuid,
    pub kind: MovementKind,
    pub quantity: Decimal,
    pub location: Uuid,
    pub to_location: Option<Uuid>,
    pub member: Option<Uuid>,
    pub reason: &'a str,
    pub actor: Uuid,
    /// The fabrication job that used the units consumed.
    pub fabrication_job: Option<Uuid>,
}

/// Records `movement` in `tx`: locks the item, checks the places are its space's, moves the
/// levels, the total and the low mark in step, and announces the movement (and the item
/// running low). The one way stock changes.
pub async fn record_movement(
    tx: &mut PgConnection,
    movement: Movement<'_>,
) -> Result<RecordedMovement, ApiError> {
    let item = lock(tx, movement.item_id).await?;
    let quantity = item
        .unit
        .checked(movement.quantity)
        .map_err(|message| ApiError::invalid("quantity", message))?;
    if quantity.is_zero() && movement.kind != MovementKind::Adjust {
        return Err(ApiError::invalid("quantity", "must be more than zero"));
    }
    let places: Vec<Uuid> = std::iter::once(movement.location)
        .chain(movement.to_location)
        .collect();
    // The places with the item's levels there, in the order asked.
    let levels = sqlx::query!(
        r#"select l.id, l.name, coalesce(s.on_hand, 0) as "on_hand!"
           from makrcave.inventory_locations l
           left join makrcave.inventory_levels s on s.location_id = l.id and s.item_id = $2
           where l.id = any($1) and l.makerspace_id = $3"#,
        &places,
        item.id,
        item.makerspace_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let at = |place: Uuid, field: &str| {
        levels
            .iter()
            .find(|level| level.id == place)
            .map(|level| (level.name.clone(), level.on_hand))
            .ok_or_else(|| ApiError::invalid(field, "is not a place of the item's makerspace"))
    };
    let (from_name, from_level) = at(movement.location, "locationId")?;
    let to = movement
        .to_location
        .map(|place| at(place, "toLocationId"))
        .transpose()?;
    let short = |verb: &str| {
        ApiError::Conflict(format!(
            "only {} of {} {} at {}: {verb} {} is refused",
            item.unit.amount(from_level),
            item.name,
            if from_level == Decimal::ONE && item.unit == StockUnit::Pieces {
                "is"
            } else {
                "are"
            },
            from_name,
            item.unit.amount(quantity),
        ))
    };
    // The new level at each place touched, and what the movement does to the total.
    let (new_levels, change) = match movement.kind {
        MovementKind::Receive => (vec![(movement.location, from_level + quantity)], quantity),
        MovementKind::Issue | MovementKind::Consume if quantity > from_level => {
            return Err(short(if movement.kind == MovementKind::Issue {
                "issuing"
            } else {
                "consuming"
            }));
        }
        MovementKind::Issue | MovementKind::Consume => {
            (vec![(movement.location, from_level - quantity)], -quantity)
        }
        MovementKind::Adjust => (vec![(movement.location, quantity)], quantity - from_level),
        MovementKind::Transfer if quantity > from_level => return Err(short("moving")),
        MovementKind::Transfer => {
            let (to_place, to_level) = (
                movement.to_location.unwrap_or(movement.location),
                to.as_ref().map_or(Decimal::ZERO, |(_, level)| *level),
            );
            (
                vec![
                    (movement.location, from_level - quantity),
                    (to_place, to_level + quantity),
                ],
                Decimal::ZERO,
            )
        }
    };
    let (places, amounts): (Vec<Uuid>, Vec<Decimal>) = new_levels
        .into_iter()
        .map(|(place, amount)| (place, amount.normalize()))
        .unzip();
    sqlx::query!(
        "insert into makrcave.inventory_levels (item_id, location_id, on_hand)
         select $1, level.location_id, level.on_hand
         from unnest($2::uuid[], $3::numeric[]) as level(location_id, on_hand)
         on conflict (item_id, location_id) do update set on_hand = excluded.on_hand",
        item.id,
        &places,
        &amounts,
    )
    .execute(&mut *tx)
    .await?;
    let (change, on_hand) = (change.normalize(), (item.on_hand + change).normalize());
    let low = on_hand <= item.reorder_point;
    let after = sqlx::query_as!(
        InventoryItem,
        r#"update makrcave.inventory_items set on_hand = $2, low = $3, updated_at = now()
           where id = $1
           returning id, makerspace_id, name, sku, category as "category: _", unit as "unit: _",
                     reorder_point, store_product_id, store_pack, unit_cost_minor, on_hand, low, created_at, updated_at"#,
        item.id,
        on_hand,
        low,
    )
    .fetch_one(&mut *tx)
    .await?;
    let recorded = sqlx::query_as!(
        StockMovement,
        r#"insert into makrcave.stock_movements
               (id, item_id, kind, quantity, change, location_id, to_location_id, member_id,
                reason, recorded_by, fabrication_job_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13)
           returning id, item_id, kind as "kind: _", quantity, change,
                     $11::text as "location!", $12::text as to_location, member_id, reason,
                     recorded_by, recorded_at, fabrication_job_id"#,
        Uuid::now_v7(),
        item.id,
        movement.kind as MovementKind,
        quantity,
        change,
        movement.location,
        movement.to_location,
        movement.member,
        movement.reason,
        movement.actor,
        from_name,
        to.map(|(name, _)| name),
        movement.fabrication_job,
    )
    .fetch_one(&mut *tx)
    .await?;
    record(
        tx,
        movement.actor,
        Action::STOCK_MOVEMENT_RECORDED,
        recorded.id,
        item.makerspace_id,
        &recorded,
    )
    .await?;
    tell_if_low(tx, movement.actor, &item, &after).await?;
    Ok(RecordedMovement {
        movement: recorded,
        item: after,
    })
}

/// The item as it stands in `conn`'s transaction.
async fn read_item(conn: &mut PgConnection, id: Uuid) -> Result<InventoryItem, ApiError> {
    sqlx::query_as!(
        InventoryItem,
        r#"select id, makerspace_id, name, sku, category as "category: _", unit as "unit: _",
                  reorder_point, store_product_id, store_pack, unit_cost_minor, on_hand, low, created_at, updated_at
           from makrcave.inventory_items where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::NotFound("inventory item".into()))
}

/// The item, its row locked: every writer of its stock or its reorder point takes this first.
async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<InventoryItem, ApiError> {
    sqlx::query_as!(
        InventoryItem,
        r#"select id, makerspace_id, name, sku, category as "category: _", unit as "unit: _",
                  reorder_point, store_product_id, store_pack, unit_cost_minor, on_hand, low, created_at, updated_at
           from makrcave.inventory_items where id = $1 for update"#,
        id
    )
    .fetch_optional(tx)
    .await?
    .ok_or_else(|| ApiError::NotFound("inventory item".into()))
}

/// Announces that the item ran low (`inventory_item.low`) when this change made it so: once,
/// until it is above its reorder point again.
async fn tell_if_low(
    tx: &mut PgConnection,
    actor: Uuid,
    before: &InventoryItem,
    after: &InventoryItem,
) -> Result<(), ApiError> {
    if !after.low || before.low {
        return Ok(());
    }
    changes::record(
        tx,
        Change {
            actor,
            action: Action::INVENTORY_ITEM_LOW,
            entity_id: after.id,
            makerspace_id: after.makerspace_id,
            before: Some(before),
            after: Some(after),
        },
    )
    .await
}

/// What a field an update may clear comes to: the value given, nothing for `null`, or what it
/// `was` when left out.
fn updated<T>(given: MaybeUndefined<T>, was: Option<T>) -> Option<T> {
    match given {
        MaybeUndefined::Value(value) => Some(value),
        MaybeUndefined::Null => None,
        MaybeUndefined::Undefined => was,
    }
}

/// A unit cost as given, refused when negative.
fn cost(given: Option<i64>) -> Result<Option<i64>, ApiError> {
    match given {
        Some(minor) if minor < 0 => Err(ApiError::invalid("unitCostMinor", "must be 0 or more")),
        given => Ok(given),
    }
}

/// How much one store unit is of an item counted in `unit`: more than zero.
fn pack(unit: StockUnit, given: Decimal) -> Result<Decimal, ApiError> {
    match unit.checked(given) {
        Ok(pack) if !pack.is_zero() => Ok(pack),
        Ok(_) => Err(ApiError::invalid("storePack", "must be more than zero")),
        Err(message) => Err(ApiError::invalid("storePack", message)),
    }
}

/// `given` trimmed, refused for `field` when empty or longer than `at_most` characters.
fn text<'a>(field: &str, given: &'a str, at_most: usize) -> Result<&'a str, ApiError> {
    let given = given.trim();
    if given.is_empty() || given.chars().count() > at_most {
        return Err(ApiError::invalid(
            field,
            format!("must be 1 to {at_most} characters"),
        ));
    }
    Ok(given)
}

async fn record<T: Serialize>(
    tx: &mut PgConnection,
    actor: Uuid,
    action: Action,
    entity_id: Uuid,
    makerspace_id: Uuid,
    after: &T,
) -> Result<(), ApiError> {
    changes::record(
        tx,
        Change {
            actor,
            action,
            entity_id,
            makerspace_id,
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// Loads items by their ids.
pub struct ItemsById(pub PgPool);

impl Loader<Uuid> for ItemsById {
    type Value = InventoryItem;
    type Error = ApiError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, InventoryItem>, ApiError> {
        let items = sqlx::query_as!(
            InventoryItem,
            r#"select id, makerspace_id, name, sku, category as "category: _", unit as "unit: _",
                      reorder_point, store_product_id, store_pack, unit_cost_minor, on_hand, low, created_at, updated_at
               from makrcave.inventory_items where id = any($1)"#,
            keys
        )
        .fetch_all(&self.0)
        .await?;
        Ok(items.into_iter().map(|item| (item.id, item)).collect())
    }
}

/// Loads items' levels, by place name.
pub struct LevelsByItem(pub PgPool);

impl Loader<Uuid> for LevelsByItem {
    type Value = Vec<InventoryLevel>;
    type Error = ApiError;

    async fn load(&self, items: &[Uuid]) -> Result<HashMap<Uuid, Vec<InventoryLevel>>, ApiError> {
        let rows = sqlx::query!(
            "select s.item_id, s.on_hand, l.id, l.makerspace_id, l.name
             from makrcave.inventory_levels s
             join makrcave.inventory_locations l on l.id = s.location_id
             where s.item_id = any($1) and s.on_hand > 0
             order by l.name",
            items
        )
        .fetch_all(&self.0)
        .await?;
        let mut levels: HashMap<Uuid, Vec<InventoryLevel>> = HashMap::new();
        for row in rows {
            levels.entry(row.item_id).or_default().push(InventoryLevel {
                location: InventoryLocation {
                    id: row.id,
                    makerspace_id: row.makerspace_id,
                    name: row.name,
                },
                on_hand: row.on_hand,
            });
        }
        Ok(levels)
    }
}

/// Loads items' latest movements, newest first, up to the most an item's history answers.
pub struct MovementsByItem(pub PgPool);

impl Loader<Uuid> for MovementsByItem {
    type Value = Vec<StockMovement>;
    type Error = ApiError;

    async fn load(&self, items: &[Uuid]) -> Result<HashMap<Uuid, Vec<StockMovement>>, ApiError> {
        let rows = movement_query!(
            r#"from unnest($1::uuid[]) as item(id)
               cross join lateral (
                   select * from makrcave.stock_movements m
                   where m.item_id = item.id
                   order by m.recorded_at desc, m.id desc
                   limit $2) m
               join makrcave.inventory_locations l on l.id = m.location_id
               left join makrcave.inventory_locations t on t.id = m.to_location_id
               order by m.recorded_at desc, m.id desc"#,
            items,
            i64::from(MAX_MOVEMENTS),
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |movement| movement.item_id))
    }
}
