//! `/bookings`: the signed-in person's bookings, to come and past, and cancelling them; the
//! slots they wait for, and the offers of freed ones, live.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use makrx_web::subscription::LinkState;
use yew::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::components::{BookingList, OfferList, WaitingList};
use crate::live::use_reload_on_change;
use crate::marks::{Asking, Marks, ask};
use crate::services::{self, ReservationChanged, reservation_changed};
use crate::types::ReservationStatus;

/// The bookings page.
#[function_component]
pub fn MyBookingsPage() -> Html {
    use_title("Your bookings".to_owned());
    html! {
        <>
            <h1 class="page__title">{ "Your bookings" }</h1>
            <MembersOnly prompt="Sign in to see your bookings">
                <Bookings />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Bookings() -> Html {
    let bookings = use_remote((), |()| services::my_bookings());
    let cancelling = use_reducer(Marks::<Asking>::default);
    let answering = use_reducer(Marks::<Asking>::default);
    let leaving = use_reducer(Marks::<Asking>::default);
    let links = use_reducer(Marks::<LinkState>::default);
    let reload = bookings.refresh.clone();
    let on_cancel = {
        let (marks, reload) = (cancelling.dispatcher(), reload.clone());
        Callback::from(move |id: String| {
            let cancelled = services::cancel(id.clone());
            ask(marks.clone(), id, reload.clone(), async move {
                cancelled.await.map(drop)
            });
        })
    };
    let on_answer = {
        let (marks, reload) = (answering.dispatcher(), reload.clone());
        Callback::from(move |(id, take): (String, bool)| {
            let answered = services::answer_offer(id.clone(), take);
            ask(marks.clone(), id, reload.clone(), answered);
        })
    };
    let on_leave = {
        let (marks, reload) = (leaving.dispatcher(), reload.clone());
        Callback::from(move |id: String| {
            let left = services::leave_waitlist(id.clone());
            ask(marks.clone(), id, reload.clone(), left);
        })
    };
    let on_state = {
        let links = links.dispatcher();
        Callback::from(move |change: (String, Option<LinkState>)| links.dispatch(change))
    };
    let now = crate::time::now();
    match &*bookings.state {
        Remote::Loading => loading("Loading your bookings…"),
        Remote::Failed(error) => failed(
            "Your bookings could not be loaded",
            error,
            bookings.retry.clone(),
        ),
        Remote::Ready(mine) => {
            let offers: Vec<_> = mine
                .bookings
                .iter()
                .filter_map(|booking| booking.offer())
                .filter(|offer| offer.expires_at > now)
                .collect();
            let booked: Vec<_> = mine
                .bookings
                .iter()
                .filter(|booking| booking.status != ReservationStatus::Offered)
                .cloned()
                .collect();
            // The machines waited for: a change to any of them may be an offer.
            let mut followed: Vec<&str> = mine
                .waiting
                .iter()
                .map(|place| place.machine_id.as_str())
                .chain(
                    mine.bookings
                        .iter()
                        .filter(|booking| booking.status == ReservationStatus::Offered)
                        .map(|booking| booking.machine_id.as_str()),
                )
                .collect();
            followed.sort_unstable();
            followed.dedup();
            html! {
                <>
                    { for followed.into_iter().map(|id| html! {
                        <FollowMachine key={id.to_owned()} id={id.to_owned()} reload={reload.clone()}
                            on_state={on_state.clone()} />
                    }) }
                    <OfferList {offers} {now} answering={answering.0.clone()} {on_answer}
                        on_lapsed={reload.clone()} />
                    <BookingList bookings={booked} {now} cancelling={cancelling.0.clone()} {on_cancel} />
                    <WaitingList waiting={mine.waiting.clone()} leaving={leaving.0.clone()} {on_leave}
                        link={weakest(links.0.values().copied())} />
                </>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct FollowMachineProps {
    id: AttrValue,
    reload: Callback<()>,
    /// Told how the machine's feed is doing, with the machine's id; `None` once it stops.
    on_state: Callback<(String, Option<LinkState>)>,
}

/// Reloads the page at every change of the machine's bookings; shows nothing.
#[function_component]
fn FollowMachine(props: &FollowMachineProps) -> Html {
    let feed = reservation_changed::Variables {
        equipment_id: props.id.to_string(),
        after: None,
    };
    let link = use_reload_on_change::<ReservationChanged>(feed, props.reload.clone());
    let (on_state, id) = (props.on_state.clone(), props.id.to_string());
    use_effect_with(link, move |link| {
        on_state.emit((id.clone(), Some(*link)));
        move || on_state.emit((id, None))
    });
    Html::default()
}

/// How the page's feeds are doing, as the worst of them says; none without feeds.
fn weakest(states: impl Iterator<Item = LinkState>) -> Option<LinkState> {
    let rank = |state: &LinkState| match state {
        LinkState::Live => 0,
        LinkState::Connecting => 1,
        LinkState::Reconnecting { attempt } => 1 + *attempt,
    };
    states.max_by_key(rank)
}
