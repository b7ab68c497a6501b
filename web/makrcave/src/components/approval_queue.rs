//! The desk's approvals queue: bookings waiting for a decision, earliest first, each approved
//! or rejected in one click.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::marks::Asking;
use crate::time::Date;
use crate::types::PendingBooking;

/// A decision on a booking: its id and whether it is approved.
pub type Decision = (String, bool);

/// Properties of [`ApprovalQueue`].
#[derive(Properties, PartialEq)]
pub struct ApprovalQueueProps {
    /// The bookings waiting, earliest first.
    pub pending: Vec<PendingBooking>,
    /// The space's time zone, shown beside the times.
    pub time_zone: AttrValue,
    /// Decisions under way or refused, by booking id.
    #[prop_or_default]
    pub deciding: Rc<HashMap<String, Asking>>,
    /// Approves or rejects a booking.
    pub on_decide: Callback<Decision>,
}

/// The queue, or a sentence when nothing waits.
#[function_component]
pub fn ApprovalQueue(props: &ApprovalQueueProps) -> Html {
    if props.pending.is_empty() {
        return html! {
            <p class="bookings__empty" role="status">{ "Nothing waits for approval. New requests appear here as they are made." }</p>
        };
    }
    html! {
        <ul class="bookings__list" aria-label={format!("Bookings waiting for approval ({})", props.time_zone)}>
            { for props.pending.iter().map(|booking| request(booking, props)) }
        </ul>
    }
}

fn request(booking: &PendingBooking, props: &ApprovalQueueProps) -> Html {
    let day = Date::parse(booking.starts_at.date()).map_or_else(String::new, Date::short_label);
    let when = format!(
        "{day} {}–{}",
        booking.starts_at.clock(),
        booking.ends_at.clock()
    );
    let state = props.deciding.get(&booking.id);
    let sending = state == Some(&Asking::Sent);
    let decide = |approve: bool| {
        let (on_decide, id) = (props.on_decide.clone(), booking.id.clone());
        Callback::from(move |_: MouseEvent| on_decide.emit((id.clone(), approve)))
    };
    html! {
        <li class="booking-item">
            <div class="booking-item__text">
                <span class="booking-item__when">{ when.clone() }</span>
                <span>{ format!("{} · {}", booking.machine_name, booking.booker) }</span>
                if !booking.note.trim().is_empty() {
                    <span class="booking-item__status">{ format!("“{}”", booking.note) }</span>
                }
            </div>
            <div class="booking-item__action">
                <button class="button" type="button" disabled={sending} onclick={decide(true)}
                    aria-label={format!("Approve {}'s booking of {} on {when}", booking.booker, booking.machine_name)}>
                    { "Approve" }
                </button>
                <button class="button button--quiet" type="button" disabled={sending} onclick={decide(false)}
                    aria-label={format!("Reject {}'s booking of {} on {when}", booking.booker, booking.machine_name)}>
                    { "Reject" }
                </button>
            </div>
            if let Some(Asking::Refused(reason)) = state {
                <p class="booking__refusal" role="alert">{ reason }</p>
            }
        </li>
    }
}
