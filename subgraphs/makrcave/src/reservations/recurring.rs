//! Weekly bookings: the same local time each week for a number of weeks. Every occurrence is
//! checked on its own exactly as a single booking is, in its own savepoint, and the answer
//! lists each one as booked or refused with the reason; none is dropped silently.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use makrx_service::graphql::{SignedIn, caller};
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::PgPool;
use uuid::Uuid;

use super::Reservation;
use super::booking::{Bookable, NewBooking, parse_note, parse_span, read_settled};
use crate::changes::Action;
use crate::timetable::{Span, local_instant};

/// The most weeks one series may run.
const MAX_WEEKS: i32 = 52;

#[derive(InputObject)]
pub struct CreateRecurringReservationInput {
    equipment_id: ID,
    /// The first occurrence; the others fall at the same local time in the following weeks.
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// How many weeks, the first included: 2 to 52.
    weeks: i32,
    note: Option<String>,
}

/// One occurrence of a series that could not be booked, and why.
#[derive(Clone, Debug, SimpleObject)]
pub struct RefusedOccurrence {
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// The code a single booking would have been refused with (`CONFLICT`, `FORBIDDEN`, ...).
    pub code: String,
    pub message: String,
}

/// What became of each occurrence of a weekly series.
#[derive(SimpleObject)]
pub struct RecurringReservation {
    /// Shared by the booked occurrences (`Reservation.seriesId`).
    pub series_id: ID,
    pub booked: Vec<Reservation>,
    pub refused: Vec<RefusedOccurrence>,
}

#[derive(Default)]
pub struct RecurringMutation;

#[Object(guard = "SignedIn")]
impl RecurringMutation {
    /// Books the same slot weekly for a number of weeks, each occurrence checked like a
    /// single booking (clashes, skills, plan, quotas, opening hours); the answer lists which
    /// were booked and which were refused, and why.
    async fn create_recurring_reservation(
        &self,
        ctx: &Context<'_>,
        input: CreateRecurringReservationInput,
    ) -> Result<RecurringReservation, ApiError> {
        let booker = caller(ctx).user()?;
        let equipment_id = parse_id(&input.equipment_id, "equipmentId")?;
        let first = parse_span(input.starts_at, input.ends_at)?;
        let note = parse_note(input.note)?;
        if !(2..=MAX_WEEKS).contains(&input.weeks) {
            return Err(ApiError::invalid(
                "weeks",
                format!("must be between 2 and {MAX_WEEKS}"),
            ));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let now = ctx.data_unchecked::<Clock>().now();
        let last_week = Duration::weeks(i64::from(input.weeks) - 1);
        let series = Span {
            start: first.start,
            // A day's slack for a daylight-saving change on the way.
            end: first.end + last_week + Duration::days(1),
        };
        let mut conn = db.acquire().await?;
        let bookable = read_settled(&mut conn, equipment_id, booker.into(), series, now).await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let zone = bookable.machine.zone;
        let series_id = Uuid::now_v7();
        let (local_start, local_end) = (
            first.start.with_timezone(&zone).naive_local(),
            first.end.with_timezone(&zone).naive_local(),
        );
        let mut booked = Vec::new();
        let mut refused = Vec::new();
        for week in 0..i64::from(input.weeks) {
            let shift = Duration::weeks(week);
            let occurrence = Span::new(
                local_instant(zone, local_start + shift),
                local_instant(zone, local_end + shift),
            );
            let Some(span) = occurrence else {
                // Wholly inside the hour a daylight-saving change skips: there is no such
                // local time that week, and the answer says so rather than leaving it out.
                let at = local_instant(zone, local_start + shift);
                let skipped = ApiError::invalid(
                    "startsAt",
                    format!(
                        "{} does not exist in {}: the clocks skip it that day",
                        (local_start + shift).format("%Y-%m-%d %H:%M"),
                        zone.name()
                    ),
                );
                refused.push(refusal(&bookable, Span { start: at, end: at }, skipped));
                continue;
            };
            let mut attempt = sqlx::Connection::begin(&mut *tx).await?;
            let outcome = async {
                let quotas = bookable.rules(span, now)?;
                let booking = NewBooking {
                    status: bookable.initial_status(),
                    note: note.clone(),
                    series_id: Some(series_id),
                    offer_expires_at: None,
                    fabrication_job_id: None,
                };
                let created = (booker.id, Action::RESERVATION_CREATED);
                bookable
                    .book(&mut attempt, span, booking, &quotas, created)
                    .await
            }
            .await;
            match outcome {
                Ok(Some(reservation)) => {
                    attempt.commit().await?;
                    booked.push(reservation);
                }
                Ok(None) => {
                    attempt.rollback().await?;
                    let clash = bookable.clash(&mut *tx, span).await;
                    refused.push(refusal(&bookable, span, clash));
                }
                Err(ApiError::Internal) => return Err(ApiError::Internal),
                Err(err) => {
                    attempt.rollback().await?;
                    refused.push(refusal(&bookable, span, err));
                }
            }
        }
        tx.commit().await?;
        Ok(RecurringReservation {
            series_id: ID(series_id.to_string()),
            booked,
            refused,
        })
    }
}

fn refusal(bookable: &Bookable, span: Span, err: ApiError) -> RefusedOccurrence {
    RefusedOccurrence {
        starts_at: bookable.machine.local(span.start),
        ends_at: bookable.machine.local(span.end),
        code: err.code().into(),
        message: err.message(),
    }
}
