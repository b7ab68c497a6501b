//! The person's bookings: those to come, with cancelling up to the space's deadline, and
//! those of the last weeks.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::marks::Asking;
use crate::types::MyBooking;
use crate::words::capitalised;

/// Properties of [`BookingList`].
#[derive(Properties, PartialEq)]
pub struct BookingListProps {
    /// The bookings, earliest first.
    pub bookings: Vec<MyBooking>,
    /// Now, in seconds since the epoch: what is past and which deadlines have gone.
    pub now: i64,
    /// Cancellations under way or refused, by booking id.
    #[prop_or_default]
    pub cancelling: Rc<HashMap<String, Asking>>,
    /// Cancels the booking with this id.
    pub on_cancel: Callback<String>,
}

/// Upcoming bookings first, then past ones, each with what can still be done.
#[function_component]
pub fn BookingList(props: &BookingListProps) -> Html {
    let (past, upcoming): (Vec<&MyBooking>, Vec<&MyBooking>) = props
        .bookings
        .iter()
        .partition(|booking| booking.ends_at.unix_seconds() <= props.now);
    let item = |booking: &MyBooking| booking_item(booking, props);
    html! {
        <>
            <section class="panel bookings" aria-labelledby="upcoming-heading">
                <h2 class="panel__title bookings__title" id="upcoming-heading">{ "Coming up" }</h2>
                if upcoming.is_empty() {
                    <p class="bookings__empty">
                        { "No bookings to come. " }
                        <Link<Route> to={Route::MySpaces}>{ "Book a machine in one of your makerspaces." }</Link<Route>>
                    </p>
                } else {
                    <ul class="bookings__list">{ for upcoming.into_iter().map(item) }</ul>
                }
            </section>
            <section class="panel bookings" aria-labelledby="past-heading">
                <h2 class="panel__title bookings__title" id="past-heading">{ "The last 30 days" }</h2>
                if past.is_empty() {
                    <p class="bookings__empty">{ "None." }</p>
                } else {
                    <ul class="bookings__list">{ for past.into_iter().rev().map(item) }</ul>
                }
            </section>
        </>
    }
}

fn booking_item(booking: &MyBooking, props: &BookingListProps) -> Html {
    let cancelling = props.cancelling.get(&booking.id);
    let deadline = booking.cancellable_until.as_ref();
    let action = match deadline {
        _ if booking.ends_at.unix_seconds() <= props.now => Html::default(),
        Some(until) if until.unix_seconds() > props.now => {
            let id = booking.id.clone();
            let sending = cancelling == Some(&Asking::Sent);
            html! {
                <div class="booking-item__action">
                    <button class="button button--quiet" type="button" disabled={sending}
                        aria-label={format!("Cancel the booking of {} on {}", booking.machine_name, booking.starts_at.day_and_clock())}
                        onclick={props.on_cancel.reform(move |_| id.clone())}>
                        { if sending { "Cancelling…" } else { "Cancel" } }
                    </button>
                    <span class="booking-item__deadline">{ format!("until {}", until.day_and_clock()) }</span>
                </div>
            }
        }
        Some(until) => html! {
            <p class="booking-item__deadline">
                { format!("Cancelling closed at {}: ask the space's staff.", until.day_and_clock()) }
            </p>
        },
        None => Html::default(),
    };
    let refusal = match cancelling {
        Some(Asking::Refused(reason)) => html! {
            <p class="booking__refusal" role="alert"><strong>{ "Not cancelled. " }</strong>{ reason }</p>
        },
        _ => Html::default(),
    };
    html! {
        <li class="booking-item">
            <div class="booking-item__text">
                <span class="booking-item__when">
                    { format!("{}–{}", booking.starts_at.day_and_clock(), booking.ends_at.clock()) }
                    <span class="booking-item__zone">{ format!(" ({})", booking.time_zone) }</span>
                </span>
                <Link<Route> to={Route::Machine { id: booking.machine_id.clone() }} classes="booking-item__machine">
                    { format!("{} · {}", booking.machine_name, booking.space_name) }
                </Link<Route>>
                <span class="booking-item__status">
                    { format!("{} · {}", capitalised(booking.status.label()), booking.cost) }
                </span>
                if let Some(opens) = booking.check_in_opens_at.as_ref().filter(|_| booking.ends_at.unix_seconds() > props.now) {
                    <span class="booking-item__check-in">
                        { format!("Check in at the desk from {} until {}", opens.clock(), booking.ends_at.clock()) }
                    </span>
                }
            </div>
            { action }
            { refusal }
        </li>
    }
}
