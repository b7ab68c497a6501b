//! A space's local days: where each begins and ends, and its hours, in the space's time zone.
//! A day is 23 or 25 hours long when the clocks change; a calendar draws it from these rather
//! than from the reader's own zone.

use async_graphql::SimpleObject;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::timetable::local_instant;

/// One local day of a makerspace, midnight to midnight in its time zone.
#[derive(SimpleObject, Debug)]
pub struct LocalDay {
    pub date: NaiveDate,
    /// Local midnight at its start.
    pub starts_at: DateTime<FixedOffset>,
    /// Local midnight at its end: 23, 24 or 25 hours later.
    pub ends_at: DateTime<FixedOffset>,
    /// The start of each of its hours, in local time: `02:00` is missing on the day the clocks
    /// go forward and comes twice (at two offsets) on the day they go back.
    pub hours: Vec<DateTime<FixedOffset>>,
}

impl LocalDay {
    /// The day `date` in `zone`, which `next` follows.
    pub fn of(zone: Tz, date: NaiveDate, next: NaiveDate) -> Self {
        let midnight = |date: NaiveDate| local_instant(zone, date.and_time(NaiveTime::MIN));
        let (start, end) = (midnight(date), midnight(next));
        let local = |at: DateTime<chrono::Utc>| at.with_timezone(&zone).fixed_offset();
        let hours = std::iter::successors(Some(start), |hour| Some(*hour + Duration::hours(1)))
            .take_while(|hour| *hour < end)
            .map(local)
            .collect();
        Self {
            date,
            starts_at: local(start),
            ends_at: local(end),
            hours,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(zone: Tz, date: &str) -> LocalDay {
        let date: NaiveDate = date.parse().expect("a date");
        LocalDay::of(zone, date, date + Duration::days(1))
    }

    fn labels(day: &LocalDay) -> Vec<String> {
        day.hours
            .iter()
            .map(|hour| hour.format("%H:%M%:z").to_string())
            .collect()
    }

    #[test]
    fn an_ordinary_day_has_24_hours_from_local_midnight() {
        let day = day(chrono_tz::Europe::Berlin, "2026-12-03");
        assert_eq!(day.starts_at.to_rfc3339(), "2026-12-03T00:00:00+01:00");
        assert_eq!(day.ends_at.to_rfc3339(), "2026-12-04T00:00:00+01:00");
        assert_eq!(day.hours.len(), 24);
    }

    #[test]
    fn the_day_the_clocks_go_forward_has_23_hours_and_no_two_o_clock() {
        let day = day(chrono_tz::Europe::Berlin, "2026-03-29");
        assert_eq!(day.hours.len(), 23);
        assert_eq!(
            labels(&day)[..3],
            ["00:00+01:00", "01:00+01:00", "03:00+02:00"]
        );
        assert_eq!(day.ends_at.to_rfc3339(), "2026-03-30T00:00:00+02:00");
    }

    #[test]
    fn the_day_the_clocks_go_back_has_25_hours_and_two_o_clock_twice() {
        let day = day(chrono_tz::Europe::Berlin, "2026-10-25");
        assert_eq!(day.hours.len(), 25);
        assert_eq!(
            labels(&day)[1..5],
            ["01:00+02:00", "02:00+02:00", "02:00+01:00", "03:00+01:00"]
        );
    }
}
