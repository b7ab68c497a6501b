//! Time in a makerspace: spans of time, and the weekly opening hours that are local to the
//! space's time zone and so fall at different UTC instants on either side of a daylight-saving
//! change. Pure: no database, no clock.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A stretch of time, from `start` (included) to `end` (excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    /// The span from `start` to `end`, if it is not empty.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The part of this span that lies within `other`.
    pub fn intersect(&self, other: &Span) -> Option<Span> {
        Span::new(self.start.max(other.start), self.end.min(other.end))
    }
}

/// Sorts spans and joins those that overlap or touch.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// One stretch of a week in which the space is open, in its local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyHours {
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    pub weekday: u32,
    /// Minutes after local midnight.
    pub opens: u32,
    /// Minutes after local midnight; 1440 is the next midnight.
    pub closes: u32,
}

/// A space's week: its time zone and its opening hours. No hours at all means open around
/// the clock, which is how a space starts until its managers say otherwise.
#[derive(Clone, Debug)]
pub struct Timetable {
    pub zone: Tz,
    pub hours: Vec<WeeklyHours>,
}

impl Timetable {
    /// The instants within `range` at which the space is open, merged, earliest first.
    pub fn open_spans(&self, range: Span) -> Vec<Span> {
        if self.hours.is_empty() {
            return vec![range];
        }
        // A day's local hours can reach a UTC instant on the neighbouring date: look one day
        // either side of the range's local dates.
        let first = range.start.with_timezone(&self.zone).date_naive() - Duration::days(1);
        let last = range.end.with_timezone(&self.zone).date_naive() + Duration::days(1);
        let mut spans = Vec::new();
        for date in first.iter_days().take_while(|date| *date <= last) {
            let weekday = date.weekday().number_from_monday();
            for hours in self.hours.iter().filter(|hours| hours.weekday == weekday) {
                let opens = self.instant(date, hours.opens);
                let closes = self.instant(date, hours.closes);
                spans.extend(Span::new(opens, closes).and_then(|open| open.intersect(&range)));
            }
        }
        merge(spans)
    }

    /// Whether the space is open for the whole of `span`.
    pub fn is_open_throughout(&self, span: Span) -> bool {
        self.open_spans(span)
            .iter()
            .any(|open| open.contains(&span))
    }

    /// The instant that is `minutes` after local midnight of `date`. A wall time that a
    /// daylight-saving change skips counts as the first instant after the gap; one it repeats
    /// counts as its first occurrence.
    fn instant(&self, date: NaiveDate, minutes: u32) -> DateTime<Utc> {
        let wall = date.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(minutes));
        local_instant(self.zone, wall)
    }
}

/// `days` local days of `zone` from `first_day`, midnight to midnight, as one span (23, 24 or
/// 25 hours a day, as its clocks run).
pub fn local_days(zone: Tz, first_day: NaiveDate, days: i64) -> Option<Span> {
    let midnight = |day: NaiveDate| local_instant(zone, day.and_time(chrono::NaiveTime::MIN));
    Span::new(
        midnight(first_day),
        midnight(first_day + Duration::days(days)),
    )
}

/// The Monday of `date`'s week: quotas and calendars count weeks from Monday.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The local week of `zone`, Monday to Monday, that `at` falls in.
pub fn local_week_of(zone: Tz, at: DateTime<Utc>) -> Option<Span> {
    local_days(zone, monday_of(at.with_timezone(&zone).date_naive()), 7)
}

/// The first instant at which the clocks of `zone` show `wall`, or the first after it where
/// they skip it.
pub fn local_instant(zone: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    let mut candidate = wall;
    // No zone skips more than a few hours; step forward to the end of the gap.
    for _ in 0..=24 * 4 {
        match zone.from_local_datetime(&candidate) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => {
                return at.with_timezone(&Utc);
            }
            LocalResult::None => candidate += Duration::minutes(15),
        }
    }
    Utc.from_utc_datetime(&wall)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    fn span(start: &str, end: &str) -> Span {
        Span::new(utc(start), utc(end)).unwrap_or_else(|| panic!("{start}..{end} is empty"))
    }

    fn berlin_weekdays_nine_to_six() -> Timetable {
        Timetable {
            zone: chrono_tz::Europe::Berlin,
            hours: (1..=7)
                .map(|weekday| WeeklyHours {
                    weekday,
                    opens: 9 * 60,
                    closes: 18 * 60,
                })
                .collect(),
        }
    }

    #[test]
    fn nine_in_berlin_is_eight_utc_in_winter_and_seven_in_summer() {
        let week = berlin_weekdays_nine_to_six();
        // Clocks go forward on Sunday 29 March 2026.
        let before = week.open_spans(span("2026-03-28T00:00:00Z", "2026-03-29T00:00:00Z"));
        assert_eq!(
            before,
            vec![span("2026-03-28T08:00:00Z", "2026-03-28T17:00:00Z")]
        );
        let after = week.open_spans(span("2026-03-30T00:00:00Z", "2026-03-31T00:00:00Z"));
        assert_eq!(
            after,
            vec![span("2026-03-30T07:00:00Z", "2026-03-30T16:00:00Z")]
        );
    }

    #[test]
    fn the_autumn_change_moves_opening_back_an_hour_in_utc() {
        let week = berlin_weekdays_nine_to_six();
        // Clocks go back on Sunday 25 October 2026.
        let saturday = week.open_spans(span("2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z"));
        assert_eq!(
            saturday,
            vec![span("2026-10-24T07:00:00Z", "2026-10-24T16:00:00Z")]
        );
        let monday = week.open_spans(span("2026-10-26T00:00:00Z", "2026-10-27T00:00:00Z"));
        assert_eq!(
            monday,
            vec![span("2026-10-26T08:00:00Z", "2026-10-26T17:00:00Z")]
        );
    }

    #[test]
    fn hours_inside_a_skipped_hour_start_when_the_clocks_resume() {
        let night = Timetable {
            zone: chrono_tz::Europe::Berlin,
            hours: vec![WeeklyHours {
                weekday: 7,
                opens: 2 * 60 + 30,
                closes: 4 * 60,
            }],
        };
        // 02:30 does not exist on 29 March 2026: the space opens at 03:00 CEST (01:00 UTC).
        let open = night.open_spans(span("2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"));
        assert_eq!(
            open,
            vec![span("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")]
        );
    }

    #[test]
    fn a_space_without_hours_is_always_open() {
        let always = Timetable {
            zone: chrono_tz::Asia::Kolkata,
            hours: Vec::new(),
        };
        let range = span("2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z");
        assert_eq!(always.open_spans(range), vec![range]);
    }

    #[test]
    fn a_booking_must_fit_in_one_opening() {
        let week = Timetable {
            zone: chrono_tz::UTC,
            hours: vec![
                WeeklyHours {
                    weekday: 2,
                    opens: 9 * 60,
                    closes: 12 * 60,
                },
                WeeklyHours {
                    weekday: 2,
                    opens: 13 * 60,
                    closes: 1440,
                },
                WeeklyHours {
                    weekday: 3,
                    opens: 0,
                    closes: 2 * 60,
                },
            ],
        };
        // Tuesday 1 December 2026.
        assert!(week.is_open_throughout(span("2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z")));
        assert!(!week.is_open_throughout(span("2026-12-01T11:00:00Z", "2026-12-01T13:30:00Z")));
        // Open past midnight into Wednesday without a break.
        assert!(week.is_open_throughout(span("2026-12-01T23:00:00Z", "2026-12-02T01:00:00Z")));
        assert!(!week.is_open_throughout(span("2026-12-02T01:00:00Z", "2026-12-02T03:00:00Z")));
    }
}
