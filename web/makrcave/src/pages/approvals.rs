//! `/spaces/<slug>/approvals`: the bookings of a space waiting for staff, kept live, to
//! approve or reject.

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_remote, use_title};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, for_role};
use crate::app::Route;
use crate::components::{ApprovalQueue, Decision};
use crate::live::use_reload_on_change;
use crate::marks::{Asking, Marks, ask};
use crate::services::{self, SpaceReservationsChanged, space_reservations_changed};
use crate::types::Approvals;

/// Properties of [`ApprovalsPage`].
#[derive(Properties, PartialEq)]
pub struct ApprovalsPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The approvals page.
#[function_component]
pub fn ApprovalsPage(props: &ApprovalsPageProps) -> Html {
    use_title("Approvals".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see the bookings waiting for approval">
                <Queue slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Queue(props: &ApprovalsPageProps) -> Html {
    let queue = use_remote(props.slug.to_string(), services::approvals);
    for_role(
        &queue,
        (
            "Loading the bookings waiting for approval…",
            "Only the space's staff approve bookings",
            "The approvals could not be loaded",
        ),
        |approvals| {
            html! {
                <LiveQueue approvals={approvals.clone()} reload={queue.refresh.clone()} />
            }
        },
    )
}

#[derive(Properties, PartialEq)]
struct LiveQueueProps {
    approvals: Approvals,
    reload: Callback<()>,
}

#[function_component]
fn LiveQueue(props: &LiveQueueProps) -> Html {
    let feed = space_reservations_changed::Variables {
        makerspace_id: props.approvals.makerspace_id.clone(),
        after: None,
    };
    let link = use_reload_on_change::<SpaceReservationsChanged>(feed, props.reload.clone());
    let deciding = use_reducer(Marks::<Asking>::default);
    let on_decide = {
        let (marks, reload) = (deciding.dispatcher(), props.reload.clone());
        Callback::from(move |(id, approve): Decision| {
            let decided = services::decide(id.clone(), approve);
            ask(marks.clone(), id, reload.clone(), async move {
                decided.await.map(drop)
            });
        })
    };
    let approvals = &props.approvals;
    html! {
        <section class="panel bookings" aria-labelledby="approvals-heading">
            <header class="panel__head">
                <h1 class="panel__title" id="approvals-heading">
                    { format!("{}: waiting for approval ", approvals.name) }
                    <span class="week-panel__zone">{ format!("({})", approvals.time_zone) }</span>
                </h1>
                <LiveIndicator state={link} />
            </header>
            <ApprovalQueue pending={approvals.pending.clone()} time_zone={approvals.time_zone.clone()}
                deciding={deciding.0.clone()} {on_decide} />
        </section>
    }
}
