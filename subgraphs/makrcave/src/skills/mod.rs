//! Skills: what a member has been trained on, at which level. Levels are ordered (novice <
//! basic < advanced ...) and compared by that order, never by their names. Staff define
//! skills, grant levels (which may expire, `grants`) and settle members' check-off requests
//! (`checkoffs`).

mod checkoffs;
mod grants;

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, FieldError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::policy;
use crate::policy::MembershipRole;

pub use checkoffs::{CheckoffMutation, CheckoffQuery};
pub use grants::{GrantMutation, GrantQuery};

/// Something a member can be trained on, with its levels from lowest to highest.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Skill {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub name: String,
    pub description: String,
    pub levels: Vec<String>,
}

/// The name of the level at `rank` (1 is the lowest) among `levels`.
fn level_name(levels: &[String], rank: i16) -> &str {
    usize::try_from(rank - 1)
        .ok()
        .and_then(|index| levels.get(index))
        .map_or("?", String::as_str)
}

/// A person's level in a skill, and when it lapses.
#[derive(Clone, Copy)]
pub struct Grant {
    pub level: i16,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Who a refusal speaks of: the person asking (a member booking), or someone else (the
/// member staff lend a tool to).
#[derive(Clone, Copy)]
pub enum Holder {
    Asker,
    Other,
}

impl Holder {
    fn has(self) -> &'static str {
        match self {
            Self::Asker => "you have",
            Self::Other => "they have",
        }
    }

    fn theirs(self) -> &'static str {
        match self {
            Self::Asker => "yours",
            Self::Other => "theirs",
        }
    }
}

/// A skill at a level someone needs: to book a machine, to borrow a tool. The one home of the
/// check that they hold it.
pub struct RequiredLevel {
    pub skill: String,
    levels: Vec<String>,
    pub level: i16,
}

impl RequiredLevel {
    /// The skill named `skill`, with its `levels`, at the level ranked `level`.
    pub fn new(skill: String, levels: Vec<String>, level: i16) -> Self {
        Self {
            skill,
            levels,
            level,
        }
    }

    pub fn level_name(&self, rank: i16) -> &str {
        level_name(&self.levels, rank)
    }

    /// Refuses (`FORBIDDEN`, saying why) a `holder` whose `grant` is below the level, or
    /// lapses before `until`; `what` is what needs it (`booking the Laser`), `local` writes a
    /// time as people in the space read it.
    pub fn admits(
        &self,
        what: &str,
        holder: Holder,
        grant: Option<Grant>,
        until: DateTime<Utc>,
        local: impl Fn(DateTime<Utc>) -> String,
    ) -> Result<(), ApiError> {
        let needed = format!(
            "{what} needs {} at level {} or above",
            self.skill,
            self.level_name(self.level)
        );
        match grant {
            None => Err(ApiError::Forbidden(format!(
                "{needed}; {} no level in it",
                holder.has()
            ))),
            Some(grant) if grant.level < self.level => Err(ApiError::Forbidden(format!(
                "{needed}; {} {}",
                holder.has(),
                self.level_name(grant.level)
            ))),
            Some(Grant {
                expires_at: Some(expires_at),
                ..
            }) if expires_at < until => Err(ApiError::Forbidden(format!(
                "{needed}; {} lapses {}",
                holder.theirs(),
                local(expires_at)
            ))),
            Some(_) => Ok(()),
        }
    }
}

impl Skill {
    /// The gate a request asks for, in `space`: the skill `skill_id` at the level named
    /// `level` (its id and the level's rank), or none without a skill. `NOT_FOUND` for a skill
    /// of another space; a validation error when the level is missing or not the skill's.
    /// What staff set on a machine to book it and on a tool to borrow it.
    pub async fn gate_in(
        db: &PgPool,
        space: Uuid,
        skill_id: Option<Uuid>,
        level: Option<&str>,
    ) -> Result<Option<(Uuid, i16)>, ApiError> {
        let Some(skill_id) = skill_id else {
            return Ok(None);
        };
        let skill = Skill::load(db, skill_id).await?;
        if skill.makerspace_id != space {
            return Err(ApiError::NotFound("skill".into()));
        }
        let level = level.ok_or_else(|| ApiError::invalid("level", "is needed with a skill"))?;
        Ok(Some((skill.id, skill.parse_level(level, "level")?)))
    }

    /// The level's name at `rank` (1 is the lowest).
    pub fn level_name(&self, rank: i16) -> &str {
        level_name(&self.levels, rank)
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

#[derive(InputObject)]
pub struct CreateSkillInput {
    makerspace_id: ID,
    /// Unique in the space, 1 to 80 characters.
    name: String,
    description: Option<String>,
    /// 1 to 10 distinct level names, lowest first.
    levels: Vec<String>,
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
}

pub struct SkillById(pub PgPool);

impl Loader<Uuid> for SkillById {
    type Value = Skill;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Skill>, ApiError> {
        let skills = sqlx::query_as!(
            Skill,
            "select id, makerspace_id, name, description, levels from makrcave.skills
             where id = any($1)",
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(skills.into_iter().map(|skill| (skill.id, skill)).collect())
    }
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
