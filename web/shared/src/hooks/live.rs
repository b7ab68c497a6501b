//! Pages that show what a feed tells of, reloaded quietly at every change it announces, and
//! what depends on the time of day, drawn again as it passes.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::subscription::{LinkState, Listeners, Resumable, subscribe};

/// Follows the feed `Q` subscribed with `variables` until the page goes away, calling `reload`
/// at every change and whenever changes may have been missed; answers how the link is doing.
#[hook]
pub fn use_reload_on_change<Q>(variables: Q::Variables, reload: Callback<()>) -> LinkState
where
    Q: Resumable + 'static,
    Q::Variables: PartialEq + Clone + 'static,
{
    let changed = reload.reform(|_: Q::ResponseData| ());
    use_feed::<Q>(variables, changed, reload)
}

/// Follows the feed `Q` subscribed with `variables` until the page goes away, handing each
/// event to `on_event` and calling `on_gap` whenever events may have been missed (to reload
/// what they would have changed); answers how the link is doing.
#[hook]
pub fn use_feed<Q>(
    variables: Q::Variables,
    on_event: Callback<Q::ResponseData>,
    on_gap: Callback<()>,
) -> LinkState
where
    Q: Resumable + 'static,
    Q::Variables: PartialEq + Clone + 'static,
{
    let link = use_state(|| LinkState::Connecting);
    {
        let link = link.setter();
        use_effect_with(variables, move |variables| {
            let listeners = Listeners {
                on_data: on_event,
                on_state: Callback::from(move |state| link.set(state)),
                on_gap,
            };
            let subscription = subscribe::<Q>(variables.clone(), listeners);
            move || drop(subscription)
        });
    }
    *link
}

/// Now, in seconds since the epoch, by the browser's clock.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Now, in seconds since the epoch: `start` at first (what the page was drawn with), then the
/// browser's clock every `seconds`, for as long as the component is shown.
#[hook]
pub fn use_now(start: i64, seconds: u32) -> i64 {
    let now = use_state(|| start);
    {
        let now = now.setter();
        use_effect_with(seconds, move |seconds| {
            let tick = Interval::new(seconds * 1_000, move || now.set(self::now()));
            move || drop(tick)
        });
    }
    *now
}
