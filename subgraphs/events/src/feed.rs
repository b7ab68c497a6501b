//! A feed of one kind of event, live and as history: what every subscription here is made of.
//! A subscriber names a topic and what the payload must contain; with a cursor it first gets
//! what it missed from the outbox, then what happens, so a client that reconnects with its
//! last cursor misses nothing.

use futures::Stream;
use makrx_service::ApiError;
use sqlx::PgPool;
use tokio::sync::broadcast::error::RecvError;

use crate::bus::{Event, EventBus};

/// The most events one read of the outbox returns while a subscriber catches up.
const CATCH_UP_BATCH: i64 = 1_000;

/// The events of one topic whose payload contains `matching` (JSON containment).
#[derive(Clone)]
pub struct Feed {
    pub topic: &'static str,
    pub matching: serde_json::Value,
}

/// The outbox sequence number a cursor stands for.
pub fn parse_cursor(after: Option<&str>) -> Result<Option<i64>, ApiError> {
    after
        .map(|cursor| {
            cursor
                .parse::<i64>()
                .ok()
                .filter(|seq| *seq >= 0)
                .ok_or_else(|| ApiError::invalid("after", "is not a cursor"))
        })
        .transpose()
}

impl Feed {
    fn matches(&self, event: &Event) -> bool {
        event.topic == self.topic && contains(&event.payload, &self.matching)
    }

    /// The feed's first `limit` events after `after`, oldest first, from the outbox.
    pub async fn since(&self, db: &PgPool, after: i64, limit: i64) -> Result<Vec<Event>, ApiError> {
        Ok(sqlx::query_as!(
            Event,
            "select seq, id, topic, payload from events.outbox
             where topic = $1 and seq > $2 and payload @> $3
             order by seq limit $4",
            self.topic,
            after,
            self.matching,
            limit,
        )
        .fetch_all(db)
        .await?)
    }

    /// How many events the feed has had in all.
    pub async fn count(&self, db: &PgPool) -> Result<i64, ApiError> {
        Ok(sqlx::query_scalar!(
            r#"select count(*) as "count!" from events.outbox where topic = $1 and payload @> $2"#,
            self.topic,
            self.matching,
        )
        .fetch_one(db)
        .await?)
    }

    /// The feed live: with `after`, first the events since that cursor. Each event becomes
    /// what `show` makes of it; events it makes nothing of are passed over.
    pub fn stream<T: Send + 'static>(
        self,
        db: PgPool,
        bus: &EventBus,
        after: Option<i64>,
        show: fn(&Event) -> Option<T>,
    ) -> impl Stream<Item = T> + use<T> {
        // Listen before catching up, so nothing falls between the two.
        let mut live = bus.subscribe();
        async_stream::stream! {
            // Without a cursor only what happens from now on is delivered.
            let mut last = after.unwrap_or(0);
            let mut catch_up = after.is_some();
            loop {
                // Batch after batch until a short one: a subscriber far behind misses nothing.
                while catch_up {
                    let batch = self.since(&db, last, CATCH_UP_BATCH).await.unwrap_or_default();
                    catch_up = batch.len() == CATCH_UP_BATCH as usize;
                    for event in batch {
                        last = event.seq;
                        if let Some(item) = show(&event) {
                            yield item;
                        }
                    }
                }
                match live.recv().await {
                    Ok(event) if event.seq > last && self.matches(&event) => {
                        last = event.seq;
                        if let Some(item) = show(&event) {
                            yield item;
                        }
                    }
                    Ok(_) => {}
                    // Fell behind the fan-out: catch up from the outbox instead.
                    Err(RecvError::Lagged(_)) => catch_up = true,
                    Err(RecvError::Closed) => break,
                }
            }
        }
    }
}

/// Whether `value` contains `pattern` as PostgreSQL's `@>` means it for objects and scalars.
fn contains(value: &serde_json::Value, pattern: &serde_json::Value) -> bool {
    match (value, pattern) {
        (serde_json::Value::Object(value), serde_json::Value::Object(pattern)) => pattern
            .iter()
            .all(|(key, wanted)| value.get(key).is_some_and(|found| contains(found, wanted))),
        (value, pattern) => value == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::contains;
    use serde_json::json;

    #[test]
    fn a_payload_contains_the_fields_a_feed_names_at_any_depth() {
        let payload = json!({"action": "reservation.created", "after": {"equipment_id": "e1", "status": "approved"}});
        assert!(contains(
            &payload,
            &json!({"after": {"equipment_id": "e1"}})
        ));
        assert!(!contains(
            &payload,
            &json!({"after": {"equipment_id": "e2"}})
        ));
        assert!(!contains(&payload, &json!({"before": {}})));
    }
}
