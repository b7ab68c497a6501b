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

/// The loaders of the MakrCave schema, shared by all requests (they batch, they do not cache).
pub struct Loaders {
    pub makerspaces: DataLoader<MakerspaceById>,
    pub equipment: DataLoader<EquipmentBySpace>,
    pub memberships: DataLoader<MembershipsByUser>,
    pub maintenance: DataLoader<MaintenanceByEquipment>,
}

impl Loaders {
    pub fn new(db: &PgPool) -> Self {
        Self {
            makerspaces: loader(MakerspaceById(db.clone())),
            equipment: loader(EquipmentBySpace(db.clone())),
            memberships: loader(MembershipsByUser(db.clone())),
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
            "select id, name, slug, description, location, owner_id, created_at
             from makrcave.makerspaces where id = any($1)",
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
            r#"select id, makerspace_id, name, kind, status as "status: _", created_at
               from makrcave.equipment where makerspace_id = any($1) order by name"#,
            space_ids
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(machines, |machine| machine.makerspace_id))
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
