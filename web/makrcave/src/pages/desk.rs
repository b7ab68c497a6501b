//! `/spaces/<slug>/desk` and `/spaces/<slug>/desk/<date>`: a space's day at the desk, kept
//! live: each machine's bookings, checking members in and out.

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_remote, use_title};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, for_role};
use crate::app::Route;
use crate::components::DeskDay;
use crate::live::{use_now, use_reload_on_change};
use crate::marks::{Asking, Marks, ask};
use crate::services::{self, SpaceReservationsChanged, space_reservations_changed};
use crate::time::Date;
use crate::types::{Desk, DeskStep};

/// Properties of [`DeskPage`].
#[derive(Properties, PartialEq)]
pub struct DeskPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
    /// The local day (`2026-12-07`); the space's today when absent or no date.
    #[prop_or_default]
    pub date: Option<AttrValue>,
}

/// The desk page.
#[function_component]
pub fn DeskPage(props: &DeskPageProps) -> Html {
    use_title("The desk".to_owned());
    let date = props.date.as_deref().and_then(Date::parse);
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to run the desk">
                <Day slug={props.slug.clone()} {date} />
            </MembersOnly>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DayProps {
    slug: AttrValue,
    date: Option<Date>,
}

#[function_component]
fn Day(props: &DayProps) -> Html {
    let desk = use_remote((props.slug.to_string(), props.date), services::desk);
    for_role(
        &desk,
        (
            "Loading the day's bookings…",
            "Only the space's staff run the desk",
            "The day's bookings could not be loaded",
        ),
        |loaded| {
            html! {
                <LiveDesk desk={loaded.clone()} slug={props.slug.clone()} reload={desk.refresh.clone()} />
            }
        },
    )
}

#[derive(Properties, PartialEq)]
struct LiveDeskProps {
    desk: Desk,
    slug: AttrValue,
    reload: Callback<()>,
}

/// How often the desk looks at the clock: check-ins open on the quarter hour.
const TICK_SECONDS: u32 = 30;

#[function_component]
fn LiveDesk(props: &LiveDeskProps) -> Html {
    let desk = &props.desk;
    let feed = space_reservations_changed::Variables {
        makerspace_id: desk.makerspace_id.clone(),
        after: None,
    };
    let link = use_reload_on_change::<SpaceReservationsChanged>(feed, props.reload.clone());
    let now = use_now(crate::time::now(), TICK_SECONDS);
    let stepping = use_reducer(Marks::<Asking>::default);
    let on_step = {
        let (marks, reload) = (stepping.dispatcher(), props.reload.clone());
        Callback::from(move |(id, step): (String, DeskStep)| {
            let stepped = services::desk_step(id.clone(), step);
            ask(marks.clone(), id, reload.clone(), stepped);
        })
    };
    let day_route = |date: Date| Route::DeskDay {
        slug: props.slug.to_string(),
        date: date.to_string(),
    };
    let title = if desk.today {
        format!("{}: today, {}", desk.name, desk.date.long_label())
    } else {
        format!("{}: {}", desk.name, desk.date.long_label())
    };
    html! {
        <>
            <header class="desk__head">
                <h1 class="page__title">
                    { title }
                    <span class="week-panel__zone">{ format!(" ({})", desk.time_zone) }</span>
                </h1>
                <LiveIndicator state={link} />
            </header>
            <nav class="week-nav desk__nav" aria-label="Days">
                <Link<Route> to={day_route(desk.date.add_days(-1))} classes="button button--quiet">{ "← Previous day" }</Link<Route>>
                <Link<Route> to={Route::Desk { slug: props.slug.to_string() }} classes="button button--quiet">{ "Today" }</Link<Route>>
                <Link<Route> to={day_route(desk.date.add_days(1))} classes="button button--quiet">{ "Next day →" }</Link<Route>>
            </nav>
            <DeskDay machines={desk.machines.clone()} slug={props.slug.clone()} {now}
                stepping={stepping.0.clone()} {on_step} />
        </>
    }
}
