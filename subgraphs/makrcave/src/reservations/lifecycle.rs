//! What happens to a booking after it is made: staff approve or reject it, its holder or
//! staff cancel it, staff check its holder in and out. A booking that lets go of its slot
//! offers it to the slot's waitlist in the same transaction.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::waitlist::offer_freed_slot;
use super::{EARLY_CHECK_IN, Reservation, ReservationStatus};
use crate::changes::Action;
use crate::fabrication;
use crate::policy;
use crate::policy::MembershipRole;
use crate::space::BookingRules;

/// The booking a staff action or a cancellation is about.
#[derive(InputObject)]
pub struct ReservationInput {
    reservation_id: ID,
}

/// Moves a booking from one status to the next inside `tx`, stamping the check-in or
/// check-out time where that is the move, and records the change.
async fn transition(
    tx: &mut PgConnection,
    before: &Reservation,
    status: ReservationStatus,
    actor: Uuid,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Reservation, ApiError> {
    let row = sqlx::query!(
        "update makrcave.reservations set status = $2, decided_by = $3, updated_at = now(),
             checked_in_at = case when $2 = 'checked_in' then $4 else checked_in_at end,
             checked_out_at = case when $2 = 'completed' then $4 else checked_out_at end
         where id = $1
         returning updated_at, checked_in_at, checked_out_at",
        before.id,
        status as ReservationStatus,
        actor,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = Reservation {
        status,
        updated_at: row.updated_at,
        checked_in_at: row.checked_in_at,
        checked_out_at: row.checked_out_at,
        ..before.clone()
    };
    after.record(tx, actor, action, Some(before)).await?;
    Ok(after)
}

/// Cancels a booking inside `tx` (locked, and cancellable) on behalf of `actor`, offering its
/// slot to the slot's waitlist.
pub async fn cancel(
    tx: &mut PgConnection,
    before: &Reservation,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<Reservation, ApiError> {
    let after = transition(
        tx,
        before,
        ReservationStatus::Cancelled,
        actor,
        Action::RESERVATION_CANCELLED,
        now,
    )
    .await?;
    offer_freed_slot(tx, &after, now).await?;
    Ok(after)
}

/// Locks the booking and checks that the caller is staff or above of its space. Someone
/// who may not see it learns nothing of it: `NOT_FOUND`.
async fn as_staff(
    ctx: &Context<'_>,
    tx: &mut PgConnection,
    id: &ID,
) -> Result<(Reservation, Uuid), ApiError> {
    let reservation = Reservation::lock(tx, parse_id(id, "reservationId")?).await?;
    let actor = policy::require_role(
        ctx,
        caller(ctx),
        reservation.makerspace_id,
        MembershipRole::Staff,
    )
    .await
    .map_err(|err| match err {
        ApiError::Forbidden(_) if caller(ctx).user_id() != Some(reservation.user_id) => {
            ApiError::NotFound("reservation".into())
        }
        other => other,
    })?;
    Ok((reservation, actor))
}

fn refuse(reservation: &Reservation, what: &str) -> ApiError {
    ApiError::Conflict(format!(
        "a booking that is {} cannot be {what}",
        serde_json::to_value(reservation.status)
            .ok()
            .and_then(|status| status.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default()
    ))
}

/// A step staff take a booking through: from one status to the next.
struct Step {
    from: ReservationStatus,
    to: ReservationStatus,
    /// How a refusal names the step (`approved`, `checked in`, ...).
    done: &'static str,
    action: Action,
    /// Whether the booking lets go of its slot, which is then offered to its waitlist.
    frees_slot: bool,
}

/// Takes a booking through `step` as staff; `allowed` may refuse it at this moment.
async fn take(
    ctx: &Context<'_>,
    input: ReservationInput,
    step: Step,
    allowed: impl FnOnce(&Reservation, DateTime<Utc>) -> Result<(), ApiError>,
) -> Result<Reservation, ApiError> {
    let now = ctx.data_unchecked::<Clock>().now();
    let mut tx = ctx.data_unchecked::<PgPool>().begin().await?;
    let (before, actor) = as_staff(ctx, &mut tx, &input.reservation_id).await?;
    if before.status != step.from {
        return Err(refuse(&before, step.done));
    }
    allowed(&before, now)?;
    let after = transition(&mut tx, &before, step.to, actor, step.action, now).await?;
    if step.frees_slot {
        offer_freed_slot(&mut tx, &after, now).await?;
    }
    tx.commit().await?;
    Ok(after)
}

#[derive(Default)]
pub struct LifecycleMutation;

#[Object(guard = "SignedIn")]
impl LifecycleMutation {
    /// Approves a pending booking; staff and above.
    async fn approve_reservation(
        &self,
        ctx: &Context<'_>,
        input: ReservationInput,
    ) -> Result<Reservation, ApiError> {
        let step = Step {
            from: ReservationStatus::Pending,
            to: ReservationStatus::Approved,
            done: "approved",
            action: Action::RESERVATION_APPROVED,
            frees_slot: false,
        };
        take(ctx, input, step, |_, _| Ok(())).await
    }

    /// Rejects a pending booking, freeing its slot; staff and above.
    async fn reject_reservation(
        &self,
        ctx: &Context<'_>,
        input: ReservationInput,
    ) -> Result<Reservation, ApiError> {
        let step = Step {
            from: ReservationStatus::Pending,
            to: ReservationStatus::Rejected,
            done: "rejected",
            action: Action::RESERVATION_REJECTED,
            frees_slot: true,
        };
        take(ctx, input, step, |_, _| Ok(())).await
    }

    /// Cancels a booking, freeing its slot. Its holder may cancel up to the space's notice
    /// before the start; staff and above may cancel any booking that has not ended. A
    /// fabrication job's slot: the job's ready-by moves to the end of its last slot left.
    async fn cancel_reservation(
        &self,
        ctx: &Context<'_>,
        input: ReservationInput,
    ) -> Result<Reservation, ApiError> {
        let user = caller(ctx).user()?;
        let id = parse_id(&input.reservation_id, "reservationId")?;
        let db = ctx.data_unchecked::<PgPool>();
        let now = ctx.data_unchecked::<Clock>().now();
        let mut tx = db.begin().await?;
        let job = fabrication::lock_job_of_slot(&mut tx, id).await?;
        let before = Reservation::lock(&mut tx, id).await?;
        let is_staff = policy::has_role(
            ctx,
            caller(ctx),
            before.makerspace_id,
            MembershipRole::Staff,
        )
        .await?;
        if !is_staff && before.user_id != user.id {
            return Err(ApiError::NotFound("reservation".into()));
        }
        if !before.status.is_cancellable() || before.ends_at <= now {
            return Err(refuse(&before, "cancelled"));
        }
        if !is_staff {
            let rules = BookingRules::of(ctx, before.makerspace_id).await?;
            if now > rules.holder_cancels_until(before.starts_at) {
                return Err(ApiError::Forbidden(format!(
                    "bookings here can be cancelled up to {} minutes before they start; \
                     ask the space's staff",
                    rules.cancellation_notice_minutes
                )));
            }
        }
        let after = cancel(&mut tx, &before, user.id, now).await?;
        if let Some(job) = job {
            fabrication::slots_changed(&mut tx, &job, user.id).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Checks a booking's holder in at the machine, from 15 minutes before its start until
    /// its end; staff and above.
    async fn check_in(
        &self,
        ctx: &Context<'_>,
        input: ReservationInput,
    ) -> Result<Reservation, ApiError> {
        let step = Step {
            from: ReservationStatus::Approved,
            to: ReservationStatus::CheckedIn,
            done: "checked in",
            action: Action::RESERVATION_CHECKED_IN,
            frees_slot: false,
        };
        take(ctx, input, step, |before, now| {
            match before.check_in_window() {
                Some(window) if window.start <= now && now < window.end => Ok(()),
                _ => Err(ApiError::Conflict(format!(
                    "a booking can be checked in from {} minutes before its start until its end",
                    EARLY_CHECK_IN.num_minutes()
                ))),
            }
        })
        .await
    }

    /// Checks a booking's holder out, completing the booking; staff and above.
    async fn check_out(
        &self,
        ctx: &Context<'_>,
        input: ReservationInput,
    ) -> Result<Reservation, ApiError> {
        let step = Step {
            from: ReservationStatus::CheckedIn,
            to: ReservationStatus::Completed,
            done: "checked out",
            action: Action::RESERVATION_CHECKED_OUT,
            frees_slot: false,
        };
        take(ctx, input, step, |_, _| Ok(())).await
    }
}
