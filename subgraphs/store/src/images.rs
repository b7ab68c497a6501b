//! Product images. Store staff ask for an upload (`createProductImageUpload`), send the file
//! straight to object storage with the presigned URL they get (never through GraphQL), then
//! confirm it (`confirmProductImage`): the store checks what arrived, its size as declared and
//! its first bytes those of the declared type, before any customer sees it. Customers fetch
//! images through short-lived presigned URLs.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_files::{Files, looks_like, name_of};
use makrx_service::graphql::{caller, group_by};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action};
use crate::loaders::Loaders;
use crate::policy::store_staff;

/// The largest image: 5 MB.
const MAX_BYTES: i64 = 5 * 1024 * 1024;
/// How long an upload URL works.
const UPLOAD_TTL: Duration = Duration::from_secs(15 * 60);
/// How long an image's URL works: a page shows it well within that.
const SHOW_TTL: Duration = Duration::from_secs(60 * 60);
/// The longest description of an image.
const MAX_ALT: usize = 200;

/// The image types the store shows.
const TYPES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];

/// The object storage the store keeps images in, when it has one.
pub struct ImageStore(pub Option<Files>);

impl ImageStore {
    fn files(&self) -> Result<&Files, ApiError> {
        self.0.as_ref().ok_or_else(|| {
            ApiError::Conflict(
                "this store keeps no images: its object storage is not set up (S3_ENDPOINT)".into(),
            )
        })
    }
}

/// A picture of a product.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct ProductImage {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub product_id: Uuid,
    #[graphql(skip)]
    pub object_key: String,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub content_type: String,
    pub size_bytes: i64,
    /// What it shows, for those who cannot see it.
    pub alt: String,
    /// Where it comes among the product's images: smaller first.
    pub position: i32,
    #[graphql(skip)]
    pub ready: bool,
}

#[ComplexObject]
impl ProductImage {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// Where to fetch it: a presigned URL that works for an hour.
    async fn url(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        let files = ctx.data_unchecked::<ImageStore>().files()?;
        files
            .download_url(&self.object_key, SHOW_TTL)
            .await
            .map_err(|error| ApiError::internal(format_args!("signing an image's URL: {error}")))
    }
}

/// Loads the ready images of products, in order.
pub struct ImagesByProduct(pub PgPool);

impl Loader<Uuid> for ImagesByProduct {
    type Value = Vec<ProductImage>;
    type Error = ApiError;

    async fn load(&self, products: &[Uuid]) -> Result<HashMap<Uuid, Vec<ProductImage>>, ApiError> {
        let rows = sqlx::query_as!(
            ProductImage,
            "select id, product_id, object_key, content_type, size_bytes, alt, position, ready
             from store.product_images where product_id = any($1) and ready
             order by position, created_at",
            products
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.product_id))
    }
}

/// The images of `product`, in order.
pub async fn of_product(ctx: &Context<'_>, product: Uuid) -> Result<Vec<ProductImage>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .images
        .load_one(product)
        .await?
        .unwrap_or_default())
}

#[derive(InputObject)]
pub struct CreateProductImageUploadInput {
    pub product_id: ID,
    /// `image/png`, `image/jpeg` or `image/webp`: the upload must be sent as this type.
    pub content_type: String,
    /// The file's size: 1 byte to 5 MB.
    pub size_bytes: i64,
    /// What it shows, up to 200 characters.
    #[graphql(default)]
    pub alt: String,
}

/// Where to send an image's file.
#[derive(SimpleObject)]
pub struct ProductImageUpload {
    /// The image to confirm once its file is sent.
    pub image_id: ID,
    /// Send the file here with `PUT`, its `Content-Type` header the type declared.
    pub upload_url: String,
    /// When the URL stops working.
    pub expires_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct ConfirmProductImageInput {
    pub image_id: ID,
}

#[derive(InputObject)]
pub struct RemoveProductImageInput {
    pub image_id: ID,
}

#[derive(Default)]
pub struct ImageMutation;

#[Object]
impl ImageMutation {
    /// Starts adding an image to a product; store staff only. Answers where to send the file;
    /// the image shows once `confirmProductImage` has checked it.
    async fn create_product_image_upload(
        &self,
        ctx: &Context<'_>,
        input: CreateProductImageUploadInput,
    ) -> Result<ProductImageUpload, ApiError> {
        store_staff(caller(ctx), "add product images")?;
        let files = ctx.data_unchecked::<ImageStore>().files()?;
        let product_id = parse_id(&input.product_id, "productId")?;
        if !TYPES.contains(&input.content_type.as_str()) {
            return Err(ApiError::invalid(
                "contentType",
                "must be image/png, image/jpeg or image/webp",
            ));
        }
        if !(1..=MAX_BYTES).contains(&input.size_bytes) {
            return Err(ApiError::invalid("sizeBytes", "must be 1 byte to 5 MB"));
        }
        let alt = input.alt.trim().to_owned();
        if alt.chars().count() > MAX_ALT {
            return Err(ApiError::invalid("alt", "must be at most 200 characters"));
        }
        let id = Uuid::now_v7();
        let object_key = format!("products/{product_id}/{id}");
        let made = sqlx::query!(
            "insert into store.product_images (id, product_id, object_key, content_type, size_bytes, alt)
             select $1, p.id, $3, $4, $5, $6 from store.products p where p.id = $2",
            id,
            product_id,
            object_key,
            input.content_type,
            input.size_bytes,
            alt
        )
        .execute(ctx.data_unchecked::<PgPool>())
        .await?;
        if made.rows_affected() == 0 {
            return Err(ApiError::NotFound("product".into()));
        }
        let upload_url = files
            .upload_url(&object_key, &input.content_type, UPLOAD_TTL)
            .await
            .map_err(|error| ApiError::internal(format_args!("signing an upload URL: {error}")))?;
        Ok(ProductImageUpload {
            image_id: ID(id.to_string()),
            upload_url,
            expires_at: ctx.data_unchecked::<Clock>().now() + UPLOAD_TTL,
        })
    }

    /// Checks an image's uploaded file and shows it on its product, after its others; store
    /// staff only. Refused with `CONFLICT`, saying why, when nothing was uploaded, or the file
    /// is not the size or the type declared (it is then deleted: ask for a new upload).
    async fn confirm_product_image(
        &self,
        ctx: &Context<'_>,
        input: ConfirmProductImageInput,
    ) -> Result<ProductImage, ApiError> {
        let staff = store_staff(caller(ctx), "add product images")?;
        let files = ctx.data_unchecked::<ImageStore>().files()?;
        let id = parse_id(&input.image_id, "imageId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let image = read(db, id).await?;
        if image.ready {
            return Ok(image);
        }
        let start = files
            .peek(&image.object_key, makrx_files::START_BYTES)
            .await
            .map_err(|error| ApiError::internal(format_args!("reading an upload: {error}")))?;
        let Some((size, start)) = start else {
            return Err(ApiError::Conflict(
                "nothing has been uploaded for this image yet".into(),
            ));
        };
        let problem = if i64::try_from(size) != Ok(image.size_bytes) {
            Some(format!(
                "the upload is {size} bytes, not the {} declared",
                image.size_bytes
            ))
        } else if !looks_like(&image.content_type, &start, size) {
            Some(format!(
                "the upload is not a {} image",
                name_of(&image.content_type)
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            files
                .delete(&image.object_key)
                .await
                .map_err(|error| ApiError::internal(format_args!("deleting an upload: {error}")))?;
            return Err(ApiError::Conflict(problem));
        }
        let mut tx = db.begin().await?;
        let shown = sqlx::query_as!(
            ProductImage,
            "update store.product_images set ready = true, position = (
                 select coalesce(max(position) + 1, 0) from store.product_images
                 where product_id = $2 and ready)
             where id = $1
             returning id, product_id, object_key, content_type, size_bytes, alt, position, ready",
            id,
            image.product_id
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            staff.id,
            Action::PRODUCT_IMAGE_ADDED,
            shown.product_id,
            None,
            Some(&shown),
        )
        .await?;
        tx.commit().await?;
        Ok(shown)
    }

    /// Takes an image off its product and deletes its file; store staff only.
    async fn remove_product_image(
        &self,
        ctx: &Context<'_>,
        input: RemoveProductImageInput,
    ) -> Result<ID, ApiError> {
        let staff = store_staff(caller(ctx), "remove product images")?;
        let files = ctx.data_unchecked::<ImageStore>().files()?;
        let id = parse_id(&input.image_id, "imageId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let removed = sqlx::query_as!(
            ProductImage,
            "delete from store.product_images where id = $1
             returning id, product_id, object_key, content_type, size_bytes, alt, position, ready",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("image".into()))?;
        changes::record(
            &mut tx,
            staff.id,
            Action::PRODUCT_IMAGE_REMOVED,
            removed.product_id,
            Some(&removed),
            None,
        )
        .await?;
        tx.commit().await?;
        // After the commit: a file left behind by a failure here is only unused.
        files
            .delete(&removed.object_key)
            .await
            .map_err(|error| ApiError::internal(format_args!("deleting an image: {error}")))?;
        Ok(ID(id.to_string()))
    }
}

/// The image `id`, ready or not.
async fn read(db: &PgPool, id: Uuid) -> Result<ProductImage, ApiError> {
    sqlx::query_as!(
        ProductImage,
        "select id, product_id, object_key, content_type, size_bytes, alt, position, ready
         from store.product_images where id = $1",
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::NotFound("image".into()))
}
