//! Booking a free stretch: when to start, how long, weekly for how many weeks, a note; the
//! estimated cost before confirming; the API's reason beside the choice when it refuses, and
//! what became of each week of a series. Waiting for a taken stretch: joining its waitlist.

use makrx_web::graphql::RequestError;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::fields::typed;
use super::week_calendar::Picked;
use crate::services::{Booked, Occurrence};
use crate::time::{duration, money};
use crate::types::{Day, Machine, Stretch};
use crate::words::capitalised;

/// The shortest booking the dialog offers, and the step between starts and lengths.
const STEP_MINUTES: i64 = 15;

/// Where a booking stands in the dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum BookingState {
    /// The person is choosing.
    Choosing,
    /// Sent; no answer yet.
    Sending,
    /// The API refused, saying why (in words for people).
    Refused(String),
    /// Booked.
    Booked(Booked),
    /// A weekly series answered: each week booked or refused.
    Series(Vec<Occurrence>),
    /// On the waitlist of a taken stretch.
    Waiting,
}

impl BookingState {
    /// The state after the API answered a request: what `done` makes of its answer, or the
    /// refusal in words.
    pub fn answered<T>(answer: Result<T, RequestError>, done: impl FnOnce(T) -> Self) -> Self {
        match answer {
            Ok(answer) => done(answer),
            Err(error) => Self::Refused(refusal(&error)),
        }
    }
}

/// Why a booking was refused, in words: the API's own reason, the fields it names, or a
/// request to sign in.
pub fn refusal(error: &RequestError) -> String {
    if error.is_unauthenticated() {
        return "Sign in to book this machine.".to_owned();
    }
    let fields = error.field_errors();
    if fields.is_empty() {
        return capitalised(&error.to_string());
    }
    fields
        .iter()
        .map(|field| {
            let name = match field.field.as_str() {
                "startsAt" => "The start",
                "endsAt" => "The end",
                "note" => "The note",
                "quantity" => "The quantity",
                "locationId" => "The place",
                "toLocationId" => "The place moved to",
                "memberId" => "The member",
                "reason" => "The reason",
                "name" => "The name",
                "sku" => "The SKU",
                "reorderPoint" => "The reorder point",
                other => other,
            };
            format!("{name} {}.", field.message.trim_end_matches('.'))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A booking the person confirmed: seconds since the epoch, how many weeks, and a note.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirmed {
    /// The start.
    pub from: i64,
    /// The end.
    pub to: i64,
    /// How many weeks in a row, this one first: 1 for a single booking.
    pub weeks: i64,
    /// What it is for; may be empty.
    pub note: String,
}

/// The most weeks the dialog books in one series.
const MOST_WEEKS: i64 = 12;

/// Properties of [`BookingDialog`].
#[derive(Properties, PartialEq)]
pub struct BookingDialogProps {
    /// The machine to book.
    pub machine: Machine,
    /// The day of the free stretch, for its wall clock.
    pub day: Day,
    /// The free stretch chosen.
    pub picked: Picked,
    /// The space's time zone, shown beside the times.
    pub time_zone: AttrValue,
    /// Where the booking stands.
    pub state: BookingState,
    /// Books.
    pub on_confirm: Callback<Confirmed>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// The booking dialog.
#[function_component]
pub fn BookingDialog(props: &BookingDialogProps) -> Html {
    let picked = props.picked;
    let starts: Vec<i64> = (0..)
        .map(|n| picked.from + n * STEP_MINUTES * 60)
        .take_while(|start| start + STEP_MINUTES * 60 <= picked.to)
        .collect();
    let start = use_state(|| picked.from);
    let length = use_state(|| 60.min((picked.to - picked.from) / 60));
    let weeks = use_state(|| 1_i64);
    let note = use_state(String::new);
    let longest = ((picked.to - *start) / 60).min(props.machine.max_booking_minutes);
    let lengths: Vec<i64> = (1..)
        .map(|n| n * STEP_MINUTES)
        .take_while(|minutes| *minutes <= longest)
        .filter(|minutes| *minutes <= 60 || minutes % 30 == 0)
        .collect();
    let minutes = if lengths.contains(&*length) {
        *length
    } else {
        lengths.last().copied().unwrap_or(0)
    };
    let end = *start + minutes * 60;
    let clock = |at: i64| props.day.clock_at(at);
    let cost = money(
        (props.machine.hourly_cost_minor * minutes + 30) / 60,
        &props.machine.currency,
    );
    let choose_start = {
        let start = start.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(value) = select.value().parse() {
                start.set(value);
            }
        })
    };
    let choose_length = {
        let length = length.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(value) = select.value().parse() {
                length.set(value);
            }
        })
    };
    let choose_weeks = {
        let weeks = weeks.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(value) = select.value().parse() {
                weeks.set(value);
            }
        })
    };
    let confirm = {
        let (on_confirm, note, start, weeks) =
            (props.on_confirm.clone(), note.clone(), *start, *weeks);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_confirm.emit(Confirmed {
                from: start,
                to: end,
                weeks,
                note: (*note).clone(),
            });
        })
    };
    let close = props.on_close.reform(|_| ());
    let sending = props.state == BookingState::Sending;
    let outcome = match &props.state {
        BookingState::Choosing | BookingState::Sending | BookingState::Waiting => Html::default(),
        BookingState::Refused(reason) => html! {
            <p class="booking__refusal" role="alert">
                <strong>{ "Not booked. " }</strong>{ reason }
            </p>
        },
        BookingState::Booked(booked) => html! {
            <p class="booking__done" role="status">
                { format!("Booked: {}. Estimated cost {}.", booked.status.label(), booked.cost) }
            </p>
        },
        BookingState::Series(weeks) => series(weeks),
    };
    if let BookingState::Booked(_) | BookingState::Series(_) = props.state {
        return html! {
            <section class="booking panel" aria-labelledby="booking-title">
                <h2 class="panel__title" id="booking-title">{ format!("Your booking of {}", props.machine.name) }</h2>
                { outcome }
                <button class="button" type="button" onclick={close}>{ "Done" }</button>
            </section>
        };
    }
    html! {
        <section class="booking panel" aria-labelledby="booking-title">
            <h2 class="panel__title" id="booking-title">
                { format!("Book {} on {}", props.machine.name, props.day.date.short_label()) }
            </h2>
            <form class="booking__form" onsubmit={confirm}>
                <div class="field">
                    <label class="field__label" for="booking-start">{ "Start" }</label>
                    <select class="field__control" id="booking-start" onchange={choose_start} disabled={sending}>
                        { for starts.iter().map(|at| html! {
                            <option value={at.to_string()} selected={*at == *start}>{ clock(*at) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="booking-length">{ "Length" }</label>
                    <select class="field__control" id="booking-length" onchange={choose_length} disabled={sending}>
                        { for lengths.iter().map(|option| html! {
                            <option value={option.to_string()} selected={*option == minutes}>{ duration(*option) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="booking-weeks">{ "Repeat" }</label>
                    <select class="field__control" id="booking-weeks" onchange={choose_weeks} disabled={sending}>
                        { for (1..=MOST_WEEKS).map(|option| html! {
                            <option value={option.to_string()} selected={option == *weeks}>{ repeat(option) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="booking-note">{ "What for (optional)" }</label>
                    <input class="field__control" id="booking-note" type="text" maxlength="500"
                        value={(*note).clone()} oninput={typed(&note)} disabled={sending} />
                </div>
                <p class="booking__summary">
                    { format!("{}–{} ({}) · estimated cost {cost}", clock(*start), clock(end), props.time_zone) }
                    if *weeks > 1 {
                        { format!(" each week, {} weeks", *weeks) }
                    }
                    if props.machine.requires_approval {
                        <span class="booking__approval">{ " · staff approve bookings of this machine" }</span>
                    }
                </p>
                { outcome }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending || minutes == 0}>
                        { if sending { "Booking…" } else { "Book" } }
                    </button>
                    <button class="button button--quiet" type="button" onclick={close}>{ "Cancel" }</button>
                </div>
            </form>
        </section>
    }
}

/// `Only this once`, `Weekly, 4 weeks`.
fn repeat(weeks: i64) -> String {
    if weeks == 1 {
        "Only this once".to_owned()
    } else {
        format!("Weekly, {weeks} weeks")
    }
}

/// What became of each week of a series, in order.
fn series(weeks: &[Occurrence]) -> Html {
    let booked = weeks.iter().filter(|week| week.outcome.is_ok()).count();
    let item = |week: &Occurrence| {
        let times = format!(
            "{}–{}",
            week.starts_at.day_and_clock(),
            week.ends_at.clock()
        );
        match &week.outcome {
            Ok(status) => html! {
                <li class="series__week series__week--booked">{ format!("{times}: booked, {}", status.label()) }</li>
            },
            Err(reason) => html! {
                <li class="series__week series__week--refused">
                    { format!("{times}: ") }<strong>{ "not booked. " }</strong>{ reason }
                </li>
            },
        }
    };
    html! {
        <div class="series" role="status">
            <p class="booking__done">{ format!("Booked {booked} of {} weeks.", weeks.len()) }</p>
            <ul class="series__weeks">{ for weeks.iter().map(item) }</ul>
        </div>
    }
}

/// Properties of [`WaitlistDialog`].
#[derive(Properties, PartialEq)]
pub struct WaitlistDialogProps {
    /// The machine.
    pub machine: Machine,
    /// The taken stretch to wait for.
    pub taken: Stretch,
    /// The space's time zone, shown beside the times.
    pub time_zone: AttrValue,
    /// Where joining stands.
    pub state: BookingState,
    /// Joins the waitlist, with a note (may be empty).
    pub on_join: Callback<String>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// Joining the waitlist of a taken stretch.
#[function_component]
pub fn WaitlistDialog(props: &WaitlistDialogProps) -> Html {
    let note = use_state(String::new);
    let taken = &props.taken;
    let times = format!(
        "{}–{} ({})",
        taken.starts_at.day_and_clock(),
        taken.ends_at.clock(),
        props.time_zone
    );
    let close = props.on_close.reform(|_| ());
    if props.state == BookingState::Waiting {
        return html! {
            <section class="booking panel" aria-labelledby="booking-title">
                <h2 class="panel__title" id="booking-title">{ format!("Waiting for {}", props.machine.name) }</h2>
                <p class="booking__done" role="status">
                    { format!("You are on the waitlist for {times}. If it frees, it is offered to you here and under Your bookings.") }
                </p>
                <button class="button" type="button" onclick={close}>{ "Done" }</button>
            </section>
        };
    }
    let sending = props.state == BookingState::Sending;
    let join = {
        let (on_join, note) = (props.on_join.clone(), note.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_join.emit((*note).clone());
        })
    };
    let refusal = match &props.state {
        BookingState::Refused(reason) => html! {
            <p class="booking__refusal" role="alert"><strong>{ "Not on the waitlist. " }</strong>{ reason }</p>
        },
        _ => Html::default(),
    };
    html! {
        <section class="booking panel" aria-labelledby="booking-title">
            <h2 class="panel__title" id="booking-title">{ format!("Wait for {}", props.machine.name) }</h2>
            <form class="booking__form" onsubmit={join}>
                <p class="booking__summary">
                    { format!(
                        "{times} is taken. If it frees, it is held for the first person waiting for {} minutes to take it up.",
                        props.machine.waitlist_offer_minutes
                    ) }
                </p>
                <div class="field">
                    <label class="field__label" for="waitlist-note">{ "What for (optional)" }</label>
                    <input class="field__control" id="waitlist-note" type="text" maxlength="500"
                        value={(*note).clone()} oninput={typed(&note)} disabled={sending} />
                </div>
                { refusal }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending}>
                        { if sending { "Joining…" } else { "Join the waitlist" } }
                    </button>
                    <button class="button button--quiet" type="button" onclick={close}>{ "Cancel" }</button>
                </div>
            </form>
        </section>
    }
}
