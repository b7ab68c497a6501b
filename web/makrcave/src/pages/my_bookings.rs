//! `/bookings`: the signed-in person's bookings, to come and past, and cancelling them.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::components::BookingList;
use crate::marks::{Asking, Marks, ask};
use crate::services;

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
    let marks = use_reducer(Marks::<Asking>::default);
    let on_cancel = {
        let (marks, reload) = (marks.dispatcher(), bookings.refresh.clone());
        Callback::from(move |id: String| {
            let cancelled = services::cancel(id.clone());
            ask(marks.clone(), id, reload.clone(), async move {
                cancelled.await.map(drop)
            });
        })
    };
    let now = crate::time::now();
    match &*bookings.state {
        Remote::Loading => loading("Loading your bookings…"),
        Remote::Failed(error) => failed(
            "Your bookings could not be loaded",
            error,
            bookings.retry.clone(),
        ),
        Remote::Ready(list) => html! {
            <BookingList bookings={list.clone()} {now} cancelling={marks.0.clone()} {on_cancel} />
        },
    }
}
