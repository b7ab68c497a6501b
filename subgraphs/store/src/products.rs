//! Products and their variants: what the store sells. A product (PLA filament) has attributes
//! to filter by and one or more variants (1.75 mm, black), each its own SKU, price and stock.
//! Customers find products by search and filters a page at a time; store staff manage them.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::Loader;
use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};
use chrono::{DateTime, Utc};
use makrx_service::error::on_constraint;
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::paging::page_size;
use makrx_service::{ApiError, Clock, FieldError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::categories::{self, Category};
use crate::changes::{self, Action};
use crate::images::{self, ProductImage};
use crate::loaders::Loaders;
use crate::policy::store_staff;
use crate::reviews::{self, Rating, Review};
use crate::stock::StockLevel;

/// The most attributes a product, or options a variant, may carry.
const MAX_ATTRIBUTES: usize = 30;
/// The most variants a product may have.
const MAX_VARIANTS: usize = 100;

/// A name and its value: an attribute of a product (`material`: `PLA`) or an option that sets
/// a variant apart (`colour`: `black`). Names are kept in lower case, so that `Material` and
/// `material` are one filter.
#[derive(Clone, Debug, SimpleObject)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, InputObject)]
pub struct AttributeInput {
    /// Kept in lower case.
    pub name: String,
    pub value: String,
}

/// Attributes as the database keeps them (a JSON object), in name order.
fn attributes_of(json: &serde_json::Value) -> Vec<Attribute> {
    json.as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| Attribute {
            name: name.clone(),
            value: value.as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// Attributes given as input, checked, as the database keeps them: names and values trimmed
/// and not empty, each name once.
fn attributes_json(field: &str, given: &[AttributeInput]) -> Result<serde_json::Value, ApiError> {
    if given.len() > MAX_ATTRIBUTES {
        return Err(ApiError::invalid(
            field,
            format!("at most {MAX_ATTRIBUTES} may be given"),
        ));
    }
    let mut attributes = BTreeMap::new();
    for (at, attribute) in given.iter().enumerate() {
        let name = categories::name(&format!("{field}.{at}.name"), &attribute.name)?.to_lowercase();
        let value = categories::name(&format!("{field}.{at}.value"), &attribute.value)?;
        if attributes.insert(name, value).is_some() {
            return Err(ApiError::invalid(
                &format!("{field}.{at}.name"),
                "is given twice",
            ));
        }
    }
    Ok(serde_json::json!(attributes))
}

/// Something the store sells: filament, a board, a tool.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Product {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub tax_class: String,
    pub attributes: serde_json::Value,
    pub published: bool,
    pub created_at: DateTime<Utc>,
}

/// The lowest and highest price of a product's variants.
#[derive(SimpleObject)]
pub struct PriceRange {
    pub min_minor: i64,
    pub max_minor: i64,
    pub currency: String,
}

/// Something the store sells: filament, a board, a tool. Its variants carry the prices.
#[Object]
impl Product {
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

    /// What it is, as plain text.
    async fn description(&self) -> &str {
        &self.description
    }

    /// The category it is listed in, if any.
    async fn category(&self, ctx: &Context<'_>) -> Result<Option<Category>, ApiError> {
        match self.category_id {
            Some(category) => Category::load(ctx, category).await.map(Some),
            None => Ok(None),
        }
    }

    /// Which row of a region's tax table applies (`standard`, `reduced`, ...).
    async fn tax_class(&self) -> &str {
        &self.tax_class
    }

    /// What the product is, to filter by (`material`: `PLA`), in name order.
    async fn attributes(&self) -> Vec<Attribute> {
        attributes_of(&self.attributes)
    }

    /// Whether customers see it; unpublished products are seen by store staff only.
    async fn published(&self) -> bool {
        self.published
    }

    /// What customers make of it, from the approved reviews.
    async fn rating(&self, ctx: &Context<'_>) -> Result<Rating, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .ratings
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// Its approved reviews, newest first.
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Review>, ApiError> {
        reviews::page(ctx, Some(self.id), first, after).await
    }

    /// Its pictures, in order.
    async fn images(&self, ctx: &Context<'_>) -> Result<Vec<ProductImage>, ApiError> {
        images::of_product(ctx, self.id).await
    }

    /// Its variants, in order.
    async fn variants(&self, ctx: &Context<'_>) -> Result<Vec<ProductVariant>, ApiError> {
        self.load_variants(ctx).await
    }

    /// The lowest and highest price of its variants; none while it has no variant.
    async fn price_range(&self, ctx: &Context<'_>) -> Result<Option<PriceRange>, ApiError> {
        let variants = self.load_variants(ctx).await?;
        let prices = variants.iter().map(|variant| variant.price_minor);
        Ok(variants.first().map(|first| PriceRange {
            min_minor: prices.clone().min().unwrap_or_default(),
            max_minor: prices.max().unwrap_or_default(),
            currency: first.currency.clone(),
        }))
    }

    /// Whether any of its variants can be bought now.
    async fn in_stock(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        let variants = self.load_variants(ctx).await?;
        let available = ctx
            .data_unchecked::<Loaders>()
            .stock_available
            .load_many(variants.iter().map(|variant| variant.id))
            .await?;
        Ok(available.values().any(|units| *units > 0))
    }
}

impl Product {
    async fn load_variants(&self, ctx: &Context<'_>) -> Result<Vec<ProductVariant>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .variants_of_product
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// A published product by id, or any product for store staff.
    async fn visible(ctx: &Context<'_>, id: Uuid) -> Result<Option<Product>, ApiError> {
        let product = ctx
            .data_unchecked::<Loaders>()
            .products
            .load_one(id)
            .await?;
        Ok(product.filter(|product| product.published || caller(ctx).is_store_staff()))
    }
}

/// One way to buy a product: its own SKU, price and stock (PLA filament, 1.75 mm, black).
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct ProductVariant {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub product_id: Uuid,
    /// The stock-keeping unit, unique in the catalog.
    pub sku: String,
    pub name: String,
    #[graphql(skip)]
    pub options: serde_json::Value,
    /// The price in the currency's minor unit (cents, paise).
    pub price_minor: i64,
    /// ISO 4217 code, e.g. `INR`.
    pub currency: String,
    /// Where it comes among the product's variants.
    pub position: i32,
}

#[ComplexObject]
impl ProductVariant {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// What sets it apart from the product's other variants (`colour`: `black`), in name order.
    async fn options(&self) -> Vec<Attribute> {
        attributes_of(&self.options)
    }

    /// How many can be had now: on hand over every location, less what orders have allocated
    /// and what carts hold.
    async fn stock_available(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .stock_available
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// Its stock at each location that holds any; store staff only.
    async fn stock(&self, ctx: &Context<'_>) -> Result<Vec<StockLevel>, ApiError> {
        store_staff(caller(ctx), "see stock by location")?;
        Ok(ctx
            .data_unchecked::<Loaders>()
            .stock_levels
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    async fn product(&self, ctx: &Context<'_>) -> Result<Product, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .products
            .load_one(self.product_id)
            .await?
            .ok_or_else(|| ApiError::internal(format_args!("variant {} has no product", self.id)))
    }
}

/// Loads products by id.
pub struct ProductById(pub PgPool);

impl Loader<Uuid> for ProductById {
    type Value = Product;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Product>, ApiError> {
        let rows = sqlx::query_as!(
            Product,
            "select id, slug, name, description, category_id, tax_class, attributes, published,
                    created_at
             from store.products where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// Loads the variants of products, in order.
pub struct VariantsByProduct(pub PgPool);

impl Loader<Uuid> for VariantsByProduct {
    type Value = Vec<ProductVariant>;
    type Error = ApiError;

    async fn load(
        &self,
        products: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<ProductVariant>>, ApiError> {
        let rows = sqlx::query_as!(
            ProductVariant,
            "select id, product_id, sku, name, options, price_minor, currency, position
             from store.product_variants where product_id = any($1) order by position, sku",
            products
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.product_id))
    }
}

/// Loads variants by id.
pub struct VariantById(pub PgPool);

impl Loader<Uuid> for VariantById {
    type Value = ProductVariant;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, ProductVariant>, ApiError> {
        let rows = sqlx::query_as!(
            ProductVariant,
            "select id, product_id, sku, name, options, price_minor, currency, position
             from store.product_variants where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// How a product list is ordered.
#[derive(Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProductSort {
    /// Best match of the search first; newest first without a search.
    #[default]
    Relevance,
    Newest,
    /// By each product's lowest price.
    PriceLowToHigh,
    PriceHighToLow,
    Name,
}

impl ProductSort {
    /// As `store.find_products`' callers below order by it.
    fn key(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::PriceLowToHigh => "price_low",
            Self::PriceHighToLow => "price_high",
            Self::Name => "name",
        }
    }
}

/// Values a product's attribute, or one of its variants' options, may have: a product matches
/// when it has any of them.
#[derive(InputObject)]
pub struct AttributeFilter {
    pub name: String,
    pub values: Vec<String>,
}

/// What to look for; every part is optional and the parts given must all match.
#[derive(InputObject, Default)]
pub struct ProductFilter {
    /// Words to find in names and descriptions (web search syntax: `"exact phrase"`, `-not`).
    pub search: Option<String>,
    /// Products in this category or any below it.
    pub category_id: Option<ID>,
    /// Products whose attributes or variants' options match every filter given.
    #[graphql(default)]
    pub attributes: Vec<AttributeFilter>,
    /// Products with a variant at this price or more (minor units).
    pub min_price_minor: Option<i64>,
    /// Products with a variant at this price or less (minor units).
    pub max_price_minor: Option<i64>,
    /// Only products that can be bought now.
    #[graphql(default)]
    pub in_stock: bool,
    /// Unpublished products too; store staff only.
    #[graphql(default)]
    pub include_unpublished: bool,
}

/// A catalog search as `store.find_products` takes it.
#[derive(Clone, Debug)]
struct Search {
    words: Option<String>,
    category: Option<Uuid>,
    attribute_names: Vec<String>,
    attribute_values: Vec<String>,
    min_price: Option<i64>,
    max_price: Option<i64>,
    in_stock: bool,
    unpublished: bool,
    /// When stock is counted for `in_stock`.
    at: DateTime<Utc>,
}

impl Search {
    fn new(ctx: &Context<'_>, filter: ProductFilter) -> Result<Self, ApiError> {
        if filter.include_unpublished {
            store_staff(caller(ctx), "see unpublished products")?;
        }
        let (attribute_names, attribute_values) = filter
            .attributes
            .into_iter()
            .flat_map(|wanted| {
                let name = wanted.name.trim().to_owned();
                wanted
                    .values
                    .into_iter()
                    .map(move |value| (name.clone(), value.trim().to_owned()))
            })
            .unzip();
        if let (Some(min), Some(max)) = (filter.min_price_minor, filter.max_price_minor)
            && min > max
        {
            return Err(ApiError::invalid(
                "filter.maxPriceMinor",
                "must not be below minPriceMinor",
            ));
        }
        Ok(Self {
            words: filter
                .search
                .map(|words| words.trim().to_owned())
                .filter(|words| !words.is_empty()),
            category: filter
                .category_id
                .map(|id| parse_id(&id, "filter.categoryId"))
                .transpose()?,
            attribute_names,
            attribute_values,
            min_price: filter.min_price_minor,
            max_price: filter.max_price_minor,
            in_stock: filter.in_stock,
            unpublished: filter.include_unpublished,
            at: ctx.data_unchecked::<Clock>().now(),
        })
    }
}

/// What a search finds beyond the page of products: how many in all, and what else to filter
/// them by.
pub struct SearchTotal(Search);

/// An attribute (or variant option) and the values it takes among products found.
#[derive(SimpleObject)]
pub struct AttributeValues {
    pub name: String,
    /// In order.
    pub values: Vec<String>,
}

#[Object]
impl SearchTotal {
    /// The attributes of the products found and their variants' options, by name, with every
    /// value each takes: what to filter by (`filter.attributes`). Counted leaving out the
    /// search's own attribute filters, so choosing one value keeps the others offered.
    async fn attribute_values(&self, ctx: &Context<'_>) -> Result<Vec<AttributeValues>, ApiError> {
        let search = &self.0;
        let rows = sqlx::query!(
            r#"select a.name as "name!", array_agg(distinct a.value order by a.value) as "values!"
               from store.find_products($1, $2, '{}', '{}', $3, $4, $5, $6, $7) p
               cross join lateral (
                   select key as name, value from jsonb_each_text(p.attributes)
                   union
                   select o.key, o.value from store.product_variants v
                   cross join lateral jsonb_each_text(v.options) o
                   where v.product_id = p.id) a
               group by a.name order by a.name"#,
            search.words,
            search.category,
            search.min_price,
            search.max_price,
            search.in_stock,
            search.unpublished,
            search.at,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| AttributeValues {
                name: row.name,
                values: row.values,
            })
            .collect())
    }

    /// The number of products the search finds.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let search = &self.0;
        Ok(sqlx::query_scalar!(
            r#"select count(*) as "count!"
               from store.find_products($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
            search.words,
            search.category,
            &search.attribute_names,
            &search.attribute_values,
            search.min_price,
            search.max_price,
            search.in_stock,
            search.unpublished,
            search.at,
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?)
    }
}

/// Where a page starts: cursors are positions in the list (`0` is the first product).
fn start_after(after: Option<&str>) -> Result<i64, ApiError> {
    after.map_or(Ok(0), |after| {
        after
            .parse::<i64>()
            .ok()
            .filter(|position| *position >= 0)
            .map(|position| position + 1)
            .ok_or_else(|| ApiError::invalid("after", "is not a cursor of this list"))
    })
}

#[derive(Default)]
pub struct ProductQuery;

#[Object]
impl ProductQuery {
    /// Products that match a search and filters, a page at a time. Cursors are positions in
    /// the list: a product added meanwhile may shift a later page by one.
    async fn products(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProductFilter>,
        #[graphql(desc = "`RELEVANCE` when left out.")] sort: Option<ProductSort>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Product, SearchTotal>, ApiError> {
        let first = page_size(first)?;
        let start = start_after(after.as_deref())?;
        let search = Search::new(ctx, filter.unwrap_or_default())?;
        let sort = sort.unwrap_or_default();
        let mut page = sqlx::query_as!(
            Product,
            r#"select p.id as "id!", p.slug as "slug!", p.name as "name!",
                      p.description as "description!", p.category_id, p.tax_class as "tax_class!",
                      p.attributes as "attributes!", p.published as "published!",
                      p.created_at as "created_at!"
               from store.find_products($1, $2, $3, $4, $5, $6, $7, $8, $12) p
               left join lateral (
                   select min(v.price_minor) as lowest
                   from store.product_variants v where v.product_id = p.id) price on true
               order by
                   case when $9 = 'relevance' and $1 is not null
                        then ts_rank(p.search, websearch_to_tsquery('english', $1)) end desc,
                   case when $9 = 'price_low' then price.lowest end asc,
                   case when $9 = 'price_high' then price.lowest end desc,
                   case when $9 = 'name' then p.name end asc,
                   p.created_at desc, p.id desc
               offset $10 limit $11"#,
            search.words,
            search.category,
            &search.attribute_names,
            &search.attribute_values,
            search.min_price,
            search.max_price,
            search.in_stock,
            search.unpublished,
            sort.key(),
            start,
            (first + 1) as i64,
            search.at,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let has_next = page.len() > first;
        page.truncate(first);
        let mut connection =
            Connection::with_additional_fields(start > 0, has_next, SearchTotal(search));
        connection.edges.extend(
            (start..)
                .zip(page)
                .map(|(position, product)| Edge::new(position.to_string(), product)),
        );
        Ok(connection)
    }

    /// A product by its id or its slug (give one). Unpublished ones are found by store staff
    /// only.
    async fn product(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
    ) -> Result<Product, ApiError> {
        let id = match (id, slug) {
            (Some(id), None) => parse_id(&id, "id")?,
            (None, Some(slug)) => {
                sqlx::query_scalar!("select id from store.products where slug = $1", slug.trim())
                    .fetch_optional(ctx.data_unchecked::<PgPool>())
                    .await?
                    .ok_or_else(|| ApiError::NotFound(format!("product {slug:?}")))?
            }
            _ => return Err(ApiError::invalid("id", "give either an id or a slug")),
        };
        Product::visible(ctx, id)
            .await?
            .ok_or_else(|| ApiError::NotFound("product".into()))
    }

    /// A variant by its SKU, if its product is visible to the caller.
    async fn product_variant(
        &self,
        ctx: &Context<'_>,
        sku: String,
    ) -> Result<ProductVariant, ApiError> {
        let variant = sqlx::query_as!(
            ProductVariant,
            "select id, product_id, sku, name, options, price_minor, currency, position
             from store.product_variants where sku = $1",
            sku.trim().to_ascii_uppercase()
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?;
        match variant {
            Some(variant) if Product::visible(ctx, variant.product_id).await?.is_some() => {
                Ok(variant)
            }
            _ => Err(ApiError::NotFound(format!("variant {sku:?}"))),
        }
    }

    #[graphql(entity)]
    async fn find_product_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<Product>, ApiError> {
        let Ok(id) = id.parse() else { return Ok(None) };
        ctx.data_unchecked::<Loaders>().products.load_one(id).await
    }

    #[graphql(entity)]
    async fn find_product_variant_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<ProductVariant>, ApiError> {
        let Ok(id) = id.parse() else { return Ok(None) };
        ctx.data_unchecked::<Loaders>().variants.load_one(id).await
    }
}

#[derive(InputObject)]
pub struct VariantInput {
    /// Unique in the catalog: capital letters, digits, `.`, `_` and `-` (lower case is raised).
    pub sku: String,
    pub name: String,
    /// What sets it apart from the product's other variants.
    #[graphql(default)]
    pub options: Vec<AttributeInput>,
    /// The price in the currency's minor unit (cents, paise), 0 or more.
    pub price_minor: i64,
    /// ISO 4217 code, e.g. `INR`; every variant of a product has the same.
    pub currency: String,
    #[graphql(default)]
    pub position: i32,
}

/// A variant given as input, checked, ready to insert.
#[derive(Clone, Debug)]
struct NewVariant {
    sku: String,
    name: String,
    options: serde_json::Value,
    price_minor: i64,
    currency: String,
    position: i32,
}

impl NewVariant {
    /// Checks `input`; `field` names it in errors (`variants.2`).
    fn parse(field: &str, input: &VariantInput) -> Result<Self, ApiError> {
        let sku = input.sku.trim().to_ascii_uppercase();
        let sku_ok = sku.len() <= 64
            && sku.starts_with(|c: char| c.is_ascii_alphanumeric())
            && sku
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !sku_ok {
            return Err(ApiError::invalid(
                &format!("{field}.sku"),
                "must be up to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit",
            ));
        }
        if input.price_minor < 0 {
            return Err(ApiError::invalid(
                &format!("{field}.priceMinor"),
                "must not be negative",
            ));
        }
        Ok(Self {
            sku,
            name: categories::name(&format!("{field}.name"), &input.name)?,
            options: attributes_json(&format!("{field}.options"), &input.options)?,
            price_minor: input.price_minor,
            currency: currency(&format!("{field}.currency"), &input.currency)?,
            position: input.position,
        })
    }
}

/// An ISO 4217 currency code, upper case.
pub fn currency(field: &str, code: &str) -> Result<String, ApiError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(ApiError::invalid(
            field,
            "must be a three-letter ISO 4217 code, like `INR`",
        ))
    }
}

/// A tax class as the tax table names it: lower-case letters, digits and `_`.
pub fn tax_class(code: &str) -> Result<String, ApiError> {
    let code = code.trim().to_owned();
    let ok = code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(code)
    } else {
        Err(ApiError::invalid(
            "taxClass",
            "must be lower-case letters, digits and `_`, like `standard`",
        ))
    }
}

/// Refuses SKUs already in the catalog or given twice, each named by `field_of` its place in
/// the input.
async fn refuse_taken_skus(
    tx: &mut sqlx::PgConnection,
    variants: &[NewVariant],
    field_of: impl Fn(usize) -> String,
) -> Result<(), ApiError> {
    let skus: Vec<String> = variants.iter().map(|variant| variant.sku.clone()).collect();
    let taken: HashSet<String> = sqlx::query_scalar!(
        "select sku from store.product_variants where sku = any($1)",
        &skus
    )
    .fetch_all(tx)
    .await?
    .into_iter()
    .collect();
    let mut seen = HashSet::new();
    let details: Vec<FieldError> = skus
        .iter()
        .enumerate()
        .filter_map(|(at, sku)| {
            let message = if taken.contains(sku) {
                format!("{sku} is already in the catalog")
            } else if !seen.insert(sku) {
                format!("{sku} is given twice")
            } else {
                return None;
            };
            Some(FieldError {
                field: field_of(at),
                message,
            })
        })
        .collect();
    if details.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(details))
    }
}

/// Inserts a product's variants.
async fn insert_variants(
    tx: &mut sqlx::PgConnection,
    product: Uuid,
    variants: &[NewVariant],
) -> Result<Vec<ProductVariant>, ApiError> {
    let ids: Vec<Uuid> = variants.iter().map(|_| Uuid::now_v7()).collect();
    let column = |pick: fn(&NewVariant) -> String| variants.iter().map(pick).collect::<Vec<_>>();
    let options: Vec<serde_json::Value> = variants.iter().map(|v| v.options.clone()).collect();
    let prices: Vec<i64> = variants.iter().map(|v| v.price_minor).collect();
    let positions: Vec<i32> = variants.iter().map(|v| v.position).collect();
    sqlx::query_as!(
        ProductVariant,
        r#"insert into store.product_variants
               (id, product_id, sku, name, options, price_minor, currency, position)
           select v.id, $2, v.sku, v.name, v.options, v.price_minor, v.currency, v.position
           from unnest($1::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::bigint[], $7::text[],
                       $8::int[]) as v(id, sku, name, options, price_minor, currency, position)
           returning id, product_id, sku, name, options, price_minor, currency, position"#,
        &ids,
        product,
        &column(|v| v.sku.clone()),
        &column(|v| v.name.clone()),
        &options,
        &prices,
        &column(|v| v.currency.clone()),
        &positions,
    )
    .fetch_all(tx)
    .await
    .map_err(|err| {
        on_constraint(err, "product_variants_sku_key", || {
            ApiError::invalid("sku", "is already in the catalog")
        })
    })
}

#[derive(InputObject)]
pub struct CreateProductInput {
    pub name: String,
    /// Its name in addresses; made from the name when left out.
    pub slug: Option<String>,
    #[graphql(default)]
    pub description: String,
    pub category_id: Option<ID>,
    /// Which row of a region's tax table applies; `standard` when left out.
    pub tax_class: Option<String>,
    #[graphql(default)]
    pub attributes: Vec<AttributeInput>,
    /// Whether customers see it at once (default) or only once published.
    #[graphql(default = true)]
    pub published: bool,
    /// One or more, all in one currency.
    pub variants: Vec<VariantInput>,
}

#[derive(InputObject)]
pub struct UpdateProductInput {
    pub id: ID,
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    /// Lists it in another category; `null` in none. Left out, it stays.
    pub category_id: MaybeUndefined<ID>,
    pub tax_class: Option<String>,
    /// Replaces all its attributes.
    pub attributes: Option<Vec<AttributeInput>>,
    pub published: Option<bool>,
}

#[derive(InputObject)]
pub struct AddProductVariantInput {
    pub product_id: ID,
    pub variant: VariantInput,
}

#[derive(InputObject)]
pub struct UpdateProductVariantInput {
    pub id: ID,
    pub name: Option<String>,
    /// Replaces all its options.
    pub options: Option<Vec<AttributeInput>>,
    pub price_minor: Option<i64>,
    pub position: Option<i32>,
}

#[derive(Default)]
pub struct ProductMutation;

#[Object(guard = "SignedIn")]
impl ProductMutation {
    /// Adds a product with its variants; store staff only.
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        input: CreateProductInput,
    ) -> Result<Product, ApiError> {
        let staff = store_staff(caller(ctx), "manage the catalog")?;
        let name = categories::name("name", &input.name)?;
        let slug = categories::slug(input.slug.as_deref(), &name)?;
        let category = input
            .category_id
            .as_ref()
            .map(|id| parse_id(id, "categoryId"))
            .transpose()?;
        let tax_class = tax_class(input.tax_class.as_deref().unwrap_or("standard"))?;
        let attributes = attributes_json("attributes", &input.attributes)?;
        if input.variants.is_empty() || input.variants.len() > MAX_VARIANTS {
            return Err(ApiError::invalid(
                "variants",
                format!("give 1 to {MAX_VARIANTS} variants"),
            ));
        }
        let variants = input
            .variants
            .iter()
            .enumerate()
            .map(|(at, variant)| NewVariant::parse(&format!("variants.{at}"), variant))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(at) = variants
            .iter()
            .position(|v| v.currency != variants[0].currency)
        {
            return Err(ApiError::invalid(
                &format!("variants.{at}.currency"),
                format!(
                    "must be {}, as the product's other variants",
                    variants[0].currency
                ),
            ));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        refuse_taken_skus(&mut tx, &variants, |at| format!("variants.{at}.sku")).await?;
        let product = sqlx::query_as!(
            Product,
            "insert into store.products
                 (id, slug, name, description, category_id, tax_class, attributes, published)
             values ($1, $2, $3, $4, $5, $6, $7, $8)
             returning id, slug, name, description, category_id, tax_class, attributes, published,
                       created_at",
            Uuid::now_v7(),
            slug,
            name,
            input.description.trim(),
            category,
            tax_class,
            attributes,
            input.published,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(refused_product)?;
        let variants = insert_variants(&mut tx, product.id, &variants).await?;
        changes::record(
            &mut tx,
            staff.id,
            Action::PRODUCT_CREATED,
            product.id,
            None,
            Some(&(&product, &variants)),
        )
        .await?;
        tx.commit().await?;
        Ok(product)
    }

    /// Changes a product's details; store staff only.
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        input: UpdateProductInput,
    ) -> Result<Product, ApiError> {
        let staff = store_staff(caller(ctx), "manage the catalog")?;
        let id = parse_id(&input.id, "id")?;
        let name = input
            .name
            .as_deref()
            .map(|text| categories::name("name", text))
            .transpose()?;
        let slug = input
            .slug
            .as_deref()
            .map(|given| categories::slug(Some(given), ""))
            .transpose()?;
        let tax_class = input.tax_class.as_deref().map(tax_class).transpose()?;
        let attributes = input
            .attributes
            .as_deref()
            .map(|given| attributes_json("attributes", given))
            .transpose()?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            Product,
            "select id, slug, name, description, category_id, tax_class, attributes, published,
                    created_at
             from store.products where id = $1 for update",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("product".into()))?;
        let category = match &input.category_id {
            MaybeUndefined::Undefined => before.category_id,
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(category) => Some(parse_id(category, "categoryId")?),
        };
        let after = sqlx::query_as!(
            Product,
            "update store.products
             set name = coalesce($2, name), slug = coalesce($3, slug),
                 description = coalesce($4, description), category_id = $5,
                 tax_class = coalesce($6, tax_class), attributes = coalesce($7, attributes),
                 published = coalesce($8, published), updated_at = now()
             where id = $1
             returning id, slug, name, description, category_id, tax_class, attributes, published,
                       created_at",
            id,
            name,
            slug,
            input.description.as_deref().map(str::trim),
            category,
            tax_class,
            attributes,
            input.published,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(refused_product)?;
        changes::record(
            &mut tx,
            staff.id,
            Action::PRODUCT_UPDATED,
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds a variant to a product, in the currency of its others; store staff only.
    async fn add_product_variant(
        &self,
        ctx: &Context<'_>,
        input: AddProductVariantInput,
    ) -> Result<ProductVariant, ApiError> {
        let staff = store_staff(caller(ctx), "manage the catalog")?;
        let product = parse_id(&input.product_id, "productId")?;
        let variant = NewVariant::parse("variant", &input.variant)?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        // The product's row is locked so that two variants added at once agree on the currency.
        sqlx::query!(
            "select id from store.products where id = $1 for update",
            product
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("product".into()))?;
        let others = sqlx::query_scalar!(
            "select currency from store.product_variants where product_id = $1 limit 1",
            product
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(currency) = others.filter(|currency| *currency != variant.currency) {
            return Err(ApiError::invalid(
                "variant.currency",
                format!("must be {currency}, as the product's other variants"),
            ));
        }
        refuse_taken_skus(&mut tx, std::slice::from_ref(&variant), |_| {
            "variant.sku".into()
        })
        .await?;
        let added = insert_variants(&mut tx, product, &[variant])
            .await?
            .pop()
            .ok_or_else(|| ApiError::internal("a variant was inserted but not returned"))?;
        changes::record(
            &mut tx,
            staff.id,
            Action::VARIANT_ADDED,
            added.id,
            None,
            Some(&added),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Renames, reprices or reorders a variant; store staff only. A price change applies to
    /// carts from now on; orders keep the price they were placed at.
    async fn update_product_variant(
        &self,
        ctx: &Context<'_>,
        input: UpdateProductVariantInput,
    ) -> Result<ProductVariant, ApiError> {
        let staff = store_staff(caller(ctx), "manage the catalog")?;
        let id = parse_id(&input.id, "id")?;
        let name = input
            .name
            .as_deref()
            .map(|text| categories::name("name", text))
            .transpose()?;
        let options = input
            .options
            .as_deref()
            .map(|given| attributes_json("options", given))
            .transpose()?;
        if input.price_minor.is_some_and(|price| price < 0) {
            return Err(ApiError::invalid("priceMinor", "must not be negative"));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            ProductVariant,
            "select id, product_id, sku, name, options, price_minor, currency, position
             from store.product_variants where id = $1 for update",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("variant".into()))?;
        let after = sqlx::query_as!(
            ProductVariant,
            "update store.product_variants
             set name = coalesce($2, name), options = coalesce($3, options),
                 price_minor = coalesce($4, price_minor), position = coalesce($5, position),
                 updated_at = now()
             where id = $1
             returning id, product_id, sku, name, options, price_minor, currency, position",
            id,
            name,
            options,
            input.price_minor,
            input.position,
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            staff.id,
            Action::VARIANT_UPDATED,
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// A product write the database refused: a taken slug or a category that is not there.
fn refused_product(err: sqlx::Error) -> ApiError {
    match makrx_service::error::violated_constraint(&err) {
        Some("products_slug_key") => ApiError::invalid("slug", "is already another product's"),
        Some("products_category_fkey") => ApiError::NotFound("category".into()),
        _ => err.into(),
    }
}
