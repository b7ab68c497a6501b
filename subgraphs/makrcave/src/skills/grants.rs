//! A member's level in a skill: granted (and replaced) by staff or by a settled check-off,
//! revoked by staff, read by the member and by the space's members.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::policy;
use crate::policy::MembershipRole;

use super::Skill;

/// A member's level in a skill.
#[derive(Clone, Debug, Serialize, SimpleObject)]
pub struct SkillGrant {
    pub skill: Skill,
    pub user_id: ID,
    /// The level's name.
    pub level: String,
    /// Its position among the skill's levels, 1 being the lowest.
    pub rank: i32,
    /// When it lapses; none if it does not.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether it has lapsed already.
    pub expired: bool,
}

#[derive(InputObject)]
pub struct GrantSkillInput {
    skill_id: ID,
    user_id: ID,
    /// One of the skill's level names.
    level: String,
    expires_at: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct RevokeSkillInput {
    skill_id: ID,
    user_id: ID,
}

struct GrantRow {
    skill_id: Uuid,
    user_id: Uuid,
    level: i16,
    expires_at: Option<DateTime<Utc>>,
}

async fn grants_of(
    db: &PgPool,
    user_id: Uuid,
    makerspace_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<SkillGrant>, ApiError> {
    let rows = sqlx::query!(
        "select s.id, s.makerspace_id, s.name, s.description, s.levels, g.level, g.expires_at
         from makrcave.skill_grants g join makrcave.skills s on s.id = g.skill_id
         where g.user_id = $1 and ($2::uuid is null or s.makerspace_id = $2)
         order by s.name",
        user_id,
        makerspace_id,
    )
    .fetch_all(db)
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
            grant(
                skill,
                GrantRow {
                    skill_id: row.id,
                    user_id,
                    level: row.level,
                    expires_at: row.expires_at,
                },
                now,
            )
        })
        .collect())
}

fn grant(skill: Skill, row: GrantRow, now: DateTime<Utc>) -> SkillGrant {
    debug_assert_eq!(skill.id, row.skill_id);
    SkillGrant {
        level: skill.level_name(row.level).to_owned(),
        skill,
        user_id: ID(row.user_id.to_string()),
        rank: i32::from(row.level),
        expires_at: row.expires_at,
        expired: row.expires_at.is_some_and(|at| at <= now),
    }
}

/// Whether `user_id` is a member (of any role) of the space.
async fn is_member(db: &PgPool, makerspace_id: Uuid, user_id: Uuid) -> Result<bool, ApiError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from makrcave.memberships
                         where makerspace_id = $1 and user_id = $2) as "exists!""#,
        makerspace_id,
        user_id
    )
    .fetch_one(db)
    .await?)
}

#[derive(Default)]
pub struct GrantQuery;

#[Object]
impl GrantQuery {
    /// The caller's skills with their levels and expiry, in one space or in all.
    async fn my_skills(
        &self,
        ctx: &Context<'_>,
        makerspace_id: Option<ID>,
    ) -> Result<Vec<SkillGrant>, ApiError> {
        let user = caller(ctx).user()?.id;
        let makerspace_id = makerspace_id
            .map(|id| parse_id(&id, "makerspaceId"))
            .transpose()?;
        let now = ctx.data_unchecked::<Clock>().now();
        grants_of(ctx.data_unchecked::<PgPool>(), user, makerspace_id, now).await
    }

    /// A member's skills in a space; staff and above.
    async fn member_skills(
        &self,
        ctx: &Context<'_>,
        makerspace_id: ID,
        user_id: ID,
    ) -> Result<Vec<SkillGrant>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        let user_id = parse_id(&user_id, "userId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        grants_of(
            ctx.data_unchecked::<PgPool>(),
            user_id,
            Some(makerspace_id),
            now,
        )
        .await
    }
}

#[derive(Default)]
pub struct GrantMutation;

#[Object(guard = "SignedIn")]
impl GrantMutation {
    /// Gives a member a level in a skill (replacing any level they had); staff and above.
    async fn grant_skill(
        &self,
        ctx: &Context<'_>,
        input: GrantSkillInput,
    ) -> Result<SkillGrant, ApiError> {
        let skill_id = parse_id(&input.skill_id, "skillId")?;
        let user_id = parse_id(&input.user_id, "userId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let skill = Skill::load(db, skill_id).await?;
        let actor =
            policy::require_role(ctx, caller(ctx), skill.makerspace_id, MembershipRole::Staff)
                .await?;
        let level = skill.parse_level(&input.level, "level")?;
        let now = ctx.data_unchecked::<Clock>().now();
        if input.expires_at.is_some_and(|at| at <= now) {
            return Err(ApiError::invalid("expiresAt", "must be in the future"));
        }
        if !is_member(db, skill.makerspace_id, user_id).await? {
            return Err(ApiError::NotFound("member".into()));
        }
        let mut tx = db.begin().await?;
        grant_in(&mut tx, &skill, user_id, level, input.expires_at, actor).await?;
        tx.commit().await?;
        Ok(grant(
            skill,
            GrantRow {
                skill_id,
                user_id,
                level,
                expires_at: input.expires_at,
            },
            now,
        ))
    }

    /// Takes a member's level in a skill away; staff and above. Answers whether they had one.
    async fn revoke_skill(
        &self,
        ctx: &Context<'_>,
        input: RevokeSkillInput,
    ) -> Result<bool, ApiError> {
        let skill_id = parse_id(&input.skill_id, "skillId")?;
        let user_id = parse_id(&input.user_id, "userId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let skill = Skill::load(db, skill_id).await?;
        let actor =
            policy::require_role(ctx, caller(ctx), skill.makerspace_id, MembershipRole::Staff)
                .await?;
        let mut tx = db.begin().await?;
        let removed = sqlx::query_as!(
            GrantRecord,
            "delete from makrcave.skill_grants where skill_id = $1 and user_id = $2
             returning skill_id, user_id, level, expires_at",
            skill_id,
            user_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(before) = &removed {
            changes::record(
                &mut tx,
                Change {
                    actor,
                    action: Action::SKILL_REVOKED,
                    entity_id: skill_id,
                    makerspace_id: skill.makerspace_id,
                    before: Some(before),
                    after: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed.is_some())
    }
}

/// A member's level in a skill, as the audit log keeps it before and after a change.
#[derive(Serialize)]
struct GrantRecord {
    skill_id: Uuid,
    user_id: Uuid,
    level: i16,
    expires_at: Option<DateTime<Utc>>,
}

/// Gives `user_id` the level `rank` of `skill` inside `tx`, recording the change.
pub(super) async fn grant_in(
    tx: &mut sqlx::PgConnection,
    skill: &Skill,
    user_id: Uuid,
    rank: i16,
    expires_at: Option<DateTime<Utc>>,
    actor: Uuid,
) -> Result<(), ApiError> {
    let before = sqlx::query_as!(
        GrantRecord,
        "select skill_id, user_id, level, expires_at from makrcave.skill_grants
         where skill_id = $1 and user_id = $2 for update",
        skill.id,
        user_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let after = sqlx::query_as!(
        GrantRecord,
        "insert into makrcave.skill_grants (skill_id, user_id, level, granted_by, expires_at)
         values ($1, $2, $3, $4, $5)
         on conflict (skill_id, user_id) do update
         set level = excluded.level, granted_by = excluded.granted_by,
             expires_at = excluded.expires_at, updated_at = now()
         returning skill_id, user_id, level, expires_at",
        skill.id,
        user_id,
        rank,
        actor,
        expires_at,
    )
    .fetch_one(&mut *tx)
    .await?;
    changes::record(
        tx,
        Change {
            actor,
            action: Action::SKILL_GRANTED,
            entity_id: skill.id,
            makerspace_id: skill.makerspace_id,
            before: before.as_ref(),
            after: Some(&after),
        },
    )
    .await
}
