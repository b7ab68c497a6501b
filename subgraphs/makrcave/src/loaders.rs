//! Batch loading: every list that crosses a table goes through one of these, so a query costs
//! a fixed number of SQL statements however many rows it returns.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use makrx_service::ApiError;
use makrx_service::graphql::loader;
use sqlx::PgPool;
use uuid::Uuid;

use crate::equipment::Equipment;
use crate::maintenance::MaintenanceEntry;
use crate::makerspaces::Makerspace;
use crate::members::Membership;
use crate::reservations::CalendarLoader;
use crate::skills::Skill;
use crate::space_settings::{OpeningHours, TimeZone};

/// The loaders of the MakrCave schema, shared by all requests (they batch, they do not cache).
pub struct Loaders {
    pub makerspaces: DataLoader<MakerspaceById>,
    pub equipment: DataLoader<EquipmentBySpace>,
    pub memberships: DataLoader<MembershipsByUser>,
    pub skills: DataLoader<SkillById>,
    pub opening_hours: DataLoader<OpeningHoursBySpace>,
    pub equipment_by_id: DataLoader<EquipmentById>,
    pub calendars: DataLoader<CalendarLoader>,
    pub maintenance: DataLoader<MaintenanceByEquipment>,
}

impl Loaders {
    pub fn new(db: &PgPool) -> Self {
        Self {
            makerspaces: loader(MakerspaceById(db.clone())),
            equipment: loader(EquipmentBySpace(db.clone())),
            memberships: loader(MembershipsByUser(db.clone())),
            skills: loader(SkillById(db.clone())),
            opening_hours: loader(OpeningHoursBySpace(db.clone())),
            equipment_by_id: loader(EquipmentById(db.clone())),
            calendars: loader(CalendarLoader(db.clone())),
            maintenance: loader(MaintenanceByEquipment(db.clone())),
        }
    }
}

pub struct MakerspaceById(PgPool);

impl Loader<Uuid> for MakerspaceById {
    type Value = Makerspace;
    type Error = ApiError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Makerspace>, ApiError> {
        let spaces = sqlx::query_as!(
            Makerspace,
            r#"select id, name, slug, description, location, owner_id, time_zone as "time_zone: TimeZone", is_public, currency, created_at
             from makrcave.makerspaces where id = any($1)"#,
            ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(spaces.into_iter().map(|space| (space.id, space)).collect())
    }
}

pub struct EquipmentBySpace(PgPool);

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

pub struct EquipmentById(PgPool);

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

pub struct MembershipsByUser(PgPool);

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

pub struct SkillById(PgPool);

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

pub struct OpeningHoursBySpace(PgPool);

impl Loader<Uuid> for OpeningHoursBySpace {
    type Value = Vec<OpeningHours>;
    type Error = ApiError;

    async fn load(&self, space_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<OpeningHours>>, ApiError> {
        let rows = sqlx::query!(
            "select makerspace_id, weekday, opens_minute, closes_minute from makrcave.opening_hours
             where makerspace_id = any($1) order by weekday, opens_minute",
            space_ids
        )
        .fetch_all(&self.0)
        .await?;
        let mut hours: HashMap<Uuid, Vec<OpeningHours>> = HashMap::new();
        for row in rows {
            hours
                .entry(row.makerspace_id)
                .or_default()
                .push(OpeningHours::from_row(
                    row.weekday,
                    row.opens_minute,
                    row.closes_minute,
                )?);
        }
        Ok(hours)
    }
}

/// Each machine's maintenance log, newest first.
pub struct MaintenanceByEquipment(PgPool);

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

fn group_by<T>(rows: Vec<T>, key: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Vec<T>> {
    let mut groups: HashMap<Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}
