//! The network's makerspaces on the landing page, in each state the list can be in.

use makrx_web::layout::{Notice, Tone};
use makrx_web::remote::Remote;
use yew::prelude::*;

use super::{MakerspaceCard, more_button};
use crate::hooks::MoreState;
use crate::types::Directory;

/// Properties of [`MakerspaceList`].
#[derive(Properties, PartialEq)]
pub struct MakerspaceListProps {
    /// The list as loaded so far.
    pub list: Remote<Directory>,
    /// Where loading the next page stands.
    #[prop_or_default]
    pub more: MoreState,
    /// Asks for the first page again.
    pub on_retry: Callback<()>,
    /// Asks for the next page.
    pub on_more: Callback<()>,
}

/// How many placeholder cards stand in for the list while it loads.
const PLACEHOLDERS: usize = 3;

/// The list, or what stands in for it while loading, when empty and when it failed.
#[function_component]
pub fn MakerspaceList(props: &MakerspaceListProps) -> Html {
    match &props.list {
        Remote::Loading => html! {
            <div class="space-list" aria-busy="true">
                <p class="visually-hidden" role="status">{ "Loading makerspaces…" }</p>
                <ul class="card-grid" aria-hidden="true">
                    { for (0..PLACEHOLDERS).map(|_| html! { <li class="space-card space-card--placeholder"></li> }) }
                </ul>
            </div>
        },
        Remote::Failed(error) => html! {
            <Notice title="The makerspaces could not be loaded" tone={Tone::Problem}>
                <p>{ error.to_string() }</p>
                <button class="button" type="button" onclick={props.on_retry.reform(|_| ())}>
                    { "Try again" }
                </button>
            </Notice>
        },
        Remote::Ready(directory) if directory.spaces.is_empty() => html! {
            <Notice title="No makerspaces yet">
                <p>{ "When a makerspace joins the MakrX network, it appears here." }</p>
            </Notice>
        },
        Remote::Ready(directory) => html! {
            <div class="space-list">
                <p class="space-list__count">{ count_label(directory) }</p>
                <ul class="card-grid">
                    { for directory.spaces.iter().map(|space| html! {
                        <MakerspaceCard key={space.id.clone()} space={space.clone()} />
                    }) }
                </ul>
                { more_button("Show more makerspaces", directory.next_page.is_some(), &props.more, &props.on_more) }
            </div>
        },
    }
}

fn count_label(directory: &Directory) -> String {
    match (directory.total, directory.spaces.len()) {
        (1, _) => "1 makerspace in the network".to_owned(),
        (total, shown) if shown < total => format!("{shown} of {total} makerspaces"),
        (total, _) => format!("{total} makerspaces in the network"),
    }
}
