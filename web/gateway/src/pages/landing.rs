//! `/`: the makerspaces of the network.

use makrx_web::hooks::use_title;
use yew::prelude::*;

use crate::components::MakerspaceList;
use crate::hooks::use_directory;

/// The landing page.
#[function_component]
pub fn Landing() -> Html {
    use_title(String::new());
    let directory = use_directory();
    html! {
        <>
            <section class="hero">
                <p class="hero__eyebrow">{ "The MakrX network" }</p>
                <h1 class="hero__title">{ "Makerspaces near you, and what they can make" }</h1>
                <p class="hero__lede">
                    { "Find a workshop, see the machines it has and whether they are free right now." }
                </p>
            </section>
            <MakerspaceList
                list={directory.list}
                more={directory.more}
                on_retry={directory.retry}
                on_more={directory.load_more}
            />
        </>
    }
}
