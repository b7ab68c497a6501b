//! A machine's status as a coloured badge.

use crate::equipment::EquipmentStatus;
use yew::prelude::*;

/// Properties of [`StatusBadge`].
#[derive(Properties, PartialEq)]
pub struct StatusBadgeProps {
    /// The status to show.
    pub status: EquipmentStatus,
    /// Whether it just changed live: the badge flashes once to draw the eye.
    #[prop_or_default]
    pub changed: bool,
}

/// A status badge. Colour is never the only signal: the words are always there.
#[function_component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    let class = classes!(
        "status",
        props.status.css_class(),
        props.changed.then_some("status--changed")
    );
    html! {
        <span class={class}>
            <span class="status__dot" aria-hidden="true"></span>
            { props.status.label() }
        </span>
    }
}
