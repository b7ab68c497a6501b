//! Times as the API gives them: RFC 3339 text in the space's local time with its offset
//! (`2026-10-25T02:00:00+01:00`). The page shows the local wall clock the text carries and
//! measures lengths between instants; it never converts to the browser's zone.

use std::cmp::Ordering;
use std::fmt;

/// An instant with the wall clock of the zone it was given in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTime {
    text: String,
    /// Seconds since 1970-01-01T00:00:00Z.
    seconds: i64,
    /// Minutes since local midnight on the wall clock.
    wall_minutes: i64,
}

impl LocalTime {
    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'T' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let digits = text.get(range)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse().ok())?
        };
        let date = Date::new(number(0..4)?, number(5..7)?, number(8..10)?)?;
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let zone = text[19..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        let offset = match zone.as_bytes() {
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let start = text.len() - 5;
                let minutes = number(start..start + 2)? * 60 + number(start + 3..start + 5)?;
                if *sign == b'-' { -minutes } else { minutes }
            }
            _ => return None,
        };
        let seconds =
            date.days_since_epoch() * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60;
        Some(Self {
            text: text.to_owned(),
            seconds,
            wall_minutes: hour * 60 + minute,
        })
    }

    /// `7 Dec 2026`: its local date in words.
    pub fn date_label(&self) -> String {
        Date::parse(self.date()).map_or_else(|| self.date().to_owned(), Date::long_label)
    }

    /// `Mon 7 Dec 10:00`: its local day and clock.
    pub fn day_and_clock(&self) -> String {
        match Date::parse(self.date()) {
            Some(date) => format!("{} {}", date.short_label(), self.clock()),
            None => self.text.clone(),
        }
    }

    /// The local date (`2026-10-25`).
    pub fn date(&self) -> &str {
        &self.text[..10]
    }

    /// The local wall clock (`02:00`).
    pub fn clock(&self) -> &str {
        &self.text[11..16]
    }

    /// The offset from UTC (`+01:00`, or `Z`).
    pub fn offset(&self) -> &str {
        self.text[19..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit())
    }

    /// Minutes since local midnight on the wall clock (`02:30` is 150).
    pub fn wall_minutes(&self) -> i64 {
        self.wall_minutes
    }

    /// As the API gave it, to send back.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whole minutes from `earlier` to this instant (negative if it is later).
    pub fn minutes_since(&self, earlier: &Self) -> i64 {
        (self.seconds - earlier.seconds).div_euclid(60)
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }
}

impl Ord for LocalTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.seconds.cmp(&other.seconds)
    }
}

impl PartialOrd for LocalTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A calendar date, for moving between weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i64,
    month: i64,
    day: i64,
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    /// The date, if there is one (no 30 February).
    pub fn new(year: i64, month: i64, day: i64) -> Option<Self> {
        let date = Self { year, month, day };
        ((1..=12).contains(&month) && (1..=31).contains(&day))
            .then(|| Self::from_days_since_epoch(date.days_since_epoch()))
            .filter(|normalised| *normalised == date)
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '-').map(|part| part.parse::<i64>().ok());
        Self::new(parts.next()??, parts.next()??, parts.next()??)
    }

    /// The UTC date of an instant given in seconds since the epoch.
    pub fn of_unix_seconds(seconds: i64) -> Self {
        Self::from_days_since_epoch(seconds.div_euclid(86_400))
    }

    /// Seconds since the epoch at this date's UTC midnight.
    pub fn unix_seconds_at_midnight(self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// The Monday of this date's week.
    pub fn monday(self) -> Self {
        self.add_days(-self.weekday_index())
    }

    /// `days` later (earlier when negative).
    pub fn add_days(self, days: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// `Mon 7 Dec`.
    pub fn short_label(self) -> String {
        format!(
            "{} {} {}",
            WEEKDAYS[self.weekday_index() as usize],
            self.day,
            MONTHS[(self.month - 1) as usize]
        )
    }

    /// `7 Dec 2026`.
    pub fn long_label(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[(self.month - 1) as usize],
            self.year
        )
    }

    /// 0 for Monday to 6 for Sunday.
    fn weekday_index(self) -> i64 {
        // 1970-01-01 was a Thursday.
        (self.days_since_epoch() + 3).rem_euclid(7)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days_since_epoch(self) -> i64 {
        let year = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = (self.month + 9) % 12;
        let day_of_year = (153 * month + 2) / 5 + self.day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    fn from_days_since_epoch(days: i64) -> Self {
        let days = days + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month + 2) / 5 + 1;
        let month = if month < 10 { month + 3 } else { month - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Today's date in UTC, by the browser's clock: the week a page opens on. (A space ahead of
/// or behind UTC may already be on the next or still on the last day; the week shown is the
/// same but for a few hours on Sunday night.)
pub fn today() -> Date {
    Date::of_unix_seconds(now())
}

pub use makrx_web::hooks::now;

/// An instant as RFC 3339 text in UTC (`2026-12-07T09:30:00Z`), to send to the API.
pub fn utc_text(unix_seconds: i64) -> String {
    let seconds = unix_seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::of_unix_seconds(unix_seconds),
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

/// `12.50 EUR` from minor units and a currency code (two decimals, as the currencies the
/// network uses have).
pub fn money(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.abs();
    format!("{sign}{}.{:02} {currency}", minor / 100, minor % 100)
}

/// `45 min`, `1 h`, `1 h 30 min`.
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, rest) => format!("{rest} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, rest) => format!("{hours} h {rest} min"),
    }
}

/// Reads an amount as [`money`] writes it, without the currency (`12`, `12.5`, `12.50`), into
/// minor units; `None` for anything else, a negative amount among them.
pub fn parse_money(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> LocalTime {
        LocalTime::parse(text).unwrap_or_else(|| panic!("{text} is a time"))
    }

    #[test]
    fn amounts_are_read_as_money_writes_them() {
        assert_eq!(parse_money("12"), Some(1200));
        assert_eq!(parse_money(" 12.5 "), Some(1250));
        assert_eq!(parse_money("0.05"), Some(5));
        assert_eq!(parse_money(money(4321, "").trim()), Some(4321));
        for bad in [
            "",
            "-3",
            "1.234",
            "12,50",
            "1e3",
            ".5",
            "twelve",
            "99999999999999999999",
        ] {
            assert_eq!(parse_money(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_local_time_keeps_its_wall_clock_and_knows_its_instant() {
        let time = at("2026-10-25T02:30:00+01:00");
        assert_eq!(time.date(), "2026-10-25");
        assert_eq!(time.clock(), "02:30");
        assert_eq!(time.offset(), "+01:00");
        assert_eq!(
            time.unix_seconds(),
            at("2026-10-25T01:30:00Z").unix_seconds()
        );
    }

    #[test]
    fn the_same_wall_clock_at_two_offsets_is_an_hour_apart() {
        let summer = at("2026-10-25T02:00:00+02:00");
        let winter = at("2026-10-25T02:00:00+01:00");
        assert_eq!(winter.minutes_since(&summer), 60);
        assert!(summer < winter);
    }

    #[test]
    fn fractions_and_negative_offsets_are_read() {
        let time = at("2026-12-03T08:15:00.123456-05:00");
        assert_eq!(
            time.unix_seconds(),
            at("2026-12-03T13:15:00Z").unix_seconds()
        );
        assert_eq!(time.offset(), "-05:00");
    }

    #[test]
    fn what_is_not_a_time_is_refused() {
        for text in [
            "",
            "2026-12-03",
            "2026-12-03T25:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-12-03T10:00:00+1",
        ] {
            assert_eq!(LocalTime::parse(text), None, "{text}");
        }
    }

    #[test]
    fn weeks_start_on_monday_across_months_and_years() {
        let date = |text| Date::parse(text).expect("a date");
        assert_eq!(date("2026-12-03").monday(), date("2026-11-30"));
        assert_eq!(date("2027-01-03").monday(), date("2026-12-28"));
        assert_eq!(date("2026-11-30").monday(), date("2026-11-30"));
        assert_eq!(date("2026-12-28").add_days(7).to_string(), "2027-01-04");
        assert_eq!(date("2026-12-07").short_label(), "Mon 7 Dec");
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::of_unix_seconds(0).to_string(), "1970-01-01");
    }

    #[test]
    fn an_instant_is_sent_in_utc() {
        let time = at("2026-10-25T02:30:00+01:00");
        assert_eq!(utc_text(time.unix_seconds()), "2026-10-25T01:30:00Z");
        assert_eq!(
            at(&utc_text(time.unix_seconds())),
            at("2026-10-25T01:30:00Z")
        );
    }

    #[test]
    fn money_is_shown_in_major_units() {
        assert_eq!(money(1250, "EUR"), "12.50 EUR");
        assert_eq!(money(5, "INR"), "0.05 INR");
    }
}
