//! A job's time on a printer. The staff schedule an accepted job on one of their space's
//! printers that prints its process and fits it: a booking of that printer, made by the same
//! code and against the same rules as any booking (opening hours, blackouts, the machine's
//! status, its longest booking), so members and jobs never overlap, every calendar shows the
//! slot taken and every later quote's lead time counts it. A long print may take several
//! slots. The job's ready-by becomes the end of its last slot, and moves as slots are cancelled.
//! Once printed, the slots it no longer needs are let go of (`release_bookings`).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Duration, Utc};
use makrx_service::graphql::{SignedIn, caller, group_by};
use makrx_service::outbox::FabricationJobStatus;
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::jobs::{FabricationJob, job_query, visible};
use super::offers::print_time;
use crate::changes::Action;
use crate::loaders::Loaders;
use crate::policy::{self, MembershipRole};
use crate::reservations::{
    NewBooking, Reservation, ReservationStatus, cancel_booking, parse_span, read_settled,
    reservation_query,
};

#[derive(InputObject)]
pub struct ScheduleFabricationJobInput {
    pub job_id: ID,
    /// One of the space's fabrication printers that prints the job's process and fits it.
    pub equipment_id: ID,
    /// On a whole minute.
    pub starts_at: DateTime<Utc>,
    /// On a whole minute; by default when printing every copy would be done (the quoted print
    /// time, rounded up to the minute).
    pub ends_at: Option<DateTime<Utc>>,
}

/// Refuses printer time to a job in `status` unless it is accepted or printing.
fn check_schedulable(status: FabricationJobStatus) -> Result<(), ApiError> {
    match status {
        FabricationJobStatus::Accepted | FabricationJobStatus::Printing => Ok(()),
        FabricationJobStatus::Dispatched => Err(ApiError::Conflict(
            "a job waiting to be accepted cannot be scheduled: accept it first".into(),
        )),
        other => Err(ApiError::Conflict(format!(
            "a job that is {} cannot be scheduled",
            other.words()
        ))),
    }
}

impl FabricationJob {
    /// Printing every copy, as quoted.
    pub fn print_time(&self) -> Duration {
        print_time(self.print_seconds, self.quantity)
    }
}

#[derive(Default)]
pub struct ScheduleMutation;

#[Object(guard = "SignedIn")]
impl ScheduleMutation {
    /// Gives an accepted (or printing) job a slot on one of its space's printers: a booking of
    /// that printer in the staff member's name, noted with the order and the file; the staff
    /// (and above) of the job's space and platform admins. The booking is held to the rules of
    /// any booking of the printer, and a clash is `CONFLICT` naming the slot it clashes with.
    /// Call it again for more slots; cancel a slot as any booking (`cancelReservation`). The
    /// answer is the job, its `readyBy` now the end of its last slot.
    async fn schedule_fabrication_job(
        &self,
        ctx: &Context<'_>,
        input: ScheduleFabricationJobInput,
    ) -> Result<FabricationJob, ApiError> {
        let user = caller(ctx).user()?;
        let job_id = parse_id(&input.job_id, "jobId")?;
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let job = visible(ctx, job_id).await?;
        let space = job.makerspace_id.ok_or_else(|| {
            ApiError::Conflict("no makerspace has this job: it cannot be scheduled".into())
        })?;
        policy::require_role(ctx, caller(ctx), space, MembershipRole::Staff).await?;
        check_schedulable(job.status)?;
        let printer = ctx
            .data_unchecked::<Loaders>()
            .fabrication_printers
            .load_one(space)
            .await?
            .unwrap_or_default()
            .into_iter()
            .find(|printer| printer.equipment_id == equipment_id)
            .ok_or_else(|| {
                ApiError::invalid(
                    "equipmentId",
                    "is not one of the space's fabrication printers",
                )
            })?;
        let ends_at = input.ends_at.unwrap_or_else(|| {
            let minutes = (job.print_time().num_seconds() + 59) / 60;
            input.starts_at + Duration::minutes(minutes.max(1))
        });
        let span = parse_span(input.starts_at, ends_at)?;
        let db = ctx.data_unchecked::<PgPool>();
        let now = ctx.data_unchecked::<Clock>().now();
        let mut conn = db.acquire().await?;
        let bookable = read_settled(&mut conn, equipment_id, user.into(), span, now).await?;
        drop(conn);
        let name = &bookable.machine.name;
        if printer.process != job.process {
            return Err(ApiError::invalid(
                "equipmentId",
                format!(
                    "{name} prints {}, and this part is {}",
                    printer.process.words(),
                    job.process.words()
                ),
            ));
        }
        let size = <[f64; 3]>::try_from(job.bbox_mm.as_slice()).unwrap_or_default();
        if !printer.fits(size) {
            return Err(ApiError::invalid(
                "equipmentId",
                format!(
                    "the part ({:.0} × {:.0} × {:.0} mm) does not fit {name}",
                    size[0], size[1], size[2]
                ),
            ));
        }
        let quotas = bookable.rules(span, now)?;
        let mut tx = db.begin().await?;
        // Locked before the printer (as a status change locks it before the bookings it lets
        // go of), and checked again: another of the staff may have declined it meanwhile.
        let before = job_query!(
            "select",
            "from makrcave.fabrication_jobs j where j.id = $1 for update",
            job.id
        )
        .fetch_one(&mut *tx)
        .await?;
        check_schedulable(before.status)?;
        let booking = NewBooking {
            status: ReservationStatus::Approved,
            note: format!(
                "Order #{}: {} × {}, {}",
                job.order_number, job.file_name, job.quantity, job.material
            ),
            series_id: None,
            offer_expires_at: None,
            fabrication_job_id: Some(job.id),
        };
        let booked = (user.id, Action::RESERVATION_CREATED);
        if bookable
            .book(&mut tx, span, booking, &quotas, booked)
            .await?
            .is_none()
        {
            drop(tx);
            return Err(bookable.clash(db, span).await);
        }
        let scheduled = slots_changed(&mut tx, &before, user.id).await?;
        tx.commit().await?;
        Ok(scheduled)
    }
}

/// After `job`'s slots changed (locked, as it stood before: `lock_job_of_slot` for a slot let
/// go of), on behalf of `actor`: its ready-by becomes the end of its last slot still held (kept
/// as it was when none is), recorded so that its followers hear of it.
pub async fn slots_changed(
    tx: &mut PgConnection,
    job: &FabricationJob,
    actor: Uuid,
) -> Result<FabricationJob, ApiError> {
    let after = job_query!(
        "update makrcave.fabrication_jobs j
         set ready_by = coalesce(
                 (select max(upper(r.during)) from makrcave.reservations r
                  where r.fabrication_job_id = j.id and makrcave.holds_slot(r.status)),
                 j.ready_by),
             updated_at = now()
         where j.id = $1
         returning",
        "",
        job.id
    )
    .fetch_one(&mut *tx)
    .await?;
    after
        .record(tx, actor, Action::FABRICATION_JOB_SCHEDULED, Some(job))
        .await?;
    Ok(after)
}

/// Locks the job a booking gives printer time to, if any, before the booking itself is locked
/// and let go of: a job is always locked before its slots (as a status change and scheduling
/// lock them), so two of the staff at once never wait for each other. Answers the job as it
/// stands.
pub async fn lock_job_of_slot(
    tx: &mut PgConnection,
    booking: Uuid,
) -> Result<Option<FabricationJob>, ApiError> {
    Ok(job_query!(
        "select",
        "from makrcave.fabrication_jobs j
         where j.id = (select fabrication_job_id from makrcave.reservations where id = $1)
         for update",
        booking
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// Lets go of the printer time `job` (as it now stands) no longer needs, on behalf of `actor`:
/// every slot not yet over once it is declined or cancelled, every slot not yet begun once it
/// is printed. Each slot freed is offered to its waitlist.
pub async fn release_bookings(
    tx: &mut PgConnection,
    job: &FabricationJob,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let unfinished = match job.status {
        FabricationJobStatus::Declined | FabricationJobStatus::Cancelled => true,
        FabricationJobStatus::PostProcessing
        | FabricationJobStatus::Ready
        | FabricationJobStatus::Shipped
        | FabricationJobStatus::Delivered => false,
        FabricationJobStatus::Dispatched
        | FabricationJobStatus::Accepted
        | FabricationJobStatus::Printing => return Ok(()),
    };
    let held = reservation_query!(
        "where r.fabrication_job_id = $1 and makrcave.holds_slot(r.status)
           and case when $2 then upper(r.during) else lower(r.during) end > $3
         for update of r",
        job.id,
        unfinished,
        now
    )
    .fetch_all(&mut *tx)
    .await?;
    for booking in held {
        cancel_booking(tx, &booking, actor, now).await?;
    }
    Ok(())
}

/// Loads jobs' slots on printers, earliest first, leaving out those let go of.
pub struct BookingsByJob(pub PgPool);

impl Loader<Uuid> for BookingsByJob {
    type Value = Vec<Reservation>;
    type Error = ApiError;

    async fn load(&self, jobs: &[Uuid]) -> Result<HashMap<Uuid, Vec<Reservation>>, ApiError> {
        let bookings = reservation_query!(
            "where r.fabrication_job_id = any($1)
               and (makrcave.holds_slot(r.status) or r.status = 'completed')
             order by lower(r.during), r.id",
            jobs
        )
        .fetch_all(&self.0)
        .await?;
        Ok(group_by(bookings, |booking| {
            booking.fabrication_job_id.unwrap_or_default()
        }))
    }
}
