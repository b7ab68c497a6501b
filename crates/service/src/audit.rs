//! The audit log: who changed what, when, with the state before and after.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// Writes one audit row inside the transaction that makes the change.
pub async fn record<T: Serialize>(
    conn: &mut PgConnection,
    actor_id: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), sqlx::Error> {
    // A state that does not serialise fails the change rather than leaving a hole in the log.
    let json = |value: Option<&T>| {
        value
            .map(serde_json::to_value)
            .transpose()
            .map_err(|err| sqlx::Error::Encode(Box::new(err)))
    };
    sqlx::query!(
        "insert into shared.audit_logs (id, actor_id, action, entity, entity_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7)",
        Uuid::now_v7(),
        actor_id,
        action,
        entity,
        entity_id.to_string(),
        json(before)?,
        json(after)?,
    )
    .execute(conn)
    .await?;
    Ok(())
}
