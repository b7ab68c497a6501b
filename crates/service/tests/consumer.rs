//! A consumer gets each event of its topics once, in order, handled in the transaction that
//! strikes it off; a handler that fails leaves nothing behind, is tried again later, and does
//! not hold up the events behind it.

use std::sync::Mutex;

use makrx_service::consumer::{self, Delivery, Handler};
use makrx_service::db::MIGRATOR;
use makrx_service::{ApiError, outbox};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

/// Writes each event's seq to `public.handled`, and fails on `{"fail": true}` while told to.
struct Recorder {
    failing: Mutex<bool>,
}

impl Handler for Recorder {
    async fn handle(&self, tx: &mut PgConnection, delivery: &Delivery) -> Result<(), ApiError> {
        sqlx::query("insert into public.handled (seq) values ($1)")
            .bind(delivery.seq)
            .execute(&mut *tx)
            .await?;
        if delivery.payload["fail"] == json!(true) && *self.failing.lock().expect("a lock") {
            return Err(ApiError::Conflict("not yet".into()));
        }
        Ok(())
    }
}

async fn handled(db: &PgPool) -> Vec<i64> {
    sqlx::query_scalar("select seq from public.handled order by seq")
        .fetch_all(db)
        .await
        .expect("the handled events")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn each_event_is_handled_once_and_a_failing_one_waits_without_holding_up_the_rest(
    db: PgPool,
) {
    sqlx::query("create table public.handled (seq bigint primary key)")
        .execute(&db)
        .await
        .expect("a table");
    sqlx::query(
        "insert into events.consumers (name, topics) values ('test.recorder', '{test.thing}')",
    )
    .execute(&db)
    .await
    .expect("a consumer");
    let mut tx = db.begin().await.expect("a transaction");
    for payload in [json!({"n": 1}), json!({"fail": true}), json!({"n": 3})] {
        outbox::publish(&mut tx, "test.thing", &payload)
            .await
            .expect("an event");
    }
    outbox::publish(&mut tx, "test.other", &json!({}))
        .await
        .expect("an event of another topic");
    tx.commit().await.expect("the events");
    let seqs: Vec<i64> =
        sqlx::query_scalar("select seq from events.outbox where topic = 'test.thing' order by seq")
            .fetch_all(&db)
            .await
            .expect("the events' seqs");

    let recorder = Recorder {
        failing: Mutex::new(true),
    };
    let done = consumer::handle_due(&db, "test.recorder", &recorder)
        .await
        .expect("a round");
    assert_eq!(done, 2);
    assert_eq!(
        handled(&db).await,
        [seqs[0], seqs[2]],
        "the failed one's write went with it"
    );
    let (attempts, error, waits): (i32, String, bool) = sqlx::query_as(
        "select attempts, last_error, not_before > now() from events.deliveries
         where consumer = 'test.recorder'",
    )
    .fetch_one(&db)
    .await
    .expect("the failed delivery, kept");
    assert_eq!((attempts, error.as_str(), waits), (1, "not yet", true));
    assert_eq!(
        consumer::handle_due(&db, "test.recorder", &recorder)
            .await
            .expect("a round"),
        0,
        "not due again yet"
    );

    *recorder.failing.lock().expect("a lock") = false;
    sqlx::query("update events.deliveries set not_before = now()")
        .execute(&db)
        .await
        .expect("its time come");
    assert_eq!(
        consumer::handle_due(&db, "test.recorder", &recorder)
            .await
            .expect("a round"),
        1
    );
    assert_eq!(handled(&db).await, seqs);
    let left: i64 = sqlx::query_scalar("select count(*) from events.deliveries")
        .fetch_one(&db)
        .await
        .expect("the deliveries");
    assert_eq!(
        left, 0,
        "each handled once, the other topic never delivered"
    );
}
