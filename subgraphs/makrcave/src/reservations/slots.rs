//! Finding a slot: the free stretches of a given length, across every machine of a class that
//! the caller may use (skill level, plan and its dates, opening hours, the machine's state),
//! earliest first.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, FixedOffset, NaiveTime, Utc};
use makrx_service::graphql::caller;
use makrx_service::{ApiError, Clock, parse_id};
use sqlx::PgPool;

use super::calendar::{MachineTime, Stretch, parse_range};
use crate::equipment::{Equipment, EquipmentClass, EquipmentStatus};
use crate::members::MembershipRole;
use crate::policy;
use crate::space_settings::{BookingRules, zone_of};
use crate::timetable::{Span, local_instant};

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
    /// Free slots of `minutes` across the space's machines of a class that the caller may
    /// book, earliest first; members of the space only.
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
        let rules = BookingRules::of(db, makerspace_id).await?;
        if !(15..=rules.max_booking_minutes).contains(&input.minutes) {
            return Err(ApiError::invalid(
                "minutes",
                format!("must be between 15 and {}", rules.max_booking_minutes),
            ));
        }
        let is_staff = user.is_admin()
            || policy::role_in(ctx, caller, makerspace_id)
                .await?
                .is_some_and(|role| role >= MembershipRole::Staff);
        let now = ctx.data_unchecked::<Clock>().now();
        let mut search = Span::new(range.start.max(next_minute(now)), range.end);

        // A member's plan bounds the search to its dates, and to the classes it covers.
        if !is_staff {
            let plan = sqlx::query!(
                r#"select p.name, p.equipment_classes as "classes: Vec<EquipmentClass>",
                          mp.starts_on, mp.ends_on, m.time_zone
                   from makrcave.member_plans mp
                   join makrcave.plans p on p.id = mp.plan_id
                   join makrcave.makerspaces m on m.id = mp.makerspace_id
                   where mp.makerspace_id = $1 and mp.user_id = $2"#,
                makerspace_id,
                user.id,
            )
            .fetch_optional(db)
            .await?
            .ok_or_else(|| {
                ApiError::Forbidden(
                    "booking here needs a membership plan, and you are not on one".into(),
                )
            })?;
            if !plan.classes.contains(&input.equipment_class) {
                return Err(ApiError::Forbidden(format!(
                    "your plan {} does not cover {}",
                    plan.name,
                    input.equipment_class.name()
                )));
            }
            let zone = zone_of(&plan.time_zone);
            let starts = local_instant(zone, plan.starts_on.and_time(NaiveTime::MIN));
            let ends = plan.ends_on.map(|last| {
                local_instant(zone, (last + Duration::days(1)).and_time(NaiveTime::MIN))
            });
            search = search.and_then(|span| {
                Span::new(
                    span.start.max(starts),
                    ends.map_or(span.end, |ends| span.end.min(ends)),
                )
            });
        }
        let Some(search) = search else {
            return Ok(Vec::new());
        };

        // The machines of the class that are up, with the caller's level in each one's skill.
        let machines = sqlx::query!(
            r#"select e.id, e.makerspace_id, e.name, e.kind, e.status as "status: EquipmentStatus", e.class as "class: EquipmentClass",
                      e.location, e.hourly_cost_minor, e.requires_approval, e.required_skill_id,
                      e.required_level, e.created_at,
                      g.level as "granted_level?", g.expires_at as "grant_expires_at?"
               from makrcave.equipment e
               left join makrcave.skill_grants g on g.skill_id = e.required_skill_id and g.user_id = $3
               where e.makerspace_id = $1 and e.class = $2 and e.status in ('available', 'in_use')
               order by e.name"#,
            makerspace_id,
            input.equipment_class as EquipmentClass,
            user.id,
        )
        .fetch_all(db)
        .await?;
        let mut usable = Vec::new();
        for row in machines {
            // A member needs the machine's skill at its level, for as long as the slot lasts.
            let usable_until = match row.required_level {
                Some(_) if is_staff => Some(search.end),
                Some(needed) => match row.granted_level {
                    Some(level) if level >= needed => Some(
                        row.grant_expires_at
                            .map_or(search.end, |at| at.min(search.end)),
                    ),
                    _ => None,
                },
                None => Some(search.end),
            };
            let Some(window) = usable_until.and_then(|end| Span::new(search.start, end)) else {
                continue;
            };
            let machine = Equipment {
                id: row.id,
                makerspace_id: row.makerspace_id,
                name: row.name,
                kind: row.kind,
                status: row.status,
                class: row.class,
                location: row.location,
                hourly_cost_minor: row.hourly_cost_minor,
                requires_approval: row.requires_approval,
                required_skill_id: row.required_skill_id,
                required_level: row.required_level,
                created_at: row.created_at,
            };
            usable.push((machine, window));
        }
        // Loaded together, so that any number of machines costs the same few statements.
        let times = futures::future::try_join_all(
            usable
                .iter()
                .map(|(machine, window)| MachineTime::load(ctx, machine, *window)),
        )
        .await?;
        let length = Duration::minutes(i64::from(input.minutes));
        let mut slots = Vec::new();
        for ((machine, window), time) in usable.iter().zip(&times) {
            let zone = time.timetable.zone;
            for (free, _) in time
                .lay_out(*window, now)
                .into_iter()
                .filter(|(_, stretch)| matches!(stretch, Stretch::Free))
            {
                for slot in slots_in(free, length).take(first as usize) {
                    slots.push((slot, machine.clone(), zone));
                }
            }
        }
        slots.sort_by(|a, b| (a.0.start, &a.1.name).cmp(&(b.0.start, &b.1.name)));
        slots.truncate(first as usize);
        Ok(slots
            .into_iter()
            .map(|(slot, equipment, zone)| AvailableSlot {
                equipment,
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
        text.parse().unwrap_or_default()
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
