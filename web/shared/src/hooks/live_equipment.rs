//! A makerspace's machine statuses as they change, over the router's WebSocket.

use std::collections::HashMap;
use std::rc::Rc;

use crate::equipment::{EquipmentStatus, EquipmentStatusChanged, equipment_status_changed};
use crate::subscription::{LinkState, Listeners, subscribe};
use yew::prelude::*;

/// What [`use_live_equipment`] gives the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEquipment {
    /// Statuses heard since the page last loaded, by machine id: newer than what it loaded.
    pub changed: Rc<HashMap<String, EquipmentStatus>>,
    /// How the live connection is doing.
    pub link: LinkState,
}

#[derive(Debug, Default, PartialEq)]
struct Changes(Rc<HashMap<String, EquipmentStatus>>);

enum Change {
    Heard(String, EquipmentStatus),
    /// The page reloads its machines: what was heard so far is in what it loads.
    Forget,
}

impl Reducible for Changes {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        match change {
            Change::Heard(machine, status) => {
                let mut changed = (*self.0).clone();
                changed.insert(machine, status);
                Rc::new(Changes(Rc::new(changed)))
            }
            Change::Forget => Rc::default(),
        }
    }
}

/// Follows the status of `makerspace_id`'s machines until the page goes away; `reload` is
/// called when changes may have been missed (see [`Listeners::on_gap`]) and must reload the
/// machines the page shows.
#[hook]
pub fn use_live_equipment(makerspace_id: String, reload: Callback<()>) -> LiveEquipment {
    let changes = use_reducer(Changes::default);
    let link = use_state(|| LinkState::Connecting);
    {
        let changes = changes.dispatcher();
        let link = link.setter();
        use_effect_with(makerspace_id, move |makerspace_id| {
            let heard = changes.clone();
            let listeners = Listeners {
                on_data: Callback::from(move |data: equipment_status_changed::ResponseData| {
                    let change = data.equipment_status_changed;
                    heard.dispatch(Change::Heard(change.equipment_id, change.status));
                }),
                on_state: Callback::from(move |state| link.set(state)),
                on_gap: Callback::from(move |()| {
                    changes.dispatch(Change::Forget);
                    reload.emit(());
                }),
            };
            let variables = equipment_status_changed::Variables {
                makerspace_id: makerspace_id.clone(),
                after: None,
            };
            let subscription = subscribe::<EquipmentStatusChanged>(variables, listeners);
            move || drop(subscription)
        });
    }
    LiveEquipment {
        changed: changes.0.clone(),
        link: *link,
    }
}
