//! Setting a space up: its time zone, visibility, currency and booking limits; its weekly
//! opening hours; its closures, of the whole space or of one machine.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::fields::typed;
use crate::marks::{Asking, Sent};
use crate::time::Date;
use crate::types::{Closure, NewClosure, OpeningSpan, SpaceRules, Weekday};

/// A whole number of minutes typed into a field, if it is one.
fn minutes(text: &str) -> Option<i64> {
    text.trim().parse().ok().filter(|minutes| *minutes >= 0)
}

/// Properties of [`RulesForm`].
#[derive(Properties, PartialEq)]
pub struct RulesFormProps {
    /// What the form starts with.
    pub rules: SpaceRules,
    /// Where the last save stands.
    pub state: Sent,
    /// Saves the rules.
    pub on_save: Callback<SpaceRules>,
}

/// The space's time zone, visibility, currency and booking limits.
#[function_component]
pub fn RulesForm(props: &RulesFormProps) -> Html {
    let start = &props.rules;
    let zone = use_state(|| start.time_zone.clone());
    let currency = use_state(|| start.currency.clone());
    let public = use_state(|| start.is_public);
    let longest = use_state(|| start.max_booking_minutes.to_string());
    let notice = use_state(|| start.cancellation_notice_minutes.to_string());
    let offer = use_state(|| start.waitlist_offer_minutes.to_string());
    let numbers = (minutes(&longest), minutes(&notice), minutes(&offer));
    let rules = match numbers {
        (
            Some(max_booking_minutes),
            Some(cancellation_notice_minutes),
            Some(waitlist_offer_minutes),
        ) => Some(SpaceRules {
            time_zone: zone.trim().to_owned(),
            is_public: *public,
            currency: currency.trim().to_uppercase(),
            max_booking_minutes,
            cancellation_notice_minutes,
            waitlist_offer_minutes,
        }),
        _ => None,
    };
    let toggle = {
        let public = public.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            public.set(input.checked());
        })
    };
    let save = {
        let (on_save, rules) = (props.on_save.clone(), rules.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(rules) = rules.clone() {
                on_save.emit(rules);
            }
        })
    };
    let sending = props.state == Sent::Sending;
    let number = |id: &'static str, label: &'static str, state: &UseStateHandle<String>| {
        html! {
            <div class="field">
                <label class="field__label" for={id}>{ label }</label>
                <input class="field__control" {id} type="text" inputmode="numeric"
                    aria-invalid={minutes(state).is_none().to_string()}
                    value={(**state).clone()} oninput={typed(state)} disabled={sending} />
            </div>
        }
    };
    html! {
        <form class="booking__form" onsubmit={save}>
            <div class="field">
                <label class="field__label" for="rules-zone">{ "Time zone" }</label>
                <input class="field__control" id="rules-zone" type="text" required=true
                    placeholder="Europe/Berlin" aria-describedby="rules-zone-help"
                    value={(*zone).clone()} oninput={typed(&zone)} disabled={sending} />
                <span class="field__help" id="rules-zone-help">{ "As the IANA names it: Asia/Kolkata, Europe/Berlin" }</span>
            </div>
            <div class="field">
                <label class="field__label" for="rules-currency">{ "Currency" }</label>
                <input class="field__control" id="rules-currency" type="text" maxlength="3" required=true
                    value={(*currency).clone()} oninput={typed(&currency)} disabled={sending} />
            </div>
            { number("rules-longest", "Longest booking (minutes)", &longest) }
            { number("rules-notice", "Members cancel up to (minutes before)", &notice) }
            { number("rules-offer", "A freed slot is held for (minutes)", &offer) }
            <label class="field field--check">
                <input type="checkbox" checked={*public} onchange={toggle} disabled={sending} />
                { "Anyone may see the space and its machines" }
            </label>
            { props.state.outcome("Not saved.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending || rules.is_none()}>{ "Save the settings" }</button>
            </div>
        </form>
    }
}

/// Properties of [`HoursForm`].
#[derive(Properties, PartialEq)]
pub struct HoursFormProps {
    /// When the space opens now.
    pub hours: Vec<OpeningSpan>,
    /// Where the last save stands.
    pub state: Sent,
    /// Saves the hours; none opens the space around the clock.
    pub on_save: Callback<Vec<OpeningSpan>>,
}

/// The weekly opening hours, a row per opening, as many a day as the space has.
#[function_component]
pub fn HoursForm(props: &HoursFormProps) -> Html {
    let rows = use_state(|| props.hours.clone());
    let edit = |index: usize, change: fn(&mut OpeningSpan, String)| {
        let rows = rows.clone();
        Callback::from(move |event: Event| {
            let value = match event.target_dyn_into::<HtmlSelectElement>() {
                Some(select) => select.value(),
                None => event.target_unchecked_into::<HtmlInputElement>().value(),
            };
            let mut edited = (*rows).clone();
            if let Some(row) = edited.get_mut(index) {
                change(row, value);
                rows.set(edited);
            }
        })
    };
    let remove = |index: usize| {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut edited = (*rows).clone();
            edited.remove(index);
            rows.set(edited);
        })
    };
    let add = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut edited = (*rows).clone();
            let weekday = edited.last().map_or(Weekday::Monday, |row| {
                let next = Weekday::ALL
                    .iter()
                    .position(|day| *day == row.weekday)
                    .map_or(0, |at| (at + 1) % 7);
                Weekday::ALL[next]
            });
            edited.push(OpeningSpan {
                weekday,
                opens: "09:00".to_owned(),
                closes: "21:00".to_owned(),
            });
            rows.set(edited);
        })
    };
    let save = {
        let (on_save, rows) = (props.on_save.clone(), rows.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_save.emit((*rows).clone());
        })
    };
    let sending = props.state == Sent::Sending;
    let row = |(index, span): (usize, &OpeningSpan)| {
        let set_day: fn(&mut OpeningSpan, String) = |row, value| {
            if let Some(day) = Weekday::ALL.into_iter().find(|day| day.label() == value) {
                row.weekday = day;
            }
        };
        html! {
            <li class="hours__row">
                <label class="visually-hidden" for={format!("hours-day-{index}")}>{ format!("Day of opening {}", index + 1) }</label>
                <select class="field__control" id={format!("hours-day-{index}")} onchange={edit(index, set_day)} disabled={sending}>
                    { for Weekday::ALL.iter().map(|day| html! {
                        <option value={day.label()} selected={*day == span.weekday}>{ day.label() }</option>
                    }) }
                </select>
                <label class="visually-hidden" for={format!("hours-opens-{index}")}>{ format!("{} opens at", span.weekday.label()) }</label>
                <input class="field__control hours__clock" id={format!("hours-opens-{index}")} type="text" inputmode="numeric"
                    value={span.opens.clone()} onchange={edit(index, |row, value| row.opens = value)} disabled={sending} />
                <span aria-hidden="true">{ "–" }</span>
                <label class="visually-hidden" for={format!("hours-closes-{index}")}>{ format!("{} closes at", span.weekday.label()) }</label>
                <input class="field__control hours__clock" id={format!("hours-closes-{index}")} type="text" inputmode="numeric"
                    value={span.closes.clone()} onchange={edit(index, |row, value| row.closes = value)} disabled={sending} />
                <button class="button button--quiet" type="button" onclick={remove(index)} disabled={sending}
                    aria-label={format!("Remove {} {}–{}", span.weekday.label(), span.opens, span.closes)}>
                    { "Remove" }
                </button>
            </li>
        }
    };
    html! {
        <form class="booking__form" onsubmit={save}>
            <p class="booking__summary">
                { "Local time, HH:MM; 24:00 closes at midnight. A day with no row is closed; no rows at all keeps the space open around the clock." }
            </p>
            if rows.is_empty() {
                <p class="booking__summary"><strong>{ "Open around the clock." }</strong></p>
            } else {
                <ul class="hours">{ for rows.iter().enumerate().map(row) }</ul>
            }
            { props.state.outcome("Not saved.") }
            <div class="booking__actions">
                <button class="button button--quiet" type="button" onclick={add} disabled={sending}>{ "Add opening hours" }</button>
                <button class="button" type="submit" disabled={sending}>{ "Save the opening hours" }</button>
            </div>
        </form>
    }
}

/// Properties of [`ClosureList`].
#[derive(Properties, PartialEq)]
pub struct ClosureListProps {
    /// The closures that have not ended, soonest first.
    pub closures: Vec<Closure>,
    /// The space's machines: (API id, name).
    pub machines: Vec<(String, String)>,
    /// The space's time zone, beside the times.
    pub time_zone: AttrValue,
    /// Where the last closure added stands.
    pub state: Sent,
    /// Lifts under way or refused, by closure id.
    #[prop_or_default]
    pub lifting: Rc<HashMap<String, Asking>>,
    /// Adds a closure.
    pub on_add: Callback<NewClosure>,
    /// Lifts the closure with this id.
    pub on_lift: Callback<String>,
}

/// Closures to come, each to lift, and closing the space or a machine for a while.
#[function_component]
pub fn ClosureList(props: &ClosureListProps) -> Html {
    let machine = use_state(String::new);
    let from_date = use_state(String::new);
    let from_clock = use_state(|| "00:00".to_owned());
    let to_date = use_state(String::new);
    let to_clock = use_state(|| "24:00".to_owned());
    let reason = use_state(String::new);
    let closure = Date::parse(&from_date)
        .zip(Date::parse(&to_date))
        .map(|(from, to)| NewClosure {
            machine_id: Some((*machine).clone()).filter(|id| !id.is_empty()),
            from_date: from,
            from_clock: from_clock.trim().to_owned(),
            to_date: to,
            to_clock: to_clock.trim().to_owned(),
            reason: reason.trim().to_owned(),
        });
    let choose_machine = {
        let machine = machine.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            machine.set(select.value());
        })
    };
    let add = {
        let (on_add, closure) = (props.on_add.clone(), closure.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(closure) = closure.clone() {
                on_add.emit(closure);
            }
        })
    };
    let sending = props.state == Sent::Sending;
    let item = |closure: &Closure| {
        let lifting = props.lifting.get(&closure.id);
        let id = closure.id.clone();
        let what = closure
            .machine
            .clone()
            .unwrap_or_else(|| "The whole space".to_owned());
        let when = format!(
            "{} – {}",
            closure.starts_at.day_and_clock(),
            closure.ends_at.day_and_clock()
        );
        html! {
            <li class="booking-item" key={closure.id.clone()}>
                <div class="booking-item__text">
                    <span class="booking-item__when">{ when.clone() }</span>
                    <span>{ what.clone() }</span>
                    if !closure.reason.is_empty() {
                        <span class="booking-item__status">{ &closure.reason }</span>
                    }
                </div>
                <div class="booking-item__action">
                    <button class="button button--quiet" type="button" disabled={lifting == Some(&Asking::Sent)}
                        aria-label={format!("Lift the closure of {} from {when}", what.to_lowercase())}
                        onclick={props.on_lift.reform(move |_| id.clone())}>
                        { "Lift" }
                    </button>
                </div>
                if let Some(Asking::Refused(why)) = lifting {
                    <p class="booking__refusal" role="alert">{ why.clone() }</p>
                }
            </li>
        }
    };
    html! {
        <>
            if props.closures.is_empty() {
                <p class="bookings__empty">{ "No closures to come." }</p>
            } else {
                <ul class="bookings__list">{ for props.closures.iter().map(item) }</ul>
            }
            <form class="booking__form closures__form" onsubmit={add}>
                <div class="field">
                    <label class="field__label" for="closure-machine">{ "Close" }</label>
                    <select class="field__control" id="closure-machine" onchange={choose_machine} disabled={sending}>
                        <option value="" selected={machine.is_empty()}>{ "The whole space" }</option>
                        { for props.machines.iter().map(|(id, name)| html! {
                            <option value={id.clone()} selected={*id == *machine}>{ name }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="closure-from">{ format!("From ({})", props.time_zone) }</label>
                    <input class="field__control" id="closure-from" type="date" required=true
                        value={(*from_date).clone()} oninput={typed(&from_date)} disabled={sending} />
                    <label class="visually-hidden" for="closure-from-clock">{ "From the time" }</label>
                    <input class="field__control" id="closure-from-clock" type="text" inputmode="numeric"
                        value={(*from_clock).clone()} oninput={typed(&from_clock)} disabled={sending} />
                </div>
                <div class="field">
                    <label class="field__label" for="closure-to">{ format!("Until ({})", props.time_zone) }</label>
                    <input class="field__control" id="closure-to" type="date" required=true
                        value={(*to_date).clone()} oninput={typed(&to_date)} disabled={sending} />
                    <label class="visually-hidden" for="closure-to-clock">{ "Until the time" }</label>
                    <input class="field__control" id="closure-to-clock" type="text" inputmode="numeric"
                        value={(*to_clock).clone()} oninput={typed(&to_clock)} disabled={sending} />
                </div>
                <div class="field">
                    <label class="field__label" for="closure-reason">{ "Why (optional)" }</label>
                    <input class="field__control" id="closure-reason" type="text" maxlength="200"
                        value={(*reason).clone()} oninput={typed(&reason)} disabled={sending} />
                </div>
                { props.state.outcome("Not closed.") }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending || closure.is_none()}>{ "Close it" }</button>
                </div>
            </form>
        </>
    }
}
