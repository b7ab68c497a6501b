//! A project's files: its editors ask for an upload (`createProjectFileUpload`), send the file
//! straight to object storage with the presigned URL they get (never through GraphQL), then
//! confirm it (`confirmProjectFile`): MakrCave checks that what arrived is the size and the
//! kind declared before anyone sees it. Whoever may see the project fetches its files through
//! URLs that work for five minutes, handed out only to them.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::dataloader::Loader;
use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_files::{Files, KINDS, START_BYTES, looks_like, name_of};
use makrx_service::graphql::{SignedIn, group_by};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{ProjectRole, require_project_role};
use crate::changes::{self, Action, Change};
use crate::loaders::Loaders;
use crate::members::User;

/// The largest file: 100 MB.
const MAX_BYTES: i64 = 100 * 1024 * 1024;
/// The longest file name.
const MAX_NAME: usize = 200;
/// How long an upload URL works.
const UPLOAD_TTL: Duration = Duration::from_secs(15 * 60);
/// How long a file's URL works: long enough to start a download, short enough that a URL
/// passed on soon stops working.
const FETCH_TTL: Duration = Duration::from_secs(5 * 60);

/// The object storage MakrCave keeps project files in, when it has one.
pub struct FileStore(pub Option<Files>);

impl FileStore {
    fn files(&self) -> Result<&Files, ApiError> {
        self.0.as_ref().ok_or_else(|| {
            ApiError::Conflict(
                "this MakrCave keeps no files: its object storage is not set up (S3_ENDPOINT)"
                    .into(),
            )
        })
    }
}

/// A file of a project.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct ProjectFile {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub project_id: Uuid,
    /// As uploaded: `lamp-base.stl`.
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    #[graphql(skip)]
    pub object_key: String,
    #[graphql(skip)]
    pub uploaded_by: Uuid,
    #[graphql(skip)]
    pub ready: bool,
    pub created_at: DateTime<Utc>,
}

#[ComplexObject]
impl ProjectFile {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn uploaded_by(&self) -> User {
        User {
            id: self.uploaded_by,
        }
    }

    /// Where to fetch it: a presigned URL that works for five minutes.
    async fn url(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        ctx.data_unchecked::<FileStore>()
            .files()?
            .download_url(&self.object_key, FETCH_TTL)
            .await
            .map_err(|error| ApiError::internal(format_args!("signing a file's URL: {error}")))
    }
}

/// The confirmed files of a project, oldest first.
pub async fn of_project(ctx: &Context<'_>, project: Uuid) -> Result<Vec<ProjectFile>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .project_files
        .load_one(project)
        .await?
        .unwrap_or_default())
}

/// Loads projects' confirmed files, oldest first.
pub struct FilesByProject(pub PgPool);

impl Loader<Uuid> for FilesByProject {
    type Value = Vec<ProjectFile>;
    type Error = ApiError;

    async fn load(&self, projects: &[Uuid]) -> Result<HashMap<Uuid, Vec<ProjectFile>>, ApiError> {
        let rows = sqlx::query_as!(
            ProjectFile,
            "select id, project_id, name, content_type, size_bytes, object_key, uploaded_by,
                    ready, created_at
             from makrcave.project_files where project_id = any($1) and ready
             order by created_at, id",
            projects
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.project_id))
    }
}

#[derive(InputObject)]
pub struct CreateProjectFileUploadInput {
    pub project_id: ID,
    /// As it will be shown: 1 to 200 characters.
    pub file_name: String,
    /// 1 byte to 100 MB.
    pub size_bytes: i64,
    /// One of the kinds MakrX keeps: `model/stl`, `model/3mf`, `image/png`, `image/jpeg`,
    /// `image/webp`, `application/pdf`, `application/zip`, `text/plain`, `text/markdown`. The
    /// upload must be sent as this type.
    pub content_type: String,
}

/// Where to send a file.
#[derive(SimpleObject)]
pub struct ProjectFileUpload {
    /// The file to confirm once it is sent.
    pub file_id: ID,
    /// Send the file here with `PUT`, its `Content-Type` header the type declared.
    pub upload_url: String,
    /// When the URL stops working.
    pub expires_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct ProjectFileInput {
    pub file_id: ID,
}

#[derive(Default)]
pub struct ProjectFileMutation;

#[Object(guard = "SignedIn")]
impl ProjectFileMutation {
    /// Starts adding a file to a project; its owner and editors. Answers where to send the
    /// file; the project shows it once `confirmProjectFile` has checked it.
    async fn create_project_file_upload(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectFileUploadInput,
    ) -> Result<ProjectFileUpload, ApiError> {
        let project_id = parse_id(&input.project_id, "projectId")?;
        let name = input.file_name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(ApiError::invalid(
                "fileName",
                format!("must be 1 to {MAX_NAME} characters"),
            ));
        }
        if !(1..=MAX_BYTES).contains(&input.size_bytes) {
            return Err(ApiError::invalid("sizeBytes", "must be 1 byte to 100 MB"));
        }
        if !KINDS
            .iter()
            .any(|kind| kind.content_type == input.content_type)
        {
            let kinds: Vec<&str> = KINDS.iter().map(|kind| kind.content_type).collect();
            return Err(ApiError::invalid(
                "contentType",
                format!("must be one of {}", kinds.join(", ")),
            ));
        }
        let (_, me) = require_project_role(ctx, project_id, ProjectRole::Editor).await?;
        let files = ctx.data_unchecked::<FileStore>().files()?;
        let id = Uuid::now_v7();
        let object_key = format!("projects/{project_id}/{id}");
        sqlx::query!(
            "insert into makrcave.project_files
                 (id, project_id, name, content_type, size_bytes, object_key, uploaded_by)
             values ($1, $2, $3, $4, $5, $6, $7)",
            id,
            project_id,
            name,
            input.content_type,
            input.size_bytes,
            object_key,
            me,
        )
        .execute(ctx.data_unchecked::<PgPool>())
        .await?;
        let upload_url = files
            .upload_url(&object_key, &input.content_type, UPLOAD_TTL)
            .await
            .map_err(|error| ApiError::internal(format_args!("signing an upload URL: {error}")))?;
        Ok(ProjectFileUpload {
            file_id: ID(id.to_string()),
            upload_url,
            expires_at: ctx.data_unchecked::<Clock>().now() + UPLOAD_TTL,
        })
    }

    /// Checks a file's upload and shows it on its project; its owner and editors. Refused
    /// with `CONFLICT`, saying why, when nothing was uploaded, or the file is not the size or
    /// the kind declared (it is then deleted: ask for a new upload).
    async fn confirm_project_file(
        &self,
        ctx: &Context<'_>,
        input: ProjectFileInput,
    ) -> Result<ProjectFile, ApiError> {
        let (file, me) = editable(ctx, &input.file_id).await?;
        if file.ready {
            return Ok(file);
        }
        let files = ctx.data_unchecked::<FileStore>().files()?;
        let start = files
            .peek(&file.object_key, START_BYTES)
            .await
            .map_err(|error| ApiError::internal(format_args!("reading an upload: {error}")))?;
        let Some((size, start)) = start else {
            return Err(ApiError::Conflict(
                "nothing has been uploaded for this file yet".into(),
            ));
        };
        let problem = if i64::try_from(size) != Ok(file.size_bytes) {
            Some(format!(
                "the upload is {size} bytes, not the {} declared",
                file.size_bytes
            ))
        } else if !looks_like(&file.content_type, &start, size) {
            Some(format!(
                "the upload is not a {} file",
                name_of(&file.content_type)
            ))
        } else {
            None
        };
        let db = ctx.data_unchecked::<PgPool>();
        if let Some(problem) = problem {
            files
                .delete(&file.object_key)
                .await
                .map_err(|error| ApiError::internal(format_args!("deleting an upload: {error}")))?;
            sqlx::query!("delete from makrcave.project_files where id = $1", file.id)
                .execute(db)
                .await?;
            return Err(ApiError::Conflict(problem));
        }
        let mut tx = db.begin().await?;
        let ready = sqlx::query_as!(
            ProjectFile,
            "update makrcave.project_files set ready = true where id = $1
             returning id, project_id, name, content_type, size_bytes, object_key, uploaded_by,
                       ready, created_at",
            file.id
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor: me,
                action: Action::PROJECT_FILE_ADDED,
                entity_id: ready.id,
                makerspace_id: Uuid::nil(),
                before: None,
                after: Some(&ready),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ready)
    }

    /// Takes a file off its project and deletes it; its owner and editors.
    async fn remove_project_file(
        &self,
        ctx: &Context<'_>,
        input: ProjectFileInput,
    ) -> Result<ID, ApiError> {
        let (file, me) = editable(ctx, &input.file_id).await?;
        let files = ctx.data_unchecked::<FileStore>().files()?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        sqlx::query!("delete from makrcave.project_files where id = $1", file.id)
            .execute(&mut *tx)
            .await?;
        changes::record(
            &mut tx,
            Change {
                actor: me,
                action: Action::PROJECT_FILE_REMOVED,
                entity_id: file.id,
                makerspace_id: Uuid::nil(),
                before: Some(&file),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        // After the commit: a file left behind by a failure here is only unused.
        files
            .delete(&file.object_key)
            .await
            .map_err(|error| ApiError::internal(format_args!("deleting a file: {error}")))?;
        Ok(ID(file.id.to_string()))
    }
}

/// The file `id` and the caller's id, if they edit its project: `NOT_FOUND` for a file of a
/// project they may not see (as for one that does not exist), `FORBIDDEN` if they only see it.
async fn editable(ctx: &Context<'_>, id: &ID) -> Result<(ProjectFile, Uuid), ApiError> {
    let id = parse_id(id, "fileId")?;
    let file = sqlx::query_as!(
        ProjectFile,
        "select id, project_id, name, content_type, size_bytes, object_key, uploaded_by, ready,
                created_at
         from makrcave.project_files where id = $1",
        id
    )
    .fetch_optional(ctx.data_unchecked::<PgPool>())
    .await?
    .ok_or_else(|| ApiError::NotFound("file".into()))?;
    let (_, me) = require_project_role(ctx, file.project_id, ProjectRole::Editor)
        .await
        .map_err(|error| match error {
            ApiError::NotFound(_) => ApiError::NotFound("file".into()),
            error => error,
        })?;
    Ok((file, me))
}
