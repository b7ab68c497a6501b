//! Check-offs: a member asks to be checked off at a level, and staff grant or decline it.

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::members::User;
use crate::policy;
use crate::policy::MembershipRole;

use super::Skill;
use super::grants::grant_in;

/// A member asks staff to check them off at a level.
#[derive(Clone, Debug, Serialize, SimpleObject)]
#[graphql(complex)]
pub struct CheckoffRequest {
    pub id: ID,
    pub skill: Skill,
    pub user_id: ID,
    pub level: String,
    pub note: String,
    /// `pending`, `granted` or `declined`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[ComplexObject]
impl CheckoffRequest {
    /// The member asking.
    async fn user(&self) -> Result<User, ApiError> {
        Ok(User {
            id: parse_id(&self.user_id, "userId")?,
        })
    }
}

#[derive(InputObject)]
pub struct RequestCheckoffInput {
    skill_id: ID,
    level: String,
    note: Option<String>,
}

#[derive(InputObject)]
pub struct SettleCheckoffInput {
    request_id: ID,
    /// Grant the level asked for, or decline.
    grant: bool,
    expires_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct CheckoffQuery;

#[Object]
impl CheckoffQuery {
    /// The space's open check-off requests, oldest first; staff and above.
    async fn checkoff_requests(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
    ) -> Result<Vec<CheckoffRequest>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let rows = sqlx::query!(
            "select r.id as request_id, r.user_id, r.level, r.note, r.status, r.created_at,
                    s.id, s.makerspace_id, s.name, s.description, s.levels
             from makrcave.checkoff_requests r join makrcave.skills s on s.id = r.skill_id
             where s.makerspace_id = $1 and r.status = 'pending' order by r.created_at",
            makerspace_id
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let skill = Skill {
                    id: row.id,
                    makerspace_id: row.makerspace_id,
                    name: row.name,
                    description: row.description,
                    levels: row.levels,
                };
                CheckoffRequest {
                    id: ID(row.request_id.to_string()),
                    level: skill.level_name(row.level).to_owned(),
                    skill,
                    user_id: ID(row.user_id.to_string()),
                    note: row.note,
                    status: row.status,
                    created_at: row.created_at,
                }
            })
            .collect())
    }
}

#[derive(Default)]
pub struct CheckoffMutation;

#[Object(guard = "SignedIn")]
impl CheckoffMutation {
    /// Asks the space's staff to check the caller off at a level; members of the space.
    async fn request_checkoff(
        &self,
        ctx: &Context<'_>,
        input: RequestCheckoffInput,
    ) -> Result<CheckoffRequest, ApiError> {
        let skill_id = parse_id(&input.skill_id, "skillId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let skill = Skill::load(db, skill_id).await?;
        let actor = policy::require_role(
            ctx,
            caller(ctx),
            skill.makerspace_id,
            MembershipRole::Member,
        )
        .await?;
        let level = skill.parse_level(&input.level, "level")?;
        let note = input.note.unwrap_or_default().trim().to_owned();
        if note.chars().count() > 500 {
            return Err(ApiError::invalid("note", "must be at most 500 characters"));
        }
        let mut tx = db.begin().await?;
        let row = sqlx::query!(
            "insert into makrcave.checkoff_requests (id, skill_id, user_id, level, note)
             values ($1, $2, $3, $4, $5) returning id, created_at",
            Uuid::now_v7(),
            skill_id,
            actor,
            level,
            note,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            makrx_service::error::on_constraint(err, "checkoff_requests_one_pending_key", || {
                ApiError::Conflict(
                    "you already have a check-off request open for this skill".into(),
                )
            })
        })?;
        let request = CheckoffRequest {
            id: ID(row.id.to_string()),
            level: skill.level_name(level).to_owned(),
            skill,
            user_id: ID(actor.to_string()),
            note,
            status: "pending".into(),
            created_at: row.created_at,
        };
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::CHECKOFF_REQUESTED,
                entity_id: row.id,
                makerspace_id: request.skill.makerspace_id,
                before: None,
                after: Some(&request),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(request)
    }

    /// Grants or declines a check-off request; staff and above.
    async fn settle_checkoff(
        &self,
        ctx: &Context<'_>,
        input: SettleCheckoffInput,
    ) -> Result<CheckoffRequest, ApiError> {
        let request_id = parse_id(&input.request_id, "requestId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let not_found = || ApiError::NotFound("check-off request".into());
        let row = sqlx::query!(
            "select skill_id, user_id, level, note, created_at from makrcave.checkoff_requests
             where id = $1 and status = 'pending'",
            request_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)?;
        let skill = Skill::load(db, row.skill_id).await?;
        let actor =
            policy::require_role(ctx, caller(ctx), skill.makerspace_id, MembershipRole::Staff)
                .await?;
        let now = ctx.data_unchecked::<Clock>().now();
        if input.expires_at.is_some_and(|at| at <= now) {
            return Err(ApiError::invalid("expiresAt", "must be in the future"));
        }
        let status = if input.grant { "granted" } else { "declined" };
        let mut tx = db.begin().await?;
        let settled = sqlx::query!(
            "update makrcave.checkoff_requests set status = $2, settled_by = $3, updated_at = now()
             where id = $1 and status = 'pending'",
            request_id,
            status,
            actor,
        )
        .execute(&mut *tx)
        .await?;
        if settled.rows_affected() == 0 {
            return Err(not_found());
        }
        if input.grant {
            grant_in(
                &mut tx,
                &skill,
                row.user_id,
                row.level,
                input.expires_at,
                actor,
            )
            .await?;
        }
        let pending = CheckoffRequest {
            id: ID(request_id.to_string()),
            level: skill.level_name(row.level).to_owned(),
            skill,
            user_id: ID(row.user_id.to_string()),
            note: row.note,
            status: "pending".into(),
            created_at: row.created_at,
        };
        let request = CheckoffRequest {
            status: status.into(),
            ..pending.clone()
        };
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::CHECKOFF_SETTLED,
                entity_id: request_id,
                makerspace_id: request.skill.makerspace_id,
                before: Some(&pending),
                after: Some(&request),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(request)
    }
}
