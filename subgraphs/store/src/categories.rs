//! Categories: the catalog's tree (Filament > PLA), which store staff arrange and everyone
//! browses. Also the rules for the names and slugs the catalog's things carry.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use makrx_service::error::on_constraint;
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::{ApiError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::loaders::Loaders;
use crate::policy::store_staff;

/// The deepest a category may sit below the top, and so the longest breadcrumb trail.
const MAX_DEPTH: usize = 8;

/// A name as the catalog keeps it: trimmed, not empty, at most 200 characters.
pub fn name(field: &str, text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err(ApiError::invalid(field, "must not be empty")),
        201.. => Err(ApiError::invalid(field, "must be at most 200 characters")),
        _ => Ok(text.to_owned()),
    }
}

/// The slug a name gives: its letters and digits in lower case, words joined by single dashes
/// ("PLA filament, 1.75 mm" gives `pla-filament-1-75-mm`).
fn slug_of(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The slug given, checked, or else the one `name` gives.
pub fn slug(given: Option<&str>, name: &str) -> Result<String, ApiError> {
    let slug = given.map_or_else(|| slug_of(name), |given| given.trim().to_owned());
    if slug.is_empty() {
        Err(ApiError::invalid(
            "slug",
            "is needed: the name has no letters or digits to make one from",
        ))
    } else if slug != slug_of(&slug) || slug.len() > 100 {
        Err(ApiError::invalid(
            "slug",
            "must be lower-case letters and digits joined by single dashes, like `pla-filament`",
        ))
    } else {
        Ok(slug)
    }
}

/// A category of products; categories nest.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub position: i32,
}

/// A category of products; categories nest.
#[Object]
impl Category {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// Its name in addresses, unique in the catalog.
    async fn slug(&self) -> &str {
        &self.slug
    }

    async fn name(&self) -> &str {
        &self.name
    }

    /// Where it comes among its siblings: smaller first, then by name.
    async fn position(&self) -> i32 {
        self.position
    }

    /// The category it belongs to; none at the top.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Category>, ApiError> {
        match self.parent_id {
            Some(parent) => Category::load(ctx, parent).await.map(Some),
            None => Ok(None),
        }
    }

    /// Its subcategories, in order.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Category>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .subcategories
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// The categories from the top down to this one, for a breadcrumb trail.
    async fn path(&self, ctx: &Context<'_>) -> Result<Vec<Category>, ApiError> {
        let mut path = vec![self.clone()];
        while let Some(parent) = path[0].parent_id.filter(|_| path.len() <= MAX_DEPTH) {
            path.insert(0, Category::load(ctx, parent).await?);
        }
        Ok(path)
    }
}

impl Category {
    /// The category `id` names, which a row refers to and so exists.
    pub async fn load(ctx: &Context<'_>, id: Uuid) -> Result<Category, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .categories
            .load_one(id)
            .await?
            .ok_or_else(|| {
                ApiError::internal(format_args!("category {id} is referred to but gone"))
            })
    }
}

/// Loads categories by id.
pub struct CategoryById(pub PgPool);

impl Loader<Uuid> for CategoryById {
    type Value = Category;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Category>, ApiError> {
        let rows = sqlx::query_as!(
            Category,
            "select id, parent_id, slug, name, position from store.categories where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// Loads the subcategories of categories, in order.
pub struct Subcategories(pub PgPool);

impl Loader<Uuid> for Subcategories {
    type Value = Vec<Category>;
    type Error = ApiError;

    async fn load(&self, parents: &[Uuid]) -> Result<HashMap<Uuid, Vec<Category>>, ApiError> {
        let rows = sqlx::query_as!(
            Category,
            "select id, parent_id, slug, name, position from store.categories
             where parent_id = any($1) order by position, name",
            parents
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.parent_id.unwrap_or_default()))
    }
}

#[derive(Default)]
pub struct CategoryQuery;

#[Object]
impl CategoryQuery {
    /// The top-level categories, in order; each lists its subcategories.
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<Category>, ApiError> {
        Ok(sqlx::query_as!(
            Category,
            "select id, parent_id, slug, name, position from store.categories
             where parent_id is null order by position, name"
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }

    /// A category by its slug.
    async fn category(&self, ctx: &Context<'_>, slug: String) -> Result<Category, ApiError> {
        sqlx::query_as!(
            Category,
            "select id, parent_id, slug, name, position from store.categories where slug = $1",
            slug.trim()
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("category {slug:?}")))
    }
}

#[derive(InputObject)]
pub struct CreateCategoryInput {
    name: String,
    /// Its name in addresses; made from the name when left out.
    slug: Option<String>,
    /// The category it goes in; at the top when left out.
    parent_id: Option<ID>,
    /// Where it comes among its siblings (default 0: then by name).
    #[graphql(default)]
    position: i32,
}

#[derive(InputObject)]
pub struct UpdateCategoryInput {
    id: ID,
    name: Option<String>,
    slug: Option<String>,
    /// Moves it into another category; `null` moves it to the top. Left out, it stays.
    parent_id: MaybeUndefined<ID>,
    position: Option<i32>,
}

#[derive(Default)]
pub struct CategoryMutation;

#[Object(guard = "SignedIn")]
impl CategoryMutation {
    /// Adds a category; store staff only.
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CreateCategoryInput,
    ) -> Result<Category, ApiError> {
        let staff = store_staff(caller(ctx), "manage the catalog")?;
        let name = name("name", &input.name)?;
        let slug = slug(input.slug.as_deref(), &name)?;
        let parent = input
            .parent_id
            .as_ref()
            .map(|id| parse_id(id, "parentId"))
            .transpose()?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        lock_tree(&mut tx).await?;
        if let Some(parent) = parent {
            check_depth(&mut tx, parent).await?;
        }
        let category = sqlx::query_as!(
            Category,
            "insert into store.categories (id, parent_id, slug, name, position)
             values ($1, $2, $3, $4, $5)
             returning id, parent_id, slug, name, position",
            Uuid::now_v7(),
            parent,
            slug,
            name,
            input.position,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(refused_write)?;
        changes::record(
            &mut tx,
            staff.id,
            Action::CATEGORY_CREATED,
            category.id,
            None,
            Some(&category),
        )
        .await?;
        tx.commit().await?;
        Ok(category)
    }

    /// Renames, moves or reorders a category; store staff only.
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        input: UpdateCategoryInput,
    ) -> Result<Category, ApiError> {
        let staff = store_staff(caller(ctx), "manage the catalog")?;
        let id = parse_id(&input.id, "id")?;
        let name = input
            .name
            .as_deref()
            .map(|text| name("name", text))
            .transpose()?;
        let slug = input
            .slug
            .as_deref()
            .map(|given| slug(Some(given), ""))
            .transpose()?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        lock_tree(&mut tx).await?;
        let before = sqlx::query_as!(
            Category,
            "select id, parent_id, slug, name, position from store.categories where id = $1",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("category".into()))?;
        let parent = match &input.parent_id {
            MaybeUndefined::Undefined => before.parent_id,
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(parent) => {
                let parent = parse_id(parent, "parentId")?;
                refuse_cycle(&mut tx, id, parent).await?;
                check_depth(&mut tx, parent).await?;
                Some(parent)
            }
        };
        let after = sqlx::query_as!(
            Category,
            "update store.categories
             set name = coalesce($2, name), slug = coalesce($3, slug), parent_id = $4,
                 position = coalesce($5, position), updated_at = now()
             where id = $1
             returning id, parent_id, slug, name, position",
            id,
            name,
            slug,
            parent,
            input.position,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(refused_write)?;
        changes::record(
            &mut tx,
            staff.id,
            Action::CATEGORY_UPDATED,
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Changes to the tree's shape wait for each other, so two moves at once cannot make a loop.
async fn lock_tree(tx: &mut sqlx::PgConnection) -> Result<(), ApiError> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('store.categories'))")
        .execute(tx)
        .await?;
    Ok(())
}

/// Refuses to put a category inside itself or one of its own subcategories.
async fn refuse_cycle(
    tx: &mut sqlx::PgConnection,
    category: Uuid,
    parent: Uuid,
) -> Result<(), ApiError> {
    let inside_itself = sqlx::query_scalar!(
        r#"with recursive below (id) as (
               select $1::uuid
               union all
               select c.id from store.categories c join below on c.parent_id = below.id)
           select exists (select from below where id = $2) as "inside!""#,
        category,
        parent
    )
    .fetch_one(tx)
    .await?;
    if inside_itself {
        Err(ApiError::invalid(
            "parentId",
            "cannot be the category itself or one of its subcategories",
        ))
    } else {
        Ok(())
    }
}

/// Refuses a parent already at the deepest level, or one that does not exist.
async fn check_depth(tx: &mut sqlx::PgConnection, parent: Uuid) -> Result<(), ApiError> {
    let depth = sqlx::query_scalar!(
        r#"with recursive above (id, parent_id) as (
               select id, parent_id from store.categories where id = $1
               union all
               select c.id, c.parent_id from store.categories c join above on c.id = above.parent_id)
           select count(*) as "depth!" from above"#,
        parent
    )
    .fetch_one(tx)
    .await?;
    match usize::try_from(depth).unwrap_or(usize::MAX) {
        0 => Err(ApiError::NotFound("parent category".into())),
        depth if depth >= MAX_DEPTH => Err(ApiError::invalid(
            "parentId",
            format!("is already {depth} levels deep; categories nest at most {MAX_DEPTH} deep"),
        )),
        _ => Ok(()),
    }
}

/// A write the database refused for a taken slug says so; anything else is internal.
fn refused_write(err: sqlx::Error) -> ApiError {
    on_constraint(err, "categories_slug_key", || {
        ApiError::invalid("slug", "is already another category's")
    })
}
