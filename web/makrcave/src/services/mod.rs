//! MakrCave's calls to the API: each turns an answer into the page's plain types.

use makrx_web::equipment::EquipmentStatus;
use makrx_web::graphql::{ApiError, FieldError, RequestError, request};
use makrx_web::operation;

use crate::time::{Date, LocalTime, duration, utc_text};
use crate::types::{
    Approvals, BookingNote, CheckoffAsk, Closure, Day, Desk, DeskBooking, DeskMachine, DeskStep,
    EquipmentClass, FoundSlot, Gate, HeldLevel, Home, Invitation, Machine, MachineAdmin,
    MachineDetails, MachineSummary, MachineWeek, MaintenanceNote, Member, MemberAct, Members,
    MembershipRole, MyBooking, MyBookings, MySkills, MySpace, NewClosure, NewPlan, OpeningSpan,
    PendingBooking, PlanAssignment, PlanSummary, ReservationStatus, SentInvitation, SkillDesk,
    SkillLevels, SkillStanding, SpaceMachines, SpaceRef, SpaceRules, SpaceSettings, Stretch,
    StretchKind, Waiting, Weekday,
};

/// The person's role in the space with the API id `$space`, read from any operation's
/// `me { memberships { role suspended makerspace { id } } }`: none outside it or suspended.
/// What the page offers; the API decides.
macro_rules! role_in {
    ($memberships:expr, $space:expr) => {
        $memberships
            .iter()
            .find(|membership| membership.makerspace.id == $space && !membership.suspended)
            .map(|membership| membership.role)
    };
}

/// The memberships among `$memberships` in good standing (not suspended) as (API id, name)
/// pairs, by name, `$pair` reading the two from each: any operation's memberships, whatever
/// type graphql_client made for them.
macro_rules! in_good_standing {
    ($memberships:expr, $pair:expr) => {{
        let mut pairs: Vec<(String, String)> = $memberships
            .into_iter()
            .filter(|membership| !membership.suspended)
            .map($pair)
            .collect();
        pairs.sort_by(|a, b| a.1.cmp(&b.1));
        pairs
    }};
}

mod fabrication;
mod fabrication_jobs;
mod lending;
mod projects;
mod stock;

pub use fabrication::*;
pub use fabrication_jobs::*;
pub use lending::*;
pub use projects::*;
pub use stock::*;

/// The API's RFC 3339 timestamps and dates, as text.
type DateTime = String;
type NaiveDate = String;

operation!(MySpaces, "graphql/my_spaces.graphql", ["MembershipRole"]);

operation!(
    SpaceMachinesPage,
    "graphql/space_machines.graphql",
    ["EquipmentStatus", "EquipmentClass"]
);

operation!(
    MachineWeekPage,
    "graphql/machine_week.graphql",
    ["EquipmentStatus", "ReservationStatus"]
);

operation!(
    CreateReservation,
    "graphql/create_reservation.graphql",
    ["ReservationStatus"]
);

/// A time of the API's answer; one that is no time makes the whole answer unreadable.
fn local_time(text: &str) -> Result<LocalTime, RequestError> {
    LocalTime::parse(text).ok_or_else(|| RequestError::Decode(format!("{text:?} is no time")))
}

/// A local day of the space as the API gives it: its date, its midnights and its hours.
fn local_day(
    date: Date,
    starts_at: &str,
    ends_at: &str,
    hours: &[String],
) -> Result<Day, RequestError> {
    Ok(Day {
        date,
        starts_at: local_time(starts_at)?,
        ends_at: local_time(ends_at)?,
        hours: hours
            .iter()
            .map(|hour| local_time(hour))
            .collect::<Result<_, _>>()?,
    })
}

/// A time the answer may leave out, read as [`local_time`] reads one.
fn maybe_local_time(text: Option<&str>) -> Result<Option<LocalTime>, RequestError> {
    text.map(local_time).transpose()
}

/// The makerspaces the signed-in person belongs to, by name, and their pending invitations.
pub async fn home() -> Result<Home, RequestError> {
    let answer = request::<MySpaces>(my_spaces::Variables).await?;
    let mut spaces: Vec<MySpace> = answer
        .me
        .memberships
        .into_iter()
        .map(|membership| MySpace {
            name: membership.makerspace.name,
            slug: membership.makerspace.slug,
            location: membership.makerspace.location,
            time_zone: membership.makerspace.time_zone,
            role: membership.role,
            suspended: membership.suspended,
            plan: membership.plan.map(|on| {
                let booked = duration(on.minutes_booked_this_week);
                match on.plan.weekly_quota_hours {
                    // Quotas are whole minutes: the hours are read as the API rounds them.
                    Some(hours) => format!(
                        "{} · {booked} of {} booked this week",
                        on.plan.name,
                        duration((hours * 60.0).round() as i64)
                    ),
                    None => format!("{} · {booked} booked this week", on.plan.name),
                }
            }),
        })
        .collect();
    spaces.sort_by(|a, b| a.name.cmp(&b.name));
    let invitations = answer
        .my_invitations
        .into_iter()
        .map(|invitation| {
            Ok(Invitation {
                expires_at: local_time(&invitation.expires_at)?,
                id: invitation.id,
                space_name: invitation.makerspace.name,
                role: invitation.role,
                invited_by: invitation.invited_by.display_name,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(Home {
        spaces,
        invitations,
    })
}

operation!(
    AcceptInvitation,
    "graphql/answer_invitation.graphql",
    ["MembershipRole"]
);

operation!(DeclineInvitation, "graphql/answer_invitation.graphql");

/// Accepts (`true`) or declines the invitation `id`.
pub async fn answer_invitation(id: String, accept: bool) -> Result<(), RequestError> {
    if accept {
        let input = accept_invitation::AcceptInvitationInput { invitation_id: id };
        request::<AcceptInvitation>(accept_invitation::Variables { input }).await?;
    } else {
        let input = decline_invitation::DeclineInvitationInput { invitation_id: id };
        request::<DeclineInvitation>(decline_invitation::Variables { input }).await?;
    }
    Ok(())
}

/// The makerspace at `slug` with its machines, each with whether the person may use it.
pub async fn space_machines(slug: String) -> Result<SpaceMachines, RequestError> {
    use space_machines_page::*;
    let today = crate::time::today().to_string();
    let answer = request::<SpaceMachinesPage>(Variables { slug, today }).await?;
    let held = |skill_id: &str, rank: i64| {
        answer
            .my_skills
            .iter()
            .any(|grant| grant.skill.id == skill_id && !grant.expired && grant.rank >= rank)
    };
    let space = &answer.makerspace;
    let machines = space
        .equipment
        .iter()
        .map(|machine| MachineSummary {
            id: machine.id.clone(),
            name: machine.name.clone(),
            kind: machine.kind.clone(),
            class: machine.class,
            status: machine.status,
            gate: machine.skill_gate.as_ref().map(|gate| {
                let rank = gate
                    .skill
                    .levels
                    .iter()
                    .position(|level| *level == gate.level)
                    .map_or(i64::MAX, |index| index as i64 + 1);
                Gate {
                    skill: gate.skill.name.clone(),
                    level: gate.level.clone(),
                    held: held(&gate.skill.id, rank),
                }
            }),
        })
        .collect();
    let days = space
        .days
        .iter()
        .map(|day| {
            let date = Date::parse(&day.date);
            let starts_at = LocalTime::parse(&day.starts_at);
            date.zip(starts_at)
                .ok_or_else(|| RequestError::Decode(format!("{day:?} is no day")))
        })
        .collect::<Result<_, _>>()?;
    Ok(SpaceMachines {
        id: space.id.clone(),
        name: space.name.clone(),
        time_zone: space.time_zone.clone(),
        machines,
        days,
    })
}

/// The machine `id` in the week from `monday`, in its space's time zone.
pub async fn machine_week((id, monday): (String, Date)) -> Result<MachineWeek, RequestError> {
    use machine_week_page::*;
    // The space's week lies within 14 hours of the UTC one, whatever its zone: ask for that
    // and cut it at the local midnights.
    let utc_midnight = monday.unix_seconds_at_midnight();
    let variables = Variables {
        id,
        monday: monday.to_string(),
        from: utc_text(utc_midnight - 14 * 3_600),
        to: utc_text(utc_midnight + 7 * 86_400 + 14 * 3_600),
    };
    let machine = request::<MachineWeekPage>(variables).await?.equipment;
    let space = machine.makerspace;
    let days = space
        .days
        .iter()
        .map(|day| {
            let date = Date::parse(&day.date)
                .ok_or_else(|| RequestError::Decode(format!("{:?} is no date", day.date)))?;
            local_day(date, &day.starts_at, &day.ends_at, &day.hours)
        })
        .collect::<Result<Vec<_>, RequestError>>()?;
    let stretches = machine
        .calendar
        .iter()
        .map(|slot| {
            Ok(Stretch {
                starts_at: local_time(&slot.starts_at)?,
                ends_at: local_time(&slot.ends_at)?,
                kind: match slot.kind {
                    SlotKind::FREE => StretchKind::Free,
                    SlotKind::MINE => StretchKind::Mine,
                    SlotKind::BOOKED => StretchKind::Booked,
                    SlotKind::BLOCKED | SlotKind::Other(_) => StretchKind::Blocked,
                },
                reason: slot.reason.clone(),
                booking: slot
                    .reservation
                    .as_ref()
                    .map(|booking| {
                        Ok::<_, RequestError>(BookingNote {
                            id: booking.id.clone(),
                            booker: booking.user.display_name.clone(),
                            status: booking.status,
                            offer_expires_at: maybe_local_time(
                                booking.offer_expires_at.as_deref(),
                            )?
                            .map(|at| at.unix_seconds()),
                        })
                    })
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>, RequestError>>()?;
    Ok(MachineWeek {
        machine: Machine {
            id: machine.id,
            name: machine.name,
            kind: machine.kind,
            status: machine.status,
            hourly_cost_minor: machine.hourly_cost_minor,
            currency: space.currency,
            requires_approval: machine.requires_approval,
            max_booking_minutes: space.booking_rules.max_booking_minutes,
            waitlist_offer_minutes: space.booking_rules.waitlist_offer_minutes,
            space_name: space.name,
            space_slug: space.slug,
        },
        monday,
        time_zone: space.time_zone,
        days,
        stretches,
        now: crate::time::now(),
    })
}

operation!(
    MyBookingsPage,
    "graphql/my_bookings.graphql",
    ["ReservationStatus"]
);

operation!(
    CancelBooking,
    "graphql/cancel_booking.graphql",
    ["ReservationStatus"]
);

/// How far back "Your bookings" shows past bookings.
const PAST_DAYS: i64 = 30;

/// The signed-in person's bookings of the last 30 days and to come (offers lapsed unanswered
/// left out), earliest first, and the slots they wait for.
pub async fn my_bookings() -> Result<MyBookings, RequestError> {
    let now = crate::time::now();
    let variables = my_bookings_page::Variables {
        from: utc_text(now - PAST_DAYS * 86_400),
    };
    let answer = request::<MyBookingsPage>(variables).await?;
    let bookings = answer
        .my_reservations
        .nodes
        .into_iter()
        .filter(|booking| booking.status != ReservationStatus::Lapsed)
        .map(|booking| {
            Ok(MyBooking {
                starts_at: local_time(&booking.starts_at)?,
                ends_at: local_time(&booking.ends_at)?,
                cancellable_until: maybe_local_time(booking.cancellable_until.as_deref())?,
                check_in_opens_at: maybe_local_time(booking.check_in_opens_at.as_deref())?,
                offer_expires_at: maybe_local_time(booking.offer_expires_at.as_deref())?
                    .map(|at| at.unix_seconds()),
                id: booking.id,
                machine_id: booking.equipment.id,
                machine_name: booking.equipment.name,
                space_name: booking.equipment.makerspace.name,
                time_zone: booking.equipment.makerspace.time_zone,
                status: booking.status,
                cost: crate::time::money(booking.cost_estimate_minor, &booking.currency),
            })
        })
        .collect::<Result<_, RequestError>>()?;
    let waiting = answer
        .my_waitlist
        .into_iter()
        .filter(|place| place.status == "waiting")
        .map(|place| {
            Ok(Waiting {
                starts_at: local_time(&place.starts_at)?,
                ends_at: local_time(&place.ends_at)?,
                id: place.id,
                machine_id: place.equipment.id,
                machine_name: place.equipment.name,
                space_name: place.equipment.makerspace.name,
                time_zone: place.equipment.makerspace.time_zone,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(MyBookings { bookings, waiting })
}

/// Cancels the booking `id`; answers where it stands after.
pub async fn cancel(id: String) -> Result<ReservationStatus, RequestError> {
    let input = cancel_booking::ReservationInput { reservation_id: id };
    Ok(
        request::<CancelBooking>(cancel_booking::Variables { input })
            .await?
            .cancel_reservation
            .status,
    )
}

operation!(
    AvailableSlots,
    "graphql/available_slots.graphql",
    ["EquipmentClass"]
);

/// What a slot search asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotSearch {
    /// The space's API id.
    pub makerspace_id: String,
    /// The class of machine.
    pub class: EquipmentClass,
    /// How long each slot is.
    pub minutes: i64,
    /// From where (a local midnight of the space).
    pub from: LocalTime,
    /// Until where.
    pub to: LocalTime,
}

/// How many slots a search shows.
const SLOTS_SHOWN: i64 = 20;

/// Free slots for `search`, earliest first.
pub async fn find_slots(search: SlotSearch) -> Result<Vec<FoundSlot>, RequestError> {
    let input = available_slots::AvailableSlotsInput {
        makerspace_id: search.makerspace_id,
        equipment_class: search.class,
        minutes: search.minutes,
        from: search.from.as_str().to_owned(),
        to: search.to.as_str().to_owned(),
        first: Some(SLOTS_SHOWN),
    };
    let slots = request::<AvailableSlots>(available_slots::Variables { input })
        .await?
        .available_slots;
    slots
        .into_iter()
        .map(|slot| {
            Ok(FoundSlot {
                starts_at: local_time(&slot.starts_at)?,
                ends_at: local_time(&slot.ends_at)?,
                machine_id: slot.equipment.id,
                machine_name: slot.equipment.name,
            })
        })
        .collect()
}

/// What a booking became.
#[derive(Debug, Clone, PartialEq)]
pub struct Booked {
    /// Where it stands.
    pub status: ReservationStatus,
    /// Its estimated cost, in words.
    pub cost: String,
}

/// Books `equipment_id` from `from` to `to` (seconds since the epoch).
pub async fn book(
    equipment_id: String,
    from: i64,
    to: i64,
    note: String,
) -> Result<Booked, RequestError> {
    let input = create_reservation::CreateReservationInput {
        equipment_id,
        starts_at: utc_text(from),
        ends_at: utc_text(to),
        note: (!note.trim().is_empty()).then_some(note),
    };
    let booked = request::<CreateReservation>(create_reservation::Variables { input })
        .await?
        .create_reservation;
    Ok(Booked {
        status: booked.status,
        cost: crate::time::money(booked.cost_estimate_minor, &booked.currency),
    })
}

operation!(
    CreateRecurringReservation,
    "graphql/create_reservation.graphql",
    ["ReservationStatus"]
);

/// One week of a series: booked with its status, or refused with the reason in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// Its start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
    /// Where the booking stands, or why there is none.
    pub outcome: Result<ReservationStatus, String>,
}

/// Books `equipment_id` from `from` to `to` (seconds since the epoch) and at the same local
/// time in the `weeks - 1` weeks after; answers each week in order.
pub async fn book_series(
    equipment_id: String,
    from: i64,
    to: i64,
    weeks: i64,
    note: String,
) -> Result<Vec<Occurrence>, RequestError> {
    use create_recurring_reservation::*;
    let input = CreateRecurringReservationInput {
        equipment_id,
        starts_at: utc_text(from),
        ends_at: utc_text(to),
        weeks,
        note: (!note.trim().is_empty()).then_some(note),
    };
    let series = request::<CreateRecurringReservation>(Variables { input })
        .await?
        .create_recurring_reservation;
    let booked = series.booked.into_iter().map(|week| {
        Ok(Occurrence {
            starts_at: local_time(&week.starts_at)?,
            ends_at: local_time(&week.ends_at)?,
            outcome: Ok(week.status),
        })
    });
    let refused = series.refused.into_iter().map(|week| {
        Ok(Occurrence {
            starts_at: local_time(&week.starts_at)?,
            ends_at: local_time(&week.ends_at)?,
            outcome: Err(crate::words::capitalised(&week.message)),
        })
    });
    let mut occurrences = booked
        .chain(refused)
        .collect::<Result<Vec<_>, RequestError>>()?;
    occurrences.sort_by(|a, b| a.starts_at.cmp(&b.starts_at));
    Ok(occurrences)
}

operation!(JoinWaitlist, "graphql/waitlist.graphql");

operation!(LeaveWaitlist, "graphql/waitlist.graphql");

operation!(
    AcceptWaitlistOffer,
    "graphql/waitlist.graphql",
    ["ReservationStatus"]
);

operation!(
    DeclineWaitlistOffer,
    "graphql/waitlist.graphql",
    ["ReservationStatus"]
);

/// Joins the waitlist of `equipment_id` for the taken slot from `from` to `to`.
pub async fn join_waitlist(
    equipment_id: String,
    from: i64,
    to: i64,
    note: String,
) -> Result<(), RequestError> {
    let input = join_waitlist::JoinWaitlistInput {
        equipment_id,
        starts_at: utc_text(from),
        ends_at: utc_text(to),
        note: (!note.trim().is_empty()).then_some(note),
    };
    request::<JoinWaitlist>(join_waitlist::Variables { input }).await?;
    Ok(())
}

/// Leaves the waitlist place `id`.
pub async fn leave_waitlist(id: String) -> Result<(), RequestError> {
    let input = leave_waitlist::WaitlistEntryInput { entry_id: id };
    request::<LeaveWaitlist>(leave_waitlist::Variables { input }).await?;
    Ok(())
}

/// Takes up (`true`) or declines the waitlist offer `id`.
pub async fn answer_offer(id: String, take: bool) -> Result<(), RequestError> {
    if take {
        let input = accept_waitlist_offer::WaitlistOfferInput { reservation_id: id };
        request::<AcceptWaitlistOffer>(accept_waitlist_offer::Variables { input }).await?;
    } else {
        let input = decline_waitlist_offer::WaitlistOfferInput { reservation_id: id };
        request::<DeclineWaitlistOffer>(decline_waitlist_offer::Variables { input }).await?;
    }
    Ok(())
}

operation!(
    /// A machine's bookings as they change.
    feed ReservationChanged,
    "graphql/reservation_changed.graphql",
    ["ReservationStatus"]
);

makrx_web::resumable!(ReservationChanged, reservation_changed);

operation!(SpaceBySlug, "graphql/approvals.graphql");

operation!(
    SpaceBookings,
    "graphql/approvals.graphql",
    ["ReservationStatus"]
);

operation!(
    ApproveBooking,
    "graphql/approvals.graphql",
    ["ReservationStatus"]
);

operation!(
    RejectBooking,
    "graphql/approvals.graphql",
    ["ReservationStatus"]
);

operation!(
    /// A space's bookings as they change.
    feed SpaceReservationsChanged,
    "graphql/approvals.graphql",
    ["ReservationStatus"]
);

makrx_web::resumable!(SpaceReservationsChanged, space_reservations_changed);

/// How far ahead the approvals queue looks: the longest window `reservations` answers.
const APPROVALS_DAYS: i64 = 31;

/// The bookings of the space at `slug` waiting for approval, from now on.
pub async fn approvals(slug: String) -> Result<Approvals, RequestError> {
    let space = space_by_slug(slug).await?;
    let now = crate::time::now();
    let variables = space_bookings::Variables {
        makerspace_id: space.id.clone(),
        from: utc_text(now),
        to: utc_text(now + APPROVALS_DAYS * 86_400),
    };
    let bookings = request::<SpaceBookings>(variables).await?.reservations;
    let pending = bookings
        .nodes
        .into_iter()
        .filter(|booking| booking.status == ReservationStatus::Pending)
        .map(|booking| {
            Ok(PendingBooking {
                starts_at: local_time(&booking.starts_at)?,
                ends_at: local_time(&booking.ends_at)?,
                id: booking.id,
                booker: booking.user.display_name,
                machine_name: booking.equipment.name,
                note: booking.note,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(Approvals {
        makerspace_id: space.id,
        name: space.name,
        time_zone: space.time_zone,
        pending,
    })
}

/// Approves (`true`) or rejects the pending booking `id`.
pub async fn decide(id: String, approve: bool) -> Result<ReservationStatus, RequestError> {
    Ok(if approve {
        let input = approve_booking::ReservationInput { reservation_id: id };
        request::<ApproveBooking>(approve_booking::Variables { input })
            .await?
            .approve_reservation
            .status
    } else {
        let input = reject_booking::ReservationInput { reservation_id: id };
        request::<RejectBooking>(reject_booking::Variables { input })
            .await?
            .reject_reservation
            .status
    })
}

operation!(SpaceDesk, "graphql/desk.graphql", ["EquipmentStatus"]);

operation!(CheckIn, "graphql/desk.graphql", ["ReservationStatus"]);

operation!(CheckOut, "graphql/desk.graphql", ["ReservationStatus"]);

/// The desk of the space at `slug` on the local day `date`, or on the space's today.
pub async fn desk((slug, date): (String, Option<Date>)) -> Result<Desk, RequestError> {
    let now = crate::time::now();
    // The space's today is the browser's, or the day either side of it.
    let from = date.unwrap_or_else(|| crate::time::today().add_days(-1));
    let variables = space_desk::Variables {
        slug,
        from: from.to_string(),
    };
    let space = request::<SpaceDesk>(variables).await?.makerspace;
    let days = space
        .days
        .iter()
        .map(|day| {
            let date = Date::parse(&day.date)
                .ok_or_else(|| RequestError::Decode(format!("{:?} is no date", day.date)))?;
            Ok((date, local_time(&day.starts_at)?, local_time(&day.ends_at)?))
        })
        .collect::<Result<Vec<_>, RequestError>>()?;
    let contains_now = |(_, starts, ends): &&(Date, LocalTime, LocalTime)| {
        (starts.unix_seconds()..ends.unix_seconds()).contains(&now)
    };
    let today = days.iter().find(contains_now).map(|(date, ..)| *date);
    let shown = match date {
        Some(_) => days.first(),
        None => days.iter().find(contains_now),
    };
    let Some((date, starts, ends)) = shown.cloned() else {
        return Err(RequestError::Decode("the API gave no days".into()));
    };
    let variables = space_bookings::Variables {
        makerspace_id: space.id.clone(),
        from: starts.as_str().to_owned(),
        to: ends.as_str().to_owned(),
    };
    let mut bookings = request::<SpaceBookings>(variables)
        .await?
        .reservations
        .nodes;
    bookings.retain(|booking| {
        !matches!(
            booking.status,
            ReservationStatus::Cancelled | ReservationStatus::Rejected | ReservationStatus::Lapsed
        )
    });
    let mut machines = space
        .equipment
        .into_iter()
        .map(|machine| {
            let bookings = bookings
                .iter()
                .filter(|booking| booking.equipment.id == machine.id)
                .map(|booking| {
                    Ok(DeskBooking {
                        id: booking.id.clone(),
                        booker: booking.user.display_name.clone(),
                        starts_at: local_time(&booking.starts_at)?,
                        ends_at: local_time(&booking.ends_at)?,
                        status: booking.status,
                        check_in_opens_at: maybe_local_time(booking.check_in_opens_at.as_deref())?,
                        note: booking.note.clone(),
                    })
                })
                .collect::<Result<_, RequestError>>()?;
            Ok(DeskMachine {
                id: machine.id,
                name: machine.name,
                status: machine.status,
                bookings,
            })
        })
        .collect::<Result<Vec<_>, RequestError>>()?;
    machines.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Desk {
        makerspace_id: space.id,
        name: space.name,
        time_zone: space.time_zone,
        today: today == Some(date),
        date,
        machines,
    })
}

/// Takes the desk's `step` with the booking `id`.
pub async fn desk_step(id: String, step: DeskStep) -> Result<(), RequestError> {
    match step {
        DeskStep::CheckIn => {
            let input = check_in::ReservationInput { reservation_id: id };
            request::<CheckIn>(check_in::Variables { input }).await?;
        }
        DeskStep::CheckOut => {
            let input = check_out::ReservationInput { reservation_id: id };
            request::<CheckOut>(check_out::Variables { input }).await?;
        }
    }
    Ok(())
}

operation!(SkillsPage, "graphql/skills.graphql");

operation!(RequestCheckoff, "graphql/skills.graphql");

/// The skills of the space at `slug`, each with the person's level.
pub async fn my_skills(slug: String) -> Result<MySkills, RequestError> {
    let space = space_by_slug(slug).await?;
    let answer = request::<SkillsPage>(skills_page::Variables {
        makerspace_id: space.id,
    })
    .await?;
    let skills = answer
        .skills
        .into_iter()
        .map(|skill| {
            let grant = answer
                .my_skills
                .iter()
                .find(|grant| grant.skill.id == skill.id);
            let held = grant
                .map(|grant| {
                    Ok(HeldLevel {
                        level: grant.level.clone(),
                        rank: usize::try_from(grant.rank).map_err(|_| {
                            RequestError::Decode(format!("{} is no level's rank", grant.rank))
                        })?,
                        expires_at: maybe_local_time(grant.expires_at.as_deref())?,
                        expired: grant.expired,
                    })
                })
                .transpose()?;
            Ok(SkillStanding {
                id: skill.id,
                name: skill.name,
                description: skill.description,
                levels: skill.levels,
                held,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(MySkills {
        space_name: space.name,
        skills,
    })
}

/// Asks the space's staff to check the person off at `level` of the skill `skill_id`.
pub async fn request_checkoff(skill_id: String, level: String) -> Result<(), RequestError> {
    let input = request_checkoff::RequestCheckoffInput {
        skill_id,
        level,
        note: None,
    };
    request::<RequestCheckoff>(request_checkoff::Variables { input }).await?;
    Ok(())
}

operation!(
    SpaceMembersPage,
    "graphql/members.graphql",
    ["MembershipRole"]
);

operation!(SpaceMembers, "graphql/members.graphql", ["MembershipRole"]);

operation!(
    SentInvitations,
    "graphql/members.graphql",
    ["MembershipRole"]
);

operation!(
    ChangeMemberRole,
    "graphql/members.graphql",
    ["MembershipRole"]
);

operation!(SuspendMember, "graphql/members.graphql");

operation!(ReinstateMember, "graphql/members.graphql");

operation!(InviteMember, "graphql/members.graphql", ["MembershipRole"]);

operation!(RevokeInvitation, "graphql/members.graphql");

/// The members of the space at `slug`, and for its managers the invitations it sent that
/// wait for an answer.
pub async fn members(slug: String) -> Result<Members, RequestError> {
    let page = request::<SpaceMembersPage>(space_members_page::Variables { slug }).await?;
    let space = page.makerspace;
    let my_role = role_in!(page.me.memberships, space.id).unwrap_or(MembershipRole::Member);
    let variables = space_members::Variables {
        makerspace_id: space.id.clone(),
    };
    let answer = request::<SpaceMembers>(variables).await?;
    let members = answer
        .members
        .nodes
        .into_iter()
        .map(|membership| {
            Ok(Member {
                since: local_time(&membership.since)?,
                user_id: membership.user.id,
                name: membership.user.display_name,
                role: membership.role,
                suspended: membership.suspended,
                plan: membership
                    .plan
                    .map(|on| plan_words(&on.plan.name, &on.starts_on, on.ends_on.as_deref())),
            })
        })
        .collect::<Result<_, RequestError>>()?;
    let invitations = if my_role.manages() {
        let variables = sent_invitations::Variables {
            makerspace_id: space.id.clone(),
        };
        Some(request::<SentInvitations>(variables).await?.invitations)
    } else {
        None
    };
    let invitations = invitations
        .map(|sent| {
            sent.nodes
                .into_iter()
                .filter(|invitation| {
                    matches!(
                        invitation.status,
                        sent_invitations::InvitationStatus::PENDING
                    )
                })
                .map(|invitation| {
                    Ok(SentInvitation {
                        expires_at: local_time(&invitation.expires_at)?,
                        id: invitation.id,
                        email: invitation.email,
                        role: invitation.role,
                    })
                })
                .collect::<Result<_, RequestError>>()
        })
        .transpose()?;
    let variables = space_plans::Variables {
        makerspace_id: space.id.clone(),
    };
    let plans = request::<SpacePlans>(variables)
        .await?
        .plans
        .into_iter()
        .map(|plan| {
            let period = match plan.period {
                space_plans::PlanPeriod::YEAR => "a year",
                _ => "a month",
            };
            let limits: Vec<String> = [
                (plan.daily_quota_hours, "a day"),
                (plan.weekly_quota_hours, "a week"),
            ]
            .into_iter()
            .filter_map(|(hours, per)| hours.map(|hours| format!("{hours} h {per}")))
            .collect();
            PlanSummary {
                id: plan.id,
                price: format!(
                    "{} {period}",
                    crate::time::money(plan.price_minor, &plan.currency)
                ),
                quotas: if limits.is_empty() {
                    "No limit on hours".to_owned()
                } else {
                    limits.join(", ")
                },
                classes: plan
                    .equipment_classes
                    .iter()
                    .map(|class| class.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                name: plan.name,
            }
        })
        .collect();
    Ok(Members {
        plans,
        currency: space.currency,
        makerspace_id: space.id,
        name: space.name,
        my_id: page.me.id,
        my_role,
        members,
        total: answer.members.total_count,
        invitations,
    })
}

/// `Hobby`, `Hobby from 1 Jan 2027`, `Hobby until 31 Dec 2026`: a member's plan and its dates
/// where they matter today.
fn plan_words(name: &str, starts_on: &str, ends_on: Option<&str>) -> String {
    let today = crate::time::today();
    match (Date::parse(starts_on), ends_on.and_then(Date::parse)) {
        (Some(starts), _) if starts > today => format!("{name} from {}", starts.long_label()),
        (_, Some(ends)) => format!("{name} until {}", ends.long_label()),
        _ => name.to_owned(),
    }
}

operation!(SpacePlans, "graphql/members.graphql", ["EquipmentClass"]);

operation!(CreatePlan, "graphql/members.graphql", ["EquipmentClass"]);

operation!(AssignPlan, "graphql/members.graphql");

/// Defines a plan of the space `makerspace_id`, in its currency.
pub async fn create_plan(makerspace_id: String, plan: NewPlan) -> Result<(), RequestError> {
    let input = create_plan::CreatePlanInput {
        makerspace_id,
        name: plan.name,
        price_minor: plan.price_minor,
        currency: None,
        period: if plan.yearly {
            create_plan::PlanPeriod::YEAR
        } else {
            create_plan::PlanPeriod::MONTH
        },
        daily_quota_hours: plan.daily_hours,
        weekly_quota_hours: plan.weekly_hours,
        equipment_classes: plan.classes,
    };
    request::<CreatePlan>(create_plan::Variables { input }).await?;
    Ok(())
}

/// Puts a member of the space `makerspace_id` on a plan, replacing the plan they had.
pub async fn assign_plan(
    makerspace_id: String,
    assignment: PlanAssignment,
) -> Result<(), RequestError> {
    let input = assign_plan::AssignPlanInput {
        makerspace_id,
        user_id: assignment.user_id,
        plan_id: assignment.plan_id,
        starts_on: assignment.starts_on.to_string(),
        ends_on: assignment.ends_on.map(|date| date.to_string()),
    };
    request::<AssignPlan>(assign_plan::Variables { input }).await?;
    Ok(())
}

/// Does `act` to the member `user_id` of the space `makerspace_id`.
pub async fn act_on_member(
    makerspace_id: String,
    user_id: String,
    act: MemberAct,
) -> Result<(), RequestError> {
    match act {
        MemberAct::Role(role) => {
            let input = change_member_role::ChangeMemberRoleInput {
                makerspace_id,
                user_id,
                role,
            };
            request::<ChangeMemberRole>(change_member_role::Variables { input }).await?;
        }
        MemberAct::Suspend => {
            let input = suspend_member::SuspendMemberInput {
                makerspace_id,
                user_id,
            };
            request::<SuspendMember>(suspend_member::Variables { input }).await?;
        }
        MemberAct::Reinstate => {
            let input = reinstate_member::ReinstateMemberInput {
                makerspace_id,
                user_id,
            };
            request::<ReinstateMember>(reinstate_member::Variables { input }).await?;
        }
    }
    Ok(())
}

/// Invites `email` to the space `makerspace_id` as `role`.
pub async fn invite(
    makerspace_id: String,
    email: String,
    role: MembershipRole,
) -> Result<(), RequestError> {
    let input = invite_member::InviteMemberInput {
        makerspace_id,
        email,
        role,
    };
    request::<InviteMember>(invite_member::Variables { input }).await?;
    Ok(())
}

/// Withdraws the invitation `id`.
pub async fn revoke_invitation(id: String) -> Result<(), RequestError> {
    let input = revoke_invitation::RevokeInvitationInput { invitation_id: id };
    request::<RevokeInvitation>(revoke_invitation::Variables { input }).await?;
    Ok(())
}

operation!(SkillDeskPage, "graphql/skill_desk.graphql");

operation!(SettleCheckoff, "graphql/skill_desk.graphql");

operation!(GrantSkill, "graphql/skill_desk.graphql");

operation!(RevokeSkill, "graphql/skill_desk.graphql");

operation!(CreateSkill, "graphql/skill_desk.graphql");

/// The check-off requests, skills and members of the space at `slug`.
pub async fn skill_desk(slug: String) -> Result<SkillDesk, RequestError> {
    let space = space_by_slug(slug).await?;
    let variables = skill_desk_page::Variables {
        makerspace_id: space.id.clone(),
    };
    let answer = request::<SkillDeskPage>(variables).await?;
    let requests = answer
        .checkoff_requests
        .into_iter()
        .map(|asked| {
            Ok(CheckoffAsk {
                asked_at: local_time(&asked.created_at)?,
                id: asked.id,
                member: asked.user.display_name,
                skill: asked.skill.name,
                level: asked.level,
                note: asked.note,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    let skills = answer
        .skills
        .into_iter()
        .map(|skill| SkillLevels {
            id: skill.id,
            name: skill.name,
            levels: skill.levels,
        })
        .collect();
    let mut members: Vec<(String, String)> = answer
        .members
        .nodes
        .into_iter()
        .map(|membership| (membership.user.id, membership.user.display_name))
        .collect();
    members.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(SkillDesk {
        makerspace_id: space.id,
        name: space.name,
        requests,
        skills,
        members,
    })
}

/// Grants (`true`) or declines the check-off request `id`.
pub async fn settle_checkoff(id: String, grant: bool) -> Result<(), RequestError> {
    let input = settle_checkoff::SettleCheckoffInput {
        request_id: id,
        grant,
        expires_at: None,
    };
    request::<SettleCheckoff>(settle_checkoff::Variables { input }).await?;
    Ok(())
}

/// Gives the member `user_id` the skill `skill_id` at `level`; `None` takes their level away
/// (answering whether they had one).
pub async fn set_skill_level(
    skill_id: String,
    user_id: String,
    level: Option<String>,
) -> Result<bool, RequestError> {
    match level {
        Some(level) => {
            let input = grant_skill::GrantSkillInput {
                skill_id,
                user_id,
                level,
                expires_at: None,
            };
            request::<GrantSkill>(grant_skill::Variables { input }).await?;
            Ok(true)
        }
        None => {
            let input = revoke_skill::RevokeSkillInput { skill_id, user_id };
            Ok(request::<RevokeSkill>(revoke_skill::Variables { input })
                .await?
                .revoke_skill)
        }
    }
}

/// Defines a skill of the space `makerspace_id` with its levels, lowest first.
pub async fn create_skill(
    makerspace_id: String,
    name: String,
    levels: Vec<String>,
) -> Result<(), RequestError> {
    let input = create_skill::CreateSkillInput {
        makerspace_id,
        name,
        description: None,
        levels,
    };
    request::<CreateSkill>(create_skill::Variables { input }).await?;
    Ok(())
}

operation!(
    MachineAdminPage,
    "graphql/machine_admin.graphql",
    ["EquipmentStatus", "EquipmentClass"]
);

operation!(SpaceSkills, "graphql/machine_admin.graphql");

operation!(
    AddEquipment,
    "graphql/machine_admin.graphql",
    ["EquipmentClass"]
);

operation!(
    UpdateEquipment,
    "graphql/machine_admin.graphql",
    ["EquipmentClass"]
);

operation!(
    SetEquipmentStatus,
    "graphql/machine_admin.graphql",
    ["EquipmentStatus"]
);

operation!(SetEquipmentSkillGate, "graphql/machine_admin.graphql");

operation!(LogMaintenance, "graphql/machine_admin.graphql");

/// The machine `id` as its space's staff manage it, with the space's skills.
pub async fn machine_admin(id: String) -> Result<MachineAdmin, RequestError> {
    let machine = request::<MachineAdminPage>(machine_admin_page::Variables { id })
        .await?
        .equipment;
    let space = machine.makerspace;
    let variables = space_skills::Variables {
        makerspace_id: space.id.clone(),
    };
    let skills = request::<SpaceSkills>(variables)
        .await?
        .skills
        .into_iter()
        .map(|skill| SkillLevels {
            id: skill.id,
            name: skill.name,
            levels: skill.levels,
        })
        .collect();
    let log = machine
        .maintenance_log
        .into_iter()
        .map(|entry| {
            Ok(MaintenanceNote {
                at: local_time(&entry.performed_at)?,
                id: entry.id,
                description: entry.description,
                by: entry.performed_by.display_name,
                cost: crate::time::money(entry.cost_minor, &space.currency),
            })
        })
        .collect::<Result<_, RequestError>>()?;
    Ok(MachineAdmin {
        id: machine.id,
        details: MachineDetails {
            name: machine.name,
            kind: machine.kind,
            class: machine.class,
            location: machine.location,
            hourly_cost_minor: machine.hourly_cost_minor,
            requires_approval: machine.requires_approval,
        },
        status: machine.status,
        gate: machine.skill_gate.map(|gate| (gate.skill.id, gate.level)),
        log,
        makerspace_id: space.id,
        space_name: space.name,
        space_slug: space.slug,
        currency: space.currency,
        skills,
    })
}

/// Adds a machine to the space `makerspace_id`; answers its API id.
pub async fn add_machine(
    makerspace_id: String,
    details: MachineDetails,
) -> Result<String, RequestError> {
    let input = add_equipment::AddEquipmentInput {
        makerspace_id,
        name: details.name,
        kind: details.kind,
        class: details.class,
        location: Some(details.location),
        hourly_cost_minor: details.hourly_cost_minor,
        requires_approval: details.requires_approval,
    };
    Ok(request::<AddEquipment>(add_equipment::Variables { input })
        .await?
        .add_equipment
        .id)
}

/// Saves the details of the machine `id`.
pub async fn update_machine(id: String, details: MachineDetails) -> Result<(), RequestError> {
    let input = update_equipment::UpdateEquipmentInput {
        equipment_id: id,
        name: Some(details.name),
        kind: Some(details.kind),
        class: Some(details.class),
        location: Some(details.location),
        hourly_cost_minor: Some(details.hourly_cost_minor),
        requires_approval: Some(details.requires_approval),
    };
    request::<UpdateEquipment>(update_equipment::Variables { input }).await?;
    Ok(())
}

/// Sets the status of the machine `id`, announcing it to whoever follows the space.
pub async fn set_machine_status(id: String, status: EquipmentStatus) -> Result<(), RequestError> {
    let input = set_equipment_status::SetEquipmentStatusInput {
        equipment_id: id,
        status,
    };
    request::<SetEquipmentStatus>(set_equipment_status::Variables { input }).await?;
    Ok(())
}

/// Gates the machine `id` by a skill (API id) at a level, or opens it to anyone (`None`).
pub async fn set_skill_gate(
    id: String,
    gate: Option<(String, String)>,
) -> Result<(), RequestError> {
    let (skill_id, level) = gate.unzip();
    let input = set_equipment_skill_gate::SetSkillGateInput {
        equipment_id: id,
        skill_id,
        level,
    };
    request::<SetEquipmentSkillGate>(set_equipment_skill_gate::Variables { input }).await?;
    Ok(())
}

/// Logs work done on the machine `id` now, at `cost_minor`.
pub async fn log_maintenance(
    id: String,
    description: String,
    cost_minor: i64,
) -> Result<(), RequestError> {
    let input = log_maintenance::LogMaintenanceInput {
        equipment_id: id,
        description,
        performed_at: None,
        cost_minor: Some(cost_minor),
    };
    request::<LogMaintenance>(log_maintenance::Variables { input }).await?;
    Ok(())
}

/// The space at `slug`: what a page of it needs before it asks for more.
pub async fn space_by_slug(slug: String) -> Result<SpaceRef, RequestError> {
    let space = request::<SpaceBySlug>(space_by_slug::Variables { slug })
        .await?
        .makerspace;
    Ok(SpaceRef {
        id: space.id,
        name: space.name,
        time_zone: space.time_zone,
        currency: space.currency,
    })
}

operation!(SpaceSettingsPage, "graphql/settings.graphql", ["Weekday"]);

operation!(SpaceBlackouts, "graphql/settings.graphql");

operation!(LocalHours, "graphql/settings.graphql");

operation!(UpdateMakerspaceSettings, "graphql/settings.graphql");

operation!(SetOpeningHours, "graphql/settings.graphql", ["Weekday"]);

operation!(AddBlackout, "graphql/settings.graphql");

operation!(RemoveBlackout, "graphql/settings.graphql");

/// The space at `slug` as its managers set it up.
pub async fn space_settings(slug: String) -> Result<SpaceSettings, RequestError> {
    let space = request::<SpaceSettingsPage>(space_settings_page::Variables { slug })
        .await?
        .makerspace;
    let variables = space_blackouts::Variables {
        makerspace_id: space.id.clone(),
    };
    let mut machines: Vec<(String, String)> = space
        .equipment
        .into_iter()
        .map(|machine| (machine.id, machine.name))
        .collect();
    machines.sort_by(|a, b| a.1.cmp(&b.1));
    let closures = request::<SpaceBlackouts>(variables)
        .await?
        .blackouts
        .into_iter()
        .map(|blackout| {
            Ok(Closure {
                starts_at: local_time(&blackout.starts_at)?,
                ends_at: local_time(&blackout.ends_at)?,
                machine: blackout.equipment_id.map(|id| {
                    machines
                        .iter()
                        .find(|(machine, _)| *machine == id)
                        .map_or(id, |(_, name)| name.clone())
                }),
                id: blackout.id,
                reason: blackout.reason,
            })
        })
        .collect::<Result<_, RequestError>>()?;
    let rules = space.booking_rules;
    Ok(SpaceSettings {
        makerspace_id: space.id,
        name: space.name,
        rules: SpaceRules {
            time_zone: space.time_zone,
            is_public: space.is_public,
            currency: space.currency,
            max_booking_minutes: rules.max_booking_minutes,
            cancellation_notice_minutes: rules.cancellation_notice_minutes,
            waitlist_offer_minutes: rules.waitlist_offer_minutes,
        },
        hours: space
            .opening_hours
            .into_iter()
            .map(|span| OpeningSpan {
                weekday: span.weekday,
                opens: span.opens,
                closes: span.closes,
            })
            .collect(),
        machines,
        closures,
    })
}

/// Saves the zone, visibility, currency and booking limits of the space `makerspace_id`.
pub async fn save_rules(makerspace_id: String, rules: SpaceRules) -> Result<(), RequestError> {
    let input = update_makerspace_settings::UpdateMakerspaceSettingsInput {
        makerspace_id,
        time_zone: Some(rules.time_zone),
        is_public: Some(rules.is_public),
        currency: Some(rules.currency),
        max_booking_minutes: Some(rules.max_booking_minutes),
        cancellation_notice_minutes: Some(rules.cancellation_notice_minutes),
        waitlist_offer_minutes: Some(rules.waitlist_offer_minutes),
    };
    request::<UpdateMakerspaceSettings>(update_makerspace_settings::Variables { input }).await?;
    Ok(())
}

/// Replaces the weekly opening hours of the space `makerspace_id`; none opens it around the
/// clock.
pub async fn save_hours(
    makerspace_id: String,
    hours: Vec<OpeningSpan>,
) -> Result<(), RequestError> {
    let input = set_opening_hours::SetOpeningHoursInput {
        makerspace_id,
        hours: hours
            .into_iter()
            .map(|span| set_opening_hours::OpeningHoursInput {
                weekday: span.weekday,
                opens: span.opens,
                closes: span.closes,
            })
            .collect(),
    };
    request::<SetOpeningHours>(set_opening_hours::Variables { input }).await?;
    Ok(())
}

/// Closes the space at `slug` (`makerspace_id`), or one of its machines, from one local date
/// and clock to another, read on the space's own clocks.
pub async fn add_closure(
    (slug, makerspace_id): (String, String),
    closure: NewClosure,
) -> Result<(), RequestError> {
    let variables = local_hours::Variables {
        slug,
        first: closure.from_date.to_string(),
        last: closure.to_date.to_string(),
    };
    let space = request::<LocalHours>(variables).await?.makerspace;
    let starts = clock_instant(
        &space.first,
        closure.from_date,
        &closure.from_clock,
        "startsAt",
    )?;
    let ends = clock_instant(&space.last, closure.to_date, &closure.to_clock, "endsAt")?;
    let input = add_blackout::AddBlackoutInput {
        makerspace_id,
        equipment_id: closure.machine_id,
        starts_at: utc_text(starts),
        ends_at: utc_text(ends),
        reason: Some(closure.reason).filter(|reason| !reason.trim().is_empty()),
    };
    request::<AddBlackout>(add_blackout::Variables { input }).await?;
    Ok(())
}

/// The instant the space's clocks show `clock` on `date`, whose hours `days` holds; a clock
/// the day does not have is refused as the API refuses a field.
fn clock_instant(
    days: &[local_hours::DayHours],
    date: Date,
    clock: &str,
    field: &str,
) -> Result<i64, RequestError> {
    let day = days
        .first()
        .map(|day| local_day(date, &day.starts_at, &day.ends_at, &day.hours))
        .transpose()?;
    day.and_then(|day| day.instant_at(clock)).ok_or_else(|| {
        RequestError::Api(vec![ApiError {
            message: "Invalid input".into(),
            code: Some("VALIDATION_ERROR".into()),
            details: vec![FieldError {
                field: field.to_owned(),
                message: format!("{clock} is no time on {} here", date.long_label()),
            }],
        }])
    })
}

/// Lifts the closure `id`.
pub async fn remove_closure(id: String) -> Result<(), RequestError> {
    let input = remove_blackout::RemoveBlackoutInput { blackout_id: id };
    request::<RemoveBlackout>(remove_blackout::Variables { input }).await?;
    Ok(())
}
