//! A machine's week: seven columns (a list of days on a phone), each a track from local
//! midnight to local midnight as long as the day really is, with its hours as the space's
//! clocks show them and the calendar's stretches placed on it.

use yew::prelude::*;

use crate::types::{Day, MachineWeek, Placed, Share, Stretch, StretchKind};

/// A free stretch the person picked, within one day: seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picked {
    /// Where the free stretch starts (or the day does, if it began before).
    pub from: i64,
    /// Where it ends (or the day does).
    pub to: i64,
}

/// Properties of [`WeekCalendar`].
#[derive(Properties, PartialEq)]
pub struct WeekCalendarProps {
    /// The week to draw.
    pub week: MachineWeek,
    /// Called with a free stretch the person chose, by pointer or keyboard.
    pub on_pick: Callback<Picked>,
    /// Called with a stretch booked by someone else that the person chose to wait for.
    pub on_wait: Callback<Stretch>,
}

/// The week, free stretches and others' bookings to come as buttons.
#[function_component]
pub fn WeekCalendar(props: &WeekCalendarProps) -> Html {
    let week = &props.week;
    html! {
        <div class="week">
            { for week.days.iter().map(|day| day_column(week, day, props)) }
        </div>
    }
}

fn day_column(week: &MachineWeek, day: &Day, props: &WeekCalendarProps) -> Html {
    let heading = format!("day-{}", day.date);
    let hours = day.minutes() / 60;
    let length = (hours != 24).then(|| format!("{hours}-hour day: the clocks change"));
    let start = day.starts_at.unix_seconds();
    let seconds = day.ends_at.unix_seconds() - start;
    let marks = day.hours.iter().skip(1).map(|hour| {
        let top = Share::of(hour.unix_seconds() - start, seconds);
        html! { <li class="day__hour" style={format!("top: {top}")}>{ hour.clock() }</li> }
    });
    let placed = week.placed(day);
    let now = week.now;
    html! {
        <section class="day" aria-labelledby={heading.clone()} style={format!("--day-hours: {hours}")}>
            <h3 class="day__name" id={heading}>
                { day.date.short_label() }
                if let Some(length) = length {
                    <span class="day__length">{ length }</span>
                }
            </h3>
            <div class="day__track">
                <ol class="day__hours" aria-hidden="true">{ for marks }</ol>
                if placed.is_empty() {
                    <p class="day__empty">{ "Nothing this day" }</p>
                } else {
                    <ul class="day__stretches">
                        { for placed.iter().map(|placed| stretch(day, placed, now, props)) }
                    </ul>
                }
            </div>
        </section>
    }
}

/// Free time can be booked from the next quarter hour on.
const QUARTER_HOUR: i64 = 15 * 60;

fn stretch(day: &Day, placed: &Placed<'_>, now: i64, props: &WeekCalendarProps) -> Html {
    let style = format!("top: {}; height: {}", placed.top, placed.height);
    let stretch = placed.stretch;
    let bookable_from = placed
        .from
        .max((now + QUARTER_HOUR - 1).div_euclid(QUARTER_HOUR) * QUARTER_HOUR);
    let free = stretch.kind == StretchKind::Free && bookable_from < placed.to;
    let shown_from = if free { bookable_from } else { placed.from };
    let times = format!("{}–{}", day.clock_at(shown_from), day.clock_at(placed.to));
    let (modifier, what) = match stretch.kind {
        StretchKind::Free if free => ("stretch--free", "Free".to_owned()),
        StretchKind::Free => ("stretch--past", "Past".to_owned()),
        StretchKind::Mine => (
            "stretch--mine",
            match &stretch.booking {
                Some(booking) => format!("Your booking, {}", booking.status.label()),
                None => "Your booking".to_owned(),
            },
        ),
        StretchKind::Booked => (
            "stretch--booked",
            match &stretch.booking {
                Some(booking) => format!("Booked by {}", booking.booker),
                None => "Booked".to_owned(),
            },
        ),
        StretchKind::Blocked => (
            "stretch--blocked",
            match stretch.reason.as_deref() {
                Some(reason) if !reason.is_empty() => format!("Closed: {reason}"),
                _ => "Closed".to_owned(),
            },
        ),
    };
    // What a button does is said first, to screen readers only, so that its name holds what
    // it shows: `Book Tue 8 Dec 09:00–24:00 Free`.
    let body = |does: Option<String>| {
        html! {
            <>
                if let Some(does) = does {
                    <span class="visually-hidden">{ does }</span>
                }
                <span class="stretch__times">{ times.clone() }</span>
                { " " }
                <span class="stretch__what">{ what.clone() }</span>
            </>
        }
    };
    let day_label = day.date.short_label();
    let content = if free {
        let picked = Picked {
            from: bookable_from,
            to: placed.to,
        };
        html! {
            <button class="stretch__pick" type="button" onclick={props.on_pick.reform(move |_| picked)}>
                { body(Some(format!("Book {day_label} "))) }
            </button>
        }
    } else if stretch.kind == StretchKind::Booked && stretch.starts_at.unix_seconds() > now {
        let taken = stretch.clone();
        html! {
            <button class="stretch__pick stretch__wait" type="button" title="Join the waitlist"
                onclick={props.on_wait.reform(move |_| taken.clone())}>
                { body(Some(format!("Join the waitlist for {day_label} "))) }
            </button>
        }
    } else {
        html! { <div class="stretch__note">{ body(None) }</div> }
    };
    html! { <li class={classes!("stretch", modifier)} {style}>{ content }</li> }
}
