//! `/spaces/<slug>`: a makerspace's machines, their status live.

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_live_equipment, use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::{BookingState, Finding, MachineList, SlotFinder, slot_key};
use crate::marks::Marks;
use crate::services;
use crate::types::{FoundSlot, SpaceMachines};

/// Properties of [`SpacePage`].
#[derive(Properties, PartialEq)]
pub struct SpacePageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// A makerspace's machines.
#[function_component]
pub fn SpacePage(props: &SpacePageProps) -> Html {
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::MySpaces}>{ "← Your makerspaces" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see this makerspace's machines">
                <Machines slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Machines(props: &SpacePageProps) -> Html {
    let space = use_remote(props.slug.to_string(), services::space_machines);
    use_title(match &*space.state {
        Remote::Ready(space) => space.name.clone(),
        _ => "Makerspace".to_owned(),
    });
    match &*space.state {
        Remote::Loading => loading("Loading the machines…"),
        Remote::Failed(error) if error.is_not_found() => html! {
            <Notice title="There is no makerspace at this address">
                <p>{ format!("No makerspace you may see goes by “{}”.", props.slug) }</p>
            </Notice>
        },
        Remote::Failed(error) => failed(
            "The machines could not be loaded",
            error,
            space.retry.clone(),
        ),
        Remote::Ready(machines) => html! {
            <LiveMachines space={machines.clone()} reload={space.refresh.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct LiveMachinesProps {
    space: SpaceMachines,
    reload: Callback<()>,
}

#[function_component]
fn LiveMachines(props: &LiveMachinesProps) -> Html {
    let live = use_live_equipment(props.space.id.clone(), props.reload.clone());
    let finding = use_state(|| Finding::Idle);
    let booking = use_reducer(Marks::<BookingState>::default);
    let on_search = {
        let finding = finding.clone();
        Callback::from(move |search: services::SlotSearch| {
            finding.set(Finding::Searching);
            let finding = finding.clone();
            yew::platform::spawn_local(async move {
                finding.set(match services::find_slots(search).await {
                    Ok(slots) => Finding::Found(slots),
                    Err(error) => Finding::Refused(crate::components::refusal(&error)),
                });
            });
        })
    };
    let on_book = {
        let mark = booking.dispatcher();
        Callback::from(move |slot: FoundSlot| {
            let key = slot_key(&slot);
            mark.dispatch((key.clone(), Some(BookingState::Sending)));
            let mark = mark.clone();
            yew::platform::spawn_local(async move {
                let (from, to) = (slot.starts_at.unix_seconds(), slot.ends_at.unix_seconds());
                let answer = services::book(slot.machine_id, from, to, String::new()).await;
                mark.dispatch((
                    key,
                    Some(BookingState::answered(answer, BookingState::Booked)),
                ));
            });
        })
    };
    html! {
        <>
        <SlotFinder makerspace_id={props.space.id.clone()} classes={props.space.classes()}
            days={props.space.days.clone()} time_zone={props.space.time_zone.clone()}
            finding={(*finding).clone()} booking={booking.0.clone()} {on_search} {on_book} />
        <section class="panel" aria-labelledby="machines-heading">
            <header class="panel__head">
                <h1 class="panel__title" id="machines-heading">{ format!("{}: machines", props.space.name) }</h1>
                <LiveIndicator state={live.link} />
            </header>
            <p class="machines__summary">{ format!("Times are in {}.", props.space.time_zone) }</p>
            <MachineList machines={props.space.machines.clone()} changed={live.changed} />
        </section>
        </>
    }
}
