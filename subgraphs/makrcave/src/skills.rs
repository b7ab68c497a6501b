//! Skills: what a member has been trained on, at which level. Levels are ordered (novice <
//! basic < advanced ...) and compared by that order, never by their names. Staff define
//! skills, grant levels (which may expire) and settle members' check-off requests.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, FieldError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::members::MembershipRole;
use crate::policy;

/// Something a member can be trained on, with its levels from lowest to highest.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Skill {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub name: String,
    pub description: String,
    pub levels: Vec<String>,
}

impl Skill {
    /// The level's name at `rank` (1 is the lowest).
    pub fn level_name(&self, rank: i16) -> &str {
        usize::try_from(rank - 1)
            .ok()
            .and_then(|index| self.levels.get(index))
            .map_or("?", String::as_str)
    }

    /// The rank (1 is the lowest) of the level named `name`.
    fn rank_of(&self, name: &str) -> Option<i16> {
        let name = name.trim();
        self.levels
            .iter()
            .position(|level| level.eq_ignore_ascii_case(name))
            .map(|index| index as i16 + 1)
    }

    /// The rank a request names, or a validation error on `field` listing the levels.
    pub fn parse_level(&self, name: &str, field: &str) -> Result<i16, ApiError> {
        self.rank_of(name).ok_or_else(|| {
            ApiError::invalid(
                field,
                format!(
                    "must be one of the levels of {}: {}",
                    self.name,
                    self.levels.join(", ")
                ),
            )
        })
    }

    pub async fn load(db: &PgPool, id: Uuid) -> Result<Skill, ApiError> {
        sqlx::query_as!(
            Skill,
            "select id, makerspace_id, name, description, levels from makrcave.skills where id = $1",
            id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("skill".into()))
    }
}

#[Object]
impl Skill {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.name
    }

    async fn description(&self) -> &str {
        &self.description
    }

    /// Its levels, lowest first.
    async fn levels(&self) -> &[String] {
        &self.levels
    }
}

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

/// A member asks staff to check them off at a level.
#[derive(Clone, Debug, Serialize, SimpleObject)]
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

#[derive(InputObject)]
pub struct CreateSkillInput {
    makerspace_id: ID,
    /// Unique in the space, 1 to 80 characters.
    name: String,
    description: Option<String>,
    /// 1 to 10 distinct level names, lowest first.
    levels: Vec<String>,
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
pub struct SkillQuery;

#[Object]
impl SkillQuery {
    /// A space's skills, by name; its members only.
    async fn skills(&self, ctx: &Context<'_>, makerspace_id: ID) -> Result<Vec<Skill>, ApiError> {
        let makerspace_id = parse_id(&makerspace_id, "makerspaceId")?;
        policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Member).await?;
        Ok(sqlx::query_as!(
            Skill,
            "select id, makerspace_id, name, description, levels from makrcave.skills
             where makerspace_id = $1 order by name",
            makerspace_id
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?)
    }

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
pub struct SkillMutation;

#[Object(guard = "SignedIn")]
impl SkillMutation {
    /// Defines a skill with its levels, lowest first; staff and above.
    async fn create_skill(
        &self,
        ctx: &Context<'_>,
        input: CreateSkillInput,
    ) -> Result<Skill, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let name = input.name.trim().to_owned();
        let description = input.description.unwrap_or_default().trim().to_owned();
        let levels: Vec<String> = input
            .levels
            .iter()
            .map(|level| level.trim().to_owned())
            .collect();
        let mut problems = Vec::new();
        if !(1..=80).contains(&name.chars().count()) {
            problems.push(FieldError {
                field: "name".into(),
                message: "must be 1 to 80 characters".into(),
            });
        }
        let distinct = levels.iter().enumerate().all(|(index, level)| {
            !levels[..index]
                .iter()
                .any(|other| other.eq_ignore_ascii_case(level))
        });
        if !(1..=10).contains(&levels.len())
            || !distinct
            || levels
                .iter()
                .any(|level| !(1..=40).contains(&level.chars().count()))
        {
            problems.push(FieldError {
                field: "levels".into(),
                message: "must be 1 to 10 distinct names of 1 to 40 characters, lowest first"
                    .into(),
            });
        }
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let skill = sqlx::query_as!(
            Skill,
            "insert into makrcave.skills (id, makerspace_id, name, description, levels)
             values ($1, $2, $3, $4, $5)
             returning id, makerspace_id, name, description, levels",
            Uuid::now_v7(),
            makerspace_id,
            name,
            description,
            &levels,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            makrx_service::error::on_constraint(err, "skills_name_per_space_key", || {
                ApiError::Conflict(format!("the makerspace already has a skill named {name:?}"))
            })
        })?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::SKILL_CREATED,
                entity_id: skill.id,
                makerspace_id,
                before: None,
                after: Some(&skill),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(skill)
    }

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

/// A member's level in a skill, as the audit log keeps it before and after a change.
#[derive(Serialize)]
struct GrantRecord {
    skill_id: Uuid,
    user_id: Uuid,
    level: i16,
    expires_at: Option<DateTime<Utc>>,
}

/// Gives `user_id` the level `rank` of `skill` inside `tx`, recording the change.
async fn grant_in(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ranked_by_their_order_not_their_names() {
        let skill = Skill {
            id: Uuid::nil(),
            makerspace_id: Uuid::nil(),
            name: "Laser safety".into(),
            description: String::new(),
            // Alphabetically "advanced" < "basic" < "expert" < "novice"; by order the reverse.
            levels: vec![
                "novice".into(),
                "basic".into(),
                "advanced".into(),
                "expert".into(),
            ],
        };
        assert_eq!(skill.rank_of("novice"), Some(1));
        assert_eq!(skill.rank_of("Expert"), Some(4));
        assert!(skill.rank_of("advanced") > skill.rank_of("basic"));
        assert_eq!(skill.rank_of("guru"), None);
        assert_eq!(skill.level_name(2), "basic");
    }
}
