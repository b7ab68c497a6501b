//! Recording a change: every MakrCave mutation writes an audit row and announces the change
//! through the outbox, both in the transaction that makes it, so neither exists without it.

use makrx_service::outbox::{self, Changed};
use makrx_service::{ApiError, audit};
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

/// Writes the change's audit row and its event inside `tx`.
pub async fn record<T: Serialize>(
    tx: &mut PgConnection,
    change: Change<'_, T>,
) -> Result<(), ApiError> {
    audit::record(
        tx,
        Some(change.actor),
        change.action,
        change.entity,
        change.entity_id,
        change.before,
        change.after,
    )
    .await?;
    let event = Changed {
        action: change.action.to_owned(),
        entity_id: change.entity_id,
        makerspace_id: change.makerspace_id,
        actor_id: change.actor,
        after: change
            .after
            .and_then(|after| serde_json::to_value(after).ok())
            .unwrap_or_default(),
    };
    outbox::publish(tx, &outbox::topics::changed(change.entity), &event).await?;
    Ok(())
}
