//! Finding a free slot: a class of machine, a length and a few days; the free slots of every
//! machine of that class, earliest first, each booked with one click.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::booking_dialog::BookingState;
use crate::services::SlotSearch;
use crate::time::{Date, LocalTime};
use crate::types::{EquipmentClass, FoundSlot};

/// The lengths offered, in minutes.
const LENGTHS: [i64; 7] = [30, 60, 90, 120, 180, 240, 480];
/// How many days a search may span.
const SPANS: [usize; 3] = [1, 3, 7];

/// Where a search stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Nothing asked yet.
    Idle,
    /// Asked; no answer yet.
    Searching,
    /// The free slots found, earliest first.
    Found(Vec<FoundSlot>),
    /// The API refused, saying why.
    Refused(String),
}

/// Properties of [`SlotFinder`].
#[derive(Properties, PartialEq)]
pub struct SlotFinderProps {
    /// The space's API id.
    pub makerspace_id: AttrValue,
    /// The classes of its machines.
    pub classes: Vec<EquipmentClass>,
    /// Its next local days and where each begins.
    pub days: Vec<(Date, LocalTime)>,
    /// The space's time zone, shown beside the times.
    pub time_zone: AttrValue,
    /// Where the search stands.
    pub finding: Finding,
    /// Bookings of found slots, by [`slot_key`].
    #[prop_or_default]
    pub booking: Rc<HashMap<String, BookingState>>,
    /// Searches.
    pub on_search: Callback<SlotSearch>,
    /// Books a found slot.
    pub on_book: Callback<FoundSlot>,
}

/// What tells found slots apart.
pub fn slot_key(slot: &FoundSlot) -> String {
    format!("{}@{}", slot.machine_id, slot.starts_at.unix_seconds())
}

/// The search form and what it found.
#[function_component]
pub fn SlotFinder(props: &SlotFinderProps) -> Html {
    let class = use_state(|| props.classes.first().copied());
    let minutes = use_state(|| 60);
    let first_day = use_state(|| 0usize);
    let span = use_state(|| 3usize);
    let pick = |state: &UseStateHandle<usize>| {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(value) = select.value().parse() {
                state.set(value);
            }
        })
    };
    let choose_class = {
        let (class, classes) = (class.clone(), props.classes.clone());
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let index: Option<usize> = select.value().parse().ok();
            class.set(index.and_then(|index| classes.get(index).copied()));
        })
    };
    let choose_minutes = {
        let minutes = minutes.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(value) = select.value().parse() {
                minutes.set(value);
            }
        })
    };
    let search = {
        let days = props.days.clone();
        let end = (*first_day + *span).min(days.len().saturating_sub(1));
        let window = days.get(*first_day).zip(days.get(end));
        let request = (*class)
            .zip(window)
            .map(|(class, ((_, from), (_, to)))| SlotSearch {
                makerspace_id: props.makerspace_id.to_string(),
                class,
                minutes: *minutes,
                from: from.clone(),
                to: to.clone(),
            });
        let on_search = props.on_search.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(request) = request.clone() {
                on_search.emit(request);
            }
        })
    };
    if props.classes.is_empty() {
        return Html::default();
    }
    let searching = props.finding == Finding::Searching;
    let choosable_days = props.days.len().saturating_sub(*SPANS.last().unwrap_or(&1));
    html! {
        <section class="panel finder" aria-labelledby="finder-heading">
            <h2 class="panel__title finder__title" id="finder-heading">{ "Find a free slot" }</h2>
            <form class="finder__form" onsubmit={search}>
                <div class="field">
                    <label class="field__label" for="finder-class">{ "Machine" }</label>
                    <select class="field__control" id="finder-class" onchange={choose_class}>
                        { for props.classes.iter().enumerate().map(|(index, option)| html! {
                            <option value={index.to_string()} selected={Some(*option) == *class}>{ option.label() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="finder-length">{ "For" }</label>
                    <select class="field__control" id="finder-length" onchange={choose_minutes}>
                        { for LENGTHS.iter().map(|option| html! {
                            <option value={option.to_string()} selected={*option == *minutes}>{ crate::time::duration(*option) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="finder-from">{ "From" }</label>
                    <select class="field__control" id="finder-from" onchange={pick(&first_day)}>
                        { for props.days.iter().take(choosable_days.max(1)).enumerate().map(|(index, (date, _))| html! {
                            <option value={index.to_string()} selected={index == *first_day}>{ date.short_label() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="finder-span">{ "Within" }</label>
                    <select class="field__control" id="finder-span" onchange={pick(&span)}>
                        { for SPANS.iter().map(|option| html! {
                            <option value={option.to_string()} selected={*option == *span}>
                                { if *option == 1 { "that day".to_owned() } else { format!("{option} days") } }
                            </option>
                        }) }
                    </select>
                </div>
                <div class="finder__actions">
                    <button class="button" type="submit" disabled={searching}>
                        { if searching { "Searching…" } else { "Find slots" } }
                    </button>
                </div>
            </form>
            { found(props) }
        </section>
    }
}

fn found(props: &SlotFinderProps) -> Html {
    match &props.finding {
        Finding::Idle | Finding::Searching => Html::default(),
        Finding::Refused(reason) => html! {
            <p class="booking__refusal finder__problem" role="alert">{ reason }</p>
        },
        Finding::Found(slots) if slots.is_empty() => html! {
            <p class="finder__empty" role="status">{ "No free slot of that length then. Try other days or a shorter slot." }</p>
        },
        Finding::Found(slots) => html! {
            <ol class="finder__slots" aria-label={format!("Free slots ({})", props.time_zone)}>
                { for slots.iter().map(|slot| found_slot(slot, props)) }
            </ol>
        },
    }
}

fn found_slot(slot: &FoundSlot, props: &SlotFinderProps) -> Html {
    let date = Date::parse(slot.starts_at.date()).map_or_else(String::new, Date::short_label);
    let when = format!("{date} {}–{}", slot.starts_at.clock(), slot.ends_at.clock());
    let state = props.booking.get(&slot_key(slot));
    let outcome = match state {
        Some(BookingState::Booked(booked)) => html! {
            <span class="finder__booked" role="status">{ format!("Booked: {}", booked.status.label()) }</span>
        },
        Some(BookingState::Refused(reason)) => html! {
            <span class="booking__refusal" role="alert">{ reason }</span>
        },
        _ => {
            let (on_book, chosen) = (props.on_book.clone(), slot.clone());
            let sending = state == Some(&BookingState::Sending);
            html! {
                <button class="button button--quiet" type="button" disabled={sending}
                    aria-label={format!("Book {} {when}", slot.machine_name)}
                    onclick={move |_| on_book.emit(chosen.clone())}>
                    { if sending { "Booking…" } else { "Book" } }
                </button>
            }
        }
    };
    html! {
        <li class="finder__slot">
            <span class="finder__when">{ when.clone() }</span>
            <span class="finder__machine">{ &slot.machine_name }</span>
            { outcome }
        </li>
    }
}
