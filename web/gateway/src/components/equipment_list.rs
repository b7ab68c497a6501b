//! A makerspace's machines with their status.

use std::collections::HashMap;
use std::rc::Rc;

use makrx_web::equipment::EquipmentStatus;
use yew::prelude::*;

use crate::types::Machine;
use makrx_web::components::StatusBadge;

/// Properties of [`EquipmentList`].
#[derive(Properties, PartialEq)]
pub struct EquipmentListProps {
    /// The machines as the page loaded them.
    pub machines: Vec<Machine>,
    /// Statuses heard live since, by machine id; they win over the loaded ones.
    #[prop_or_default]
    pub changed: Rc<HashMap<String, EquipmentStatus>>,
}

/// The machines, a summary of how many are free, and each one's badge.
#[function_component]
pub fn EquipmentList(props: &EquipmentListProps) -> Html {
    if props.machines.is_empty() {
        return html! {
            <p class="machines__empty">{ "No machines are listed for this space yet." }</p>
        };
    }
    let current: Vec<(&Machine, EquipmentStatus, bool)> = props
        .machines
        .iter()
        .map(|machine| match props.changed.get(&machine.id) {
            Some(status) => (machine, *status, true),
            None => (machine, machine.status, false),
        })
        .collect();
    let available = current
        .iter()
        .filter(|(_, status, _)| *status == EquipmentStatus::Available)
        .count();
    html! {
        <>
            <p class="machines__summary">
                { format!("{available} of {} available now", current.len()) }
            </p>
            <ul class="machines">
                { for current.into_iter().map(|(machine, status, changed)| html! {
                    <li class="machine" key={machine.id.clone()}>
                        <div class="machine__text">
                            <span class="machine__name">{ &machine.name }</span>
                            <span class="machine__kind">{ &machine.kind }</span>
                        </div>
                        // Keyed by status, so that each change renders a fresh badge and its
                        // flash plays again.
                        <StatusBadge key={status.label()} {status} {changed} />
                    </li>
                }) }
            </ul>
        </>
    }
}
