//! Equipment: a makerspace's machines and their status; a status change is announced as an event.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
pub use makrx_service::outbox::EquipmentStatus;
use makrx_service::outbox::{self, EquipmentStatusChanged, topics};
use makrx_service::{ApiError, FieldError, error::on_constraint, parse_id};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::loaders::{Loaders, group_by};
use crate::maintenance::{self, MaintenanceEntry};
use crate::policy;
use crate::policy::MembershipRole;
use crate::reservations::{self, CalendarSlot};
use crate::skills::Skill;
use crate::space::Makerspace;

/// The class of a machine: what plans cover and what a member searches free slots by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum EquipmentClass {
    #[graphql(name = "PRINTER_3D")]
    #[sqlx(rename = "printer_3d")]
    #[serde(rename = "printer_3d")]
    Printer3d,
    LaserCutter,
    Cnc,
    Electronics,
    Woodworking,
    Metalworking,
    Textile,
    Other,
}

impl EquipmentClass {
    /// The class's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Printer3d => "3D printers",
            Self::LaserCutter => "laser cutters",
            Self::Cnc => "CNC machines",
            Self::Electronics => "electronics benches",
            Self::Woodworking => "woodworking machines",
            Self::Metalworking => "metalworking machines",
            Self::Textile => "textile machines",
            Self::Other => "other machines",
        }
    }
}

/// A machine of a makerspace.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Equipment {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub name: String,
    pub kind: String,
    pub status: EquipmentStatus,
    pub class: EquipmentClass,
    pub location: String,
    pub hourly_cost_minor: i64,
    pub requires_approval: bool,
    pub required_skill_id: Option<Uuid>,
    pub required_level: Option<i16>,
    pub created_at: DateTime<Utc>,
}

impl Equipment {
    /// The machine `id` that a booking or a waitlist place of the caller's points at, through
    /// the request's loader; a machine that is gone is a broken reference, not a refusal.
    pub async fn referenced(ctx: &Context<'_>, id: Uuid) -> Result<Self, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .equipment_by_id
            .load_one(id)
            .await?
            .ok_or_else(|| ApiError::internal(format_args!("the machine {id} is missing")))
    }
}

/// A machine of a makerspace.
#[Object]
impl Equipment {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.name
    }

    /// What sort of machine it is (`3D printer`, `laser cutter`, ...).
    async fn kind(&self) -> &str {
        &self.kind
    }

    async fn status(&self) -> EquipmentStatus {
        self.status
    }

    async fn class(&self) -> EquipmentClass {
        self.class
    }

    /// Where it stands in the space.
    async fn location(&self) -> &str {
        &self.location
    }

    /// What an hour on it costs, in the space's currency's minor unit.
    async fn hourly_cost_minor(&self) -> i64 {
        self.hourly_cost_minor
    }

    /// Whether members' bookings wait for staff approval.
    async fn requires_approval(&self) -> bool {
        self.requires_approval
    }

    /// The machine's time from `from` to `to` (at most 31 days), in the space's local time:
    /// free, booked, the caller's own, and blocked. Members of the space only.
    async fn calendar(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CalendarSlot>, ApiError> {
        reservations::calendar(ctx, self, from, to).await
    }

    /// What was done to keep it, newest first; staff and above of its space.
    async fn maintenance_log(&self, ctx: &Context<'_>) -> Result<Vec<MaintenanceEntry>, ApiError> {
        policy::require_role(ctx, caller(ctx), self.makerspace_id, MembershipRole::Staff).await?;
        maintenance::maintenance_log(ctx, self.id).await
    }

    /// The skill and lowest level a member needs to book it; none if anyone may.
    async fn skill_gate(&self, ctx: &Context<'_>) -> Result<Option<SkillGate>, ApiError> {
        let (Some(skill_id), Some(level)) = (self.required_skill_id, self.required_level) else {
            return Ok(None);
        };
        let skill = ctx
            .data_unchecked::<Loaders>()
            .skills
            .load_one(skill_id)
            .await?
            .ok_or_else(|| {
                ApiError::internal(format_args!(
                    "the skill {skill_id} gating machine {} is missing",
                    self.id
                ))
            })?;
        Ok(Some(SkillGate {
            level: skill.level_name(level).to_owned(),
            skill,
        }))
    }

    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Makerspace, ApiError> {
        Makerspace::referenced(ctx, self.makerspace_id).await
    }
}

/// Machines, one at a time.
#[derive(Default)]
pub struct EquipmentQuery;

#[Object]
impl EquipmentQuery {
    /// A machine, where the caller may see its space: anyone for a public space, its members
    /// for a private one (`NOT_FOUND` otherwise, as for a machine that does not exist).
    async fn equipment(&self, ctx: &Context<'_>, id: ID) -> Result<Equipment, ApiError> {
        let id = parse_id(&id, "id")?;
        let caller = caller(ctx);
        sqlx::query_as!(
            Equipment,
            r#"select id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at
               from makrcave.equipment
               where id = $1 and makrcave.may_see_space(makerspace_id, $2, $3)"#,
            id,
            caller.user_id(),
            caller.is_admin(),
        )
        .fetch_optional(ctx.data_unchecked::<PgPool>())
        .await?
        .ok_or_else(|| ApiError::NotFound("equipment".into()))
    }
}

/// A machine to add to a makerspace.
#[derive(InputObject)]
pub struct AddEquipmentInput {
    makerspace_id: ID,
    /// Unique within the space, 1 to 100 characters.
    name: String,
    /// What sort of machine it is, 1 to 60 characters (`Trotec Speedy 360, 80 W`).
    kind: String,
    #[graphql(default_with = "EquipmentClass::Other")]
    class: EquipmentClass,
    /// Where it stands, up to 100 characters.
    location: Option<String>,
    #[graphql(default)]
    hourly_cost_minor: i64,
    #[graphql(default)]
    requires_approval: bool,
}

/// New details for a machine; what is left out stays as it is.
#[derive(InputObject)]
pub struct UpdateEquipmentInput {
    equipment_id: ID,
    name: Option<String>,
    kind: Option<String>,
    class: Option<EquipmentClass>,
    location: Option<String>,
    hourly_cost_minor: Option<i64>,
    requires_approval: Option<bool>,
}

/// The skill and lowest level booking a machine takes; `skillId` null lifts the gate.
#[derive(InputObject)]
pub struct SetSkillGateInput {
    equipment_id: ID,
    skill_id: Option<ID>,
    /// One of the skill's levels; needed with a skill.
    level: Option<String>,
}

/// The skill and lowest level a member needs to book a machine.
#[derive(Clone, Debug, SimpleObject)]
pub struct SkillGate {
    pub skill: Skill,
    pub level: String,
}

/// A machine's new status.
#[derive(InputObject)]
pub struct SetEquipmentStatusInput {
    equipment_id: ID,
    status: EquipmentStatus,
}

/// Checks a machine's describable details, each only when given.
fn check_details(
    name: Option<&str>,
    kind: Option<&str>,
    location: Option<&str>,
    hourly_cost_minor: Option<i64>,
) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    let mut check = |field: &str, ok: bool, message: &str| {
        if !ok {
            problems.push(FieldError {
                field: field.into(),
                message: message.into(),
            });
        }
    };
    let length = |text: Option<&str>| text.map(|text| text.chars().count());
    check(
        "name",
        length(name).is_none_or(|n| (1..=100).contains(&n)),
        "must be 1 to 100 characters",
    );
    check(
        "kind",
        length(kind).is_none_or(|n| (1..=60).contains(&n)),
        "must be 1 to 60 characters",
    );
    check(
        "location",
        length(location).is_none_or(|n| n <= 100),
        "must be at most 100 characters",
    );
    check(
        "hourlyCostMinor",
        hourly_cost_minor.is_none_or(|cost| cost >= 0),
        "must not be negative",
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// The machine with `id` and the id of its space, or `NOT_FOUND`.
async fn machine_space(db: &PgPool, id: Uuid) -> Result<Uuid, ApiError> {
    sqlx::query_scalar!(
        "select makerspace_id from makrcave.equipment where id = $1",
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::NotFound("equipment".into()))
}

fn name_taken(name: &str) -> impl FnOnce(sqlx::Error) -> ApiError + '_ {
    move |err| {
        on_constraint(err, "equipment_name_per_space_key", || {
            ApiError::Conflict(format!(
                "the makerspace already has a machine named {name:?}"
            ))
        })
    }
}

#[derive(Default)]
pub struct EquipmentMutation;

#[Object(guard = "SignedIn")]
impl EquipmentMutation {
    /// Adds a machine to a makerspace; staff and above.
    async fn add_equipment(
        &self,
        ctx: &Context<'_>,
        input: AddEquipmentInput,
    ) -> Result<Equipment, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let name = input.name.trim();
        let kind = input.kind.trim();
        let location = input.location.as_deref().unwrap_or_default().trim();
        check_details(
            Some(name),
            Some(kind),
            Some(location),
            Some(input.hourly_cost_minor),
        )?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let machine = sqlx::query_as!(
            Equipment,
            r#"insert into makrcave.equipment
                   (id, makerspace_id, name, kind, class, location, hourly_cost_minor, requires_approval)
               values ($1, $2, $3, $4, $5, $6, $7, $8)
               returning id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at"#,
            Uuid::now_v7(),
            makerspace_id,
            name,
            kind,
            input.class as EquipmentClass,
            location,
            input.hourly_cost_minor,
            input.requires_approval,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken(name))?;
        record(&mut tx, actor, Action::EQUIPMENT_ADDED, None, &machine).await?;
        tx.commit().await?;
        Ok(machine)
    }

    /// Changes a machine's name, class, location, hourly cost or approval rule; staff and above.
    async fn update_equipment(
        &self,
        ctx: &Context<'_>,
        input: UpdateEquipmentInput,
    ) -> Result<Equipment, ApiError> {
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let makerspace_id = machine_space(db, equipment_id).await?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let name = input.name.as_deref().map(str::trim);
        let kind = input.kind.as_deref().map(str::trim);
        let location = input.location.as_deref().map(str::trim);
        check_details(name, kind, location, input.hourly_cost_minor)?;
        let mut tx = db.begin().await?;
        let before = lock(&mut tx, equipment_id).await?;
        let after = sqlx::query_as!(
            Equipment,
            r#"update makrcave.equipment set
                   name = coalesce($2, name), kind = coalesce($3, kind),
                   class = coalesce($4, class), location = coalesce($5, location),
                   hourly_cost_minor = coalesce($6, hourly_cost_minor),
                   requires_approval = coalesce($7, requires_approval), updated_at = now()
               where id = $1
               returning id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at"#,
            equipment_id,
            name,
            kind,
            input.class as Option<EquipmentClass>,
            location,
            input.hourly_cost_minor,
            input.requires_approval,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken(name.unwrap_or_default()))?;
        record(
            &mut tx,
            actor,
            Action::EQUIPMENT_UPDATED,
            Some(&before),
            &after,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Says which skill, at which level at least, booking a machine takes; staff and above.
    async fn set_equipment_skill_gate(
        &self,
        ctx: &Context<'_>,
        input: SetSkillGateInput,
    ) -> Result<Equipment, ApiError> {
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let skill_id = input
            .skill_id
            .as_ref()
            .map(|skill_id| parse_id(skill_id, "skillId"))
            .transpose()?;
        let db = ctx.data_unchecked::<PgPool>();
        let makerspace_id = machine_space(db, equipment_id).await?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let gate = Skill::gate_in(db, makerspace_id, skill_id, input.level.as_deref()).await?;
        let mut tx = db.begin().await?;
        let before = lock(&mut tx, equipment_id).await?;
        let after = sqlx::query_as!(
            Equipment,
            r#"update makrcave.equipment set required_skill_id = $2, required_level = $3, updated_at = now()
               where id = $1
               returning id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at"#,
            equipment_id,
            gate.map(|(skill, _)| skill),
            gate.map(|(_, level)| level),
        )
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Action::EQUIPMENT_SKILL_GATE_SET,
            Some(&before),
            &after,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a machine's status and announces it to subscribers; staff and above.
    async fn set_equipment_status(
        &self,
        ctx: &Context<'_>,
        input: SetEquipmentStatusInput,
    ) -> Result<Equipment, ApiError> {
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let makerspace_id = machine_space(db, equipment_id).await?;
        let actor =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let mut tx = db.begin().await?;
        let before = lock(&mut tx, equipment_id).await?;
        if before.status == input.status {
            return Ok(before);
        }
        let after = sqlx::query_as!(
            Equipment,
            r#"update makrcave.equipment set status = $2, updated_at = now() where id = $1
               returning id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at"#,
            equipment_id,
            input.status as EquipmentStatus,
        )
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Action::EQUIPMENT_STATUS_SET,
            Some(&before),
            &after,
        )
        .await?;
        let event = EquipmentStatusChanged {
            equipment_id: after.id,
            makerspace_id: after.makerspace_id,
            status: after.status,
            changed_at: Utc::now(),
        };
        outbox::publish(&mut tx, topics::EQUIPMENT_STATUS_CHANGED, &event).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The machine's row, locked for the rest of `tx`.
async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Equipment, ApiError> {
    sqlx::query_as!(
        Equipment,
        r#"select id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                  hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at
           from makrcave.equipment where id = $1 for update"#,
        id
    )
    .fetch_optional(tx)
    .await?
    .ok_or_else(|| ApiError::NotFound("equipment".into()))
}

async fn record(
    tx: &mut PgConnection,
    actor: Uuid,
    action: Action,
    before: Option<&Equipment>,
    after: &Equipment,
) -> Result<(), ApiError> {
    changes::record(
        tx,
        Change {
            actor,
            action,
            entity_id: after.id,
            makerspace_id: after.makerspace_id,
            before,
            after: Some(after),
        },
    )
    .await
}

pub struct EquipmentBySpace(pub PgPool);

impl Loader<Uuid> for EquipmentBySpace {
    type Value = Vec<Equipment>;
    type Error = ApiError;

    async fn load(&self, space_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Equipment>>, ApiError> {
        let machines = sqlx::query_as!(
            Equipment,
            r#"select id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at
               from makrcave.equipment where makerspace_id = any($1) order by name"#,
            space_ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(machines, |machine| machine.makerspace_id))
    }
}

pub struct EquipmentById(pub PgPool);

impl Loader<Uuid> for EquipmentById {
    type Value = Equipment;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Equipment>, ApiError> {
        let machines = sqlx::query_as!(
            Equipment,
            r#"select id, makerspace_id, name, kind, status as "status: _", class as "class: _", location,
                      hourly_cost_minor, requires_approval, required_skill_id, required_level, created_at
               from makrcave.equipment where id = any($1)"#,
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(machines
            .into_iter()
            .map(|machine| (machine.id, machine))
            .collect())
    }
}
