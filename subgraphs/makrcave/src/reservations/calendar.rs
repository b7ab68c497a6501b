//! A machine's calendar: its time laid out as free, booked (the caller's own shown as theirs)
//! and blocked (closed, a blackout, the machine down), in the space's local time. A page of
//! many machines costs the same few statements as one: bookings and blackouts are loaded for
//! all of them at once.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, SimpleObject};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use makrx_service::graphql::caller;
use makrx_service::{ApiError, Clock};
use sqlx::PgPool;
use uuid::Uuid;

use super::{Reservation, ReservationStatus};
use crate::equipment::{Equipment, EquipmentStatus};
use crate::loaders::Loaders;
use crate::policy;
use crate::policy::MembershipRole;
use crate::space::OpeningHours;
use crate::timetable::{Span, Timetable};

/// The longest range one calendar or slot search covers.
pub const MAX_RANGE: Duration = Duration::days(31);

/// What a stretch of a machine's calendar is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    /// Open and not booked.
    Free,
    /// Booked by someone else.
    Booked,
    /// Booked by the caller.
    Mine,
    /// Not bookable: the space is closed, a blackout, or the machine is down.
    Blocked,
}

/// One stretch of a machine's calendar.
#[derive(Clone, Debug, SimpleObject)]
pub struct CalendarSlot {
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub kind: SlotKind,
    /// Why a blocked stretch is blocked (`closed`, the blackout's reason, `out of order`).
    pub reason: Option<String>,
    /// The booking, where the caller may see it: their own, or any for staff and above.
    pub reservation: Option<Reservation>,
}

/// A blackout that touches a machine.
#[derive(Clone, Debug)]
pub struct Blocked {
    pub span: Span,
    pub reason: String,
}

/// What a machine's calendar is made of within a range.
#[derive(Clone, Debug, Default)]
pub struct CalendarData {
    /// Bookings that hold a slot (live offers included).
    pub bookings: Vec<Reservation>,
    pub blackouts: Vec<Blocked>,
}

/// A machine and a range of its calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CalendarKey {
    pub equipment_id: Uuid,
    pub range: Span,
}

/// Loads the bookings and blackouts of many machines' calendars in two statements.
pub struct CalendarLoader(pub PgPool);

impl Loader<CalendarKey> for CalendarLoader {
    type Value = CalendarData;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[CalendarKey],
    ) -> Result<HashMap<CalendarKey, CalendarData>, ApiError> {
        let mut machines: Vec<Uuid> = keys.iter().map(|key| key.equipment_id).collect();
        machines.sort();
        machines.dedup();
        let from = keys.iter().map(|key| key.range.start).min();
        let to = keys.iter().map(|key| key.range.end).max();
        let (Some(from), Some(to)) = (from, to) else {
            return Ok(HashMap::new());
        };
        let bookings = reservation_query!(
            r#"where r.equipment_id = any($1) and r.during && tstzrange($2, $3)
                 and makrcave.holds_slot(r.status)
               order by lower(r.during)"#,
            &machines,
            from,
            to,
        )
        .fetch_all(&self.0)
        .await?;
        let blackouts = sqlx::query!(
            r#"select e.id as equipment_id, lower(b.during) as "starts_at!",
                      upper(b.during) as "ends_at!", b.reason
               from makrcave.equipment e
               join makrcave.blackouts b on b.makerspace_id = e.makerspace_id
                   and (b.equipment_id is null or b.equipment_id = e.id)
               where e.id = any($1) and b.during && tstzrange($2, $3)"#,
            &machines,
            from,
            to,
        )
        .fetch_all(&self.0)
        .await?;
        Ok(keys
            .iter()
            .map(|key| {
                let data = CalendarData {
                    bookings: bookings
                        .iter()
                        .filter(|booking| {
                            booking.equipment_id == key.equipment_id
                                && booking.span().overlaps(&key.range)
                        })
                        .cloned()
                        .collect(),
                    blackouts: blackouts
                        .iter()
                        .filter(|blackout| blackout.equipment_id == key.equipment_id)
                        .map(|blackout| Blocked {
                            span: Span {
                                start: blackout.starts_at,
                                end: blackout.ends_at,
                            },
                            reason: blackout.reason.clone(),
                        })
                        .filter(|blocked| blocked.span.overlaps(&key.range))
                        .collect(),
                };
                (*key, data)
            })
            .collect())
    }
}

impl Reservation {
    pub fn span(&self) -> Span {
        Span {
            start: self.starts_at,
            end: self.ends_at,
        }
    }

    /// Whether the booking keeps others off its slot at `now` (an offer only until it lapses).
    pub fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.status.holds_slot()
            && !(self.status == ReservationStatus::Offered
                && self.offer_expires_at.is_some_and(|at| at <= now))
    }
}

/// What one stretch of a calendar is, before it is shown to a caller.
#[derive(Clone, Debug)]
pub enum Stretch<'a> {
    Free,
    Booking(&'a Reservation),
    Blocked(String),
}

/// Lays out `range` of a machine's time: bookings first, then blackouts, then the machine
/// being down, then closed hours; what is left is free. Neighbouring stretches that are the
/// same are joined.
pub fn lay_out<'a>(
    range: Span,
    open: &[Span],
    data: &'a CalendarData,
    down: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<(Span, Stretch<'a>)> {
    let bookings: Vec<&Reservation> = data
        .bookings
        .iter()
        .filter(|booking| booking.holds_at(now))
        .collect();
    let mut bounds = vec![range.start, range.end];
    let mut add = |span: Span| {
        for at in [span.start, span.end] {
            if range.start < at && at < range.end {
                bounds.push(at);
            }
        }
    };
    bookings.iter().for_each(|booking| add(booking.span()));
    data.blackouts.iter().for_each(|blocked| add(blocked.span));
    open.iter().copied().for_each(&mut add);
    bounds.sort();
    bounds.dedup();

    let mut stretches: Vec<(Span, Stretch<'a>)> = Vec::new();
    for pair in bounds.windows(2) {
        let span = Span {
            start: pair[0],
            end: pair[1],
        };
        let covers = |other: &Span| other.start <= span.start && span.start < other.end;
        let stretch = if let Some(booking) = bookings.iter().find(|booking| covers(&booking.span()))
        {
            Stretch::Booking(booking)
        } else if let Some(blocked) = data.blackouts.iter().find(|blocked| covers(&blocked.span)) {
            Stretch::Blocked(if blocked.reason.is_empty() {
                "blackout".into()
            } else {
                blocked.reason.clone()
            })
        } else if let Some(down) = down {
            Stretch::Blocked(down.into())
        } else if !open.iter().any(covers) {
            Stretch::Blocked("closed".into())
        } else {
            Stretch::Free
        };
        match stretches.last_mut() {
            Some((last, previous)) if same(previous, &stretch) => last.end = span.end,
            _ => stretches.push((span, stretch)),
        }
    }
    stretches
}

fn same(a: &Stretch<'_>, b: &Stretch<'_>) -> bool {
    match (a, b) {
        (Stretch::Free, Stretch::Free) => true,
        (Stretch::Booking(a), Stretch::Booking(b)) => a.id == b.id,
        (Stretch::Blocked(a), Stretch::Blocked(b)) => a == b,
        _ => false,
    }
}

/// The range a calendar or slot search asks for, checked.
pub fn parse_range(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Span, ApiError> {
    let range = Span::new(from, to).ok_or_else(|| ApiError::invalid("to", "must be after from"))?;
    if range.duration() > MAX_RANGE {
        return Err(ApiError::invalid(
            "to",
            "must be at most 31 days after from",
        ));
    }
    Ok(range)
}

/// What the space's timetable and the machine's state say about `range`, for `machine`.
pub struct MachineTime {
    pub timetable: Timetable,
    pub data: CalendarData,
    pub down: Option<&'static str>,
}

impl MachineTime {
    /// Loads (batched with every other machine of the request) what lays out the machine's
    /// time within `range`.
    pub async fn load(
        loaders: &Loaders,
        machine: &Equipment,
        range: Span,
    ) -> Result<Self, ApiError> {
        // All three at once: stages awaited in turn give a page of machines more chances to
        // split its batches.
        let (space, hours, data) = futures::try_join!(
            loaders.makerspaces.load_one(machine.makerspace_id),
            loaders.opening_hours.load_one(machine.makerspace_id),
            loaders.calendars.load_one(CalendarKey {
                equipment_id: machine.id,
                range,
            }),
        )?;
        let space = space.ok_or_else(|| {
            ApiError::internal(format_args!(
                "the makerspace {} of machine {} is missing",
                machine.makerspace_id, machine.id
            ))
        })?;
        Ok(Self {
            timetable: Timetable {
                zone: space.time_zone.0,
                hours: hours
                    .unwrap_or_default()
                    .iter()
                    .map(OpeningHours::weekly)
                    .collect(),
            },
            data: data.unwrap_or_default(),
            down: match machine.status {
                EquipmentStatus::Maintenance => Some("under maintenance"),
                EquipmentStatus::OutOfOrder => Some("out of order"),
                EquipmentStatus::Available | EquipmentStatus::InUse => None,
            },
        })
    }

    pub fn lay_out(&self, range: Span, now: DateTime<Utc>) -> Vec<(Span, Stretch<'_>)> {
        lay_out(
            range,
            &self.timetable.open_spans(range),
            &self.data,
            self.down,
            now,
        )
    }
}

/// `Equipment.calendar`: the machine's time from `from` to `to`; members of its space only.
pub async fn calendar(
    ctx: &Context<'_>,
    machine: &Equipment,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarSlot>, ApiError> {
    let range = parse_range(from, to)?;
    let caller = caller(ctx);
    // One stage for every machine of the page: the caller's role and the machine's time are
    // asked for together, so that no batch waits on another and splits (nothing is shown
    // before the role is checked).
    let (role, time) = futures::try_join!(
        policy::role_in(ctx, caller, machine.makerspace_id),
        MachineTime::load(ctx.data_unchecked::<Loaders>(), machine, range),
    )?;
    policy::holds(caller, role, MembershipRole::Member)?;
    let sees_all = policy::holds(caller, role, MembershipRole::Staff).is_ok();
    let now = ctx.data_unchecked::<Clock>().now();
    let zone = time.timetable.zone;
    Ok(time
        .lay_out(range, now)
        .into_iter()
        .map(|(span, stretch)| {
            let (kind, reason, reservation) = match stretch {
                Stretch::Free => (SlotKind::Free, None, None),
                Stretch::Blocked(reason) => (SlotKind::Blocked, Some(reason), None),
                Stretch::Booking(booking) => {
                    let mine = caller.user_id() == Some(booking.user_id);
                    (
                        if mine {
                            SlotKind::Mine
                        } else {
                            SlotKind::Booked
                        },
                        None,
                        (mine || sees_all).then(|| booking.clone()),
                    )
                }
            };
            CalendarSlot {
                starts_at: span.start.with_timezone(&zone).fixed_offset(),
                ends_at: span.end.with_timezone(&zone).fixed_offset(),
                kind,
                reason,
                reservation,
            }
        })
        .collect())
}
