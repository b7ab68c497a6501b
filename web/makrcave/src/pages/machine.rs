//! `/machines/<id>` and `/machines/<id>/weeks/<monday>`: a machine's week in its space's time
//! zone, kept live, and booking a free stretch of it.

use makrx_web::components::{LiveIndicator, StatusBadge};
use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use makrx_web::subscription::LinkState;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::{BookingDialog, BookingState, Confirmed, Picked, WeekCalendar};
use crate::live::use_reload_on_change;
use crate::services::{self, ReservationChanged, reservation_changed};
use crate::time::{Date, money, today};
use crate::types::MachineWeek;

/// Properties of [`MachinePage`].
#[derive(Properties, PartialEq)]
pub struct MachinePageProps {
    /// The machine's API id.
    pub id: AttrValue,
    /// The Monday of the week to show (`2026-12-07`); this week when absent or no date.
    #[prop_or_default]
    pub week: Option<AttrValue>,
}

/// A machine's week.
#[function_component]
pub fn MachinePage(props: &MachinePageProps) -> Html {
    let monday = props
        .week
        .as_deref()
        .and_then(Date::parse)
        .unwrap_or_else(today)
        .monday();
    html! {
        <MembersOnly prompt="Sign in to see this machine's week and book it">
            <Week id={props.id.clone()} {monday} />
        </MembersOnly>
    }
}

#[derive(Properties, PartialEq)]
struct WeekProps {
    id: AttrValue,
    monday: Date,
}

#[function_component]
fn Week(props: &WeekProps) -> Html {
    let week = use_remote((props.id.to_string(), props.monday), services::machine_week);
    let feed = reservation_changed::Variables {
        equipment_id: props.id.to_string(),
        after: None,
    };
    let link = use_reload_on_change::<ReservationChanged>(feed, week.refresh.clone());
    use_title(match &*week.state {
        Remote::Ready(week) => week.machine.name.clone(),
        _ => "Machine".to_owned(),
    });
    match &*week.state {
        Remote::Loading => loading("Loading the machine's week…"),
        Remote::Failed(error) if error.is_not_found() => html! {
            <Notice title="There is no machine at this address">
                <p>{ "It may have been removed, or it belongs to a makerspace you cannot see." }</p>
                <Link<Route> to={Route::MySpaces} classes="button">{ "Your makerspaces" }</Link<Route>>
            </Notice>
        },
        Remote::Failed(error) => failed(
            "This machine's week could not be loaded",
            error,
            week.retry.clone(),
        ),
        Remote::Ready(loaded) => html! {
            <Booking week={loaded.clone()} {link} reload={week.refresh.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct BookingProps {
    week: MachineWeek,
    link: LinkState,
    reload: Callback<()>,
}

/// The week with its booking dialog.
#[function_component]
fn Booking(props: &BookingProps) -> Html {
    let picked = use_state(|| None::<Picked>);
    let state = use_state(|| BookingState::Choosing);
    let week = &props.week;
    let machine = &week.machine;
    let on_pick = {
        let (picked, state) = (picked.clone(), state.clone());
        Callback::from(move |chosen: Picked| {
            state.set(BookingState::Choosing);
            picked.set(Some(chosen));
        })
    };
    let on_close = {
        let (picked, state) = (picked.clone(), state.clone());
        Callback::from(move |()| {
            picked.set(None);
            state.set(BookingState::Choosing);
        })
    };
    let on_confirm = {
        let (state, reload, id) = (state.clone(), props.reload.clone(), machine.id.clone());
        Callback::from(move |booking: Confirmed| {
            state.set(BookingState::Sending);
            let (state, reload, id) = (state.clone(), reload.clone(), id.clone());
            yew::platform::spawn_local(async move {
                let answer = services::book(id, booking.from, booking.to, booking.note).await;
                if answer.is_ok() {
                    reload.emit(());
                }
                state.set(BookingState::answered(answer));
            });
        })
    };
    let dialog = (*picked).and_then(|chosen| {
        let day = week.day_of(chosen.from)?.clone();
        // Keyed by the stretch, so that picking another one starts the choice afresh.
        Some(html! {
            <BookingDialog key={format!("{}-{}", chosen.from, chosen.to)} machine={machine.clone()} {day} picked={chosen}
                time_zone={week.time_zone.clone()} state={(*state).clone()}
                {on_confirm} {on_close} />
        })
    });
    let week_route = |monday: Date| Route::MachineWeek {
        id: machine.id.clone(),
        week: monday.to_string(),
    };
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: machine.space_slug.clone() }}>
                    { format!("← {}", machine.space_name) }
                </Link<Route>>
            </nav>
            <header class="machine-head">
                <h1 class="machine-head__name">{ &machine.name }</h1>
                <StatusBadge status={machine.status} />
                <p class="machine-head__meta">
                    { format!("{} · {} an hour", machine.kind, money(machine.hourly_cost_minor, &machine.currency)) }
                    if machine.requires_approval {
                        { " · bookings wait for staff approval" }
                    }
                </p>
            </header>
            { for dialog }
            <section class="panel week-panel" aria-labelledby="week-heading">
                <header class="panel__head">
                    <h2 class="panel__title" id="week-heading">
                        { format!("Week of {} ", week.monday.long_label()) }
                        <span class="week-panel__zone">{ format!("({})", week.time_zone) }</span>
                    </h2>
                    <LiveIndicator state={props.link} />
                </header>
                <nav class="week-nav" aria-label="Weeks">
                    <Link<Route> to={week_route(week.monday.add_days(-7))} classes="button button--quiet">{ "← Previous week" }</Link<Route>>
                    <Link<Route> to={week_route(today().monday())} classes="button button--quiet">{ "This week" }</Link<Route>>
                    <Link<Route> to={week_route(week.monday.add_days(7))} classes="button button--quiet">{ "Next week →" }</Link<Route>>
                </nav>
                <WeekCalendar week={week.clone()} {on_pick} />
            </section>
        </>
    }
}
