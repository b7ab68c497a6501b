//! `/bookings`: the signed-in person's bookings, to come and past, and cancelling them.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::components::{BookingList, Cancelling, refusal};
use crate::marks::Marks;
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
    let marks = use_reducer(Marks::<Cancelling>::default);
    let on_cancel = {
        let (mark, reload) = (marks.dispatcher(), bookings.refresh.clone());
        Callback::from(move |id: String| {
            mark.dispatch((id.clone(), Some(Cancelling::Sending)));
            let (mark, reload) = (mark.clone(), reload.clone());
            yew::platform::spawn_local(async move {
                match services::cancel(id.clone()).await {
                    Ok(_) => {
                        mark.dispatch((id, None));
                        reload.emit(());
                    }
                    Err(error) => mark.dispatch((id, Some(Cancelling::Refused(refusal(&error))))),
                }
            });
        })
    };
    let now = (js_sys::Date::now() / 1000.0) as i64;
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
