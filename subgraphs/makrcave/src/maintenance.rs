//! A machine's maintenance log: what was done to it, by whom, when, and what it cost. Staff and
//! above of the machine's space keep it.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, FieldError, parse_id};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::changes::{self, Action, Change};
use crate::loaders::{Loaders, group_by};
use crate::members::User;
use crate::policy;
use crate::policy::MembershipRole;

/// One piece of work done on a machine.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct MaintenanceEntry {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub performed_by: Uuid,
    pub performed_at: DateTime<Utc>,
    pub description: String,
    pub cost_minor: i64,
    pub created_at: DateTime<Utc>,
}

/// One piece of work done on a machine.
#[Object]
impl MaintenanceEntry {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    /// What was done.
    async fn description(&self) -> &str {
        &self.description
    }

    /// Who logged the work.
    async fn performed_by(&self) -> User {
        User {
            id: self.performed_by,
        }
    }

    async fn performed_at(&self) -> DateTime<Utc> {
        self.performed_at
    }

    /// What it cost, in minor units of the space's currency.
    async fn cost_minor(&self) -> i64 {
        self.cost_minor
    }
}

/// A machine's maintenance log, newest first, loaded with every other machine's asked for in
/// the same request (one statement for a whole list of machines). It does not check who asks:
/// the field that exposes it shows it to staff and above of the machine's space.
pub async fn maintenance_log(
    ctx: &Context<'_>,
    equipment_id: Uuid,
) -> Result<Vec<MaintenanceEntry>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .maintenance
        .load_one(equipment_id)
        .await?
        .unwrap_or_default())
}

/// Work done on a machine, to log.
#[derive(InputObject)]
pub struct LogMaintenanceInput {
    equipment_id: ID,
    /// What was done, 1 to 2,000 characters.
    description: String,
    /// When it was done, not in the future; now when not given.
    performed_at: Option<DateTime<Utc>>,
    /// What it cost in minor units of the space's currency, 0 or more; 0 when not given.
    cost_minor: Option<i64>,
}

/// A log entry's details, checked.
struct NewEntry {
    description: String,
    performed_at: DateTime<Utc>,
    cost_minor: i64,
}

impl NewEntry {
    fn parse(input: LogMaintenanceInput, now: DateTime<Utc>) -> Result<Self, ApiError> {
        let mut problems = Vec::new();
        let mut check = |field: &str, ok: bool, message: &str| {
            if !ok {
                problems.push(FieldError {
                    field: field.into(),
                    message: message.into(),
                });
            }
        };
        let description = input.description.trim().to_owned();
        check(
            "description",
            (1..=2_000).contains(&description.chars().count()),
            "must be 1 to 2,000 characters",
        );
        let performed_at = input.performed_at.unwrap_or(now);
        check(
            "performedAt",
            performed_at <= now,
            "must not be in the future",
        );
        let cost_minor = input.cost_minor.unwrap_or(0);
        check("costMinor", cost_minor >= 0, "must be 0 or more");
        if problems.is_empty() {
            Ok(Self {
                description,
                performed_at,
                cost_minor,
            })
        } else {
            Err(ApiError::Validation(problems))
        }
    }
}

#[derive(Default)]
pub struct MaintenanceMutation;

#[Object(guard = "SignedIn")]
impl MaintenanceMutation {
    /// Logs work done on a machine; staff and above of its space.
    async fn log_maintenance(
        &self,
        ctx: &Context<'_>,
        input: LogMaintenanceInput,
    ) -> Result<MaintenanceEntry, ApiError> {
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let caller = caller(ctx);
        caller.user()?;
        let db = ctx.data_unchecked::<PgPool>();
        let makerspace_id = sqlx::query_scalar!(
            "select makerspace_id from makrcave.equipment where id = $1",
            equipment_id
        )
        .fetch_optional(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("equipment".into()))?;
        let actor = policy::require_role(ctx, caller, makerspace_id, MembershipRole::Staff).await?;
        let now = ctx.data_unchecked::<Clock>().now();
        let new = NewEntry::parse(input, now)?;
        let mut tx = db.begin().await?;
        let entry = sqlx::query_as!(
            MaintenanceEntry,
            "insert into makrcave.maintenance_logs
               (id, equipment_id, performed_by, performed_at, description, cost_minor, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $7)
             returning id, equipment_id, performed_by, performed_at, description, cost_minor, created_at",
            Uuid::now_v7(),
            equipment_id,
            actor,
            new.performed_at,
            new.description,
            new.cost_minor,
            now,
        )
        .fetch_one(&mut *tx)
        .await?;
        changes::record(
            &mut tx,
            Change {
                actor,
                action: Action::MAINTENANCE_ENTRY_LOGGED,
                entity_id: entry.id,
                makerspace_id,
                before: None,
                after: Some(&entry),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(entry)
    }
}

/// Each machine's maintenance log, newest first.
pub struct MaintenanceByEquipment(pub PgPool);

impl Loader<Uuid> for MaintenanceByEquipment {
    type Value = Vec<MaintenanceEntry>;
    type Error = ApiError;

    async fn load(
        &self,
        equipment_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<MaintenanceEntry>>, ApiError> {
        let entries = sqlx::query_as!(
            MaintenanceEntry,
            "select id, equipment_id, performed_by, performed_at, description, cost_minor, created_at
             from makrcave.maintenance_logs where equipment_id = any($1)
             order by performed_at desc, id desc",
            equipment_ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(entries, |entry| entry.equipment_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn input(performed_at: Option<DateTime<Utc>>, cost_minor: Option<i64>) -> LogMaintenanceInput {
        LogMaintenanceInput {
            equipment_id: ID("x".into()),
            description: "  Replaced the laser tube ".into(),
            performed_at,
            cost_minor,
        }
    }

    #[test]
    fn an_entry_defaults_to_now_and_no_cost() {
        let now = Utc::now();
        let entry = NewEntry::parse(input(None, None), now).map_err(|err| err.code());
        let entry = entry.expect("a valid entry");
        assert_eq!(entry.performed_at, now);
        assert_eq!(entry.cost_minor, 0);
        assert_eq!(entry.description, "Replaced the laser tube");
    }

    #[test]
    fn work_in_the_future_or_at_a_negative_cost_is_refused() {
        let now = Utc::now();
        let refused = NewEntry::parse(input(Some(now + TimeDelta::minutes(1)), Some(-1)), now);
        let Err(ApiError::Validation(problems)) = refused else {
            panic!("a validation error");
        };
        let fields: Vec<_> = problems
            .iter()
            .map(|problem| problem.field.as_str())
            .collect();
        assert_eq!(fields, ["performedAt", "costMinor"]);
    }
}
