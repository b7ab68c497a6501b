//! The event bus: the outbox's events fanned out to this process's subscribers, through Redis
//! Streams when Redis is configured (so every replica sees every event) or in process otherwise.

use std::time::Duration;

use anyhow::Context;
use makrx_service::background;
use redis::AsyncCommands;
use redis::streams::{StreamReadOptions, StreamReadReply};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tokio::sync::broadcast;
use uuid::Uuid;

/// The Redis stream that carries every event.
pub const STREAM: &str = "makrx:events";
/// Roughly how many events the stream keeps for late readers.
const STREAM_RETENTION: usize = 100_000;
/// How many events a slow subscriber may fall behind before it catches up from the outbox.
const FAN_OUT_BUFFER: usize = 4_096;

/// One event from the outbox; `seq` orders it and is the cursor subscribers resume from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    pub seq: i64,
    pub id: Uuid,
    pub topic: String,
    pub payload: serde_json::Value,
}

impl Event {
    /// The payload as the producer wrote it (the type both share, from `makrx_service::outbox`).
    /// One that cannot be read is logged and passed over: a subscriber never sees half an
    /// event, and the log says which one was dropped and why.
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.payload.clone())
            .inspect_err(|err| {
                tracing::error!(seq = self.seq, topic = %self.topic, error = %err, "an event cannot be read and is dropped");
            })
            .ok()
    }
}

/// Where relayed events go, and where this process's subscribers listen.
#[derive(Clone)]
pub struct EventBus {
    local: broadcast::Sender<Event>,
    redis: Option<redis::aio::ConnectionManager>,
}

impl EventBus {
    /// Starts relaying the outbox, through Redis when `redis_url` is given.
    pub async fn start(db: PgPool, redis_url: Option<&str>) -> anyhow::Result<Self> {
        let (local, _) = broadcast::channel(FAN_OUT_BUFFER);
        let redis = match redis_url {
            Some(url) => {
                let client =
                    redis::Client::open(url).context("REDIS_URL is not a valid Redis URL")?;
                let manager = client
                    .get_connection_manager()
                    .await
                    .context("Failed to connect to Redis (REDIS_URL)")?;
                tokio::spawn(fan_out_from_redis(client, local.clone()));
                Some(manager)
            }
            None => None,
        };
        let bus = Self { local, redis };
        background::spawn("events.relay", crate::relay::run(db, bus.clone()));
        Ok(bus)
    }

    /// The Redis connection events go through, when there is Redis.
    pub fn redis(&self) -> Option<redis::aio::ConnectionManager> {
        self.redis.clone()
    }

    /// A receiver of every event this process hears of from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }

    /// Publishes one event: to the stream when there is Redis, straight to subscribers otherwise.
    pub(crate) async fn publish(&self, event: &Event) -> anyhow::Result<()> {
        match &self.redis {
            Some(redis) => {
                let body = serde_json::to_string(event)?;
                let _: String = redis
                    .clone()
                    .xadd_maxlen(
                        STREAM,
                        redis::streams::StreamMaxlen::Approx(STREAM_RETENTION),
                        "*",
                        &[("event", body)],
                    )
                    .await
                    .context("Failed to append to the Redis stream")?;
            }
            None => {
                // No receivers is not an error: nobody is subscribed right now.
                let _ = self.local.send(event.clone());
            }
        }
        Ok(())
    }
}

/// Reads the stream from its end and hands each event to this process's subscribers,
/// reconnecting after a failure and carrying on from the last id it saw.
async fn fan_out_from_redis(client: redis::Client, local: broadcast::Sender<Event>) {
    let mut last_id = "$".to_owned();
    loop {
        if let Err(err) = read_stream(&client, &local, &mut last_id).await {
            tracing::warn!(
                error = format!("{err:#}"),
                "reading the event stream failed; retrying"
            );
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

async fn read_stream(
    client: &redis::Client,
    local: &broadcast::Sender<Event>,
    last_id: &mut String,
) -> anyhow::Result<()> {
    let mut conn = client.get_multiplexed_async_connection().await?;
    let options = StreamReadOptions::default().block(5_000).count(500);
    loop {
        let reply: StreamReadReply = conn
            .xread_options(&[STREAM], &[last_id.as_str()], &options)
            .await?;
        for entry in reply.keys.into_iter().flat_map(|key| key.ids) {
            *last_id = entry.id.clone();
            let Some(body) = entry.get::<String>("event") else {
                continue;
            };
            match serde_json::from_str::<Event>(&body) {
                Ok(event) => {
                    let _ = local.send(event);
                }
                Err(err) => {
                    tracing::error!(error = %err, id = %entry.id, "unreadable event in the stream")
                }
            }
        }
    }
}
