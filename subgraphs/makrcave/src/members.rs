//! Memberships: who belongs to which makerspace, in which role, contributed to the `User` entity,
//! and a space's member list. Changing them is `management`'s.

mod management;

pub use management::MemberMutation;

use std::collections::HashMap;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::caller;
use makrx_service::paging::{self, Cursor};
use makrx_service::{ApiError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::loaders::{Loaders, group_by};
use crate::plans::MemberPlan;
use crate::policy::{self, MembershipRole};
use crate::space::Makerspace;

/// A person's place in a makerspace.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Membership {
    pub makerspace_id: Uuid,
    pub user_id: Uuid,
    pub role: MembershipRole,
    pub created_at: DateTime<Utc>,
    pub suspended_at: Option<DateTime<Utc>>,
}

impl Membership {
    /// Whether the membership is in force (not suspended).
    pub fn is_active(&self) -> bool {
        self.suspended_at.is_none()
    }
}

/// A person's place in a makerspace.
#[Object]
impl Membership {
    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Makerspace, ApiError> {
        Makerspace::referenced(ctx, self.makerspace_id).await
    }

    async fn role(&self) -> MembershipRole {
        self.role
    }

    /// When the person joined.
    async fn since(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// The person.
    async fn user(&self) -> User {
        User { id: self.user_id }
    }

    /// Whether the membership is suspended: the person keeps their place but has no role in the
    /// space until reinstated.
    async fn suspended(&self) -> bool {
        !self.is_active()
    }

    /// Their plan in the space, if they are on one; told to themselves and to the space's staff
    /// and above (none for anyone else).
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<MemberPlan>, ApiError> {
        let caller = caller(ctx);
        let told = caller.user_id() == Some(self.user_id)
            || policy::has_role(ctx, caller, self.makerspace_id, MembershipRole::Staff).await?;
        if !told {
            return Ok(None);
        }
        ctx.data_unchecked::<Loaders>()
            .member_plans
            .load_one((self.makerspace_id, self.user_id))
            .await
    }
}

/// A MakrX user, as MakrCave knows them (the identity service owns the rest).
pub struct User {
    pub id: Uuid,
}

/// A MakrX user, as MakrCave knows them (the identity service owns the rest).
#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// The public projects this person owns or edits, newest first (the latest 50): what their
    /// profile shows.
    async fn public_projects(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::projects::Project>, ApiError> {
        crate::projects::public_projects_of(ctx, self.id).await
    }

    /// The public makerspaces this person is an active member of, by name: what their profile
    /// shows, to anyone.
    async fn public_spaces(&self, ctx: &Context<'_>) -> Result<Vec<Makerspace>, ApiError> {
        let spaces = sqlx::query_scalar!(
            "select m.id from makrcave.makerspaces m
             join makrcave.memberships ms on ms.makerspace_id = m.id
             where ms.user_id = $1 and ms.suspended_at is null and m.is_public
             order by m.name, m.id",
            self.id
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let mut loaded = ctx
            .data_unchecked::<Loaders>()
            .makerspaces
            .load_many(spaces.iter().copied())
            .await?;
        Ok(spaces.iter().filter_map(|id| loaded.remove(id)).collect())
    }

    /// The makerspaces this person belongs to, as far as the caller may see: their own, those
    /// of the spaces the caller belongs to, or all for a platform admin.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>, ApiError> {
        let all = ctx
            .data_unchecked::<Loaders>()
            .memberships
            .load_one(self.id)
            .await?
            .unwrap_or_default();
        let caller = caller(ctx);
        let mut visible = Vec::with_capacity(all.len());
        for membership in all {
            if policy::may_see_membership(ctx, caller, self.id, membership.makerspace_id).await? {
                visible.push(membership);
            }
        }
        Ok(visible)
    }
}

/// How many members a space has in all, beside the page of them.
pub struct MemberTotal {
    makerspace_id: Uuid,
}

#[Object]
impl MemberTotal {
    /// The number of members of the space, suspended ones included.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, ApiError> {
        let count = sqlx::query_scalar!(
            r#"select count(*) as "count!" from makrcave.memberships where makerspace_id = $1"#,
            self.makerspace_id
        )
        .fetch_one(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(count)
    }
}

#[derive(Default)]
pub struct MemberQuery;

#[Object]
impl MemberQuery {
    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Option<User> {
        id.parse().ok().map(|id| User { id })
    }

    /// A makerspace's members, longest-standing first, a page at a time; for its members and
    /// platform admins.
    async fn members(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        #[graphql(desc = "How many to return, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `cursor` of the last one already seen.")] after: Option<String>,
    ) -> Result<Connection<String, Membership, MemberTotal>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Member).await?;
        let first = paging::page_size(first)?;
        let after = Cursor::parse_after(after.as_deref())?;
        let mut page = sqlx::query_as!(
            Membership,
            r#"select makerspace_id, user_id, role as "role: _", created_at, suspended_at
               from makrcave.memberships
               where makerspace_id = $1
                 and ($2::timestamptz is null or (created_at, user_id) > ($2::timestamptz, $3::uuid))
               order by created_at, user_id limit $4"#,
            makerspace_id,
            after.map(|cursor| cursor.at),
            after.map(|cursor| cursor.id),
            first as i64 + 1,
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        let has_next = page.len() > first;
        page.truncate(first);
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_next,
            MemberTotal { makerspace_id },
        );
        connection.edges.extend(page.into_iter().map(|membership| {
            let cursor = Cursor {
                at: membership.created_at,
                id: membership.user_id,
            };
            Edge::new(cursor.encode(), membership)
        }));
        Ok(connection)
    }
}

pub struct MembershipsByUser(pub PgPool);

impl Loader<Uuid> for MembershipsByUser {
    type Value = Vec<Membership>;
    type Error = ApiError;

    async fn load(&self, user_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Membership>>, ApiError> {
        let memberships = sqlx::query_as!(
            Membership,
            r#"select makerspace_id, user_id, role as "role: _", created_at, suspended_at
               from makrcave.memberships where user_id = any($1) order by created_at"#,
            user_ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(memberships, |membership| membership.user_id))
    }
}
