//! The desk's day: each machine with its bookings, and for each what the desk can do now:
//! check its holder in once the window opens, out once they are done.

use std::collections::HashMap;
use std::rc::Rc;

use makrx_web::components::StatusBadge;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::marks::Asking;
use crate::types::{DeskBooking, DeskMachine, DeskStep, ReservationStatus};
use crate::words::capitalised;

/// Properties of [`DeskDay`].
#[derive(Properties, PartialEq)]
pub struct DeskDayProps {
    /// The machines, each with its bookings of the day.
    pub machines: Vec<DeskMachine>,
    /// The space's address in URLs, for its approvals queue.
    pub slug: AttrValue,
    /// Now, in seconds since the epoch: which check-ins are open.
    pub now: i64,
    /// Steps under way or refused, by booking id.
    #[prop_or_default]
    pub stepping: Rc<HashMap<String, Asking>>,
    /// Takes a step with the booking of this id.
    pub on_step: Callback<(String, DeskStep)>,
}

/// The day, machine by machine.
#[function_component]
pub fn DeskDay(props: &DeskDayProps) -> Html {
    if props.machines.is_empty() {
        return html! {
            <p class="bookings__empty">{ "This space has no machines yet." }</p>
        };
    }
    html! {
        <div class="desk">
            { for props.machines.iter().map(|machine| machine_day(machine, props)) }
        </div>
    }
}

fn machine_day(machine: &DeskMachine, props: &DeskDayProps) -> Html {
    let heading = format!("desk-{}", machine.id);
    html! {
        <section class="panel bookings desk__machine" aria-labelledby={heading.clone()}>
            <header class="panel__head">
                <h2 class="panel__title" id={heading}>
                    <Link<Route> to={Route::Machine { id: machine.id.clone() }}>{ &machine.name }</Link<Route>>
                </h2>
                <StatusBadge status={machine.status} />
                <Link<Route> to={Route::MachineAdmin { id: machine.id.clone() }} classes="desk__manage">
                    { "Manage" }
                </Link<Route>>
            </header>
            if machine.bookings.is_empty() {
                <p class="bookings__empty">{ "No bookings this day." }</p>
            } else {
                <ul class="bookings__list">
                    { for machine.bookings.iter().map(|booking| booking_row(machine, booking, props)) }
                </ul>
            }
        </section>
    }
}

fn booking_row(machine: &DeskMachine, booking: &DeskBooking, props: &DeskDayProps) -> Html {
    let times = format!("{}–{}", booking.starts_at.clock(), booking.ends_at.clock());
    let stepping = props.stepping.get(&booking.id);
    let sending = stepping == Some(&Asking::Sent);
    let step_button = |step: DeskStep| {
        let id = booking.id.clone();
        let what = match step {
            DeskStep::CheckIn => "Check in",
            DeskStep::CheckOut => "Check out",
        };
        html! {
            <button class="button" type="button" disabled={sending}
                aria-label={format!("{what} {} at {} {times}", booking.booker, machine.name)}
                onclick={props.on_step.reform(move |_| (id.clone(), step))}>
                { if sending { "Sending…" } else { what } }
            </button>
        }
    };
    let ended = booking.ends_at.unix_seconds() <= props.now;
    let action = match (booking.status, &booking.check_in_opens_at) {
        (ReservationStatus::Approved, _) if ended => note("Not checked in: a no-show"),
        (ReservationStatus::Approved, Some(opens)) if opens.unix_seconds() > props.now => {
            note(&format!("Check-in opens at {}", opens.clock()))
        }
        (ReservationStatus::Approved, _) => step_button(DeskStep::CheckIn),
        (ReservationStatus::CheckedIn, _) => step_button(DeskStep::CheckOut),
        (ReservationStatus::Pending, _) => html! {
            <Link<Route> to={Route::Approvals { slug: props.slug.to_string() }} classes="booking-item__deadline">
                { "Waiting for approval: decide in the queue" }
            </Link<Route>>
        },
        _ => Html::default(),
    };
    html! {
        <li class="booking-item" key={booking.id.clone()}>
            <div class="booking-item__text">
                <span class="booking-item__when">{ times }</span>
                <span>{ &booking.booker }</span>
                <span class="booking-item__status">{ capitalised(booking.status.label()) }</span>
                if !booking.note.trim().is_empty() {
                    <span class="booking-item__status">{ format!("“{}”", booking.note) }</span>
                }
            </div>
            <div class="booking-item__action">{ action }</div>
            if let Some(Asking::Refused(reason)) = stepping {
                <p class="booking__refusal" role="alert">{ reason }</p>
            }
        </li>
    }
}

fn note(text: &str) -> Html {
    html! { <span class="booking-item__deadline">{ text.to_owned() }</span> }
}
