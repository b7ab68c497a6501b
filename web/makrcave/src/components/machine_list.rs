//! A space's machines: status (live), class, the skill level each needs and whether the
//! person holds it; each leads to its week.

use std::collections::HashMap;
use std::rc::Rc;

use makrx_web::components::StatusBadge;
use makrx_web::equipment::EquipmentStatus;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::types::MachineSummary;

/// Properties of [`MachineList`].
#[derive(Properties, PartialEq)]
pub struct MachineListProps {
    /// The machines, by name.
    pub machines: Vec<MachineSummary>,
    /// Statuses heard live since they were loaded, by machine id.
    #[prop_or_default]
    pub changed: Rc<HashMap<String, EquipmentStatus>>,
}

/// The list, or a sentence when the space has no machines yet.
#[function_component]
pub fn MachineList(props: &MachineListProps) -> Html {
    if props.machines.is_empty() {
        return html! { <p class="machines__empty">{ "This makerspace has no machines yet." }</p> };
    }
    html! {
        <ul class="machines">
            { for props.machines.iter().map(|machine| {
                let heard = props.changed.get(&machine.id).copied();
                let gate = machine.gate.as_ref().map(|gate| {
                    let (modifier, words) = if gate.held {
                        ("gate--held", "you hold it")
                    } else {
                        ("gate--missing", "you do not hold it yet")
                    };
                    html! {
                        <span class={classes!("gate", modifier)}>
                            { format!("Needs {}: {} — {words}", gate.skill, gate.level) }
                        </span>
                    }
                });
                html! {
                    <li class="machine">
                        <div class="machine__text">
                            <Link<Route> to={Route::Machine { id: machine.id.clone() }} classes="machine__name">
                                { &machine.name }
                            </Link<Route>>
                            <span class="machine__kind">{ kind(machine) }</span>
                            { for gate }
                        </div>
                        <StatusBadge status={heard.unwrap_or(machine.status)} changed={heard.is_some()} />
                    </li>
                }
            }) }
        </ul>
    }
}

/// The machine's class and kind, once when they say the same (`Laser cutter`).
fn kind(machine: &MachineSummary) -> String {
    let class = machine.class.label();
    if class.eq_ignore_ascii_case(machine.kind.trim()) {
        class.to_owned()
    } else {
        format!("{class} · {}", machine.kind)
    }
}
