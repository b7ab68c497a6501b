//! Pages that show what a feed tells of: reloaded quietly at every change it announces.

use makrx_web::subscription::{LinkState, Listeners, Resumable, subscribe};
use yew::prelude::*;

/// Follows the feed `Q` subscribed with `variables` until the page goes away, calling `reload`
/// at every change and whenever changes may have been missed; answers how the link is doing.
#[hook]
pub fn use_reload_on_change<Q>(variables: Q::Variables, reload: Callback<()>) -> LinkState
where
    Q: Resumable + 'static,
    Q::Variables: PartialEq + Clone + 'static,
{
    let link = use_state(|| LinkState::Connecting);
    {
        let link = link.setter();
        use_effect_with(variables, move |variables| {
            let changed = reload.clone();
            let listeners = Listeners {
                on_data: Callback::from(move |_: Q::ResponseData| changed.emit(())),
                on_state: Callback::from(move |state| link.set(state)),
                on_gap: reload.reform(|()| ()),
            };
            let subscription = subscribe::<Q>(variables.clone(), listeners);
            move || drop(subscription)
        });
    }
    *link
}
