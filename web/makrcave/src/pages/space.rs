//! `/spaces/<slug>`: a makerspace's machines, their status live.

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_live_equipment, use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::MachineList;
use crate::services;
use crate::types::SpaceMachines;

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
    html! {
        <section class="panel" aria-labelledby="machines-heading">
            <header class="panel__head">
                <h1 class="panel__title" id="machines-heading">{ format!("{}: machines", props.space.name) }</h1>
                <LiveIndicator state={live.link} />
            </header>
            <p class="machines__summary">{ format!("Times are in {}.", props.space.time_zone) }</p>
            <MachineList machines={props.space.machines.clone()} changed={live.changed} />
        </section>
    }
}
