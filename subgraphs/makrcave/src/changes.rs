//! Recording a change: every MakrCave mutation writes an audit row and announces the change
//! through the outbox, both in the transaction that makes it, so neither exists without it.

use makrx_service::ApiError;
use makrx_service::outbox::{Changed, topics};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// The actor of changes nobody asked for at that moment (a waitlist offer lapsing).
pub const SYSTEM: Uuid = Uuid::nil();

/// What happened to what, as the audit log and the events name it: `<entity>.<what happened>`,
/// e.g. `reservation.created`. Only the actions below exist; the entity (`reservation`) and the
/// event's topic (`makrcave.reservation.changed`) follow from the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action(&'static str);

impl Action {
    pub const MAKERSPACE_CREATED: Self = Self("makerspace.created");
    pub const MAKERSPACE_SETTINGS_UPDATED: Self = Self("makerspace.settings_updated");
    pub const MAKERSPACE_OPENING_HOURS_SET: Self = Self("makerspace.opening_hours_set");
    pub const BLACKOUT_ADDED: Self = Self("blackout.added");
    pub const BLACKOUT_REMOVED: Self = Self("blackout.removed");
    pub const EQUIPMENT_ADDED: Self = Self("equipment.added");
    pub const EQUIPMENT_UPDATED: Self = Self("equipment.updated");
    pub const EQUIPMENT_SKILL_GATE_SET: Self = Self("equipment.skill_gate_set");
    pub const EQUIPMENT_STATUS_SET: Self = Self("equipment.status_set");
    pub const MAINTENANCE_ENTRY_LOGGED: Self = Self("maintenance_entry.logged");
    pub const SKILL_CREATED: Self = Self("skill.created");
    pub const SKILL_GRANTED: Self = Self("skill.granted");
    pub const SKILL_REVOKED: Self = Self("skill.revoked");
    pub const CHECKOFF_REQUESTED: Self = Self("checkoff.requested");
    pub const CHECKOFF_SETTLED: Self = Self("checkoff.settled");
    pub const PLAN_CREATED: Self = Self("plan.created");
    pub const PLAN_ASSIGNED: Self = Self("plan.assigned");
    pub const MEMBERSHIP_JOINED: Self = Self("membership.joined");
    pub const MEMBERSHIP_ROLE_CHANGED: Self = Self("membership.role_changed");
    pub const MEMBERSHIP_SUSPENDED: Self = Self("membership.suspended");
    pub const MEMBERSHIP_REINSTATED: Self = Self("membership.reinstated");
    pub const MEMBERSHIP_LEFT: Self = Self("membership.left");
    pub const MEMBERSHIP_REMOVED: Self = Self("membership.removed");
    pub const INVITATION_SENT: Self = Self("invitation.sent");
    pub const INVITATION_ACCEPTED: Self = Self("invitation.accepted");
    pub const INVITATION_DECLINED: Self = Self("invitation.declined");
    pub const INVITATION_REVOKED: Self = Self("invitation.revoked");
    pub const RESERVATION_CREATED: Self = Self("reservation.created");
    pub const RESERVATION_APPROVED: Self = Self("reservation.approved");
    pub const RESERVATION_REJECTED: Self = Self("reservation.rejected");
    pub const RESERVATION_CANCELLED: Self = Self("reservation.cancelled");
    pub const RESERVATION_CHECKED_IN: Self = Self("reservation.checked_in");
    pub const RESERVATION_CHECKED_OUT: Self = Self("reservation.checked_out");
    pub const RESERVATION_OFFERED: Self = Self("reservation.offered");
    pub const RESERVATION_OFFER_ACCEPTED: Self = Self("reservation.offer_accepted");
    pub const RESERVATION_OFFER_ENDED: Self = Self("reservation.offer_ended");
    pub const WAITLIST_JOINED: Self = Self("waitlist.joined");
    pub const WAITLIST_LEFT: Self = Self("waitlist.left");
    pub const INVENTORY_LOCATION_ADDED: Self = Self("inventory_location.added");
    pub const INVENTORY_ITEM_ADDED: Self = Self("inventory_item.added");
    pub const INVENTORY_ITEM_UPDATED: Self = Self("inventory_item.updated");
    /// An item fell to or below its reorder point (announced once until restocked above it).
    pub const INVENTORY_ITEM_LOW: Self = Self("inventory_item.low");
    pub const STOCK_MOVEMENT_RECORDED: Self = Self("stock_movement.recorded");
    /// A spreadsheet of items was imported; the entity is the import.
    pub const INVENTORY_IMPORTED: Self = Self("inventory_import.completed");
    /// An item was marked lendable or not, or the skill borrowing it takes changed.
    pub const TOOL_LENDING_SET: Self = Self("inventory_item.lending_set");
    pub const TOOL_LENT: Self = Self("tool_loan.lent");
    pub const TOOL_RETURNED: Self = Self("tool_loan.returned");
    /// A loan is out past its due time: announced once a day until it is returned.
    pub const TOOL_OVERDUE: Self = Self("tool_loan.overdue");
    pub const PROJECT_CREATED: Self = Self("project.created");
    pub const PROJECT_UPDATED: Self = Self("project.updated");
    /// Someone was put on a project, or their part in it changed; the entity is the project.
    pub const PROJECT_COLLABORATOR_SET: Self = Self("project_collaborator.set");
    /// Someone was taken off a project; the entity is the project.
    pub const PROJECT_COLLABORATOR_REMOVED: Self = Self("project_collaborator.removed");
    pub const PROJECT_FILE_ADDED: Self = Self("project_file.added");
    pub const PROJECT_FILE_REMOVED: Self = Self("project_file.removed");
    pub const BOM_ADDED: Self = Self("bom.added");
    pub const BOM_LINE_ADDED: Self = Self("bom_line.added");
    pub const BOM_LINE_UPDATED: Self = Self("bom_line.updated");
    pub const BOM_LINE_REMOVED: Self = Self("bom_line.removed");
    pub const FABRICATION_OFFERED: Self = Self("fabrication_service.offered");
    pub const FABRICATION_PRINTER_SET: Self = Self("fabrication_printer.set");
    pub const FABRICATION_PRINTER_REMOVED: Self = Self("fabrication_printer.removed");
    /// A paid part was sent to a makerspace (or to none, when none could make it).
    pub const FABRICATION_JOB_DISPATCHED: Self = Self("fabrication_job.dispatched");
    /// The space's staff moved a job along its life.
    pub const FABRICATION_JOB_MOVED: Self = Self("fabrication_job.moved");
    pub const FABRICATION_JOB_DECLINED: Self = Self("fabrication_job.declined");
    /// The space's staff gave a job a slot on one of their printers.
    pub const FABRICATION_JOB_SCHEDULED: Self = Self("fabrication_job.scheduled");
    /// The space's staff recorded material a job used.
    pub const FABRICATION_JOB_MATERIAL_RECORDED: Self = Self("fabrication_job.material_recorded");
    /// Its order was cancelled or refunded.
    pub const FABRICATION_JOB_CANCELLED: Self = Self("fabrication_job.cancelled");

    /// `reservation.created`.
    pub fn name(self) -> &'static str {
        self.0
    }

    /// The kind of thing it happened to: `reservation`.
    pub fn entity(self) -> &'static str {
        self.0.split_once('.').map_or(self.0, |(entity, _)| entity)
    }
}

/// One change to record: who did what to which thing of which makerspace, with the thing's
/// state before (for an update or a removal) and after (for an addition or an update).
pub struct Change<'a, T> {
    pub actor: Uuid,
    pub action: Action,
    pub entity_id: Uuid,
    pub makerspace_id: Uuid,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

/// A change as the database records it: the arguments of `makrcave.record_change`, which
/// writes its audit row and its event (the outbox row the relay publishes) together.
pub struct Recorded {
    pub audit_id: Uuid,
    pub actor: Uuid,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub event_id: Uuid,
    pub topic: String,
    pub event: serde_json::Value,
}

impl<T: Serialize> Change<'_, T> {
    /// The change as `makrcave.record_change` takes it, for a statement that records it along
    /// with making it (a booking).
    pub fn recorded(&self) -> Result<Recorded, ApiError> {
        let json = |value: Option<&T>| {
            value.map(serde_json::to_value).transpose().map_err(|err| {
                ApiError::internal(format_args!(
                    "the {} of {} does not serialise: {err}",
                    self.action.entity(),
                    self.action.name()
                ))
            })
        };
        let after = json(self.after)?;
        let event = Changed {
            action: self.action.name().to_owned(),
            entity_id: self.entity_id,
            makerspace_id: self.makerspace_id,
            actor_id: self.actor,
            after: after.clone().unwrap_or_default(),
        };
        let event = serde_json::to_value(&event).map_err(|err| {
            ApiError::internal(format_args!("an event does not serialise: {err}"))
        })?;
        Ok(Recorded {
            audit_id: Uuid::now_v7(),
            actor: self.actor,
            action: self.action.name().to_owned(),
            entity: self.action.entity().to_owned(),
            entity_id: self.entity_id.to_string(),
            before: json(self.before)?,
            after,
            event_id: Uuid::now_v7(),
            topic: topics::changed(self.action.entity()),
            event,
        })
    }
}

/// Writes the change's audit row and its event inside `tx`, in one statement: every booking
/// pays for this, and a round trip saved is a tenth of a booking's.
pub async fn record<T: Serialize>(
    tx: &mut PgConnection,
    change: Change<'_, T>,
) -> Result<(), ApiError> {
    let recorded = change.recorded()?;
    sqlx::query_scalar!(
        "select makrcave.record_change($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        recorded.audit_id,
        recorded.actor,
        recorded.action,
        recorded.entity,
        recorded.entity_id,
        recorded.before,
        recorded.after,
        recorded.event_id,
        recorded.topic,
        recorded.event,
    )
    .fetch_one(tx)
    .await?;
    Ok(())
}
