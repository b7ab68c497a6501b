//! `/machines/<id>/manage` and `/spaces/<slug>/machines/new`: staff add a machine and run it:
//! its details, status, skill gate, maintenance log and QR code.

use makrx_web::equipment::EquipmentStatus;
use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::Notice;
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading, print};
use crate::app::{Route, address};
use crate::components::{GateForm, MachineForm, MaintenanceLog, QrLabel, StatusForm};
use crate::marks::{Sent, send};
use crate::services;
use crate::types::{MachineAdmin, MachineDetails};

/// Properties of [`MachineAdminPage`].
#[derive(Properties, PartialEq)]
pub struct MachineAdminPageProps {
    /// The machine's API id.
    pub id: AttrValue,
}

/// A machine as staff run it.
#[function_component]
pub fn MachineAdminPage(props: &MachineAdminPageProps) -> Html {
    html! {
        <MembersOnly prompt="Sign in to manage this machine">
            <Admin id={props.id.clone()} />
        </MembersOnly>
    }
}

#[function_component]
fn Admin(props: &MachineAdminPageProps) -> Html {
    let machine = use_remote(props.id.to_string(), services::machine_admin);
    use_title(match &*machine.state {
        Remote::Ready(machine) => format!("Manage {}", machine.details.name),
        _ => "Manage a machine".to_owned(),
    });
    match &*machine.state {
        Remote::Loading => loading("Loading the machine…"),
        Remote::Failed(error) if error.has_code("FORBIDDEN") => html! {
            <Notice title="Only the space's staff manage its machines">
                <p>{ error.to_string() }</p>
            </Notice>
        },
        Remote::Failed(error) if error.is_not_found() => html! {
            <Notice title="There is no machine at this address">
                <p>{ "It may have been removed, or it belongs to a makerspace you cannot see." }</p>
            </Notice>
        },
        Remote::Failed(error) => failed(
            "The machine could not be loaded",
            error,
            machine.retry.clone(),
        ),
        Remote::Ready(loaded) => html! {
            <Manage machine={loaded.clone()} reload={machine.refresh.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct ManageProps {
    machine: MachineAdmin,
    reload: Callback<()>,
}

#[function_component]
fn Manage(props: &ManageProps) -> Html {
    let machine = &props.machine;
    let saving = use_state(|| Sent::Writing);
    let setting_status = use_state(|| Sent::Writing);
    let gating = use_state(|| Sent::Writing);
    let logging = use_state(|| Sent::Writing);
    let reload = &props.reload;
    let on_save = {
        let (state, reload, id) = (saving.clone(), reload.clone(), machine.id.clone());
        Callback::from(move |details: MachineDetails| {
            let saved = services::update_machine(id.clone(), details);
            send(state.clone(), reload.clone(), async move {
                saved.await?;
                Ok("Saved.".to_owned())
            });
        })
    };
    let on_status = {
        let (state, reload, id) = (setting_status.clone(), reload.clone(), machine.id.clone());
        Callback::from(move |status: EquipmentStatus| {
            let set = services::set_machine_status(id.clone(), status);
            send(state.clone(), reload.clone(), async move {
                set.await?;
                Ok(format!("{}: members see it now.", status.label()))
            });
        })
    };
    let on_gate = {
        let (state, reload, id) = (gating.clone(), reload.clone(), machine.id.clone());
        let skills = machine.skills.clone();
        Callback::from(move |gate: Option<(String, String)>| {
            let said = match &gate {
                Some((skill, level)) => {
                    let name = skills
                        .iter()
                        .find(|option| option.id == *skill)
                        .map_or("the skill", |option| option.name.as_str());
                    format!("Booking it takes {name} at {level} or above.")
                }
                None => "Anyone on a plan that covers it may book it.".to_owned(),
            };
            let set = services::set_skill_gate(id.clone(), gate);
            send(state.clone(), reload.clone(), async move {
                set.await?;
                Ok(said)
            });
        })
    };
    let on_log = {
        let (state, reload, id) = (logging.clone(), reload.clone(), machine.id.clone());
        Callback::from(move |(description, cost): (String, i64)| {
            let logged = services::log_maintenance(id.clone(), description, cost);
            send(state.clone(), reload.clone(), async move {
                logged.await?;
                Ok("Logged.".to_owned())
            });
        })
    };
    let url = address(&Route::Machine {
        id: machine.id.clone(),
    });
    let currency = AttrValue::from(machine.currency.clone());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Machine { id: machine.id.clone() }}>
                    { format!("← {}'s week", machine.details.name) }
                </Link<Route>>
            </nav>
            <h1 class="page__title">{ format!("Manage {}", machine.details.name) }</h1>
            <section class="booking panel" aria-labelledby="details-heading">
                <h2 class="panel__title" id="details-heading">{ "Details" }</h2>
                <MachineForm details={machine.details.clone()} currency={currency.clone()} action="Save"
                    state={(*saving).clone()} {on_save} />
            </section>
            <section class="booking panel" aria-labelledby="status-heading">
                <h2 class="panel__title" id="status-heading">{ "Status" }</h2>
                <StatusForm status={machine.status} state={(*setting_status).clone()} on_set={on_status} />
            </section>
            <section class="booking panel" aria-labelledby="gate-heading">
                <h2 class="panel__title" id="gate-heading">{ "Skill needed" }</h2>
                <GateForm skills={machine.skills.clone()} gate={machine.gate.clone()}
                    state={(*gating).clone()} on_set={on_gate} />
            </section>
            <section class="booking panel" aria-labelledby="log-heading">
                <h2 class="panel__title" id="log-heading">{ "Maintenance log" }</h2>
                <MaintenanceLog log={machine.log.clone()} {currency} state={(*logging).clone()} {on_log} />
            </section>
            <section class="booking panel" aria-labelledby="qr-heading">
                <h2 class="panel__title" id="qr-heading">{ "QR code" }</h2>
                <p class="booking__summary">{ "Stick it on the machine: scanning it opens the machine's week." }</p>
                <QrLabel name={machine.details.name.clone()} {url} />
                <button class="button" type="button" onclick={print()}>{ "Print the QR code" }</button>
            </section>
        </>
    }
}

/// Properties of [`NewMachinePage`].
#[derive(Properties, PartialEq)]
pub struct NewMachinePageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// Adding a machine to a space.
#[function_component]
pub fn NewMachinePage(props: &NewMachinePageProps) -> Html {
    use_title("Add a machine".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to add a machine">
                <NewMachine slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn NewMachine(props: &NewMachinePageProps) -> Html {
    let space = use_remote(props.slug.to_string(), services::space_by_slug);
    let adding = use_state(|| Sent::Writing);
    let navigator = use_navigator();
    match &*space.state {
        Remote::Loading => loading("Loading the makerspace…"),
        Remote::Failed(error) => failed(
            "The makerspace could not be loaded",
            error,
            space.retry.clone(),
        ),
        Remote::Ready(space) => {
            let on_save = {
                let (state, id) = (adding.clone(), space.id.clone());
                Callback::from(move |details: MachineDetails| {
                    let added = services::add_machine(id.clone(), details);
                    let navigator = navigator.clone();
                    send(state.clone(), Callback::noop(), async move {
                        let id = added.await?;
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::MachineAdmin { id });
                        }
                        Ok("Added.".to_owned())
                    });
                })
            };
            html! {
                <>
                    <h1 class="page__title">{ format!("{}: add a machine", space.name) }</h1>
                    <section class="booking panel" aria-label="The machine">
                        <MachineForm details={MachineDetails::default()} currency={space.currency.clone()}
                            action="Add the machine" state={(*adding).clone()} {on_save} />
                    </section>
                </>
            }
        }
    }
}
