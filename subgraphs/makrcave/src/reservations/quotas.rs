//! A member's plan's quotas: the minutes it allows in each local day and week, the windows a
//! booking falls in, and whether it fits beside what the member has booked already.

use chrono::{DateTime, Utc};
use makrx_service::ApiError;

use super::eligibility::PlanTerms;
use super::machine::Machine;
use crate::timetable::Span;

/// Hours as a person reads them: `2 h`, `1.5 h`, `45 min`.
fn hours(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m => format!("{:.1} h", m as f64 / 60.0),
    }
}

/// The quota windows a booking must fit in, of the booker's plan.
#[derive(Default)]
pub struct Quotas {
    plan: String,
    windows: Vec<QuotaWindow>,
}

struct QuotaWindow {
    window: Span,
    /// Minutes the plan allows in it.
    limit: i64,
    per: Per,
    /// Minutes of it the booking takes.
    adding: i64,
}

#[derive(Clone, Copy)]
enum Per {
    Day,
    Week,
}

impl Quotas {
    /// The windows of `plan`'s quotas that `span` touches: its local days and weeks.
    pub fn of(machine: &Machine, plan: &PlanTerms, span: Span) -> Self {
        let days = plan.daily_quota_minutes.map(|limit| {
            machine
                .local_days(span)
                .into_iter()
                .map(move |day| (day, limit, Per::Day))
        });
        let weeks = plan.weekly_quota_minutes.map(|limit| {
            machine
                .local_weeks(span)
                .into_iter()
                .map(move |week| (week, limit, Per::Week))
        });
        let windows = days
            .into_iter()
            .flatten()
            .chain(weeks.into_iter().flatten())
            .map(|(window, limit, per)| QuotaWindow {
                window,
                limit: i64::from(limit),
                per,
                adding: span
                    .intersect(&window)
                    .map_or(0, |part| part.duration().num_minutes()),
            })
            .collect();
        Self {
            plan: plan.name.clone(),
            windows,
        }
    }

    /// The windows' starts and ends, as `makrcave.minutes_booked` takes them.
    pub fn bounds(&self) -> (Vec<DateTime<Utc>>, Vec<DateTime<Utc>>) {
        self.windows
            .iter()
            .map(|quota| (quota.window.start, quota.window.end))
            .unzip()
    }

    /// The minutes each window may still hold before the booking is added.
    pub fn allowed(&self) -> Vec<i64> {
        self.windows
            .iter()
            .map(|quota| quota.limit - quota.adding)
            .collect()
    }

    /// Whether the booking fits, given the minutes already `used` in each window.
    pub fn verdict(&self, machine: &Machine, used: &[i64]) -> Result<(), ApiError> {
        let over = self
            .windows
            .iter()
            .zip(used)
            .find(|(quota, used)| **used + quota.adding > quota.limit);
        let Some((quota, used)) = over else {
            return Ok(());
        };
        let (per, when) = match quota.per {
            Per::Day => (
                "a day",
                format!("on {}", machine.local_date(quota.window.start)),
            ),
            Per::Week => (
                "a week",
                format!("in the week of {}", machine.local_date(quota.window.start)),
            ),
        };
        Err(ApiError::Forbidden(format!(
            "your plan {} allows {} {per}; you have {} booked {when} and this booking adds {}",
            self.plan,
            hours(quota.limit),
            hours(*used),
            hours(quota.adding),
        )))
    }

    /// `verdict` with the minutes used read from `used`, the member's minutes in every day and
    /// week of a longer stretch (the slot search reads them once for all its slots).
    pub fn verdict_within(&self, machine: &Machine, used: &UsedMinutes) -> Result<(), ApiError> {
        let used: Option<Vec<i64>> = self
            .windows
            .iter()
            .map(|quota| used.in_window(quota.window))
            .collect();
        let Some(used) = used else {
            return Err(ApiError::internal(format_args!(
                "a slot's quota window of plan {} was not among those read",
                self.plan
            )));
        };
        self.verdict(machine, &used)
    }
}

/// The minutes a member has booked in each local day and week of a stretch of time.
pub struct UsedMinutes(Vec<(Span, i64)>);

impl UsedMinutes {
    /// The days and weeks of `within` in the machine's space, whose minutes to read.
    pub fn windows(machine: &Machine, within: Span) -> Vec<Span> {
        let mut windows = machine.local_days(within);
        windows.extend(machine.local_weeks(within));
        windows
    }

    /// `minutes` as `makrcave.minutes_booked` answered them for `windows`.
    pub fn new(windows: Vec<Span>, minutes: Vec<i64>) -> Self {
        Self(windows.into_iter().zip(minutes).collect())
    }

    fn in_window(&self, window: Span) -> Option<i64> {
        self.0
            .iter()
            .find(|(known, _)| *known == window)
            .map(|(_, minutes)| *minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_a_person_would_say_them() {
        assert_eq!(hours(45), "45 min");
        assert_eq!(hours(120), "2 h");
        assert_eq!(hours(90), "1.5 h");
    }
}
