//! Recording a change: every MakrCave mutation writes an audit row and announces the change
//! through the outbox, both in the transaction that makes it, so neither exists without it.

use makrx_service::ApiError;
use makrx_service::outbox::{Changed, topics};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// The actor of changes nobody asked for at that moment (a waitlist offer lapsing).
pub const SYSTEM: Uuid = Uuid::nil();

/// One change to record: who did what to which thing of which makerspace.
pub struct Change<'a, T> {
    pub actor: Uuid,
    /// `<entity>.<what happened>`, e.g. `reservation.created`; the event's topic is
    /// `makrcave.<entity>.changed`.
    pub action: &'a str,
    pub entity: &'a str,
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
        let json = |value: Option<&T>| value.and_then(|v| serde_json::to_value(v).ok());
        let after = json(self.after);
        let event = Changed {
            action: self.action.to_owned(),
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
            action: self.action.to_owned(),
            entity: self.entity.to_owned(),
            entity_id: self.entity_id.to_string(),
            before: json(self.before),
            after,
            event_id: Uuid::now_v7(),
            topic: topics::changed(self.entity),
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
