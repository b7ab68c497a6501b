//! Memberships: who belongs to which makerspace, in which role, contributed to the `User` entity.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use makrx_service::ApiError;
use makrx_service::graphql::caller;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::loaders::Loaders;
use crate::makerspaces::Makerspace;
use crate::policy;

/// A person's role in a makerspace. Roles are ordered: each may do all that the ones before it
/// may (see `policy`).
#[derive(
    Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MembershipRole {
    Member,
    Staff,
    Manager,
    Owner,
}

impl MembershipRole {
    /// The role's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Staff => "staff",
            Self::Manager => "manager",
            Self::Owner => "owner",
        }
    }
}

/// A person's place in a makerspace.
#[derive(Clone, Debug, sqlx::FromRow)]
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
        ctx.data_unchecked::<Loaders>()
            .makerspaces
            .load_one(self.makerspace_id)
            .await?
            .ok_or(ApiError::Internal)
    }

    async fn role(&self) -> MembershipRole {
        self.role
    }

    /// When the person joined.
    async fn since(&self) -> DateTime<Utc> {
        self.created_at
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

#[derive(Default)]
pub struct MemberQuery;

#[Object]
impl MemberQuery {
    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Option<User> {
        id.parse().ok().map(|id| User { id })
    }
}
