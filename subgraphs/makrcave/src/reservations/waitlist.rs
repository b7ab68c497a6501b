//! Waitlists for a specific slot. When a booking that held a slot lets go of it, the first
//! person waiting for (part of) it is offered the slot: an `offered` reservation holds it for
//! the space's offer time, and a `WaitlistOffered` event tells them. They take it up (it is
//! checked like any booking), decline it, or let it lapse, and then the next person is offered.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::outbox::{self, WaitlistOffered, topics};
use makrx_service::{ApiError, Clock, parse_id};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::booking::{Bookable, Booker, NewBooking, parse_note, parse_span, read_settled};
use super::{Reservation, ReservationStatus};
use crate::changes::{self, Action, Change, SYSTEM};
use crate::equipment::Equipment;
use crate::space::TimeZone;
use crate::timetable::Span;

/// A place on a slot's waitlist.
#[derive(Clone, Debug)]
pub struct WaitlistEntry {
    id: Uuid,
    equipment_id: Uuid,
    starts_at: DateTime<FixedOffset>,
    ends_at: DateTime<FixedOffset>,
    status: String,
    offer_id: Option<Uuid>,
}

/// A place on a slot's waitlist.
#[Object]
impl WaitlistEntry {
    async fn id(&self) -> ID {
        ID(self.id.to_string())
    }

    async fn equipment_id(&self) -> ID {
        ID(self.equipment_id.to_string())
    }

    /// The machine waited for.
    async fn equipment(&self, ctx: &Context<'_>) -> Result<Equipment, ApiError> {
        Equipment::referenced(ctx, self.equipment_id).await
    }

    /// In the space's local time.
    async fn starts_at(&self) -> DateTime<FixedOffset> {
        self.starts_at
    }

    async fn ends_at(&self) -> DateTime<FixedOffset> {
        self.ends_at
    }

    /// `waiting`, `offered`, `booked`, `lapsed` or `left`.
    async fn status(&self) -> &str {
        &self.status
    }

    /// The booking that holds the slot for this person while they are offered it.
    async fn offer_id(&self) -> Option<ID> {
        self.offer_id.map(|id| ID(id.to_string()))
    }
}

/// A place on a waitlist, as the audit log keeps it before and after a change.
#[derive(Clone, Copy, Serialize)]
struct Place {
    user_id: Uuid,
    equipment_id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: &'static str,
}

#[derive(InputObject)]
pub struct JoinWaitlistInput {
    equipment_id: ID,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    note: Option<String>,
}

#[derive(InputObject)]
pub struct WaitlistEntryInput {
    entry_id: ID,
}

#[derive(InputObject)]
pub struct WaitlistOfferInput {
    reservation_id: ID,
}

/// Lets go of the expired offers of a machine and offers their slots to the next in line.
/// Runs on `conn` before anything that books the machine, so that a lapsed offer never blocks
/// a slot longer than its time, whoever asks first; in a transaction of its own, committed
/// whatever becomes of the request that noticed the lapse, since a refused booking rolled back
/// with it would bring the offer back to life. One statement when nothing has lapsed.
pub async fn settle_expired_offers(
    conn: &mut PgConnection,
    equipment_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if expired_offers(&mut *conn, equipment_id, now)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    lapse_expired_offers(&mut tx, equipment_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The machine's offers that have expired, locked for the rest of the transaction.
async fn expired_offers(
    conn: &mut PgConnection,
    equipment_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, ApiError> {
    Ok(sqlx::query_scalar!(
        "select id from makrcave.reservations
         where equipment_id = $1 and status = 'offered' and offer_expires_at <= $2
         for update",
        equipment_id,
        now,
    )
    .fetch_all(conn)
    .await?)
}

/// Lets go of the expired offers of a machine inside `tx`, offering their slots on.
async fn lapse_expired_offers(
    tx: &mut PgConnection,
    equipment_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for id in expired_offers(&mut *tx, equipment_id, now).await? {
        let_go(tx, id, ReservationStatus::Lapsed, SYSTEM, now).await?;
    }
    Ok(())
}

/// Ends an offer (lapsed or declined) and offers its slot to the next in line.
async fn let_go(
    tx: &mut PgConnection,
    reservation_id: Uuid,
    status: ReservationStatus,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<Reservation, ApiError> {
    let before = Reservation::lock(tx, reservation_id).await?;
    let after = set_status(tx, &before, status).await?;
    sqlx::query!(
        "update makrcave.waitlist_entries set status = 'lapsed', updated_at = now()
         where reservation_id = $1 and status = 'offered'",
        reservation_id
    )
    .execute(&mut *tx)
    .await?;
    after
        .record(tx, actor, Action::RESERVATION_OFFER_ENDED, Some(&before))
        .await?;
    offer_freed_slot(tx, &after, now).await?;
    Ok(after)
}

async fn set_status(
    tx: &mut PgConnection,
    reservation: &Reservation,
    status: ReservationStatus,
) -> Result<Reservation, ApiError> {
    let updated_at = sqlx::query_scalar!(
        "update makrcave.reservations set status = $2, offer_expires_at = null, updated_at = now()
         where id = $1 returning updated_at",
        reservation.id,
        status as ReservationStatus,
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Reservation {
        status,
        offer_expires_at: None,
        updated_at,
        ..reservation.clone()
    })
}

/// Offers the slot `freed` let go of to the people waiting for it, first come first served:
/// each waiting person whose wished-for slot is now wholly free gets an offer.
pub async fn offer_freed_slot(
    tx: &mut PgConnection,
    freed: &Reservation,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let waiting = sqlx::query!(
        r#"select id, user_id, lower(during) as "starts_at!", upper(during) as "ends_at!", note
           from makrcave.waitlist_entries
           where equipment_id = $1 and status = 'waiting' and during && tstzrange($2, $3)
             and lower(during) > $4
           order by created_at
           for update"#,
        freed.equipment_id,
        freed.starts_at,
        freed.ends_at,
        now,
    )
    .fetch_all(&mut *tx)
    .await?;
    for entry in waiting {
        let span = Span {
            start: entry.starts_at,
            end: entry.ends_at,
        };
        // Each offer in its own savepoint: a slot still partly taken, or a person who may no
        // longer book the machine, is passed over without undoing the others.
        let mut attempt = sqlx::Connection::begin(&mut *tx).await?;
        let booker = Booker {
            id: entry.user_id,
            is_admin: false,
        };
        let offered = async {
            let bookable =
                Bookable::read(&mut attempt, freed.equipment_id, booker, span, now).await?;
            let quotas = bookable.rules(span, now)?;
            let expires_at = span
                .start
                .min(now + Duration::minutes(i64::from(bookable.machine.waitlist_offer_minutes)));
            let offer = NewBooking {
                status: ReservationStatus::Offered,
                note: entry.note.clone(),
                series_id: None,
                offer_expires_at: Some(expires_at),
                fabrication_job_id: None,
            };
            let offered = (SYSTEM, Action::RESERVATION_OFFERED);
            bookable
                .book(&mut attempt, span, offer, &quotas, offered)
                .await
        }
        .await;
        match offered {
            Ok(Some(offer)) => {
                sqlx::query!(
                    "update makrcave.waitlist_entries
                     set status = 'offered', reservation_id = $2, updated_at = now() where id = $1",
                    entry.id,
                    offer.id,
                )
                .execute(&mut *attempt)
                .await?;
                let event = WaitlistOffered {
                    user_id: offer.user_id,
                    reservation_id: offer.id,
                    equipment_id: offer.equipment_id,
                    makerspace_id: offer.makerspace_id,
                    starts_at: offer.starts_at,
                    ends_at: offer.ends_at,
                    expires_at: offer.offer_expires_at.unwrap_or(offer.starts_at),
                };
                outbox::publish(&mut attempt, topics::WAITLIST_OFFERED, &event).await?;
                attempt.commit().await?;
            }
            Err(ApiError::Internal) => return Err(ApiError::Internal),
            Ok(None) | Err(_) => attempt.rollback().await?,
        }
    }
    Ok(())
}

fn entry(row: EntryRow) -> WaitlistEntry {
    let zone = row.time_zone.0;
    WaitlistEntry {
        id: row.id,
        equipment_id: row.equipment_id,
        starts_at: row.starts_at.with_timezone(&zone).fixed_offset(),
        ends_at: row.ends_at.with_timezone(&zone).fixed_offset(),
        status: row.status,
        offer_id: row.reservation_id,
    }
}

struct EntryRow {
    id: Uuid,
    equipment_id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: String,
    reservation_id: Option<Uuid>,
    time_zone: TimeZone,
}

#[derive(Default)]
pub struct WaitlistQuery;

#[Object]
impl WaitlistQuery {
    /// The caller's places on waitlists that are still open (waiting or offered).
    async fn my_waitlist(&self, ctx: &Context<'_>) -> Result<Vec<WaitlistEntry>, ApiError> {
        let user = caller(ctx).user()?.id;
        let rows = sqlx::query_as!(
            EntryRow,
            r#"select w.id, w.equipment_id, lower(w.during) as "starts_at!", upper(w.during) as "ends_at!",
                      w.status, w.reservation_id, m.time_zone as "time_zone: TimeZone"
               from makrcave.waitlist_entries w
               join makrcave.equipment e on e.id = w.equipment_id
               join makrcave.makerspaces m on m.id = e.makerspace_id
               where w.user_id = $1 and w.status in ('waiting', 'offered')
               order by lower(w.during)"#,
            user
        )
        .fetch_all(ctx.data_unchecked::<PgPool>())
        .await?;
        Ok(rows.into_iter().map(entry).collect())
    }
}

#[derive(Default)]
pub struct WaitlistMutation;

#[Object(guard = "SignedIn")]
impl WaitlistMutation {
    /// Joins the waitlist for a slot that is taken. The caller must be able to book the
    /// machine then (skill, plan, quota, opening hours); they are offered the slot if it frees.
    async fn join_waitlist(
        &self,
        ctx: &Context<'_>,
        input: JoinWaitlistInput,
    ) -> Result<WaitlistEntry, ApiError> {
        let user = caller(ctx).user()?;
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let span = parse_span(input.starts_at, input.ends_at)?;
        let note = parse_note(input.note)?;
        let db = ctx.data_unchecked::<PgPool>();
        let now = ctx.data_unchecked::<Clock>().now();
        let mut conn = db.acquire().await?;
        let bookable = read_settled(&mut conn, equipment_id, user.into(), span, now).await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        bookable.check(&mut tx, span, now, None).await?;
        let taken = sqlx::query_scalar!(
            r#"select exists(select 1 from makrcave.reservations
                             where equipment_id = $1 and during && tstzrange($2, $3)
                               and makrcave.holds_slot(status)) as "taken!""#,
            equipment_id,
            span.start,
            span.end,
        )
        .fetch_one(&mut *tx)
        .await?;
        if !taken {
            return Err(ApiError::invalid(
                "startsAt",
                "this slot is free: book it instead",
            ));
        }
        let id = Uuid::now_v7();
        sqlx::query!(
            "insert into makrcave.waitlist_entries (id, equipment_id, user_id, during, note)
             values ($1, $2, $3, tstzrange($4, $5), $6)",
            id,
            equipment_id,
            user.id,
            span.start,
            span.end,
            note,
        )
        .execute(&mut *tx)
        .await
        .map_err(|err| {
            makrx_service::error::on_constraint(err, "waitlist_entries_once_key", || {
                ApiError::Conflict("you are already on the waitlist for this slot".into())
            })
        })?;
        let joined = WaitlistEntry {
            id,
            equipment_id,
            starts_at: bookable.machine.local(span.start),
            ends_at: bookable.machine.local(span.end),
            status: "waiting".into(),
            offer_id: None,
        };
        changes::record(
            &mut tx,
            Change {
                actor: user.id,
                action: Action::WAITLIST_JOINED,
                entity_id: id,
                makerspace_id: bookable.machine.makerspace_id,
                before: None,
                after: Some(&Place {
                    user_id: user.id,
                    equipment_id,
                    starts_at: span.start,
                    ends_at: span.end,
                    status: "waiting",
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(joined)
    }

    /// Takes up a waitlist offer: the slot becomes the caller's booking if they may still
    /// book it (it is checked like any booking).
    async fn accept_waitlist_offer(
        &self,
        ctx: &Context<'_>,
        input: WaitlistOfferInput,
    ) -> Result<Reservation, ApiError> {
        let user = caller(ctx).user()?;
        let reservation_id = parse_id(&input.reservation_id, "reservationId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = db.begin().await?;
        let offer = own_offer(&mut tx, reservation_id, user.id).await?;
        if offer.offer_expires_at.is_some_and(|at| at <= now) {
            lapse_expired_offers(&mut tx, offer.equipment_id, now).await?;
            tx.commit().await?;
            return Err(ApiError::Conflict("the offer has lapsed".into()));
        }
        let span = Span {
            start: offer.starts_at,
            end: offer.ends_at,
        };
        let bookable = Bookable::read(&mut tx, offer.equipment_id, user.into(), span, now).await?;
        bookable.check(&mut tx, span, now, Some(offer.id)).await?;
        let booked = set_status(&mut tx, &offer, bookable.initial_status()).await?;
        sqlx::query!(
            "update makrcave.waitlist_entries set status = 'booked', updated_at = now()
             where reservation_id = $1",
            reservation_id
        )
        .execute(&mut *tx)
        .await?;
        booked
            .record(
                &mut tx,
                user.id,
                Action::RESERVATION_OFFER_ACCEPTED,
                Some(&offer),
            )
            .await?;
        tx.commit().await?;
        Ok(booked)
    }

    /// Turns a waitlist offer down; the next person waiting is offered the slot.
    async fn decline_waitlist_offer(
        &self,
        ctx: &Context<'_>,
        input: WaitlistOfferInput,
    ) -> Result<Reservation, ApiError> {
        let user = caller(ctx).user()?;
        let reservation_id = parse_id(&input.reservation_id, "reservationId")?;
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        own_offer(&mut tx, reservation_id, user.id).await?;
        let declined = let_go(
            &mut tx,
            reservation_id,
            ReservationStatus::Lapsed,
            user.id,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(declined)
    }

    /// Leaves a waitlist the caller is waiting on.
    async fn leave_waitlist(
        &self,
        ctx: &Context<'_>,
        input: WaitlistEntryInput,
    ) -> Result<ID, ApiError> {
        let user = caller(ctx).user()?;
        let entry_id = parse_id(&input.entry_id, "entryId")?;
        let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
        let left = sqlx::query!(
            r#"update makrcave.waitlist_entries w set status = 'left', updated_at = now()
               from makrcave.equipment e
               where w.id = $1 and w.user_id = $2 and w.status = 'waiting' and e.id = w.equipment_id
               returning e.makerspace_id, w.equipment_id, lower(w.during) as "starts_at!",
                         upper(w.during) as "ends_at!""#,
            entry_id,
            user.id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound("waitlist entry".into()))?;
        let waiting = Place {
            user_id: user.id,
            equipment_id: left.equipment_id,
            starts_at: left.starts_at,
            ends_at: left.ends_at,
            status: "waiting",
        };
        changes::record(
            &mut tx,
            Change {
                actor: user.id,
                action: Action::WAITLIST_LEFT,
                entity_id: entry_id,
                makerspace_id: left.makerspace_id,
                before: Some(&waiting),
                after: Some(&Place {
                    status: "left",
                    ..waiting
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(input.entry_id)
    }
}

/// The caller's live offer, locked; anyone else's is `NOT_FOUND`. An offer of theirs that has
/// lapsed (or that they declined) is a `CONFLICT` however the lapse was noticed: by this
/// request, or by an earlier one on the machine.
async fn own_offer(
    tx: &mut PgConnection,
    reservation_id: Uuid,
    user_id: Uuid,
) -> Result<Reservation, ApiError> {
    let not_found = || ApiError::NotFound("waitlist offer".into());
    let offer = match Reservation::lock(tx, reservation_id).await {
        Ok(offer) if offer.user_id == user_id => offer,
        Ok(_) | Err(ApiError::NotFound(_)) => return Err(not_found()),
        Err(err) => return Err(err),
    };
    match offer.status {
        ReservationStatus::Offered => Ok(offer),
        ReservationStatus::Lapsed => Err(ApiError::Conflict("the offer has lapsed".into())),
        _ => Err(not_found()),
    }
}
