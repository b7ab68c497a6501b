//! Users: the `User` entity, `me`, `user(id)` and `updateMyProfile`.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Caller, audit, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::profile::ProfileEdit;

/// A person with a MakrX account.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: Option<String>,
    pub display_name: String,
    pub avatar_url: Option<String>,
    pub bio: Option<String>,
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// Whether `caller` may see this user's private fields (email, roles).
    fn is_visible_in_full_to(&self, caller: &Caller) -> bool {
        caller.user_id() == Some(self.id) || caller.is_admin()
    }
}

/// A person with a MakrX account.
#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn display_name(&self) -> &str {
        &self.display_name
    }

    /// Seen only by the user and platform admins.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        self.email
            .as_deref()
            .filter(|_| self.is_visible_in_full_to(caller(ctx)))
    }

    async fn avatar_url(&self) -> Option<&str> {
        self.avatar_url.as_deref()
    }

    async fn bio(&self) -> Option<&str> {
        self.bio.as_deref()
    }

    /// Global roles (`admin`, `provider`, ...); seen only by the user and platform admins.
    async fn roles(&self, ctx: &Context<'_>) -> Vec<String> {
        if self.is_visible_in_full_to(caller(ctx)) {
            self.roles.clone()
        } else {
            Vec::new()
        }
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// Loads users by id in one query per batch.
pub struct UserLoader(pub PgPool);

impl Loader<Uuid> for UserLoader {
    type Value = User;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, User>, ApiError> {
        let users = sqlx::query_as!(
            User,
            "select id, email, display_name, avatar_url, bio, roles, created_at
             from shared.users where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(users.into_iter().map(|user| (user.id, user)).collect())
    }
}

async fn load_user(ctx: &Context<'_>, id: Uuid) -> Result<Option<User>, ApiError> {
    ctx.data_unchecked::<DataLoader<UserLoader>>()
        .load_one(id)
        .await
}

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User, ApiError> {
        let id = caller(ctx).user()?.id;
        load_user(ctx, id)
            .await?
            .ok_or_else(|| ApiError::internal(format_args!("the signed-in user {id} has no row")))
    }

    /// A user by id.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<User, ApiError> {
        let id = parse_id(&id, "id")?;
        load_user(ctx, id)
            .await?
            .ok_or_else(|| ApiError::NotFound("user".into()))
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<User>, ApiError> {
        match id.parse() {
            Ok(id) => load_user(ctx, id).await,
            Err(_) => Ok(None),
        }
    }
}

/// Changes to the signed-in user's profile; a field left out keeps its value, an empty
/// `bio` or `avatarUrl` clears it.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    display_name: Option<String>,
    bio: Option<String>,
    avatar_url: Option<String>,
}

#[derive(Default)]
pub struct UserMutation;

#[Object(guard = "SignedIn")]
impl UserMutation {
    /// Edits the signed-in user's display name, bio and avatar.
    async fn update_my_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
    ) -> Result<User, ApiError> {
        let me = caller(ctx).user()?.id;
        let edit = ProfileEdit::parse(
            input.display_name.as_deref(),
            input.bio.as_deref(),
            input.avatar_url.as_deref(),
        )?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let before = sqlx::query_as!(
            User,
            "select id, email, display_name, avatar_url, bio, roles, created_at
             from shared.users where id = $1 for update",
            me
        )
        .fetch_one(&mut *tx)
        .await?;
        let after = sqlx::query_as!(
            User,
            "update shared.users set
                display_name = coalesce($2, display_name),
                bio = case when $3 then $4 else bio end,
                avatar_url = case when $5 then $6 else avatar_url end,
                updated_at = now()
             where id = $1
             returning id, email, display_name, avatar_url, bio, roles, created_at",
            me,
            edit.display_name.as_ref().map(|name| name.as_str()),
            edit.bio.is_some(),
            edit.bio.as_ref().and_then(|bio| bio.as_deref()),
            edit.avatar_url.is_some(),
            edit.avatar_url.as_ref().and_then(|url| url.as_deref()),
        )
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Some(me),
            "user.profile_updated",
            "user",
            me,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        ctx.data_unchecked::<DataLoader<UserLoader>>()
            .feed_one(me, after.clone())
            .await;
        Ok(after)
    }
}
