//! `/machines/<id>` and `/machines/<id>/weeks/<monday>`: a machine's week in its space's time
//! zone, kept live; booking a free stretch of it, once or weekly; waiting for a taken one, and
//! taking up what the waitlist offers.

use makrx_web::components::{LiveIndicator, StatusBadge};
use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use makrx_web::subscription::LinkState;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::{
    BookingDialog, BookingState, Confirmed, OfferList, Picked, WaitlistDialog, WeekCalendar,
};
use crate::live::use_reload_on_change;
use crate::marks::{Asking, Marks, ask};
use crate::services::{self, ReservationChanged, reservation_changed};
use crate::time::{Date, money, today};
use crate::types::{MachineWeek, Stretch};

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

/// Shows the dialog sending `request`, then its answer; reloads the week unless it was refused.
fn send(
    state: UseStateHandle<BookingState>,
    reload: Callback<()>,
    request: impl Future<Output = BookingState> + 'static,
) {
    state.set(BookingState::Sending);
    yew::platform::spawn_local(async move {
        let answer = request.await;
        if !matches!(answer, BookingState::Refused(_)) {
            reload.emit(());
        }
        state.set(answer);
    });
}

/// Opens the dialog for what `make` makes of the person's choice, afresh.
fn choose<T: 'static>(
    choice: &UseStateHandle<Option<Choice>>,
    state: &UseStateHandle<BookingState>,
    make: fn(T) -> Choice,
) -> Callback<T> {
    let (choice, state) = (choice.clone(), state.clone());
    Callback::from(move |chosen| {
        state.set(BookingState::Choosing);
        choice.set(Some(make(chosen)));
    })
}

/// What the person chose in the week: a free stretch to book or a taken one to wait for.
#[derive(Debug, Clone, PartialEq)]
enum Choice {
    Book(Picked),
    Wait(Stretch),
}

/// The week with its booking and waitlist dialogs and the offers it holds for the person.
#[function_component]
fn Booking(props: &BookingProps) -> Html {
    let choice = use_state(|| None::<Choice>);
    let state = use_state(|| BookingState::Choosing);
    let answering = use_reducer(Marks::<Asking>::default);
    let week = &props.week;
    let machine = &week.machine;
    let on_pick = choose(&choice, &state, Choice::Book);
    let on_wait = choose(&choice, &state, Choice::Wait);
    let on_close = {
        let (choice, state) = (choice.clone(), state.clone());
        Callback::from(move |()| {
            choice.set(None);
            state.set(BookingState::Choosing);
        })
    };
    let on_confirm = {
        let (state, reload, id) = (state.clone(), props.reload.clone(), machine.id.clone());
        Callback::from(move |booking: Confirmed| {
            let id = id.clone();
            send(state.clone(), reload.clone(), async move {
                let Confirmed {
                    from,
                    to,
                    weeks,
                    note,
                } = booking;
                if weeks > 1 {
                    let answer = services::book_series(id, from, to, weeks, note).await;
                    BookingState::answered(answer, BookingState::Series)
                } else {
                    let answer = services::book(id, from, to, note).await;
                    BookingState::answered(answer, BookingState::Booked)
                }
            });
        })
    };
    let on_join = {
        let (choice, state, reload) = (choice.clone(), state.clone(), props.reload.clone());
        let id = machine.id.clone();
        Callback::from(move |note: String| {
            let Some(Choice::Wait(taken)) = (*choice).clone() else {
                return;
            };
            let (from, to) = (taken.starts_at.unix_seconds(), taken.ends_at.unix_seconds());
            let joined = services::join_waitlist(id.clone(), from, to, note);
            send(state.clone(), reload.clone(), async move {
                BookingState::answered(joined.await, |()| BookingState::Waiting)
            });
        })
    };
    let on_answer = {
        let (answering, reload) = (answering.dispatcher(), props.reload.clone());
        Callback::from(move |(id, take): (String, bool)| {
            let answered = services::answer_offer(id.clone(), take);
            ask(answering.clone(), id, reload.clone(), answered);
        })
    };
    let dialog = match (*choice).clone() {
        Some(Choice::Book(chosen)) => week.day_of(chosen.from).cloned().map(|day| {
            // Keyed by the stretch, so that picking another one starts the choice afresh.
            html! {
                <BookingDialog key={format!("{}-{}", chosen.from, chosen.to)} machine={machine.clone()} {day} picked={chosen}
                    time_zone={week.time_zone.clone()} state={(*state).clone()}
                    {on_confirm} on_close={on_close.clone()} />
            }
        }),
        Some(Choice::Wait(taken)) => Some(html! {
            // Keyed by the stretch, as the booking dialog is.
            <WaitlistDialog key={format!("wait-{}", taken.starts_at.as_str())} machine={machine.clone()} taken={taken.clone()}
                time_zone={week.time_zone.clone()} state={(*state).clone()}
                {on_join} on_close={on_close.clone()} />
        }),
        None => None,
    };
    let now = crate::time::now();
    let offers: Vec<_> = week
        .offers()
        .into_iter()
        .filter(|offer| offer.expires_at > now)
        .collect();
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
            <OfferList {offers} {now} answering={answering.0.clone()} {on_answer} on_lapsed={props.reload.clone()} />
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
                <WeekCalendar week={week.clone()} {on_pick} {on_wait} />
            </section>
        </>
    }
}
