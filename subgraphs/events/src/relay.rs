//! The outbox relay: publishes committed events in order and marks them published.
//! Several replicas may relay at once: each batch is claimed with `for update skip locked`.

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::bus::{Event, EventBus};

/// The most events one batch relays.
const BATCH: i64 = 500;
/// How often the relay looks even without a notification (one may be missed while reconnecting).
const POLL: Duration = Duration::from_secs(1);

/// Relays until the pool is closed, waking on each commit that wrote events.
pub async fn run(db: PgPool, bus: EventBus) {
    let mut listener = None;
    while !db.is_closed() {
        if let Err(err) = relay_pending(&db, &bus).await {
            if db.is_closed() {
                break;
            }
            tracing::error!(
                error = format!("{err:#}"),
                "relaying the outbox failed; retrying"
            );
            listener = None;
            tokio::time::sleep(POLL).await;
            continue;
        }
        if listener.is_none() {
            listener = listen(&db).await;
        }
        match listener.as_mut() {
            // A notification or a timeout: look again either way.
            Some(open) => match tokio::time::timeout(POLL, open.recv()).await {
                Ok(Ok(_)) => {
                    // One relay pass covers every commit so far: notifications that queued up
                    // meanwhile would each cost a pass that finds nothing new.
                    while open.next_buffered().is_some() {}
                }
                Ok(Err(_)) => {
                    listener = None;
                    tokio::time::sleep(POLL).await;
                }
                Err(_) => {}
            },
            None => tokio::time::sleep(POLL).await,
        }
    }
}

/// Relays batches until the outbox has nothing unpublished.
async fn relay_pending(db: &PgPool, bus: &EventBus) -> anyhow::Result<()> {
    while relay_batch(db, bus).await? == BATCH as usize {}
    Ok(())
}

async fn listen(db: &PgPool) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(db).await.ok()?;
    match listener.listen("makrx_outbox").await {
        Ok(()) => Some(listener),
        Err(err) => {
            tracing::warn!(error = %err, "cannot listen for outbox notifications; polling");
            None
        }
    }
}

/// Publishes the oldest unpublished events; an event is marked published only once the bus has
/// taken it, so a failure means it is sent again (subscribers drop what they have seen by `seq`).
async fn relay_batch(db: &PgPool, bus: &EventBus) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    let events = sqlx::query_as!(
        Event,
        "select seq, id, topic, payload from events.outbox
         where published_at is null order by seq limit $1 for update skip locked",
        BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    for event in &events {
        bus.publish(event).await?;
    }
    let seqs: Vec<i64> = events.iter().map(|event| event.seq).collect();
    sqlx::query!(
        "update events.outbox set published_at = now() where seq = any($1)",
        &seqs
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(events.len())
}
