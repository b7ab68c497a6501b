//! The community hub's projects, in each state the list can be in.

use makrx_web::layout::{Notice, Tone};
use makrx_web::remote::Remote;
use yew::prelude::*;

use super::{ProjectCards, more_button};
use crate::hooks::MoreState;
use crate::types::Hub;

/// Properties of [`ProjectList`].
#[derive(Properties, PartialEq)]
pub struct ProjectListProps {
    /// The list as loaded so far.
    pub list: Remote<Hub>,
    /// What it was searched for; empty for every project.
    #[prop_or_default]
    pub search: AttrValue,
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

/// The projects, or what stands in for them while loading, when there are none and when
/// they failed.
#[function_component]
pub fn ProjectList(props: &ProjectListProps) -> Html {
    match &props.list {
        Remote::Loading => html! {
            <div aria-busy="true">
                <p class="visually-hidden" role="status">{ "Loading projects…" }</p>
                <ul class="card-grid" aria-hidden="true">
                    { for (0..PLACEHOLDERS).map(|_| html! { <li class="project-card project-card--placeholder"></li> }) }
                </ul>
            </div>
        },
        Remote::Failed(error) => html! {
            <Notice title="The projects could not be loaded" tone={Tone::Problem}>
                <p>{ error.to_string() }</p>
                <button class="button" type="button" onclick={props.on_retry.reform(|_| ())}>
                    { "Try again" }
                </button>
            </Notice>
        },
        Remote::Ready(list) if list.projects.is_empty() && props.search.is_empty() => html! {
            <Notice title="No public projects yet">
                <p>{ "When a maker shares a project with everyone, it appears here." }</p>
            </Notice>
        },
        Remote::Ready(list) if list.projects.is_empty() => html! {
            <Notice title={format!("No projects match “{}”", props.search)}>
                <p>{ "Try other words, or search for nothing to see every project." }</p>
            </Notice>
        },
        Remote::Ready(list) => html! {
            <>
                <ProjectCards projects={list.projects.clone()} />
                { more_button("More projects", list.next_page.is_some(), &props.more, &props.on_more) }
            </>
        },
    }
}
