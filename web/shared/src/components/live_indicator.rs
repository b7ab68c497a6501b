//! A small sign of whether the statuses on the page are live.

use crate::subscription::LinkState;
use yew::prelude::*;

/// Properties of [`LiveIndicator`].
#[derive(Properties, PartialEq)]
pub struct LiveIndicatorProps {
    /// How the live connection is doing.
    pub state: LinkState,
}

/// "Live", "Connecting…" or "Reconnecting…", announced politely to screen readers.
#[function_component]
pub fn LiveIndicator(props: &LiveIndicatorProps) -> Html {
    let (modifier, label, hint) = match props.state {
        LinkState::Connecting => ("live--connecting", "Connecting…", String::new()),
        LinkState::Live => (
            "live--on",
            "Live",
            "Statuses update as they change".to_owned(),
        ),
        LinkState::Reconnecting { attempt } => (
            "live--reconnecting",
            "Reconnecting…",
            format!("The live connection dropped; attempt {attempt}. Statuses may be out of date."),
        ),
    };
    html! {
        <span class={classes!("live", modifier)} role="status" aria-live="polite" title={hint}>
            <span class="live__dot" aria-hidden="true"></span>
            { label }
        </span>
    }
}
