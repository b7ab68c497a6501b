//! Equipment: a makerspace's machines and their status; a status change is announced as an event.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::caller;
use makrx_service::outbox::{self, EquipmentStatusChanged, topics};
use makrx_service::{ApiError, FieldError, audit, error::on_constraint, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::loaders::Loaders;
use crate::makerspaces::Makerspace;
use crate::members::MembershipRole;
use crate::policy;

/// Whether a machine can be used now.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum EquipmentStatus {
    Available,
    InUse,
    Maintenance,
    OutOfOrder,
}

/// A machine of a makerspace.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Equipment {
    pub id: Uuid,
    pub makerspace_id: Uuid,
    pub name: String,
    pub kind: String,
    pub status: EquipmentStatus,
    pub created_at: DateTime<Utc>,
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

    async fn makerspace(&self, ctx: &Context<'_>) -> Result<Makerspace, ApiError> {
        ctx.data_unchecked::<Loaders>()
            .makerspaces
            .load_one(self.makerspace_id)
            .await?
            .ok_or(ApiError::Internal)
    }
}

/// A machine to add to a makerspace.
#[derive(InputObject)]
pub struct AddEquipmentInput {
    makerspace_id: ID,
    /// Unique within the space, 1 to 100 characters.
    name: String,
    /// What sort of machine it is, 1 to 60 characters.
    kind: String,
}

/// A machine's new status.
#[derive(InputObject)]
pub struct SetEquipmentStatusInput {
    equipment_id: ID,
    status: EquipmentStatus,
}

#[derive(Default)]
pub struct EquipmentMutation;

#[Object]
impl EquipmentMutation {
    /// Adds a machine to a makerspace; its owner only.
    async fn add_equipment(
        &self,
        ctx: &Context<'_>,
        input: AddEquipmentInput,
    ) -> Result<Equipment, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let owner =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;
        let name = input.name.trim();
        let kind = input.kind.trim();
        let mut problems = Vec::new();
        if !(1..=100).contains(&name.chars().count()) {
            problems.push(FieldError {
                field: "name".into(),
                message: "must be 1 to 100 characters".into(),
            });
        }
        if !(1..=60).contains(&kind.chars().count()) {
            problems.push(FieldError {
                field: "kind".into(),
                message: "must be 1 to 60 characters".into(),
            });
        }
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let machine = sqlx::query_as!(
            Equipment,
            r#"insert into makrcave.equipment (id, makerspace_id, name, kind) values ($1, $2, $3, $4)
               returning id, makerspace_id, name, kind, status as "status: _", created_at"#,
            Uuid::now_v7(),
            makerspace_id,
            name,
            kind,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            on_constraint(err, "equipment_name_per_space_key", || {
                ApiError::Conflict(format!("the makerspace already has a machine named {name:?}"))
            })
        })?;
        audit::record(
            &mut tx,
            Some(owner),
            "equipment.added",
            "equipment",
            machine.id,
            None,
            Some(&machine),
        )
        .await?;
        tx.commit().await?;
        Ok(machine)
    }

    /// Sets a machine's status and announces it to subscribers; the space's owner only.
    async fn set_equipment_status(
        &self,
        ctx: &Context<'_>,
        input: SetEquipmentStatusInput,
    ) -> Result<Equipment, ApiError> {
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let not_found = || ApiError::NotFound("equipment".into());
        let makerspace_id = sqlx::query_scalar!(
            "select makerspace_id from makrcave.equipment where id = $1",
            equipment_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)?;
        let owner =
            policy::require_role(ctx, caller(ctx), makerspace_id, MembershipRole::Staff).await?;

        let mut tx = db.begin().await?;
        let before = sqlx::query_as!(
            Equipment,
            r#"select id, makerspace_id, name, kind, status as "status: _", created_at
               from makrcave.equipment where id = $1 for update"#,
            equipment_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
        if before.status == input.status {
            return Ok(before);
        }
        let after = sqlx::query_as!(
            Equipment,
            r#"update makrcave.equipment set status = $2, updated_at = now() where id = $1
               returning id, makerspace_id, name, kind, status as "status: _", created_at"#,
            equipment_id,
            input.status as EquipmentStatus,
        )
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Some(owner),
            "equipment.status_set",
            "equipment",
            after.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        let event = EquipmentStatusChanged {
            equipment_id: after.id,
            makerspace_id: after.makerspace_id,
            status: serde_json::to_value(after.status)
                .ok()
                .and_then(|status| status.as_str().map(str::to_owned))
                .unwrap_or_default(),
            changed_at: Utc::now(),
        };
        outbox::publish(&mut tx, topics::EQUIPMENT_STATUS_CHANGED, &event).await?;
        tx.commit().await?;
        Ok(after)
    }
}
