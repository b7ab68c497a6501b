//! `/projects`: the community hub, the network's public projects newest first, searchable.

use makrx_web::hooks::use_title;
use yew::prelude::*;

use crate::components::{ProjectList, ProjectSearch};
use crate::hooks::use_pages;
use crate::services;

/// The community hub.
#[function_component]
pub fn ProjectsPage() -> Html {
    use_title("Projects".to_owned());
    let search = use_state(String::new);
    let projects = use_pages((*search).clone(), services::public_projects);
    let on_search = {
        let search = search.clone();
        Callback::from(move |words| search.set(words))
    };
    html! {
        <>
            <header class="hub__head">
                <h1 class="hub__title">{ "Projects" }</h1>
                <p class="hub__lede">{ "What makers of the network are building, newest first." }</p>
            </header>
            <ProjectSearch search={(*search).clone()} {on_search} />
            <ProjectList
                list={projects.list}
                search={(*search).clone()}
                more={projects.more}
                on_retry={projects.retry}
                on_more={projects.load_more}
            />
        </>
    }
}
