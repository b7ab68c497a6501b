//! A project's bills of materials. A line is a store product (and its variant), an item of the
//! project's space's inventory, or free text, with a quantity per build. From the space's
//! stock a BOM tells how many complete builds there are (`canBuild`) and what is missing for
//! more (`shortfall`): an item's line counts what the space holds of it, a store product's
//! line what the space holds of items it buys as that product; free text is not counted. The
//! store owns prices: a line points at its product and variant, and their live price comes
//! through the router; the costs MakrCave adds up are those the space records for its items.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::{ApiError, parse_id};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{ProjectRole, require_project_role};
use crate::changes::{self, Action, Change};
use crate::inventory::InventoryItem;
use crate::loaders::Loaders;
use crate::policy;
use crate::store::{Product, ProductVariant};

/// The most a line's quantity per build may be.
const MAX_QUANTITY: i64 = 1_000_000;

/// A bill of materials of a project.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Bom {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub project_id: Uuid,
    /// The project's space, whose stock the BOM is built from.
    #[graphql(skip)]
    pub makerspace_id: Option<Uuid>,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A line of a BOM: what, and how much of it one build takes.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct BomLine {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub bom_id: Uuid,
    #[graphql(skip)]
    pub position: i32,
    #[graphql(skip)]
    pub store_product_id: Option<Uuid>,
    #[graphql(skip)]
    pub store_variant_id: Option<Uuid>,
    #[graphql(skip)]
    pub inventory_item_id: Option<Uuid>,
    /// The line itself when it points at nothing (`a dab of wood glue`), a note otherwise.
    pub description: String,
    /// How much one build takes: in the item's unit, or in units bought from the store for a
    /// store product (0.25 of a 1 kg spool; the space's items of it count by their store pack).
    pub quantity: Decimal,
}

#[ComplexObject]
impl BomLine {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The store product it is bought as: its name and live price come from the store.
    async fn store_product(&self) -> Option<Product> {
        Product::of(self.store_product_id)
    }

    /// The product's variant, when the line names one.
    async fn store_variant(&self) -> Option<ProductVariant> {
        ProductVariant::of(self.store_variant_id)
    }

    /// The space's item it takes, for the people inside the space (none for anyone else).
    async fn inventory_item(&self, ctx: &Context<'_>) -> Result<Option<InventoryItem>, ApiError> {
        let Some(id) = self.inventory_item_id else {
            return Ok(None);
        };
        let item = ctx
            .data_unchecked::<Loaders>()
            .inventory_items
            .load_one(id)
            .await?;
        match item {
            Some(item) if inside(ctx, item.makerspace_id).await? => Ok(Some(item)),
            _ => Ok(None),
        }
    }
}

/// What a line lacks for a number of builds.
#[derive(SimpleObject)]
pub struct Shortfall {
    pub line: BomLine,
    /// What the builds take.
    pub needed: Decimal,
    /// What the space holds of it.
    pub on_hand: Decimal,
    /// What is missing: `needed` less `onHand`.
    pub missing: Decimal,
    /// How many to buy from the store to make up for it: `missing` rounded up to whole units
    /// of the line's store variant (what `addLinesToCart` takes); none for a line that names
    /// no store variant.
    pub to_buy: Option<i32>,
}

/// What a BOM costs a build, from what the space records of its items.
#[derive(SimpleObject)]
pub struct BomCost {
    /// The space's items, at what it records paying for each, in minor units.
    pub items_minor: i64,
    /// The space's currency.
    pub currency: String,
    /// Lines of items whose cost the space has not recorded, and lines of free text.
    pub lines_without_cost: i32,
    /// Lines of store products: each one's `storeVariant { priceMinor }` is the store's live
    /// price.
    pub store_lines: i32,
}

/// Whether the caller is inside `space`: its stock is theirs to see.
async fn inside(ctx: &Context<'_>, space: Uuid) -> Result<bool, ApiError> {
    let caller = caller(ctx);
    Ok(caller.is_admin() || policy::role_in(ctx, caller, space).await?.is_some())
}

#[ComplexObject]
impl Bom {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// Its lines, in order.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<BomLine>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .bom_lines
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// How many complete builds the space's stock makes: the fewest any counted line allows.
    /// None when no line is counted (only free text), when the project belongs to no space,
    /// or for someone outside the space.
    async fn can_build(&self, ctx: &Context<'_>) -> Result<Option<i64>, ApiError> {
        let Some(stock) = self.stock(ctx).await? else {
            return Ok(None);
        };
        Ok(stock
            .into_iter()
            .map(|(line, on_hand)| {
                (on_hand / line.quantity)
                    .floor()
                    .to_i64()
                    .unwrap_or(i64::MAX)
            })
            .min())
    }

    /// What the counted lines lack for `builds` builds (1 to 10,000), in order; only the
    /// lines that lack something. None as for `canBuild`.
    async fn shortfall(
        &self,
        ctx: &Context<'_>,
        builds: i32,
    ) -> Result<Option<Vec<Shortfall>>, ApiError> {
        if !(1..=10_000).contains(&builds) {
            return Err(ApiError::invalid("builds", "must be from 1 to 10000"));
        }
        let Some(stock) = self.stock(ctx).await? else {
            return Ok(None);
        };
        Ok(Some(
            stock
                .into_iter()
                .filter_map(|(line, on_hand)| {
                    let needed = line.quantity * Decimal::from(builds);
                    let missing = needed - on_hand;
                    (needed > on_hand).then(|| Shortfall {
                        to_buy: line
                            .store_variant_id
                            .map(|_| missing.ceil().to_i32().unwrap_or(i32::MAX)),
                        missing: missing.normalize(),
                        needed: needed.normalize(),
                        on_hand: on_hand.normalize(),
                        line,
                    })
                })
                .collect(),
        ))
    }

    /// What one build costs from the space's own records; none for someone outside the
    /// space or a project of no space.
    async fn cost(&self, ctx: &Context<'_>) -> Result<Option<BomCost>, ApiError> {
        let Some((space, lines, items)) = self.with_items(ctx).await? else {
            return Ok(None);
        };
        let mut cost = BomCost {
            items_minor: 0,
            currency: crate::space::Makerspace::referenced(ctx, space)
                .await?
                .currency,
            lines_without_cost: 0,
            store_lines: 0,
        };
        for line in &lines {
            let unit_cost = line
                .inventory_item_id
                .and_then(|id| items.get(&id))
                .and_then(|item| item.unit_cost_minor);
            match (line.store_product_id, unit_cost) {
                (Some(_), _) => cost.store_lines += 1,
                (None, Some(unit)) => {
                    let line_cost = (Decimal::from(unit) * line.quantity).round();
                    cost.items_minor += line_cost.to_i64().unwrap_or(i64::MAX);
                }
                (None, None) => cost.lines_without_cost += 1,
            }
        }
        Ok(Some(cost))
    }
}

impl Bom {
    /// The BOM's space, its lines and the space's items they take, for the people inside the
    /// space; none for anyone else or a project of no space.
    async fn with_items(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<(Uuid, Vec<BomLine>, HashMap<Uuid, InventoryItem>)>, ApiError> {
        let Some(space) = self.makerspace_id else {
            return Ok(None);
        };
        if !inside(ctx, space).await? {
            return Ok(None);
        }
        let lines = self.lines(ctx).await?;
        let items: Vec<Uuid> = lines
            .iter()
            .filter_map(|line| line.inventory_item_id)
            .collect();
        let items = ctx
            .data_unchecked::<Loaders>()
            .inventory_items
            .load_many(items)
            .await?;
        Ok(Some((space, lines, items)))
    }

    /// Each counted line with what the space holds of it: an item's on hand, or the on hand
    /// of the space's items bought as a line's store product. None when nothing is counted
    /// for the caller (see `canBuild`).
    async fn stock(&self, ctx: &Context<'_>) -> Result<Option<Vec<(BomLine, Decimal)>>, ApiError> {
        let Some((space, lines, items)) = self.with_items(ctx).await? else {
            return Ok(None);
        };
        let products: Vec<(Uuid, Uuid)> = lines
            .iter()
            .filter_map(|line| line.store_product_id.map(|product| (space, product)))
            .collect();
        let bought = ctx
            .data_unchecked::<Loaders>()
            .stock_of_products
            .load_many(products)
            .await?;
        let counted: Vec<(BomLine, Decimal)> = lines
            .into_iter()
            .filter_map(|line| {
                let on_hand = match (line.inventory_item_id, line.store_product_id) {
                    (Some(item), _) => items.get(&item).map_or(Decimal::ZERO, |item| item.on_hand),
                    (None, Some(product)) => bought
                        .get(&(space, product))
                        .copied()
                        .unwrap_or(Decimal::ZERO),
                    (None, None) => return None,
                };
                Some((line, on_hand))
            })
            .collect();
        Ok((!counted.is_empty()).then_some(counted))
    }
}

#[derive(InputObject)]
pub struct AddBomInput {
    pub project_id: ID,
    /// 1 to 120 characters: `Lamp, one of`.
    pub name: String,
}

/// A line to add: a store product (and its variant), an item of the project's space, or
/// free text alone.
#[derive(InputObject)]
pub struct AddBomLineInput {
    pub bom_id: ID,
    /// How much one build takes: more than zero.
    pub quantity: Decimal,
    pub store_product_id: Option<ID>,
    /// With `storeProductId`: which of its variants.
    pub store_variant_id: Option<ID>,
    /// An item of the project's space.
    pub inventory_item_id: Option<ID>,
    /// The line itself when it points at nothing, a note otherwise; at most 500 characters.
    #[graphql(default)]
    pub description: String,
}

#[derive(InputObject)]
pub struct UpdateBomLineInput {
    pub line_id: ID,
    pub quantity: Option<Decimal>,
    pub description: Option<String>,
}

#[derive(InputObject)]
pub struct RemoveBomLineInput {
    pub line_id: ID,
}

#[derive(Default)]
pub struct BomMutation;

#[Object(guard = "SignedIn")]
impl BomMutation {
    /// Adds a BOM to a project; its owner and editors.
    async fn add_bom(&self, ctx: &Context<'_>, input: AddBomInput) -> Result<Bom, ApiError> {
        let project_id = parse_id(&input.project_id, "projectId")?;
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(ApiError::invalid("name", "must be 1 to 120 characters"));
        }
        let (project, me) = require_project_role(ctx, project_id, ProjectRole::Editor).await?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let bom = sqlx::query_as!(
            Bom,
            "insert into makrcave.boms (id, project_id, name) values ($1, $2, $3)
             returning id, project_id, $4::uuid as makerspace_id, name, created_at, updated_at",
            Uuid::now_v7(),
            project_id,
            name,
            project.makerspace_id,
        )
        .fetch_one(&mut *tx)
        .await?;
        record(&mut tx, me, Action::BOM_ADDED, bom.id, None, Some(&bom)).await?;
        tx.commit().await?;
        Ok(bom)
    }

    /// Adds a line at the end of a BOM; the project's owner and editors.
    async fn add_bom_line(
        &self,
        ctx: &Context<'_>,
        input: AddBomLineInput,
    ) -> Result<BomLine, ApiError> {
        let bom_id = parse_id(&input.bom_id, "bomId")?;
        let id_of = |id: &Option<ID>, field| id.as_ref().map(|id| parse_id(id, field)).transpose();
        let product = id_of(&input.store_product_id, "storeProductId")?;
        let variant = id_of(&input.store_variant_id, "storeVariantId")?;
        let item = id_of(&input.inventory_item_id, "inventoryItemId")?;
        let quantity = quantity(input.quantity)?;
        let description = description(&input.description)?;
        if variant.is_some() && product.is_none() {
            return Err(ApiError::invalid(
                "storeVariantId",
                "needs the storeProductId it is a variant of",
            ));
        }
        if product.is_some() && item.is_some() {
            return Err(ApiError::invalid(
                "inventoryItemId",
                "a line is a store product or an item, not both",
            ));
        }
        if product.is_none() && item.is_none() && description.is_empty() {
            return Err(ApiError::invalid(
                "description",
                "says what the line is when it points at nothing",
            ));
        }
        let (bom, me) = editable_bom(ctx, bom_id).await?;
        if let Some(item) = item {
            let space = sqlx::query_scalar!(
                "select makerspace_id from makrcave.inventory_items where id = $1",
                item
            )
            .fetch_optional(ctx.data_unchecked::<PgPool>())
            .await?;
            if space.is_none() || space != bom.makerspace_id {
                return Err(ApiError::invalid(
                    "inventoryItemId",
                    "is not an item of the project's makerspace",
                ));
            }
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let line = sqlx::query_as!(
            BomLine,
            "insert into makrcave.bom_lines
                 (id, bom_id, position, store_product_id, store_variant_id, inventory_item_id,
                  description, quantity)
             values ($1, $2,
                     (select coalesce(max(position) + 1, 0) from makrcave.bom_lines where bom_id = $2),
                     $3, $4, $5, $6, $7)
             returning id, bom_id, position, store_product_id, store_variant_id,
                       inventory_item_id, description, quantity",
            Uuid::now_v7(),
            bom_id,
            product,
            variant,
            item,
            description,
            quantity,
        )
        .fetch_one(&mut *tx)
        .await?;
        touch(&mut tx, bom_id).await?;
        record(
            &mut tx,
            me,
            Action::BOM_LINE_ADDED,
            line.id,
            None,
            Some(&line),
        )
        .await?;
        tx.commit().await?;
        Ok(line)
    }

    /// Changes a line's quantity or description; the project's owner and editors.
    async fn update_bom_line(
        &self,
        ctx: &Context<'_>,
        input: UpdateBomLineInput,
    ) -> Result<BomLine, ApiError> {
        let line_id = parse_id(&input.line_id, "lineId")?;
        let quantity = input.quantity.map(quantity).transpose()?;
        let description = input.description.as_deref().map(description).transpose()?;
        let before = line_of(ctx, line_id).await?;
        let (_, me) = editable_bom(ctx, before.bom_id).await?;
        if description == Some("")
            && before.store_product_id.is_none()
            && before.inventory_item_id.is_none()
        {
            return Err(ApiError::invalid(
                "description",
                "says what the line is when it points at nothing",
            ));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let after = sqlx::query_as!(
            BomLine,
            "update makrcave.bom_lines
             set quantity = coalesce($2, quantity), description = coalesce($3, description)
             where id = $1
             returning id, bom_id, position, store_product_id, store_variant_id,
                       inventory_item_id, description, quantity",
            line_id,
            quantity,
            description,
        )
        .fetch_one(&mut *tx)
        .await?;
        touch(&mut tx, after.bom_id).await?;
        record(
            &mut tx,
            me,
            Action::BOM_LINE_UPDATED,
            after.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Takes a line off its BOM; the project's owner and editors. Answers the BOM.
    async fn remove_bom_line(
        &self,
        ctx: &Context<'_>,
        input: RemoveBomLineInput,
    ) -> Result<Bom, ApiError> {
        let line_id = parse_id(&input.line_id, "lineId")?;
        let line = line_of(ctx, line_id).await?;
        let (bom, me) = editable_bom(ctx, line.bom_id).await?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        sqlx::query!("delete from makrcave.bom_lines where id = $1", line_id)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, bom.id).await?;
        record(
            &mut tx,
            me,
            Action::BOM_LINE_REMOVED,
            line.id,
            Some(&line),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(bom)
    }
}

/// A quantity per build as a line keeps it.
fn quantity(given: Decimal) -> Result<Decimal, ApiError> {
    let given = given.normalize();
    if given <= Decimal::ZERO || given > Decimal::from(MAX_QUANTITY) || given.scale() > 3 {
        return Err(ApiError::invalid(
            "quantity",
            format!("must be more than 0 and at most {MAX_QUANTITY}, with at most three decimals"),
        ));
    }
    Ok(given)
}

fn description(given: &str) -> Result<&str, ApiError> {
    let given = given.trim();
    if given.chars().count() > 500 {
        return Err(ApiError::invalid(
            "description",
            "must be at most 500 characters",
        ));
    }
    Ok(given)
}

/// The line `id`, whoever asks (what may be done with it is its project's to say).
async fn line_of(ctx: &Context<'_>, id: Uuid) -> Result<BomLine, ApiError> {
    sqlx::query_as!(
        BomLine,
        "select id, bom_id, position, store_product_id, store_variant_id, inventory_item_id,
                description, quantity
         from makrcave.bom_lines where id = $1",
        id
    )
    .fetch_optional(ctx.data_unchecked::<PgPool>())
    .await?
    .ok_or_else(|| ApiError::NotFound("BOM line".into()))
}

/// The BOM `id` and the caller's id, if they edit its project: `NOT_FOUND` for a BOM of a
/// project they may not see (as for one that does not exist), `FORBIDDEN` if they only see it.
async fn editable_bom(ctx: &Context<'_>, id: Uuid) -> Result<(Bom, Uuid), ApiError> {
    let bom = sqlx::query_as!(
        Bom,
        r#"select b.id, b.project_id, p.makerspace_id as "makerspace_id?", b.name, b.created_at,
                  b.updated_at
           from makrcave.boms b join makrcave.projects p on p.id = b.project_id
           where b.id = $1"#,
        id
    )
    .fetch_optional(ctx.data_unchecked::<PgPool>())
    .await?
    .ok_or_else(|| ApiError::NotFound("BOM".into()))?;
    let (_, me) = require_project_role(ctx, bom.project_id, ProjectRole::Editor)
        .await
        .map_err(|error| match error {
            ApiError::NotFound(_) => ApiError::NotFound("BOM".into()),
            error => error,
        })?;
    Ok((bom, me))
}

/// Marks the BOM changed now.
async fn touch(tx: &mut sqlx::PgConnection, bom: Uuid) -> Result<(), ApiError> {
    sqlx::query!(
        "update makrcave.boms set updated_at = now() where id = $1",
        bom
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Records a change to a BOM or one of its lines (`entity`, its id).
async fn record<T: Serialize>(
    tx: &mut sqlx::PgConnection,
    actor: Uuid,
    action: Action,
    entity: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), ApiError> {
    changes::record(
        tx,
        Change {
            actor,
            action,
            entity_id: entity,
            makerspace_id: Uuid::nil(),
            before,
            after,
        },
    )
    .await
}

/// The BOMs of a project, oldest first.
pub async fn of_project(ctx: &Context<'_>, project: Uuid) -> Result<Vec<Bom>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .boms
        .load_one(project)
        .await?
        .unwrap_or_default())
}

#[derive(Default)]
pub struct BomQuery;

#[Object]
impl BomQuery {
    /// A BOM by id, for the router (the store prices its store lines): none when the caller
    /// may not see its project.
    #[graphql(entity)]
    async fn find_bom_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Bom>, ApiError> {
        let Ok(id) = id.parse::<Uuid>() else {
            return Ok(None);
        };
        let caller = caller(ctx);
        Ok(sqlx::query_as!(
            Bom,
            r#"select b.id, b.project_id, p.makerspace_id as "makerspace_id?", b.name,
                      b.created_at, b.updated_at
               from makrcave.boms b join makrcave.projects p on p.id = b.project_id
               where b.id = $1 and makrcave.may_see_project(p.id, $2, $3)"#,
            id,
            caller.user_id(),
            caller.is_admin()
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

/// Loads projects' BOMs, oldest first.
pub struct BomsByProject(pub PgPool);

impl Loader<Uuid> for BomsByProject {
    type Value = Vec<Bom>;
    type Error = ApiError;

    async fn load(&self, projects: &[Uuid]) -> Result<HashMap<Uuid, Vec<Bom>>, ApiError> {
        let rows = sqlx::query_as!(
            Bom,
            r#"select b.id, b.project_id, p.makerspace_id as "makerspace_id?", b.name,
                      b.created_at, b.updated_at
               from makrcave.boms b join makrcave.projects p on p.id = b.project_id
               where b.project_id = any($1) order by b.created_at, b.id"#,
            projects
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.project_id))
    }
}

/// Loads BOMs' lines, in order.
pub struct LinesByBom(pub PgPool);

impl Loader<Uuid> for LinesByBom {
    type Value = Vec<BomLine>;
    type Error = ApiError;

    async fn load(&self, boms: &[Uuid]) -> Result<HashMap<Uuid, Vec<BomLine>>, ApiError> {
        let rows = sqlx::query_as!(
            BomLine,
            "select id, bom_id, position, store_product_id, store_variant_id, inventory_item_id,
                    description, quantity
             from makrcave.bom_lines where bom_id = any($1) order by position, id",
            boms
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.bom_id))
    }
}

/// Loads what spaces hold of the items they buy as store products, by (space, product), in
/// store units (an item's stock over its store pack).
pub struct StockOfProducts(pub PgPool);

impl Loader<(Uuid, Uuid)> for StockOfProducts {
    type Value = Decimal;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid)],
    ) -> Result<HashMap<(Uuid, Uuid), Decimal>, ApiError> {
        let (spaces, products): (Vec<Uuid>, Vec<Uuid>) = keys.iter().copied().unzip();
        let rows = sqlx::query!(
            r#"select k.space as "space!", k.product as "product!",
                      coalesce(sum(i.on_hand / i.store_pack), 0) as "on_hand!"
               from unnest($1::uuid[], $2::uuid[]) as k(space, product)
               left join makrcave.inventory_items i
                   on i.makerspace_id = k.space and i.store_product_id = k.product
               group by k.space, k.product"#,
            &spaces,
            &products,
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| ((row.space, row.product), row.on_hand))
            .collect())
    }
}
