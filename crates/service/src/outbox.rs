//! The transactional outbox: an event is written in the transaction that makes the change
//! it announces, so it is published exactly when the change commits and never otherwise.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// Topics of the events the domains publish.
pub mod topics {
    /// A machine's status changed; the payload is an `EquipmentStatusChanged`.
    pub const EQUIPMENT_STATUS_CHANGED: &str = "makrcave.equipment.status_changed";
}

/// A machine's status changed (topic `EQUIPMENT_STATUS_CHANGED`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EquipmentStatusChanged {
    pub equipment_id: Uuid,
    pub makerspace_id: Uuid,
    /// The new status in the database's words (`available`, `in_use`, ...).
    pub status: String,
    pub changed_at: DateTime<Utc>,
}

/// Appends an event to the outbox inside the caller's transaction.
pub async fn publish<T: Serialize>(
    conn: &mut PgConnection,
    topic: &str,
    payload: &T,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let payload =
        serde_json::to_value(payload).map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    sqlx::query!(
        "insert into events.outbox (id, topic, payload) values ($1, $2, $3)",
        id,
        topic,
        payload,
    )
    .execute(conn)
    .await?;
    Ok(id)
}
