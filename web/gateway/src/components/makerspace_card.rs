//! One makerspace in the network's list.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::types::MakerspaceSummary;

/// Properties of [`MakerspaceCard`].
#[derive(Properties, PartialEq)]
pub struct MakerspaceCardProps {
    /// The makerspace.
    pub space: MakerspaceSummary,
}

/// "No machines listed", "1 machine", "4 machines".
pub fn machines_label(count: usize) -> String {
    match count {
        0 => "No machines listed".to_owned(),
        1 => "1 machine".to_owned(),
        n => format!("{n} machines"),
    }
}

/// A card leading to the makerspace's page; the whole card is the link.
#[function_component]
pub fn MakerspaceCard(props: &MakerspaceCardProps) -> Html {
    let space = &props.space;
    let location = if space.location.trim().is_empty() {
        "Location not given"
    } else {
        &space.location
    };
    html! {
        <li class="space-card">
            <Link<Route> to={Route::Makerspace { slug: space.slug.clone() }} classes="space-card__link">
                <h2 class="space-card__name">{ &space.name }</h2>
                <p class="space-card__location">
                    <span class="icon icon--pin" aria-hidden="true"></span>
                    { location }
                </p>
                <p class="space-card__equipment">{ machines_label(space.equipment_count) }</p>
            </Link<Route>>
        </li>
    }
}
