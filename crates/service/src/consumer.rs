//! Reacting to another domain's events: a consumer (a row of `events.consumers`, declared by
//! the migration of the domain that reacts) gets every event of its topics as a delivery,
//! queued in the transaction that wrote the event. Handling one is a transaction that makes the
//! consumer's change and deletes the delivery, so an event is handled once, by one replica,
//! and none is lost while the consumer is down. A handler that fails is tried again later,
//! backing off, without holding up the events behind it.

use std::future::Future;
use std::time::Duration;

use serde::de::DeserializeOwned;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::ApiError;

/// How often a consumer looks for deliveries when it found none.
const POLL: Duration = Duration::from_millis(250);
/// The longest a failed delivery waits before its next try.
const MOST_BACK_OFF_SECONDS: f64 = 3_600.0;

/// An event delivered to a consumer.
#[derive(Debug)]
pub struct Delivery {
    pub seq: i64,
    pub id: Uuid,
    pub topic: String,
    pub payload: serde_json::Value,
    /// How many times handling it failed before.
    pub attempts: i32,
}

impl Delivery {
    /// The payload as the producer wrote it (the type both share, from `outbox`).
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_value(self.payload.clone()).map_err(|err| {
            ApiError::internal(format_args!(
                "event {} ({}) cannot be read: {err}",
                self.seq, self.topic
            ))
        })
    }
}

/// What a consumer does with an event, inside the transaction that strikes it off.
pub trait Handler: Send + Sync {
    fn handle(
        &self,
        tx: &mut PgConnection,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;
}

/// Handles `consumer`'s deliveries as they come, until the pool is closed.
pub async fn run(db: PgPool, consumer: &'static str, handler: impl Handler) {
    while !db.is_closed() {
        if let Err(err) = handle_due(&db, consumer, &handler).await {
            if db.is_closed() {
                break;
            }
            tracing::error!(consumer, error = %err, "taking the next delivery failed; retrying");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Handles `consumer`'s due deliveries in order until none is due; answers how many were
/// handled (failed ones not counted).
pub async fn handle_due(
    db: &PgPool,
    consumer: &str,
    handler: &impl Handler,
) -> Result<usize, sqlx::Error> {
    let mut handled = 0;
    loop {
        let mut tx = db.begin().await?;
        let Some(delivery) = sqlx::query_as!(
            Delivery,
            "select o.seq, o.id, o.topic, o.payload, d.attempts
             from events.deliveries d join events.outbox o on o.seq = d.seq
             where d.consumer = $1 and d.not_before <= now()
             order by d.seq limit 1
             for update of d skip locked",
            consumer
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(handled);
        };
        let mut change = sqlx::Acquire::begin(&mut *tx).await?;
        match handler.handle(&mut change, &delivery).await {
            Ok(()) => {
                change.commit().await?;
                sqlx::query!(
                    "delete from events.deliveries where consumer = $1 and seq = $2",
                    consumer,
                    delivery.seq
                )
                .execute(&mut *tx)
                .await?;
                handled += 1;
            }
            Err(err) => {
                change.rollback().await?;
                let back_off = 2f64
                    .powi(delivery.attempts.min(12))
                    .min(MOST_BACK_OFF_SECONDS);
                tracing::error!(
                    consumer,
                    seq = delivery.seq,
                    topic = %delivery.topic,
                    attempts = delivery.attempts + 1,
                    error = %err.message(),
                    "handling an event failed; trying again in {back_off} s"
                );
                sqlx::query!(
                    "update events.deliveries
                     set attempts = attempts + 1, last_error = $3, updated_at = now(),
                         not_before = now() + make_interval(secs => $4)
                     where consumer = $1 and seq = $2",
                    consumer,
                    delivery.seq,
                    err.message(),
                    back_off
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
}
