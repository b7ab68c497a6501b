//! Waitlists: slots offered to the person, counted down to the second until they lapse, and
//! the taken slots they are still waiting for.

use std::collections::HashMap;
use std::rc::Rc;

use makrx_web::components::LiveIndicator;
use makrx_web::subscription::LinkState;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::live::use_now;
use crate::marks::Asking;
use crate::types::{Offer, Waiting};

/// Properties of [`OfferList`].
#[derive(Properties, PartialEq)]
pub struct OfferListProps {
    /// The offers, earliest slot first.
    pub offers: Vec<Offer>,
    /// Now, in seconds since the epoch, when the list was drawn; each countdown goes on from it.
    pub now: i64,
    /// Answers under way or refused, by offer id.
    #[prop_or_default]
    pub answering: Rc<HashMap<String, Asking>>,
    /// Takes up (`true`) or declines the offer with this id.
    pub on_answer: Callback<(String, bool)>,
    /// Called when an offer lapses while shown.
    pub on_lapsed: Callback<()>,
}

/// Offers to take up or decline, each with the time left; nothing when there are none.
#[function_component]
pub fn OfferList(props: &OfferListProps) -> Html {
    if props.offers.is_empty() {
        return Html::default();
    }
    html! {
        <section class="panel offers" aria-labelledby="offers-heading">
            <h2 class="panel__title" id="offers-heading">{ "Offered to you" }</h2>
            <p class="offers__lead">{ "A slot you waited for is free and held for you for a short while." }</p>
            <ul class="bookings__list">
                { for props.offers.iter().map(|offer| offer_item(offer, props)) }
            </ul>
        </section>
    }
}

fn offer_item(offer: &Offer, props: &OfferListProps) -> Html {
    let answering = props.answering.get(&offer.id);
    let sending = answering == Some(&Asking::Sent);
    let slot = format!(
        "{} {}–{}",
        offer.machine_name,
        offer.starts_at.day_and_clock(),
        offer.ends_at.clock()
    );
    let answer = |take: bool| {
        let id = offer.id.clone();
        props.on_answer.reform(move |_| (id.clone(), take))
    };
    let refusal = match answering {
        Some(Asking::Refused(reason)) => html! {
            <p class="booking__refusal" role="alert"><strong>{ "Not answered. " }</strong>{ reason }</p>
        },
        _ => Html::default(),
    };
    html! {
        <li class="booking-item offer" key={offer.id.clone()}>
            <div class="booking-item__text">
                <span class="booking-item__when">
                    { format!("{}–{}", offer.starts_at.day_and_clock(), offer.ends_at.clock()) }
                    <span class="booking-item__zone">{ format!(" ({})", offer.time_zone) }</span>
                </span>
                <span class="booking-item__machine">{ &offer.machine_name }</span>
                <Countdown until={offer.expires_at} now={props.now} on_lapsed={props.on_lapsed.clone()} />
            </div>
            <div class="booking-item__action">
                <button class="button" type="button" disabled={sending}
                    aria-label={format!("Take it: {slot}")} onclick={answer(true)}>
                    { if sending { "Answering…" } else { "Take it" } }
                </button>
                <button class="button button--quiet" type="button" disabled={sending}
                    aria-label={format!("Decline {slot}")} onclick={answer(false)}>
                    { "Decline" }
                </button>
            </div>
            { refusal }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct CountdownProps {
    until: i64,
    now: i64,
    on_lapsed: Callback<()>,
}

/// `4:59 left to take it up`, a second at a time; says so once the offer has lapsed.
#[function_component]
fn Countdown(props: &CountdownProps) -> Html {
    let left = props.until - use_now(props.now, 1);
    let lapsed = left <= 0;
    {
        let on_lapsed = props.on_lapsed.clone();
        use_effect_with(lapsed, move |lapsed| {
            if *lapsed {
                on_lapsed.emit(());
            }
        });
    }
    if lapsed {
        html! { <span class="offer__left offer__left--lapsed">{ "The offer has lapsed" }</span> }
    } else {
        html! {
            <span class="offer__left" role="timer">
                { format!("{}:{:02} left to take it up", left / 60, left % 60) }
            </span>
        }
    }
}

/// Properties of [`WaitingList`].
#[derive(Properties, PartialEq)]
pub struct WaitingListProps {
    /// The places, earliest slot first.
    pub waiting: Vec<Waiting>,
    /// Leaving under way or refused, by place id.
    #[prop_or_default]
    pub leaving: Rc<HashMap<String, Asking>>,
    /// Leaves the waitlist place with this id.
    pub on_leave: Callback<String>,
    /// How the page follows the machines waited for, when it does.
    #[prop_or_default]
    pub link: Option<LinkState>,
}

/// The taken slots the person waits for, each with a way to stop waiting.
#[function_component]
pub fn WaitingList(props: &WaitingListProps) -> Html {
    html! {
        <section class="panel bookings" aria-labelledby="waiting-heading">
            <header class="panel__head">
                <h2 class="panel__title" id="waiting-heading">{ "Waiting for" }</h2>
                if let Some(state) = props.link {
                    <LiveIndicator {state} />
                }
            </header>
            if props.waiting.is_empty() {
                <p class="bookings__empty">
                    { "No waitlists. When a slot you want is taken, join its waitlist from the machine's week: if it frees, it is offered to you." }
                </p>
            } else {
                <ul class="bookings__list">
                    { for props.waiting.iter().map(|place| waiting_item(place, props)) }
                </ul>
            }
        </section>
    }
}

fn waiting_item(place: &Waiting, props: &WaitingListProps) -> Html {
    let leaving = props.leaving.get(&place.id);
    let sending = leaving == Some(&Asking::Sent);
    let id = place.id.clone();
    let refusal = match leaving {
        Some(Asking::Refused(reason)) => html! {
            <p class="booking__refusal" role="alert"><strong>{ "Still waiting. " }</strong>{ reason }</p>
        },
        _ => Html::default(),
    };
    html! {
        <li class="booking-item waiting" key={place.id.clone()}>
            <div class="booking-item__text">
                <span class="booking-item__when">
                    { format!("{}–{}", place.starts_at.day_and_clock(), place.ends_at.clock()) }
                    <span class="booking-item__zone">{ format!(" ({})", place.time_zone) }</span>
                </span>
                <Link<Route> to={Route::Machine { id: place.machine_id.clone() }} classes="booking-item__machine">
                    { format!("{} · {}", place.machine_name, place.space_name) }
                </Link<Route>>
                <span class="booking-item__status">{ "Waiting: offered to you if it frees" }</span>
            </div>
            <div class="booking-item__action">
                <button class="button button--quiet" type="button" disabled={sending}
                    aria-label={format!("Leave the waitlist for {} on {}", place.machine_name, place.starts_at.day_and_clock())}
                    onclick={props.on_leave.reform(move |_| id.clone())}>
                    { if sending { "Leaving…" } else { "Leave the waitlist" } }
                </button>
            </div>
            { refusal }
        </li>
    }
}
