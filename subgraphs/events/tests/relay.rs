//! Waking the relay: writers notify a sleeping relay and spare an awake one (a notification
//! serialises every committing transaction that sends one), and the relay goes back to sleep
//! once events stop, so that the next writer wakes it again.

use std::time::Duration;

use chrono::Utc;
use events::EventBus;
use makrx_service::db::MIGRATOR;
use makrx_service::outbox::{self, EquipmentStatus, EquipmentStatusChanged, topics};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use uuid::Uuid;

async fn write_event(db: &PgPool) {
    let mut tx = db.begin().await.expect("a transaction");
    let change = EquipmentStatusChanged {
        equipment_id: Uuid::now_v7(),
        makerspace_id: Uuid::now_v7(),
        status: EquipmentStatus::InUse,
        changed_at: Utc::now(),
    };
    outbox::publish(&mut tx, topics::EQUIPMENT_STATUS_CHANGED, &change)
        .await
        .expect("the event is written");
    tx.commit().await.expect("commit");
}

async fn set_awake(db: &PgPool, awake: bool) {
    sqlx::query(
        "insert into events.relay_state (awake) values ($1)
         on conflict (singleton) do update set awake = excluded.awake",
    )
    .bind(awake)
    .execute(db)
    .await
    .expect("the flag is set");
}

/// Whether a notification has reached `listener`: PostgreSQL delivers those already sent
/// before it answers a query, so after one round trip none can still be on its way.
async fn notified(listener: &mut PgListener) -> bool {
    sqlx::query("select 1")
        .execute(&mut *listener)
        .await
        .expect("the listener's connection answers");
    let mut any = false;
    while listener.next_buffered().is_some() {
        any = true;
    }
    any
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn writers_wake_a_sleeping_relay_and_spare_an_awake_one(db: PgPool) {
    let mut listener = PgListener::connect_with(&db).await.expect("a listener");
    listener.listen("makrx_outbox").await.expect("listening");

    // No relay has said anything yet: writers must assume it sleeps.
    write_event(&db).await;
    assert!(notified(&mut listener).await, "a sleeping relay is woken");

    set_awake(&db, true).await;
    write_event(&db).await;
    assert!(!notified(&mut listener).await, "an awake relay is not");

    set_awake(&db, false).await;
    write_event(&db).await;
    assert!(
        notified(&mut listener).await,
        "asleep again, it is woken again"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_relay_falls_asleep_when_events_stop_and_relays_the_next_ones(db: PgPool) {
    let awake = || async {
        sqlx::query_scalar::<_, bool>("select awake from events.relay_state")
            .fetch_optional(&db)
            .await
            .expect("the flag is read")
    };
    let unpublished = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from events.outbox_pending")
            .fetch_one(&db)
            .await
            .expect("the outbox is read")
    };
    // As a relay that stopped while awake would have left it.
    set_awake(&db, true).await;
    let _bus = EventBus::start(db.clone(), None)
        .await
        .expect("the bus starts");

    // Waits (without assuming how long the machine takes) until `done` holds.
    async fn until<F: Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
        for _ in 0..500 {
            if done().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{what} did not happen within 10 s");
    }
    until("the relay falling asleep", || async {
        awake().await == Some(false)
    })
    .await;

    for _ in 0..3 {
        write_event(&db).await;
    }
    until("the events being published", || async {
        unpublished().await == 0
    })
    .await;
    until("the relay falling asleep again", || async {
        awake().await == Some(false)
    })
    .await;
}
