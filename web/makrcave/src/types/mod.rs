//! What MakrCave's pages show, as plain data: the services turn API answers into these, and
//! the components (and their tests) need nothing else.

use makrx_web::equipment::EquipmentStatus;
use serde::{Deserialize, Serialize};

use crate::time::{Date, LocalTime};

/// A person's place in a makerspace, from least to most trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MembershipRole {
    /// Books machines.
    Member,
    /// Runs the desk: approvals, check-in.
    Staff,
    /// Runs the space: members, machines, rules.
    Manager,
    /// Owns the space.
    Owner,
    /// A role this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl MembershipRole {
    /// The roles a space gives, from least to most trusted.
    pub const ALL: [Self; 4] = [Self::Member, Self::Staff, Self::Manager, Self::Owner];

    /// Whether the role runs the desk: approvals, check-in and out.
    pub fn runs_the_desk(self) -> bool {
        matches!(self, Self::Staff | Self::Manager | Self::Owner)
    }

    /// Whether the role runs the space's membership: roles, suspensions, invitations. What
    /// the page offers; the API decides.
    pub fn manages(self) -> bool {
        matches!(self, Self::Manager | Self::Owner)
    }

    /// The role in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Member => "Member",
            Self::Staff => "Staff",
            Self::Manager => "Manager",
            Self::Owner => "Owner",
            Self::Unknown => "Unknown role",
        }
    }
}

/// The class of a machine: what plans cover and what a member searches free slots by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EquipmentClass {
    /// 3D printers.
    #[serde(rename = "PRINTER_3D")]
    Printer3d,
    /// Laser cutters and engravers.
    LaserCutter,
    /// CNC mills and routers.
    Cnc,
    /// Electronics benches.
    Electronics,
    /// Woodworking machines.
    Woodworking,
    /// Metalworking machines.
    Metalworking,
    /// Sewing and textile machines.
    Textile,
    /// Anything else.
    #[serde(other)]
    Other,
}

impl EquipmentClass {
    /// Every class, as a machine's form offers them.
    pub const ALL: [Self; 8] = [
        Self::Printer3d,
        Self::LaserCutter,
        Self::Cnc,
        Self::Electronics,
        Self::Woodworking,
        Self::Metalworking,
        Self::Textile,
        Self::Other,
    ];

    /// The class in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Printer3d => "3D printer",
            Self::LaserCutter => "Laser cutter",
            Self::Cnc => "CNC",
            Self::Electronics => "Electronics",
            Self::Woodworking => "Woodworking",
            Self::Metalworking => "Metalworking",
            Self::Textile => "Textile",
            Self::Other => "Other",
        }
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReservationStatus {
    /// Offered from the waitlist, held until the offer lapses.
    Offered,
    /// Waiting for staff approval.
    Pending,
    /// Booked.
    Approved,
    /// The member is at the machine.
    CheckedIn,
    /// Used and checked out.
    Completed,
    /// Cancelled.
    Cancelled,
    /// Refused by staff.
    Rejected,
    /// Never taken up.
    Lapsed,
    /// A status this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ReservationStatus {
    /// The status in words, to follow "booking" (`booking approved`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Offered => "offered to you",
            Self::Pending => "waiting for approval",
            Self::Approved => "approved",
            Self::CheckedIn => "checked in",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Rejected => "rejected",
            Self::Lapsed => "lapsed",
            Self::Unknown => "in an unknown state",
        }
    }
}

/// MakrCave's home: the person's spaces and the invitations waiting for an answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Home {
    /// The spaces they belong to, by name.
    pub spaces: Vec<MySpace>,
    /// Invitations to other spaces, newest first.
    pub invitations: Vec<Invitation>,
}

/// An invitation to join a makerspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    /// Its API id.
    pub id: String,
    /// The space's name.
    pub space_name: String,
    /// The role it offers.
    pub role: MembershipRole,
    /// Who sent it.
    pub invited_by: String,
    /// When it lapses.
    pub expires_at: LocalTime,
}

/// A makerspace the signed-in person belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct MySpace {
    /// Its name.
    pub name: String,
    /// Its address in URLs.
    pub slug: String,
    /// Where it is; may be empty.
    pub location: String,
    /// Its IANA time zone.
    pub time_zone: String,
    /// The person's role there.
    pub role: MembershipRole,
    /// Whether their membership is suspended.
    pub suspended: bool,
    /// Their plan there, in words (`Hobby until 31 Dec 2026`); none when on no plan.
    pub plan: Option<String>,
}

/// One of the signed-in person's bookings, as "Your bookings" lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct MyBooking {
    /// Its API id.
    pub id: String,
    /// The machine's API id.
    pub machine_id: String,
    /// The machine's name.
    pub machine_name: String,
    /// The space's name.
    pub space_name: String,
    /// The space's IANA time zone, which the times are in.
    pub time_zone: String,
    /// Its start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
    /// Where it stands.
    pub status: ReservationStatus,
    /// Its estimated cost, in words.
    pub cost: String,
    /// Until when its holder may cancel it; none once it cannot be cancelled.
    pub cancellable_until: Option<LocalTime>,
    /// When its holder can first be checked in at the desk, while it is approved.
    pub check_in_opens_at: Option<LocalTime>,
    /// Until when a waitlist offer holds it for the person, in seconds since the epoch.
    pub offer_expires_at: Option<i64>,
}

impl MyBooking {
    /// The offer it is, while the person may still take it up.
    pub fn offer(&self) -> Option<Offer> {
        let expires_at = self.offer_expires_at?;
        (self.status == ReservationStatus::Offered).then(|| Offer {
            id: self.id.clone(),
            machine_name: self.machine_name.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            expires_at,
        })
    }
}

/// "Your bookings": the person's bookings and the slots they wait for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MyBookings {
    /// Bookings of the last 30 days and to come, offers among them, earliest first.
    pub bookings: Vec<MyBooking>,
    /// Places on waitlists not offered yet, earliest slot first.
    pub waiting: Vec<Waiting>,
}

/// A slot freed from a waitlist and held for the person until the offer lapses.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The booking that holds the slot: its API id.
    pub id: String,
    /// The machine's name.
    pub machine_name: String,
    /// The slot's start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
    /// The space's IANA time zone.
    pub time_zone: String,
    /// When the offer lapses, in seconds since the epoch.
    pub expires_at: i64,
}

/// A place on a taken slot's waitlist.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    /// Its API id.
    pub id: String,
    /// The machine's API id.
    pub machine_id: String,
    /// The machine's name.
    pub machine_name: String,
    /// The space's name.
    pub space_name: String,
    /// The space's IANA time zone.
    pub time_zone: String,
    /// The slot's start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
}

/// A space's skills and the person's standing in each.
#[derive(Debug, Clone, PartialEq)]
pub struct MySkills {
    /// The space's name.
    pub space_name: String,
    /// Its skills, as the space lists them.
    pub skills: Vec<SkillStanding>,
}

/// A skill of a space, and the person's level in it.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillStanding {
    /// The skill's API id.
    pub id: String,
    /// Its name (`Laser cutting`).
    pub name: String,
    /// What it covers; may be empty.
    pub description: String,
    /// Its levels, lowest first.
    pub levels: Vec<String>,
    /// The person's grant, if they hold one.
    pub held: Option<HeldLevel>,
}

/// A level the person was granted.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldLevel {
    /// The level's name.
    pub level: String,
    /// Its rank among the skill's levels, from 1.
    pub rank: usize,
    /// When it lapses, if it does.
    pub expires_at: Option<LocalTime>,
    /// Whether it has lapsed already.
    pub expired: bool,
}

impl SkillStanding {
    /// The levels the person may ask to be checked off at: above the one they hold, or all of
    /// them when it has lapsed or they hold none.
    pub fn levels_to_request(&self) -> &[String] {
        match &self.held {
            Some(held) if !held.expired => self.levels.get(held.rank..).unwrap_or_default(),
            _ => &self.levels,
        }
    }
}

/// A booking waiting for a decision, as the approvals queue shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingBooking {
    /// Its API id.
    pub id: String,
    /// Who asked for it.
    pub booker: String,
    /// The machine's name.
    pub machine_name: String,
    /// Its start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
    /// What it is for; may be empty.
    pub note: String,
}

/// A space's approvals queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Approvals {
    /// The space's API id (what its feed is keyed by).
    pub makerspace_id: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone, which the times are in.
    pub time_zone: String,
    /// The bookings waiting, earliest first.
    pub pending: Vec<PendingBooking>,
}

/// A makerspace's machines, as its page lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceMachines {
    /// The space's API id (what its status feed is keyed by).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone.
    pub time_zone: String,
    /// Its machines, by name.
    pub machines: Vec<MachineSummary>,
    /// Its next local days from today, where each begins: what a slot search may span.
    pub days: Vec<(Date, LocalTime)>,
}

impl SpaceMachines {
    /// The classes of its machines, each once, in the order the machines list them.
    pub fn classes(&self) -> Vec<EquipmentClass> {
        let mut classes = Vec::new();
        for machine in &self.machines {
            if !classes.contains(&machine.class) {
                classes.push(machine.class);
            }
        }
        classes
    }
}

/// A free slot a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundSlot {
    /// The machine's API id.
    pub machine_id: String,
    /// The machine's name.
    pub machine_name: String,
    /// Its start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
}

/// A machine in its space's list.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineSummary {
    /// Its API id.
    pub id: String,
    /// Its name in the space.
    pub name: String,
    /// What sort of machine it is (`3D printer`).
    pub kind: String,
    /// Its class.
    pub class: EquipmentClass,
    /// Whether it can be used now, as last heard.
    pub status: EquipmentStatus,
    /// The skill level it needs, if any.
    pub gate: Option<Gate>,
}

/// A skill level a machine needs, and whether the signed-in person holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// The skill's name.
    pub skill: String,
    /// The level's name.
    pub level: String,
    /// Whether the person holds that level or a higher one, unexpired.
    pub held: bool,
}

/// A machine's week: the machine, its space's seven local days and the calendar's stretches.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineWeek {
    /// The machine.
    pub machine: Machine,
    /// The Monday the week starts on, in the space's zone.
    pub monday: Date,
    /// The space's IANA time zone, shown beside every time.
    pub time_zone: String,
    /// Monday to Sunday, each from local midnight to local midnight.
    pub days: Vec<Day>,
    /// Free, booked, own and blocked stretches, in time order; some reach outside the week.
    pub stretches: Vec<Stretch>,
    /// When the week was loaded, in seconds since the epoch: free time before it is past.
    pub now: i64,
}

/// A machine as its own page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// Its API id.
    pub id: String,
    /// Its name in the space.
    pub name: String,
    /// What sort of machine it is.
    pub kind: String,
    /// Whether it can be used now.
    pub status: EquipmentStatus,
    /// What an hour on it costs, in minor units of `currency`.
    pub hourly_cost_minor: i64,
    /// The space's currency.
    pub currency: String,
    /// Whether bookings wait for staff approval.
    pub requires_approval: bool,
    /// The longest booking the space allows, in minutes.
    pub max_booking_minutes: i64,
    /// How long a slot freed from its waitlist is held for the first person waiting.
    pub waitlist_offer_minutes: i64,
    /// Its space's name.
    pub space_name: String,
    /// Its space's address in URLs.
    pub space_slug: String,
}

/// One local day of the space.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// Its date.
    pub date: Date,
    /// Local midnight at its start.
    pub starts_at: LocalTime,
    /// Local midnight at its end.
    pub ends_at: LocalTime,
    /// The start of each of its hours, as the space's clocks show them (23 or 25 when the
    /// clocks change).
    pub hours: Vec<LocalTime>,
}

impl Day {
    /// How long it is, in minutes.
    pub fn minutes(&self) -> i64 {
        self.ends_at.minutes_since(&self.starts_at)
    }

    /// The instant the space's clocks show `clock` (`HH:MM`, `24:00` for the day's end) on
    /// this day, in seconds since the epoch; none for no clock, or one the day skips when its
    /// clocks go forward (the first of the two when they go back).
    pub fn instant_at(&self, clock: &str) -> Option<i64> {
        let (hour, minute) = clock.split_once(':')?;
        let (hour, minute): (i64, i64) = (hour.parse().ok()?, minute.parse().ok()?);
        if !(0..60).contains(&minute) || clock.len() != 5 {
            return None;
        }
        if (hour, minute) == (24, 0) {
            return Some(self.ends_at.unix_seconds());
        }
        self.hours
            .iter()
            .find(|start| start.wall_minutes() == hour * 60)
            .map(|start| start.unix_seconds() + minute * 60)
    }

    /// The space's wall clock at `unix_seconds` within this day (`09:30`), read from the
    /// hour it falls in, so it is right on either side of a clock change; the day's end is
    /// `24:00`.
    pub fn clock_at(&self, unix_seconds: i64) -> String {
        if unix_seconds >= self.ends_at.unix_seconds() {
            return "24:00".to_owned();
        }
        let hour = self
            .hours
            .iter()
            .rev()
            .find(|hour| hour.unix_seconds() <= unix_seconds)
            .unwrap_or(&self.starts_at);
        let wall = hour.wall_minutes() + (unix_seconds - hour.unix_seconds()).div_euclid(60);
        format!("{:02}:{:02}", (wall / 60) % 24, wall % 60)
    }
}

/// What a stretch of the calendar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StretchKind {
    /// Open and not booked.
    Free,
    /// Booked by someone else.
    Booked,
    /// Booked by the signed-in person.
    Mine,
    /// Closed, a blackout, or the machine is down.
    Blocked,
}

/// A stretch of a machine's calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    /// Where it starts.
    pub starts_at: LocalTime,
    /// Where it ends.
    pub ends_at: LocalTime,
    /// What it is.
    pub kind: StretchKind,
    /// Why a blocked stretch is blocked.
    pub reason: Option<String>,
    /// The booking, where the person may see it: the booker's name (others' bookings, for
    /// staff) and its status in words.
    pub booking: Option<BookingNote>,
}

/// What the calendar says of a booking.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingNote {
    /// Its API id.
    pub id: String,
    /// Who booked it.
    pub booker: String,
    /// Where it stands.
    pub status: ReservationStatus,
    /// Until when a waitlist offer holds it, in seconds since the epoch.
    pub offer_expires_at: Option<i64>,
}

/// A part of a whole, in thousandths of a percent: shown as `37.500%` without the float
/// formatting code a browser app would otherwise carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share(i64);

impl Share {
    /// `part` of `whole` (both in the same unit); nothing of an empty whole.
    pub fn of(part: i64, whole: i64) -> Self {
        Self(if whole > 0 { part * 100_000 / whole } else { 0 })
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03}%", self.0 / 1000, self.0 % 1000)
    }
}

/// A stretch within one day, placed on the day's track.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<'a> {
    /// The stretch as the calendar has it.
    pub stretch: &'a Stretch,
    /// Where it starts within the day, in seconds since the epoch.
    pub from: i64,
    /// Where it ends within the day.
    pub to: i64,
    /// Its top, as a share of the day.
    pub top: Share,
    /// Its height, as a share of the day.
    pub height: Share,
}

impl MachineWeek {
    /// The stretches that fall within `day`, cut at its midnights and placed on its track.
    pub fn placed<'a>(&'a self, day: &Day) -> Vec<Placed<'a>> {
        let (start, end) = (day.starts_at.unix_seconds(), day.ends_at.unix_seconds());

        self.stretches
            .iter()
            .filter_map(|stretch| {
                let from = stretch.starts_at.unix_seconds().max(start);
                let to = stretch.ends_at.unix_seconds().min(end);
                (from < to).then(|| Placed {
                    stretch,
                    from,
                    to,
                    top: Share::of(from - start, end - start),
                    height: Share::of(to - from, end - start),
                })
            })
            .collect()
    }

    /// The slots of the week offered to the person from a waitlist.
    pub fn offers(&self) -> Vec<Offer> {
        self.stretches
            .iter()
            .filter(|stretch| stretch.kind == StretchKind::Mine)
            .filter_map(|stretch| {
                let booking = stretch.booking.as_ref()?;
                let expires_at = booking.offer_expires_at?;
                (booking.status == ReservationStatus::Offered).then(|| Offer {
                    id: booking.id.clone(),
                    machine_name: self.machine.name.clone(),
                    starts_at: stretch.starts_at.clone(),
                    ends_at: stretch.ends_at.clone(),
                    time_zone: self.time_zone.clone(),
                    expires_at,
                })
            })
            .collect()
    }

    /// The day `unix_seconds` falls in.
    pub fn day_of(&self, unix_seconds: i64) -> Option<&Day> {
        self.days.iter().find(|day| {
            (day.starts_at.unix_seconds()..day.ends_at.unix_seconds()).contains(&unix_seconds)
        })
    }
}

/// A space's desk for one local day: each machine with its bookings that day.
#[derive(Debug, Clone, PartialEq)]
pub struct Desk {
    /// The space's API id, to follow its bookings.
    pub makerspace_id: String,
    /// The space's name.
    pub name: String,
    /// The space's IANA time zone.
    pub time_zone: String,
    /// The local day shown.
    pub date: Date,
    /// Whether the day is the space's today.
    pub today: bool,
    /// The machines by name, each with its bookings, earliest first.
    pub machines: Vec<DeskMachine>,
}

/// A machine at the desk.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskMachine {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it can be used now.
    pub status: EquipmentStatus,
    /// Its bookings of the day that hold or held it (not cancelled, rejected or lapsed).
    pub bookings: Vec<DeskBooking>,
}

/// A booking as the desk handles it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskBooking {
    /// Its API id.
    pub id: String,
    /// Who booked it.
    pub booker: String,
    /// Its start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
    /// Where it stands.
    pub status: ReservationStatus,
    /// When its holder can first be checked in, while it is approved.
    pub check_in_opens_at: Option<LocalTime>,
    /// What it is for.
    pub note: String,
}

/// What the desk does with a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskStep {
    /// The holder arrived at the machine.
    CheckIn,
    /// The holder is done.
    CheckOut,
}

/// A space's members as its staff and managers see them.
#[derive(Debug, Clone, PartialEq)]
pub struct Members {
    /// The space's API id.
    pub makerspace_id: String,
    /// The space's name.
    pub name: String,
    /// The signed-in person's API id.
    pub my_id: String,
    /// Their role in the space (suspended counts as none: members only).
    pub my_role: MembershipRole,
    /// The members, longest-standing first (the first 100).
    pub members: Vec<Member>,
    /// How many members the space has.
    pub total: i64,
    /// Invitations waiting for an answer, newest first; for managers and above only.
    pub invitations: Option<Vec<SentInvitation>>,
    /// The space's plans, by name.
    pub plans: Vec<PlanSummary>,
    /// The space's currency, for the plans' prices.
    pub currency: String,
}

/// A plan of a space, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSummary {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its price and period (`25.00 EUR a month`).
    pub price: String,
    /// Its quotas (`3 h a day, 6 h a week`; `No limit`).
    pub quotas: String,
    /// The classes of machine it covers, in words.
    pub classes: String,
}

/// A plan to define.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    /// Its name.
    pub name: String,
    /// Its price per period, in minor units.
    pub price_minor: i64,
    /// Paid yearly rather than monthly.
    pub yearly: bool,
    /// Hours a day it allows; none for no limit.
    pub daily_hours: Option<f64>,
    /// Hours a week it allows; none for no limit.
    pub weekly_hours: Option<f64>,
    /// The classes of machine it covers.
    pub classes: Vec<EquipmentClass>,
}

/// Putting a member on a plan from a date.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanAssignment {
    /// The member's API id.
    pub user_id: String,
    /// The plan's API id.
    pub plan_id: String,
    /// The first day it covers.
    pub starts_on: Date,
    /// The last, if it ends.
    pub ends_on: Option<Date>,
}

/// A member of a space.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The person's API id.
    pub user_id: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: MembershipRole,
    /// When they joined, in the browser's reading of the API's time.
    pub since: LocalTime,
    /// Whether they are suspended.
    pub suspended: bool,
    /// Their plan, in words, where the person looking may know it.
    pub plan: Option<String>,
}

/// What a manager does to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAct {
    /// Gives them this role.
    Role(MembershipRole),
    /// Suspends them.
    Suspend,
    /// Reinstates them.
    Reinstate,
}

/// An invitation a space sent that waits for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SentInvitation {
    /// Its API id.
    pub id: String,
    /// The address invited.
    pub email: String,
    /// The role offered.
    pub role: MembershipRole,
    /// Until when it can be accepted.
    pub expires_at: LocalTime,
}

/// What a space's staff need to check members off: open requests, the skills, the members.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillDesk {
    /// The space's API id.
    pub makerspace_id: String,
    /// The space's name.
    pub name: String,
    /// Open check-off requests, oldest first.
    pub requests: Vec<CheckoffAsk>,
    /// The space's skills, by name.
    pub skills: Vec<SkillLevels>,
    /// The space's members (the first 100), by name: (API id, name).
    pub members: Vec<(String, String)>,
}

/// A member's request to be checked off.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoffAsk {
    /// Its API id.
    pub id: String,
    /// Who asks.
    pub member: String,
    /// The skill's name.
    pub skill: String,
    /// The level asked for.
    pub level: String,
    /// What they said.
    pub note: String,
    /// When they asked.
    pub asked_at: LocalTime,
}

/// A skill and its levels, lowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillLevels {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its levels, lowest first.
    pub levels: Vec<String>,
}

/// What a machine's form edits: everything staff set about a machine but its status and gate.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineDetails {
    /// Its name in the space.
    pub name: String,
    /// What sort of machine it is.
    pub kind: String,
    /// Its class.
    pub class: EquipmentClass,
    /// Where it stands.
    pub location: String,
    /// What an hour costs, in minor units of the space's currency.
    pub hourly_cost_minor: i64,
    /// Whether bookings wait for staff approval.
    pub requires_approval: bool,
}

impl Default for MachineDetails {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: String::new(),
            class: EquipmentClass::Other,
            location: String::new(),
            hourly_cost_minor: 0,
            requires_approval: false,
        }
    }
}

/// A machine as its space's staff manage it.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineAdmin {
    /// Its API id.
    pub id: String,
    /// What the form edits.
    pub details: MachineDetails,
    /// Whether it can be used now.
    pub status: EquipmentStatus,
    /// The skill (API id) and level booking it takes, if any.
    pub gate: Option<(String, String)>,
    /// What was done to keep it, newest first.
    pub log: Vec<MaintenanceNote>,
    /// The space's API id.
    pub makerspace_id: String,
    /// The space's name.
    pub space_name: String,
    /// The space's address in URLs.
    pub space_slug: String,
    /// The space's currency.
    pub currency: String,
    /// The space's skills, to gate it by.
    pub skills: Vec<SkillLevels>,
}

/// An entry of a machine's maintenance log.
#[derive(Debug, Clone, PartialEq)]
pub struct MaintenanceNote {
    /// Its API id.
    pub id: String,
    /// What was done.
    pub description: String,
    /// Who logged it.
    pub by: String,
    /// When it was done.
    pub at: LocalTime,
    /// What it cost, in words.
    pub cost: String,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Self; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// The day in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Monday => "Monday",
            Self::Tuesday => "Tuesday",
            Self::Wednesday => "Wednesday",
            Self::Thursday => "Thursday",
            Self::Friday => "Friday",
            Self::Saturday => "Saturday",
            Self::Sunday => "Sunday",
        }
    }
}

/// What a space's settings form edits: its zone, visibility, currency and booking limits.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceRules {
    /// Its IANA time zone.
    pub time_zone: String,
    /// Whether people outside it may see it.
    pub is_public: bool,
    /// Its currency (ISO 4217).
    pub currency: String,
    /// The longest one booking may last, in minutes.
    pub max_booking_minutes: i64,
    /// How long before its start a member may still cancel, in minutes.
    pub cancellation_notice_minutes: i64,
    /// How long a freed slot is held for the first person waiting, in minutes.
    pub waitlist_offer_minutes: i64,
}

/// When a space opens on a day of the week, in its local time (`HH:MM`).
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningSpan {
    /// The day.
    pub weekday: Weekday,
    /// When it opens.
    pub opens: String,
    /// When it closes; `24:00` for midnight.
    pub closes: String,
}

/// A closure of a space or of one of its machines.
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    /// Its API id.
    pub id: String,
    /// The machine it closes; none for the whole space.
    pub machine: Option<String>,
    /// Its start, in the space's local time.
    pub starts_at: LocalTime,
    /// Its end.
    pub ends_at: LocalTime,
    /// Why.
    pub reason: String,
}

/// A closure to add: from and to a local date and clock (`HH:MM`) of the space.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClosure {
    /// The machine to close (API id); none for the whole space.
    pub machine_id: Option<String>,
    /// The first day.
    pub from_date: Date,
    /// Its clock.
    pub from_clock: String,
    /// The last day.
    pub to_date: Date,
    /// Its clock.
    pub to_clock: String,
    /// Why.
    pub reason: String,
}

/// A space as its managers set it up.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceSettings {
    /// Its API id.
    pub makerspace_id: String,
    /// Its name.
    pub name: String,
    /// Its zone, visibility, currency and booking limits.
    pub rules: SpaceRules,
    /// When it is open each week; none means around the clock.
    pub hours: Vec<OpeningSpan>,
    /// Its machines: (API id, name), by name.
    pub machines: Vec<(String, String)>,
    /// Its closures that have not ended, soonest first.
    pub closures: Vec<Closure>,
}

/// A space as a page of it first needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceRef {
    /// Its API id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone.
    pub time_zone: String,
    /// Its currency.
    pub currency: String,
}

mod fabrication;
mod fabrication_jobs;
mod job_material;
mod projects;
mod stock;

pub use fabrication::*;
pub use fabrication_jobs::*;
pub use job_material::*;
pub use projects::*;
pub use stock::*;
