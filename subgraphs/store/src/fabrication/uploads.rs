//! Parts customers upload: `createUpload` makes the row and answers a presigned URL to `PUT`
//! the file to (the signature covers its type); the file is checked when it is quoted. An
//! upload is its uploader's: they alone quote or delete it; the staff of a makerspace making
//! it may read it and fetch its file.

use std::time::Duration;

use async_graphql::connection::Connection;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::error::on_constraint;
use makrx_service::graphql::caller;
use makrx_service::paging::{Cursor, connection, page_size};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::quotes::{self, FabricationQuote};
use super::{Fabrication, MAX_UPLOAD_BYTES};
use crate::changes::{self, Action};

/// The one type of part the store quotes.
pub const STL: &str = "model/stl";
/// The longest file name.
const MAX_NAME: usize = 200;
/// How long an upload URL works.
const UPLOAD_TTL: Duration = Duration::from_secs(15 * 60);
/// How long a part's download URL works.
const FETCH_TTL: Duration = Duration::from_secs(5 * 60);

/// A part a customer uploaded.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct PartUpload {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub owner_id: Uuid,
    /// As the customer's file was called: `bracket.stl`.
    pub file_name: String,
    pub content_type: String,
    /// As declared; a file of another size is refused when it is quoted.
    pub size_bytes: i64,
    #[graphql(skip)]
    pub object_key: String,
    pub created_at: DateTime<Utc>,
}

#[ComplexObject]
impl PartUpload {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// Its quotes, newest first: its uploader's alone (none for the staff making it).
    async fn quotes(&self, ctx: &Context<'_>) -> Result<Vec<FabricationQuote>, ApiError> {
        if caller(ctx).user_id() != Some(self.owner_id) {
            return Ok(Vec::new());
        }
        quotes::of_upload(ctx, self.id).await
    }

    /// Where to fetch the file: a presigned URL that works for five minutes.
    async fn download_url(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        let files = ctx.data_unchecked::<Fabrication>().files()?;
        files
            .download_url(&self.object_key, FETCH_TTL)
            .await
            .map_err(|error| ApiError::internal(format_args!("signing a part's URL: {error}")))
    }
}

/// The upload `id` when `viewer` may see it (`store.may_see_upload`: its uploader, and the
/// staff of a space making it); `NOT_FOUND` otherwise, as for one that does not exist.
pub async fn visible(
    db: impl PgExecutor<'_>,
    id: Uuid,
    viewer: Uuid,
) -> Result<PartUpload, ApiError> {
    sqlx::query_as!(
        PartUpload,
        "select id, owner_id, file_name, content_type, size_bytes, object_key, created_at
         from store.part_uploads where id = $1 and store.may_see_upload(id, $2)",
        id,
        viewer
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::NotFound("upload".into()))
}

/// The upload `id` when `viewer` uploaded it: only they quote or delete it. Someone else who
/// may see it (the staff making it) is `FORBIDDEN`; anyone else `NOT_FOUND`.
pub async fn owned(
    db: impl PgExecutor<'_>,
    id: Uuid,
    viewer: Uuid,
) -> Result<PartUpload, ApiError> {
    let upload = visible(db, id, viewer).await?;
    if upload.owner_id != viewer {
        return Err(ApiError::Forbidden(
            "only the customer who uploaded a part quotes or deletes it".into(),
        ));
    }
    Ok(upload)
}

#[derive(Default)]
pub struct UploadQuery;

#[Object]
impl UploadQuery {
    /// The signed-in customer's uploads, newest first.
    async fn my_uploads(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, PartUpload>, ApiError> {
        let owner = caller(ctx).user()?.id;
        let first = page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let page = sqlx::query_as!(
            PartUpload,
            "select id, owner_id, file_name, content_type, size_bytes, object_key, created_at
             from store.part_uploads
             where owner_id = $1
               and ($2::timestamptz is null or (created_at, id) < ($2, $3))
             order by created_at desc, id desc limit $4",
            owner,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(connection(page, first, after, |upload| Cursor {
            at: upload.created_at,
            id: upload.id,
        }))
    }

    /// One of the signed-in customer's uploads, or one their makerspace is making.
    async fn upload(&self, ctx: &Context<'_>, id: ID) -> Result<PartUpload, ApiError> {
        let viewer = caller(ctx).user()?.id;
        visible(ctx.data_unchecked::<PgPool>(), parse_id(&id, "id")?, viewer).await
    }

    /// An upload by its key, for the router: as `upload`.
    #[graphql(entity)]
    async fn find_part_upload_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<PartUpload, ApiError> {
        let viewer = caller(ctx).user()?.id;
        visible(ctx.data_unchecked::<PgPool>(), parse_id(&id, "id")?, viewer).await
    }
}

#[derive(InputObject)]
pub struct CreateUploadInput {
    /// The file's name, up to 200 characters: `bracket.stl`.
    pub file_name: String,
    /// The file's size: 1 byte to 100 MB.
    pub size_bytes: i64,
    /// `model/stl`: the file must be sent with this `Content-Type`.
    pub content_type: String,
}

/// Where to send an uploaded part's file.
#[derive(SimpleObject)]
pub struct CreatedUpload {
    /// The upload's id, for `quoteUpload` once the file is sent.
    pub id: ID,
    /// Send the file here with `PUT`, its `Content-Type` header the type declared.
    pub upload_url: String,
    /// When the URL stops working.
    pub expires_at: DateTime<Utc>,
    pub upload: PartUpload,
}

#[derive(InputObject)]
pub struct DeleteUploadInput {
    pub upload_id: ID,
}

#[derive(Default)]
pub struct UploadMutation;

#[Object]
impl UploadMutation {
    /// Starts uploading a part (an STL file of up to 100 MB) for the signed-in customer:
    /// answers where to `PUT` the file. Only its uploader may then see, quote or delete it.
    async fn create_upload(
        &self,
        ctx: &Context<'_>,
        input: CreateUploadInput,
    ) -> Result<CreatedUpload, ApiError> {
        let owner = caller(ctx).user()?.id;
        let files = ctx.data_unchecked::<Fabrication>().files()?;
        let file_name = input.file_name.trim();
        if file_name.is_empty() || file_name.chars().count() > MAX_NAME {
            return Err(ApiError::invalid("fileName", "must be 1 to 200 characters"));
        }
        if input.content_type != STL {
            return Err(ApiError::invalid(
                "contentType",
                "must be model/stl: the store quotes STL files",
            ));
        }
        if !(1..=MAX_UPLOAD_BYTES).contains(&input.size_bytes) {
            return Err(ApiError::invalid("sizeBytes", "must be 1 byte to 100 MB"));
        }
        let id = Uuid::now_v7();
        let object_key = format!("parts/{owner}/{id}");
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let upload = sqlx::query_as!(
            PartUpload,
            "insert into store.part_uploads
                 (id, owner_id, file_name, content_type, size_bytes, object_key)
             values ($1, $2, $3, $4, $5, $6)
             returning id, owner_id, file_name, content_type, size_bytes, object_key, created_at",
            id,
            owner,
            file_name,
            input.content_type,
            input.size_bytes,
            object_key
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            owner,
            Action::PART_UPLOADED,
            id,
            None,
            Some(&upload),
        )
        .await?;
        tx.commit().await?;
        let upload_url = files
            .upload_url(&object_key, STL, UPLOAD_TTL)
            .await
            .map_err(|error| ApiError::internal(format_args!("signing an upload URL: {error}")))?;
        Ok(CreatedUpload {
            id: ID(id.to_string()),
            upload_url,
            expires_at: ctx.data_unchecked::<Clock>().now() + UPLOAD_TTL,
            upload,
        })
    }

    /// Deletes one of the signed-in customer's uploads, its file and its quotes; refused with
    /// `CONFLICT` once one of its quotes is ordered.
    async fn delete_upload(
        &self,
        ctx: &Context<'_>,
        input: DeleteUploadInput,
    ) -> Result<ID, ApiError> {
        let owner = caller(ctx).user()?.id;
        let files = ctx.data_unchecked::<Fabrication>().files()?;
        let id = parse_id(&input.upload_id, "uploadId")?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let upload = owned(&mut *tx, id, owner).await?;
        sqlx::query!("delete from store.part_uploads where id = $1", id)
            .execute(&mut *tx)
            .await
            .map_err(|error| {
                on_constraint(error, "order_parts_quote_fkey", || {
                    ApiError::Conflict("this part is ordered: it is kept with its order".into())
                })
            })?;
        changes::record(
            &mut tx,
            owner,
            Action::PART_UPLOAD_DELETED,
            id,
            Some(&upload),
            None,
        )
        .await?;
        tx.commit().await?;
        // After the commit: a file left behind by a failure here is only unused.
        files
            .delete(&upload.object_key)
            .await
            .map_err(|error| ApiError::internal(format_args!("deleting a part: {error}")))?;
        Ok(ID(id.to_string()))
    }
}
