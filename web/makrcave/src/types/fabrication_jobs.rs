//! The parts a space makes for the store's customers, as its staff run them: each job where
//! it stands, what may become of it next, what making it takes, and its time on the space's
//! printers.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{JobStock, MaterialUse, PrintProcess, ReservationStatus};
use crate::time::{Date, LocalTime};

/// Where a fabrication job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FabricationJobStatus {
    /// Sent to the space, waiting for its staff to accept it.
    Dispatched,
    /// Accepted, not printing yet.
    Accepted,
    /// On a printer.
    Printing,
    /// Printed; supports off, cured, sanded.
    PostProcessing,
    /// Finished, waiting to be shipped or picked up.
    Ready,
    /// On its way to the customer.
    Shipped,
    /// With the customer.
    Delivered,
    /// The space will not make it.
    Declined,
    /// The order was called off.
    Cancelled,
    /// A status this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl FabricationJobStatus {
    /// Where the job stands, in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Dispatched => "New: waiting to be accepted",
            Self::Accepted => "Accepted: waiting for a printer",
            Self::Printing => "Printing",
            Self::PostProcessing => "Post-processing",
            Self::Ready => "Ready: to ship or hand over",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Declined => "Declined",
            Self::Cancelled => "Cancelled: the order was called off",
            Self::Unknown => "In a state this page does not know",
        }
    }

    /// What a button moving a job here says; none for what staff never do.
    pub fn action(self) -> Option<&'static str> {
        match self {
            Self::Accepted => Some("Accept"),
            Self::Printing => Some("Start printing"),
            Self::PostProcessing => Some("Post-processing"),
            Self::Ready => Some("Ready"),
            Self::Shipped => Some("Shipped"),
            Self::Delivered => Some("Delivered"),
            Self::Declined => Some("Decline…"),
            Self::Dispatched | Self::Cancelled | Self::Unknown => None,
        }
    }

    /// Whether the job is done with: delivered, declined or cancelled.
    pub fn closed(self) -> bool {
        matches!(self, Self::Delivered | Self::Declined | Self::Cancelled)
    }

    /// Whether the staff may give the job printer time: once accepted, until printed.
    pub fn schedulable(self) -> bool {
        matches!(self, Self::Accepted | Self::Printing)
    }

    /// Whether the staff may record material the job used: once printing starts, until
    /// delivered.
    pub fn records_material(self) -> bool {
        matches!(
            self,
            Self::Printing | Self::PostProcessing | Self::Ready | Self::Shipped | Self::Delivered
        )
    }
}

/// A part a space makes for a store customer.
#[derive(Debug, Clone, PartialEq)]
pub struct FabricationJob {
    /// Its API id.
    pub id: String,
    /// The store order's number, as its customer knows it.
    pub order_number: i64,
    /// Where it stands.
    pub status: FabricationJobStatus,
    /// Why it was declined or cancelled.
    pub reason: Option<String>,
    /// When the space would have it ready, on the space's clock.
    pub ready_by: Option<LocalTime>,
    /// The uploaded file's name.
    pub file_name: String,
    /// The material's code (`PLA`).
    pub material: String,
    /// As the customer asked; none leaves it to the space.
    pub colour: Option<String>,
    /// Infill, percent.
    pub infill_percent: i64,
    /// How many copies.
    pub quantity: i64,
    /// How it is printed.
    pub process: PrintProcess,
    /// One copy's print time, as quoted, in seconds.
    pub print_seconds: i64,
    /// One copy's material, as quoted, in grams.
    pub material_grams: f64,
    /// Its width, depth and height, mm.
    pub bbox_mm: Vec<f64>,
    /// What the staff may move it to now, in its life's order.
    pub next_statuses: Vec<FabricationJobStatus>,
}

impl FabricationJob {
    /// `Order #1042 · bracket.stl`.
    pub fn title(&self) -> String {
        format!("Order #{} · {}", self.order_number, self.file_name)
    }

    /// The colour asked for, or that it is the space's to choose.
    pub fn colour_words(&self) -> String {
        match self.colour.as_deref().map(str::trim) {
            Some(colour) if !colour.is_empty() => colour.to_owned(),
            _ => "The space's choice".to_owned(),
        }
    }

    /// The material quoted: `12 g a copy`, or `12 g a copy, 36 g in all` for more than one.
    pub fn quoted_material_words(&self) -> String {
        let one = self.material_grams.max(0.0);
        if self.quantity > 1 {
            let all = one * self.quantity as f64;
            format!("{} g a copy, {} g in all", one.round(), all.round())
        } else {
            format!("{} g", one.round())
        }
    }

    /// `1 copy`, `3 copies`.
    pub fn quantity_words(&self) -> String {
        match self.quantity {
            1 => "1 copy".to_owned(),
            copies => format!("{copies} copies"),
        }
    }

    /// `20 %`; resin parts are solid, whatever the customer asked.
    pub fn infill_words(&self) -> String {
        match self.process {
            PrintProcess::Resin => "Solid (resin)".to_owned(),
            _ => format!("{} %", self.infill_percent),
        }
    }

    /// `1:05`, or `1:05 a copy, 3:15 in all` for more than one.
    pub fn print_time_words(&self) -> String {
        let one = hours_and_minutes(self.print_seconds);
        if self.quantity > 1 {
            let all = hours_and_minutes(self.print_seconds.saturating_mul(self.quantity));
            format!("{one} a copy, {all} in all")
        } else {
            one
        }
    }

    /// `30 × 20 × 10 mm`, to a tenth of a millimetre.
    pub fn size_words(&self) -> String {
        let sides: Vec<String> = self
            .bbox_mm
            .iter()
            .map(|side| format!("{}", (side * 10.0).round() / 10.0))
            .collect();
        format!("{} mm", sides.join(" × "))
    }

    /// `Mon 7 Dec 14:00` on the space's clock, or that the space gave no time.
    pub fn ready_by_words(&self) -> String {
        self.ready_by
            .as_ref()
            .map_or_else(|| "No time given".to_owned(), LocalTime::day_and_clock)
    }

    /// Printing every copy, as quoted, in minutes rounded up (at least one): as long as the
    /// API makes a slot when it is given no end.
    pub fn print_minutes(&self) -> i64 {
        let seconds = self
            .print_seconds
            .max(0)
            .saturating_mul(self.quantity.max(1));
        (seconds.saturating_add(59) / 60).max(1)
    }
}

#[cfg(test)]
impl FabricationJob {
    /// Two black PLA brackets of 18 minutes and 6.75 g each, printing: what tests start from.
    pub fn bracket() -> Self {
        FabricationJob {
            id: "j1".to_owned(),
            order_number: 1042,
            status: FabricationJobStatus::Printing,
            reason: None,
            ready_by: None,
            file_name: "bracket.stl".to_owned(),
            material: "PLA".to_owned(),
            colour: Some("black".to_owned()),
            infill_percent: 20,
            quantity: 2,
            process: PrintProcess::Fdm,
            print_seconds: 1_080,
            material_grams: 6.75,
            bbox_mm: vec![30.0, 20.0, 10.0],
            next_statuses: Vec::new(),
        }
    }
}

/// `h:mm` of a length in seconds, to the nearest minute (`1:05`).
pub fn hours_and_minutes(seconds: i64) -> String {
    let minutes = (seconds.max(0) + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// A printer the space makes parts on.
#[derive(Debug, Clone, PartialEq)]
pub struct JobPrinter {
    /// The machine's API id.
    pub id: String,
    /// Its name (`Prusa MK4`).
    pub name: String,
    /// How it prints.
    pub process: PrintProcess,
}

/// A job's slot on one of the space's printers: a booking of it in a staff member's name.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSlot {
    /// The booking's API id.
    pub id: String,
    /// The printer's name.
    pub printer: String,
    /// Its start, on the space's clock.
    pub starts_at: LocalTime,
    /// Its end, on the space's clock.
    pub ends_at: LocalTime,
    /// Where the booking stands.
    pub status: ReservationStatus,
}

impl JobSlot {
    /// `Prusa MK4 · Tue 8 Dec 10:00–12:00`, or with the end's day when it ends on another
    /// (`Tue 8 Dec 22:00 – Wed 9 Dec 04:00`).
    pub fn words(&self) -> String {
        let (start, end) = (&self.starts_at, &self.ends_at);
        let when = if start.date() == end.date() {
            format!("{}–{}", start.day_and_clock(), end.clock())
        } else {
            format!("{} – {}", start.day_and_clock(), end.day_and_clock())
        };
        format!("{} · {when}", self.printer)
    }

    /// Whether it still holds the printer at `now` (seconds since the epoch), so that it may
    /// be let go of: booked, and not over.
    pub fn cancellable(&self, now: i64) -> bool {
        matches!(
            self.status,
            ReservationStatus::Pending | ReservationStatus::Approved
        ) && self.ends_at.unix_seconds() > now
    }
}

/// A moment on the space's wall clock, as a date-and-time field reads it (`2026-12-08T10:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallTime {
    date: Date,
    /// Minutes since midnight.
    minutes: i64,
}

impl WallTime {
    /// Reads `YYYY-MM-DDTHH:MM`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (date, clock) = text.split_once('T')?;
        let (hour, minute) = clock.split_once(':')?;
        let number = |digits: &str| -> Option<i64> {
            (digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse().ok())?
        };
        let (hour, minute) = (number(hour)?, number(minute)?);
        (hour < 24 && minute < 60).then_some(Self {
            date: Date::parse(date)?,
            minutes: hour * 60 + minute,
        })
    }

    /// Its date.
    pub fn date(self) -> Date {
        self.date
    }

    /// Its clock (`10:00`).
    pub fn clock(self) -> String {
        format!("{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }

    /// `minutes` later on the wall clock, into the next days if need be. Across a change of
    /// the clocks that is an hour more or less than `minutes`: the form shows the end it sends.
    pub fn later(self, minutes: i64) -> Self {
        let minutes = self.minutes + minutes;
        Self {
            date: self.date.add_days(minutes.div_euclid(1_440)),
            minutes: minutes.rem_euclid(1_440),
        }
    }
}

impl fmt::Display for WallTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.date, self.clock())
    }
}

/// A slot the staff give a job: on which printer, from and until when on the space's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSlot {
    /// The printer's API id.
    pub printer_id: String,
    /// Its start.
    pub starts: WallTime,
    /// Its end.
    pub ends: WallTime,
}

/// A space's jobs page.
#[derive(Debug, Clone, PartialEq)]
pub struct FabricationJobs {
    /// The space's API id (what its jobs' feed is keyed by).
    pub makerspace_id: String,
    /// Its address in URLs.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone: the jobs' times are on its clock.
    pub time_zone: String,
    /// Its jobs, soonest ready-by first.
    pub jobs: Vec<FabricationJob>,
    /// The printers it makes parts on, by name.
    pub printers: Vec<JobPrinter>,
    /// Each job's slots on them, earliest first, by job id (the cancelled left out).
    pub slots: HashMap<String, Vec<JobSlot>>,
    /// The material each job used, as recorded, in that order, by job id.
    pub material_used: HashMap<String, Vec<MaterialUse>>,
    /// Its stock to record material from; read only when a job may have used some.
    pub stock: JobStock,
    /// When it was read, in seconds since the epoch: a slot over by then is not cancelled.
    pub now: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_times_read_as_hours_and_minutes() {
        assert_eq!(hours_and_minutes(0), "0:00");
        assert_eq!(hours_and_minutes(29), "0:00");
        assert_eq!(hours_and_minutes(3_899), "1:05");
        assert_eq!(hours_and_minutes(36_000), "10:00");
        assert_eq!(hours_and_minutes(-5), "0:00");
    }

    fn job(print_seconds: i64, quantity: i64) -> FabricationJob {
        FabricationJob {
            print_seconds,
            quantity,
            ..FabricationJob::bracket()
        }
    }

    fn slot(starts_at: &str, ends_at: &str, status: ReservationStatus) -> JobSlot {
        let at = |text| LocalTime::parse(text).unwrap_or_else(|| panic!("{text} is a time"));
        JobSlot {
            id: "r1".to_owned(),
            printer: "Prusa MK4".to_owned(),
            starts_at: at(starts_at),
            ends_at: at(ends_at),
            status,
        }
    }

    fn wall(text: &str) -> WallTime {
        WallTime::parse(text).unwrap_or_else(|| panic!("{text} is a wall clock"))
    }

    #[test]
    fn a_job_needs_every_copy_s_print_time_rounded_up_to_the_minute() {
        assert_eq!(job(3_900, 3).print_minutes(), 195);
        assert_eq!(job(1_561, 2).print_minutes(), 53);
        assert_eq!(job(20, 1).print_minutes(), 1);
        assert_eq!(job(0, 1).print_minutes(), 1);
    }

    #[test]
    fn the_default_end_is_the_print_time_after_the_start_on_the_wall_clock() {
        let start = wall("2026-12-08T10:00");
        assert_eq!(
            start.later(job(1_561, 2).print_minutes()).to_string(),
            "2026-12-08T10:53"
        );
        assert_eq!(
            wall("2026-12-31T22:30").later(150).to_string(),
            "2027-01-01T01:00"
        );
        assert_eq!(
            wall("2026-12-08T00:00").later(2 * 1_440).to_string(),
            "2026-12-10T00:00"
        );
    }

    #[test]
    fn a_wall_clock_is_read_as_a_date_and_time_field_gives_it() {
        let time = wall("2026-12-08T09:05");
        assert_eq!(time.date().to_string(), "2026-12-08");
        assert_eq!(time.clock(), "09:05");
        assert_eq!(time.to_string(), "2026-12-08T09:05");
        for text in [
            "",
            "2026-12-08",
            "2026-12-08T24:00",
            "2026-12-08T9:05",
            "2026-02-30T10:00",
            "2026-12-08T10:00:00",
            "2026-12-08 10:00",
        ] {
            assert_eq!(WallTime::parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_slot_reads_as_its_printer_and_its_times_on_the_space_s_clock() {
        let day = slot(
            "2026-12-08T10:00:00+01:00",
            "2026-12-08T12:00:00+01:00",
            ReservationStatus::Approved,
        );
        let night = slot(
            "2026-12-08T22:00:00+01:00",
            "2026-12-09T04:00:00+01:00",
            ReservationStatus::Approved,
        );

        assert_eq!(day.words(), "Prusa MK4 · Tue 8 Dec 10:00–12:00");
        assert_eq!(
            night.words(),
            "Prusa MK4 · Tue 8 Dec 22:00 – Wed 9 Dec 04:00"
        );
    }

    #[test]
    fn only_a_slot_that_still_holds_the_printer_may_be_cancelled() {
        let booked = slot(
            "2026-12-08T10:00:00+01:00",
            "2026-12-08T12:00:00+01:00",
            ReservationStatus::Approved,
        );
        let before_its_end = booked.ends_at.unix_seconds() - 60;
        let done = JobSlot {
            status: ReservationStatus::Completed,
            ..booked.clone()
        };

        assert!(booked.cancellable(before_its_end));
        assert!(!booked.cancellable(booked.ends_at.unix_seconds()));
        assert!(!done.cancellable(before_its_end));
    }

    #[test]
    fn only_accepted_and_printing_jobs_are_given_printer_time() {
        use FabricationJobStatus::*;
        let schedulable: Vec<_> = [
            Dispatched,
            Accepted,
            Printing,
            PostProcessing,
            Ready,
            Declined,
        ]
        .into_iter()
        .filter(|status| status.schedulable())
        .collect();
        assert_eq!(schedulable, [Accepted, Printing]);
    }

    #[test]
    fn material_is_recorded_from_printing_on_until_delivered() {
        use FabricationJobStatus::*;
        let recording: Vec<_> = [
            Dispatched,
            Accepted,
            Printing,
            PostProcessing,
            Ready,
            Shipped,
            Delivered,
            Declined,
            Cancelled,
        ]
        .into_iter()
        .filter(|status| status.records_material())
        .collect();
        assert_eq!(
            recording,
            [Printing, PostProcessing, Ready, Shipped, Delivered]
        );
    }

    #[test]
    fn staff_never_move_a_job_back_to_new_or_cancel_it() {
        assert_eq!(FabricationJobStatus::Dispatched.action(), None);
        assert_eq!(FabricationJobStatus::Cancelled.action(), None);
        assert_eq!(FabricationJobStatus::Declined.action(), Some("Decline…"));
    }
}
