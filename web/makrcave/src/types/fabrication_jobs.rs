//! The parts a space makes for the store's customers, as its staff run them: each job where
//! it stands, what may become of it next, and what making it takes.

use serde::{Deserialize, Serialize};

use super::PrintProcess;
use crate::time::LocalTime;

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

    /// `12 g a copy`, or `12 g a copy, 36 g in all` for more than one.
    pub fn material_used_words(&self) -> String {
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
}

/// `h:mm` of a length in seconds, to the nearest minute (`1:05`).
pub fn hours_and_minutes(seconds: i64) -> String {
    let minutes = (seconds.max(0) + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// A space's jobs page.
#[derive(Debug, Clone, PartialEq)]
pub struct FabricationJobs {
    /// The space's API id (what its jobs' feed is keyed by).
    pub makerspace_id: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone: the jobs' times are on its clock.
    pub time_zone: String,
    /// Its jobs, soonest ready-by first.
    pub jobs: Vec<FabricationJob>,
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

    #[test]
    fn staff_never_move_a_job_back_to_new_or_cancel_it() {
        assert_eq!(FabricationJobStatus::Dispatched.action(), None);
        assert_eq!(FabricationJobStatus::Cancelled.action(), None);
        assert_eq!(FabricationJobStatus::Declined.action(), Some("Decline…"));
    }
}
