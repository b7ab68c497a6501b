//! Reviews: one per product and customer, its author the signed-in caller, rated 1 to 5. A
//! review is shown once store staff approve it (a changed one waits again); "verified purchase"
//! when its author has a delivered order of the product (`store.bought`); a product's rating is
//! the average and count of its approved reviews.

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::paging::{Cursor, connection, page_size};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::loaders::Loaders;
use crate::policy::store_staff;
use crate::products::Product;

/// The longest title and text of a review, in characters.
const MAX_TITLE: usize = 120;
const MAX_BODY: usize = 5000;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for store staff.
    Pending,
    /// Shown on the product.
    Approved,
    /// Not shown; its author still sees it.
    Rejected,
}

/// A customer's review of a product.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Review {
    pub id: Uuid,
    pub product_id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub rating: i32,
    pub title: String,
    pub body: String,
    pub status: ReviewStatus,
    pub verified_purchase: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[Object]
impl Review {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn product(&self, ctx: &Context<'_>) -> Result<Option<Product>, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .products
            .load_one(self.product_id)
            .await
    }

    /// The name its author goes by.
    async fn author_name(&self) -> &str {
        &self.author_name
    }

    /// 1 to 5.
    async fn rating(&self) -> i32 {
        self.rating
    }

    async fn title(&self) -> &str {
        &self.title
    }

    async fn body(&self) -> &str {
        &self.body
    }

    async fn status(&self) -> ReviewStatus {
        self.status
    }

    /// Whether its author has received the product in a delivered order.
    async fn verified_purchase(&self) -> bool {
        self.verified_purchase
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When it was last written.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// What customers make of a product.
#[derive(Clone, Copy, Debug, Default, SimpleObject)]
pub struct Rating {
    /// The average of the approved reviews' ratings; null while there is none.
    pub average: Option<f64>,
    /// How many reviews are approved.
    pub count: i64,
}

/// Loads the ratings of products from their approved reviews.
pub struct RatingByProduct(pub PgPool);

impl Loader<Uuid> for RatingByProduct {
    type Value = Rating;
    type Error = ApiError;

    async fn load(&self, products: &[Uuid]) -> Result<HashMap<Uuid, Rating>, ApiError> {
        let rows = sqlx::query!(
            r#"select product_id, avg(rating)::float8 as "average!", count(*) as "count!"
               from store.reviews where product_id = any($1) and status = 'approved'
               group by product_id"#,
            products
        )
        .fetch_all(&self.0)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let rating = Rating {
                    average: Some(row.average),
                    count: row.count,
                };
                (row.product_id, rating)
            })
            .collect())
    }
}

/// A page of reviews: a product's approved ones newest first, or the pending ones (any
/// product) oldest first.
pub async fn page(
    ctx: &Context<'_>,
    product: Option<Uuid>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<String, Review>, ApiError> {
    let first = page_size(first)?;
    let after = Cursor::parse_after(after.as_deref())?;
    let (at, id) = (after.map(|cursor| cursor.at), after.map(|cursor| cursor.id));
    let db = ctx.data_unchecked::<PgPool>();
    let page =
        match product {
            Some(product) => sqlx::query_as!(
                Review,
                r#"select r.id, r.product_id, r.author_id, u.display_name as author_name, r.rating,
                          r.title, r.body, r.status as "status: ReviewStatus",
                          store.bought(r.author_id, r.product_id) as "verified_purchase!",
                          r.created_at, r.updated_at
                   from store.reviews r join shared.users u on u.id = r.author_id
                   where r.product_id = $1 and r.status = 'approved'
                     and ($2::timestamptz is null or (r.created_at, r.id) < ($2, $3))
                   order by r.created_at desc, r.id desc limit $4"#,
                product,
                at,
                id,
                first as i64 + 1,
            )
            .fetch_all(db)
            .await?,
            None => sqlx::query_as!(
                Review,
                r#"select r.id, r.product_id, r.author_id, u.display_name as author_name, r.rating,
                          r.title, r.body, r.status as "status: ReviewStatus",
                          store.bought(r.author_id, r.product_id) as "verified_purchase!",
                          r.created_at, r.updated_at
                   from store.reviews r join shared.users u on u.id = r.author_id
                   where r.status = 'pending'
                     and ($1::timestamptz is null or (r.created_at, r.id) > ($1, $2))
                   order by r.created_at, r.id limit $3"#,
                at,
                id,
                first as i64 + 1,
            )
            .fetch_all(db)
            .await?,
        };
    Ok(connection(page, first, after, |review| Cursor {
        at: review.created_at,
        id: review.id,
    }))
}

/// The review `id` of `author`'s, or any when `author` is None.
async fn read(
    conn: &mut PgConnection,
    id: Uuid,
    author: Option<Uuid>,
) -> Result<Option<Review>, ApiError> {
    Ok(sqlx::query_as!(
        Review,
        r#"select r.id, r.product_id, r.author_id, u.display_name as author_name, r.rating,
                  r.title, r.body, r.status as "status: ReviewStatus",
                  store.bought(r.author_id, r.product_id) as "verified_purchase!",
                  r.created_at, r.updated_at
           from store.reviews r join shared.users u on u.id = r.author_id
           where r.id = $1 and ($2::uuid is null or r.author_id = $2)"#,
        id,
        author
    )
    .fetch_optional(conn)
    .await?)
}

#[derive(Default)]
pub struct ReviewQuery;

#[Object]
impl ReviewQuery {
    /// Reviews waiting for approval, oldest first; store staff only.
    async fn reviews_to_moderate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Review>, ApiError> {
        store_staff(caller(ctx), "moderate reviews")?;
        page(ctx, None, first, after).await
    }

    /// The signed-in customer's review of a product, whatever its status; null before they
    /// write one.
    async fn my_review(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
    ) -> Result<Option<Review>, ApiError> {
        let author = caller(ctx).user()?.id;
        let product = parse_id(&product_id, "productId")?;
        let mut conn = ctx.data_unchecked::<PgPool>().acquire().await?;
        let id = sqlx::query_scalar!(
            "select id from store.reviews where product_id = $1 and author_id = $2",
            product,
            author
        )
        .fetch_optional(&mut *conn)
        .await?;
        match id {
            Some(id) => read(&mut conn, id, Some(author)).await,
            None => Ok(None),
        }
    }
}

#[derive(InputObject)]
pub struct WriteReviewInput {
    pub product_id: ID,
    /// 1 to 5.
    pub rating: i32,
    /// Up to 120 characters.
    #[graphql(default)]
    pub title: String,
    /// 1 to 5000 characters.
    pub body: String,
}

#[derive(InputObject)]
pub struct ModerateReviewInput {
    pub review_id: ID,
    /// `APPROVED` shows it on the product; `REJECTED` keeps it off.
    pub status: ReviewStatus,
}

#[derive(Default)]
pub struct ReviewMutation;

#[Object(guard = "SignedIn")]
impl ReviewMutation {
    /// Writes the signed-in customer's review of a published product, or rewrites the one they
    /// wrote; either way it waits for store staff to approve it.
    async fn write_review(
        &self,
        ctx: &Context<'_>,
        input: WriteReviewInput,
    ) -> Result<Review, ApiError> {
        let author = caller(ctx).user()?.id;
        let product = parse_id(&input.product_id, "productId")?;
        if !(1..=5).contains(&input.rating) {
            return Err(ApiError::invalid("rating", "must be 1 to 5"));
        }
        let title = input.title.trim();
        if title.chars().count() > MAX_TITLE {
            return Err(ApiError::invalid(
                "title",
                format!("must be at most {MAX_TITLE} characters"),
            ));
        }
        let body = input.body.trim();
        if body.is_empty() || body.chars().count() > MAX_BODY {
            return Err(ApiError::invalid(
                "body",
                format!("must be 1 to {MAX_BODY} characters"),
            ));
        }
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let id = sqlx::query_scalar!(
            "insert into store.reviews
                 (id, product_id, author_id, rating, title, body, created_at, updated_at)
             select $1, p.id, $3, $4, $5, $6, $7, $7 from store.products p
             where p.id = $2 and p.published
             on conflict (product_id, author_id) do update
             set rating = excluded.rating, title = excluded.title, body = excluded.body,
                 status = 'pending', updated_at = excluded.updated_at
             returning id",
            Uuid::now_v7(),
            product,
            author,
            input.rating,
            title,
            body,
            now,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("product".into()))?;
        let review = read(&mut tx, id, Some(author))
            .await?
            .ok_or_else(|| ApiError::internal("a review was written but is not there"))?;
        changes::record(
            &mut tx,
            author,
            Action::REVIEW_WRITTEN,
            id,
            None,
            Some(&review),
        )
        .await?;
        tx.commit().await?;
        Ok(review)
    }

    /// Shows a review on its product, or keeps it off; store staff only.
    async fn moderate_review(
        &self,
        ctx: &Context<'_>,
        input: ModerateReviewInput,
    ) -> Result<Review, ApiError> {
        let staff = store_staff(caller(ctx), "moderate reviews")?;
        let id = parse_id(&input.review_id, "reviewId")?;
        if input.status == ReviewStatus::Pending {
            return Err(ApiError::invalid("status", "must be APPROVED or REJECTED"));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = read(&mut tx, id, None)
            .await?
            .ok_or_else(|| ApiError::NotFound("review".into()))?;
        sqlx::query!(
            "update store.reviews set status = $2 where id = $1",
            id,
            input.status as ReviewStatus,
        )
        .execute(&mut *tx)
        .await?;
        let after = Review {
            status: input.status,
            ..before.clone()
        };
        changes::record(
            &mut tx,
            staff.id,
            Action::REVIEW_MODERATED,
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
