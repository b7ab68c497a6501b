//! Searching the community hub.

use makrx_web::form::TextField;
use yew::prelude::*;

/// Properties of [`ProjectSearch`].
#[derive(Properties, PartialEq)]
pub struct ProjectSearchProps {
    /// What is searched for now; empty for every project.
    pub search: AttrValue,
    /// The words to search for, trimmed, once submitted; empty for every project.
    pub on_search: Callback<String>,
}

/// A search box for the hub's projects: nothing is searched until it is submitted.
#[function_component]
pub fn ProjectSearch(props: &ProjectSearchProps) -> Html {
    let typed = use_state(|| props.search.to_string());
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |text| typed.set(text))
    };
    let onsubmit = {
        let (typed, on_search) = (typed.clone(), props.on_search.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_search.emit(typed.trim().to_owned());
        })
    };
    html! {
        <form class="project-search" role="search" {onsubmit}>
            <TextField name="search" label="Search projects" value={(*typed).clone()} {on_input} />
            <button class="button" type="submit">{ "Search" }</button>
        </form>
    }
}
