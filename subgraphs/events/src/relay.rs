//! The outbox relay: publishes committed events in order and strikes them off the pending list.
//! Several replicas may relay at once: each batch is claimed with `for update skip locked`.

use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::bus::{Event, EventBus};

/// The most events one batch relays.
const BATCH: i64 = 500;
/// How often a sleeping relay looks even without a notification (one may be missed while
/// reconnecting, or sent to a relay that was just falling asleep).
const POLL: Duration = Duration::from_secs(1);
/// How often an awake relay looks: writers do not wake it (see `events.relay_state`).
const AWAKE_POLL: Duration = Duration::from_millis(5);
/// How long a relay stays awake after the last event it relayed.
const STAY_AWAKE: Duration = Duration::from_millis(250);

/// Relays until the pool is closed. Asleep, it waits for a notification from a commit that
/// wrote events; while events keep coming it stays awake and looks every few milliseconds,
/// and writers, seeing it awake, spare themselves the notification (which would serialise
/// their commits).
pub async fn run(db: PgPool, bus: EventBus) {
    let mut listener = None;
    let mut last_event: Option<Instant> = None;
    // A relay that stopped while awake may have left the flag set.
    let mut awake = true;
    while !db.is_closed() {
        match relay_pending(&db, &bus).await {
            Ok(0) => {}
            Ok(_) => last_event = Some(Instant::now()),
            Err(err) => {
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
        }
        let busy = last_event.is_some_and(|at| at.elapsed() < STAY_AWAKE);
        if busy != awake {
            // Listen before falling asleep, so that no wake-up sent after it is lost.
            if !busy && listener.is_none() {
                listener = listen(&db).await;
            }
            match set_awake(&db, busy).await {
                Ok(()) => awake = busy,
                Err(err) => {
                    tracing::warn!(error = %err, "cannot record whether the relay is awake")
                }
            }
            // Falling asleep: one more look for events written while writers saw it awake.
            continue;
        }
        if awake {
            tokio::time::sleep(AWAKE_POLL).await;
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

/// Relays batches until the outbox has nothing unpublished; the number of events relayed.
async fn relay_pending(db: &PgPool, bus: &EventBus) -> anyhow::Result<usize> {
    let mut relayed = 0;
    loop {
        let batch = relay_batch(db, bus).await?;
        relayed += batch;
        if batch < BATCH as usize {
            return Ok(relayed);
        }
    }
}

/// Tells writers whether they need to wake the relay.
async fn set_awake(db: &PgPool, awake: bool) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into events.relay_state (awake) values ($1)
         on conflict (singleton) do update set awake = excluded.awake",
        awake
    )
    .execute(db)
    .await
    .map(drop)
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

/// Publishes the oldest pending events; an event leaves `events.outbox_pending` only once the
/// bus has taken it, so a failure means it is sent again (subscribers drop what they have seen
/// by `seq`).
async fn relay_batch(db: &PgPool, bus: &EventBus) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    let events = sqlx::query_as!(
        Event,
        // The events looked up by their keys: as a join, the planner may read the whole outbox,
        // which only grows.
        "select seq, id, topic, payload from events.outbox
         where seq = any(array(select seq from events.outbox_pending
                               order by seq limit $1 for update skip locked))
         order by seq",
        BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    if events.is_empty() {
        return Ok(0);
    }
    for event in &events {
        bus.publish(event).await?;
    }
    let seqs: Vec<i64> = events.iter().map(|event| event.seq).collect();
    sqlx::query!(
        "delete from events.outbox_pending where seq = any($1)",
        &seqs
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(events.len())
}
