//! Projects: what makers build, with a description in Markdown (shown as safe HTML), a
//! status, tags, and the people on it: its owner, editors who change it and viewers who only
//! see it. A project is private, seen by the space it belongs to, or public (listed in the
//! community hub); `makrcave.may_see_project` decides who sees one, for every read of it.

mod boms;
mod files;
mod markdown;

pub use boms::{BomMutation, BomQuery, BomsByProject, LinesByBom, StockOfProducts};
pub use files::{FileStore, FilesByProject, ProjectFileMutation};

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::dataloader::Loader;
use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::{ApiError, Caller, FieldError, paging, parse_id};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::loaders::Loaders;
use crate::members::User;
use crate::policy::{self, MembershipRole};
use crate::space::Makerspace;

/// The most tags a project has, and the longest.
const MAX_TAGS: usize = 10;
const MAX_TAG: usize = 30;
/// The longest description, in characters.
const MAX_DESCRIPTION: usize = 20_000;

/// How far along a project is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Idea,
    InProgress,
    Done,
    Archived,
}

/// Who sees a project.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProjectVisibility {
    /// Its collaborators only.
    Private,
    /// The people inside the space it belongs to, and its collaborators.
    Space,
    /// Anyone: it is listed in the community hub.
    Public,
}

/// A person's part in a project, from least to most.
#[derive(
    Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProjectRole {
    /// Sees it, its files and its BOMs.
    Viewer,
    /// Changes it, its files and its BOMs.
    Editor,
    /// Also decides who sees it and who works on it.
    Owner,
}

/// Something a maker builds.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Project {
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub owner_id: Uuid,
    #[graphql(skip)]
    pub makerspace_id: Option<Uuid>,
    pub title: String,
    /// As written, in Markdown (`descriptionHtml` shows it).
    pub description: String,
    pub status: ProjectStatus,
    /// Lowercase words to find it by.
    pub tags: Vec<String>,
    pub visibility: ProjectVisibility,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[ComplexObject]
impl Project {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The description as HTML to show as it is: HTML written in it appears as text, and its
    /// links go only to web addresses.
    async fn description_html(&self) -> String {
        markdown::to_html(&self.description)
    }

    async fn owner(&self) -> User {
        User { id: self.owner_id }
    }

    /// The space it belongs to, when the caller may see that space.
    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Option<Makerspace>, ApiError> {
        let Some(space) = self.makerspace_id else {
            return Ok(None);
        };
        if !policy::may_see_space(ctx, caller(ctx), space).await? {
            return Ok(None);
        }
        Makerspace::referenced(ctx, space).await.map(Some)
    }

    /// Who works on it, the owner first.
    async fn collaborators(&self, ctx: &Context<'_>) -> Result<Vec<Collaborator>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .collaborators
            .load_one(self.id)
            .await?
            .unwrap_or_default())
    }

    /// Its files, oldest first: whoever sees the project may fetch them.
    async fn files(&self, ctx: &Context<'_>) -> Result<Vec<files::ProjectFile>, ApiError> {
        files::of_project(ctx, self.id).await
    }

    /// Its bills of materials, oldest first.
    async fn boms(&self, ctx: &Context<'_>) -> Result<Vec<boms::Bom>, ApiError> {
        boms::of_project(ctx, self.id).await
    }

    /// The caller's part in it; none when they only see it.
    async fn my_role(&self, ctx: &Context<'_>) -> Result<Option<ProjectRole>, ApiError> {
        let Some(me) = caller(ctx).user_id() else {
            return Ok(None);
        };
        Ok(self
            .collaborators(ctx)
            .await?
            .into_iter()
            .find(|collaborator| collaborator.user_id == me)
            .map(|collaborator| collaborator.role))
    }
}

/// Someone working on a project.
#[derive(Clone, Debug, Serialize, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Collaborator {
    #[graphql(skip)]
    pub project_id: Uuid,
    #[graphql(skip)]
    pub user_id: Uuid,
    pub role: ProjectRole,
    pub added_at: DateTime<Utc>,
}

#[ComplexObject]
impl Collaborator {
    async fn user(&self) -> User {
        User { id: self.user_id }
    }
}

const PROJECT_COLUMNS: &str = "p.id, p.owner_id, p.makerspace_id, p.title, p.description, \
     p.status, p.tags, p.visibility, p.created_at, p.updated_at";

/// The caller as `makrcave.may_see_project` takes them: their id (none when anonymous) and
/// whether they are a platform admin.
fn viewer(caller: &Caller) -> (Option<Uuid>, bool) {
    (caller.user_id(), caller.is_admin())
}

/// The project `id` and the caller's part in it, if they may see it; `NOT_FOUND` otherwise,
/// as for a project that does not exist.
async fn visible(ctx: &Context<'_>, id: Uuid) -> Result<(Project, Option<ProjectRole>), ApiError> {
    let (me, admin) = viewer(caller(ctx));
    let sql = format!(
        "select {PROJECT_COLUMNS} from makrcave.projects p
         where p.id = $1 and makrcave.may_see_project(p.id, $2, $3)"
    );
    let project: Project = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(me)
        .bind(admin)
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?
        .ok_or_else(|| ApiError::NotFound("project".into()))?;
    let role = project.my_role(ctx).await?;
    Ok((project, role))
}

/// The project `id` and the caller's id, if they hold `at_least` in it: `NOT_FOUND` for a
/// project they may not see, `FORBIDDEN` (saying who may) for one they only see.
pub async fn require_project_role(
    ctx: &Context<'_>,
    id: Uuid,
    at_least: ProjectRole,
) -> Result<(Project, Uuid), ApiError> {
    let me = caller(ctx).user()?.id;
    let (project, role) = visible(ctx, id).await?;
    if role < Some(at_least) {
        return Err(ApiError::Forbidden(match at_least {
            ProjectRole::Owner => "only the project's owner may do this".into(),
            _ => "only the project's owner and editors may change it".into(),
        }));
    }
    Ok((project, me))
}

/// Tags as a project keeps them: trimmed, lowercase, each once, in the order given.
fn tags(given: Vec<String>) -> Result<Vec<String>, ApiError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in given {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() || tag.chars().count() > MAX_TAG {
            return Err(ApiError::invalid(
                "tags",
                format!("each must be 1 to {MAX_TAG} characters"),
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(ApiError::invalid(
            "tags",
            format!("may be at most {MAX_TAGS}"),
        ));
    }
    Ok(tags)
}

/// A title and description as a project keeps them, or what is wrong with each.
fn check_text(title: Option<&str>, description: Option<&str>) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if let Some(title) = title
        && (title.trim().is_empty() || title.trim().chars().count() > 120)
    {
        problems.push(FieldError {
            field: "title".into(),
            message: "must be 1 to 120 characters".into(),
        });
    }
    if let Some(description) = description
        && description.chars().count() > MAX_DESCRIPTION
    {
        problems.push(FieldError {
            field: "description".into(),
            message: format!("must be at most {MAX_DESCRIPTION} characters"),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

#[derive(Default)]
pub struct ProjectQuery;

#[Object]
impl ProjectQuery {
    /// A project, for whoever may see it: anyone a public one (signed in or not), the people
    /// inside its space one seen by the space, its collaborators any (`NOT_FOUND` otherwise).
    async fn project(&self, ctx: &Context<'_>, id: ID) -> Result<Project, ApiError> {
        let id = parse_id(&id, "id")?;
        Ok(visible(ctx, id).await?.0)
    }

    /// The community hub: public projects, newest first, a page at a time; those whose
    /// title, description or tags hold `search` when given. Anyone may ask.
    async fn public_projects(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Project>, ApiError> {
        let first = paging::page_size(first)?;
        let after = paging::id_after(after.as_deref())?;
        let search = search
            .map(|text| text.trim().to_lowercase())
            .filter(|text| !text.is_empty());
        let sql = format!(
            "select {PROJECT_COLUMNS} from makrcave.projects p
             where p.visibility = 'public'
               and ($1::text is null
                    or strpos(lower(p.title || ' ' || p.description || ' '
                                    || array_to_string(p.tags, ' ')), $1) > 0)
               and ($2::uuid is null
                    or (p.created_at, p.id) < (select a.created_at, a.id from makrcave.projects a
                                               where a.id = $2))
             order by p.created_at desc, p.id desc
             limit $3"
        );
        let page: Vec<Project> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(search)
            .bind(after)
            .bind(first as i64 + 1)
            .fetch_all(ctx.data_unchecked::<PgPool>())
            .await?;
        Ok(paging::connection_by_id(page, first, after, |project| {
            project.id
        }))
    }

    /// The projects the signed-in person works on, last changed first (the latest 100).
    #[graphql(guard = "SignedIn")]
    async fn my_projects(&self, ctx: &Context<'_>) -> Result<Vec<Project>, ApiError> {
        let me = caller(ctx).user()?.id;
        let sql = format!(
            "select {PROJECT_COLUMNS} from makrcave.projects p
             join makrcave.project_collaborators c on c.project_id = p.id and c.user_id = $1
             order by p.updated_at desc, p.id desc limit 100"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(me)
            .fetch_all(ctx.data_unchecked::<PgPool>())
            .await?)
    }

    /// The projects of a space that the caller may see, newest first (the latest 100); for
    /// whoever may see the space (`NOT_FOUND` otherwise).
    async fn space_projects(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<Vec<Project>, ApiError> {
        let space = parse_id(&makerspace_id, "makerspaceId")?;
        if !policy::may_see_space(ctx, caller(ctx), space).await? {
            return Err(ApiError::NotFound("makerspace".into()));
        }
        let (me, admin) = viewer(caller(ctx));
        let sql = format!(
            "select {PROJECT_COLUMNS} from makrcave.projects p
             where p.makerspace_id = $1 and makrcave.may_see_project(p.id, $2, $3)
             order by p.created_at desc, p.id desc limit 100"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(space)
            .bind(me)
            .bind(admin)
            .fetch_all(ctx.data_unchecked::<PgPool>())
            .await?)
    }
}

/// The public projects `user` works on (owns or edits), newest first: what their profile shows.
pub async fn public_projects_of(ctx: &Context<'_>, user: Uuid) -> Result<Vec<Project>, ApiError> {
    let sql = format!(
        "select {PROJECT_COLUMNS} from makrcave.projects p
         join makrcave.project_collaborators c on c.project_id = p.id and c.user_id = $1
         where p.visibility = 'public' and c.role in ('owner', 'editor')
         order by p.created_at desc, p.id desc limit 50"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user)
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
}

/// A new project.
#[derive(InputObject)]
pub struct CreateProjectInput {
    /// 1 to 120 characters.
    pub title: String,
    /// Markdown, at most 20,000 characters.
    #[graphql(default)]
    pub description: String,
    /// The space it belongs to; the caller must be inside it.
    pub makerspace_id: Option<ID>,
    #[graphql(default_with = "ProjectStatus::Idea")]
    pub status: ProjectStatus,
    #[graphql(default)]
    pub tags: Vec<String>,
    #[graphql(default_with = "ProjectVisibility::Private")]
    pub visibility: ProjectVisibility,
}

/// Changes to a project: each only when given.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    pub id: ID,
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
    pub tags: Option<Vec<String>>,
    /// Who sees it; its owner alone changes it.
    pub visibility: Option<ProjectVisibility>,
    /// The space it belongs to (`null`: none); its owner alone changes it.
    pub makerspace_id: MaybeUndefined<ID>,
}

/// Someone to work on a project, or a new part for them.
#[derive(InputObject)]
pub struct SetCollaboratorInput {
    pub project_id: ID,
    /// A user id.
    pub user_id: ID,
    /// `EDITOR` or `VIEWER`: a project has one owner.
    pub role: ProjectRole,
}

/// Someone to take off a project.
#[derive(InputObject)]
pub struct RemoveCollaboratorInput {
    pub project_id: ID,
    pub user_id: ID,
}

#[derive(Default)]
pub struct ProjectMutation;

#[Object(guard = "SignedIn")]
impl ProjectMutation {
    /// Starts a project, the caller its owner.
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> Result<Project, ApiError> {
        let me = caller(ctx).user()?.id;
        check_text(Some(&input.title), Some(&input.description))?;
        let tags = tags(input.tags)?;
        let space = input
            .makerspace_id
            .map(|id| parse_id(&id, "makerspaceId"))
            .transpose()?;
        check_space(ctx, space, input.visibility).await?;
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let sql = format!(
            "insert into makrcave.projects as p
                 (id, owner_id, makerspace_id, title, description, status, tags, visibility)
             values ($1, $2, $3, $4, $5, $6, $7, $8)
             returning {PROJECT_COLUMNS}"
        );
        let project: Project = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Uuid::now_v7())
            .bind(me)
            .bind(space)
            .bind(input.title.trim())
            .bind(&input.description)
            .bind(input.status)
            .bind(&tags)
            .bind(input.visibility)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query!(
            "insert into makrcave.project_collaborators (project_id, user_id, role)
             values ($1, $2, 'owner')",
            project.id,
            me
        )
        .execute(&mut *tx)
        .await?;
        record(&mut tx, me, Action::PROJECT_CREATED, &project, None).await?;
        tx.commit().await?;
        Ok(project)
    }

    /// Changes a project: its editors its content, its owner who sees it and its space.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectInput,
    ) -> Result<Project, ApiError> {
        let id = parse_id(&input.id, "id")?;
        let new_space = match &input.makerspace_id {
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
            MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Value(id) => MaybeUndefined::Value(parse_id(id, "makerspaceId")?),
        };
        check_text(input.title.as_deref(), input.description.as_deref())?;
        let tags = input.tags.map(tags).transpose()?;
        let owners_part =
            input.visibility.is_some() || !matches!(new_space, MaybeUndefined::Undefined);
        let needed = if owners_part {
            ProjectRole::Owner
        } else {
            ProjectRole::Editor
        };
        let (before, me) = require_project_role(ctx, id, needed).await?;
        let space = match new_space {
            MaybeUndefined::Undefined => before.makerspace_id,
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(id) => Some(id),
        };
        let visibility = input.visibility.unwrap_or(before.visibility);
        if space != before.makerspace_id || visibility != before.visibility {
            check_space(
                ctx,
                space.filter(|_| space != before.makerspace_id),
                visibility,
            )
            .await?;
            if visibility == ProjectVisibility::Space && space.is_none() {
                return Err(ApiError::invalid(
                    "visibility",
                    "SPACE needs the space the project belongs to",
                ));
            }
        }
        let db = ctx.data_unchecked::<PgPool>();
        let mut tx = db.begin().await?;
        let sql = format!(
            "update makrcave.projects as p
             set title = coalesce($2, title), description = coalesce($3, description),
                 status = coalesce($4, status), tags = coalesce($5, tags),
                 visibility = $6, makerspace_id = $7, updated_at = now()
             where id = $1
             returning {PROJECT_COLUMNS}"
        );
        let after: Project = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(input.title.as_deref().map(str::trim))
            .bind(input.description)
            .bind(input.status)
            .bind(tags)
            .bind(visibility)
            .bind(space)
            .fetch_one(&mut *tx)
            .await?;
        record(&mut tx, me, Action::PROJECT_UPDATED, &after, Some(&before)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds someone to a project as an editor or viewer, or changes their part; its owner.
    async fn set_project_collaborator(
        &self,
        ctx: &Context<'_>,
        input: SetCollaboratorInput,
    ) -> Result<Collaborator, ApiError> {
        let id = parse_id(&input.project_id, "projectId")?;
        let user = parse_id(&input.user_id, "userId")?;
        if input.role == ProjectRole::Owner {
            return Err(ApiError::invalid(
                "role",
                "must be EDITOR or VIEWER: a project has one owner",
            ));
        }
        let (project, me) = require_project_role(ctx, id, ProjectRole::Owner).await?;
        if user == project.owner_id {
            return Err(ApiError::invalid("userId", "is the project's owner"));
        }
        let known = sqlx::query_scalar!(
            r#"select exists(select 1 from shared.users where id = $1) as "known!""#,
            user
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?;
        if !known {
            return Err(ApiError::invalid("userId", "is nobody MakrX knows"));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let collaborator = sqlx::query_as!(
            Collaborator,
            r#"insert into makrcave.project_collaborators (project_id, user_id, role)
               values ($1, $2, $3)
               on conflict (project_id, user_id) do update set role = excluded.role
               returning project_id, user_id, role as "role: _", added_at"#,
            id,
            user,
            input.role as ProjectRole,
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor: me,
                action: Action::PROJECT_COLLABORATOR_SET,
                entity_id: id,
                makerspace_id: project.makerspace_id.unwrap_or_default(),
                before: None,
                after: Some(&collaborator),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(collaborator)
    }

    /// Takes someone off a project: its owner anyone but themselves, anyone themselves.
    async fn remove_project_collaborator(
        &self,
        ctx: &Context<'_>,
        input: RemoveCollaboratorInput,
    ) -> Result<Project, ApiError> {
        let id = parse_id(&input.project_id, "projectId")?;
        let user = parse_id(&input.user_id, "userId")?;
        let me = caller(ctx).user()?.id;
        let needed = if user == me {
            ProjectRole::Viewer
        } else {
            ProjectRole::Owner
        };
        let (project, me) = require_project_role(ctx, id, needed).await?;
        if user == project.owner_id {
            return Err(ApiError::invalid(
                "userId",
                "is the project's owner, who stays on it",
            ));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let removed = sqlx::query_as!(
            Collaborator,
            r#"delete from makrcave.project_collaborators where project_id = $1 and user_id = $2
               returning project_id, user_id, role as "role: _", added_at"#,
            id,
            user,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::invalid("userId", "is not on the project"))?;
        changes::record(
            &mut tx,
            Change {
                actor: me,
                action: Action::PROJECT_COLLABORATOR_REMOVED,
                entity_id: id,
                makerspace_id: project.makerspace_id.unwrap_or_default(),
                before: Some(&removed),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(project)
    }
}

/// Refuses a project in a space the caller is not inside (`NOT_FOUND`, as for a space that
/// does not exist), and one seen by a space without one.
async fn check_space(
    ctx: &Context<'_>,
    space: Option<Uuid>,
    visibility: ProjectVisibility,
) -> Result<(), ApiError> {
    match space {
        Some(space) => {
            policy::require_inside(
                ctx,
                caller(ctx),
                space,
                MembershipRole::Member,
                "makerspace",
            )
            .await?;
            Ok(())
        }
        None if visibility == ProjectVisibility::Space => Err(ApiError::invalid(
            "visibility",
            "SPACE needs the space the project belongs to",
        )),
        None => Ok(()),
    }
}

async fn record(
    tx: &mut PgConnection,
    actor: Uuid,
    action: Action,
    after: &Project,
    before: Option<&Project>,
) -> Result<(), ApiError> {
    changes::record(
        tx,
        Change {
            actor,
            action,
            entity_id: after.id,
            makerspace_id: after.makerspace_id.unwrap_or_default(),
            before,
            after: Some(after),
        },
    )
    .await
}

/// Loads projects' collaborators, the owner first, then by when they joined.
pub struct CollaboratorsByProject(pub PgPool);

impl Loader<Uuid> for CollaboratorsByProject {
    type Value = Vec<Collaborator>;
    type Error = ApiError;

    async fn load(&self, projects: &[Uuid]) -> Result<HashMap<Uuid, Vec<Collaborator>>, ApiError> {
        let rows = sqlx::query_as!(
            Collaborator,
            r#"select project_id, user_id, role as "role: _", added_at
               from makrcave.project_collaborators where project_id = any($1)
               order by role = 'owner' desc, added_at, user_id"#,
            projects
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(rows, |row| row.project_id))
    }
}
