//! Finding a slot: the free stretches of a given length, across every machine of a class,
//! that the caller could book (`eligibility` decides, as for the booking itself), earliest
//! first.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use makrx_service::graphql::caller;
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::PgPool;

use super::booking::Bookable;
use super::calendar::{MachineTime, Stretch, parse_range};
use crate::equipment::{Equipment, EquipmentClass};
use crate::loaders::Loaders;
use crate::policy;
use crate::policy::MembershipRole;
use crate::space::BookingRules;
use crate::timetable::Span;

#[derive(InputObject)]
pub struct AvailableSlotsInput {
    makerspace_id: ID,
    equipment_class: EquipmentClass,
    /// How long each slot is: 15 minutes up to the space's longest booking.
    minutes: i32,
    from: DateTime<Utc>,
    /// At most 31 days after `from`.
    to: DateTime<Utc>,
    /// How many slots to return, 1 to 200 (default 20).
    first: Option<i32>,
}

/// A free slot of one machine.
#[derive(SimpleObject)]
pub struct AvailableSlot {
    pub equipment: Equipment,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
}

/// The slots of `length` that fit in `free`, back to back from its start.
pub fn slots_in(free: Span, length: Duration) -> impl Iterator<Item = Span> {
    let count = (free.duration().num_minutes() / length.num_minutes().max(1)).max(0);
    (0..count).map(move |index| {
        let start = free.start + length * index as i32;
        Span {
            start,
            end: start + length,
        }
    })
}

/// The first whole minute at or after `at`.
fn next_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = at.timestamp()
        + i64::from(at.timestamp() % 60 != 0 || at.timestamp_subsec_nanos() != 0) * 60;
    DateTime::from_timestamp(seconds - seconds.rem_euclid(60), 0).unwrap_or(at)
}

#[derive(Default)]
pub struct SlotQuery;

#[Object]
impl SlotQuery {
    /// Free slots of `minutes` across the space's machines of a class, earliest first: only
    /// slots that `createReservation` would book for the caller (skill level, plan and its
    /// dates, quotas, opening hours, blackouts, the machine's state), checked by the same
    /// rules. Members of the space only; `FORBIDDEN` for a member whose plan does not cover
    /// the class.
    async fn available_slots(
        &self,
        ctx: &Context<'_>,
        input: AvailableSlotsInput,
    ) -> Result<Vec<AvailableSlot>, ApiError> {
        let makerspace_id = parse_id(&input.makerspace_id, "makerspaceId")?;
        let caller = caller(ctx);
        let user = caller.user()?;
        policy::require_role(ctx, caller, makerspace_id, MembershipRole::Member).await?;
        let range = parse_range(input.from, input.to)?;
        let first = input.first.unwrap_or(20);
        if !(1..=200).contains(&first) {
            return Err(ApiError::invalid("first", "must be between 1 and 200"));
        }
        let db = ctx.data_unchecked::<PgPool>();
        let rules = BookingRules::of(ctx, makerspace_id).await?;
        if !(15..=rules.max_booking_minutes).contains(&input.minutes) {
            return Err(ApiError::invalid(
                "minutes",
                format!("must be between 15 and {}", rules.max_booking_minutes),
            ));
        }
        let now = ctx.data_unchecked::<Clock>().now();
        let Some(search) = Span::new(range.start.max(next_minute(now)), range.end) else {
            return Ok(Vec::new());
        };
        let machines: Vec<Equipment> = ctx
            .data_unchecked::<Loaders>()
            .equipment
            .load_one(makerspace_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|machine| machine.class == input.equipment_class)
            .collect();
        if machines.is_empty() {
            return Ok(Vec::new());
        }
        // What a booking of each machine is checked against, and the minutes the caller has
        // booked in each day and week of the search: read once for every slot.
        let mut conn = db.acquire().await?;
        let bookables = Bookable::read_class(
            &mut conn,
            makerspace_id,
            input.equipment_class,
            user.into(),
            search,
            now,
        )
        .await?;
        let Some(any) = bookables.first() else {
            return Ok(Vec::new());
        };
        any.may_book_class(input.equipment_class)?;
        let used = any.minutes_used(&mut conn, search).await?;
        drop(conn);
        // The machines' free stretches, loaded together: any number of machines costs the
        // same few statements.
        let times =
            futures::future::try_join_all(machines.iter().map(|machine| {
                MachineTime::load(ctx.data_unchecked::<Loaders>(), machine, search)
            }))
            .await?;
        let length = Duration::minutes(i64::from(input.minutes));
        let mut slots = Vec::new();
        for (machine, time) in machines.iter().zip(&times) {
            let Some(bookable) = bookables
                .iter()
                .find(|bookable| bookable.machine.equipment_id == machine.id)
            else {
                continue;
            };
            let bookable_slots = time
                .lay_out(search, now)
                .into_iter()
                .filter(|(_, stretch)| matches!(stretch, Stretch::Free))
                .flat_map(|(free, _)| slots_in(free, length))
                .filter(|slot| bookable.would_book(*slot, now, &used))
                .take(first as usize);
            slots.extend(bookable_slots.map(|slot| (slot, machine, time.timetable.zone)));
        }
        slots.sort_by(|a, b| (a.0.start, &a.1.name).cmp(&(b.0.start, &b.1.name)));
        slots.truncate(first as usize);
        Ok(slots
            .into_iter()
            .map(|(slot, equipment, zone)| AvailableSlot {
                equipment: equipment.clone(),
                starts_at: slot.start.with_timezone(&zone).fixed_offset(),
                ends_at: slot.end.with_timezone(&zone).fixed_offset(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a time")
    }

    #[test]
    fn slots_fill_a_free_stretch_back_to_back_and_drop_the_remainder() {
        let free = Span {
            start: at("2026-12-01T09:15:00Z"),
            end: at("2026-12-01T12:00:00Z"),
        };
        let slots: Vec<Span> = slots_in(free, Duration::minutes(60)).collect();
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[0].start, at("2026-12-01T09:15:00Z"));
        assert_eq!(slots[1].end, at("2026-12-01T11:15:00Z"));
    }

    #[test]
    fn searches_start_on_the_next_whole_minute() {
        assert_eq!(
            next_minute(at("2026-12-01T09:15:00Z")),
            at("2026-12-01T09:15:00Z")
        );
        assert_eq!(
            next_minute(at("2026-12-01T09:15:01Z")),
            at("2026-12-01T09:16:00Z")
        );
    }
}
