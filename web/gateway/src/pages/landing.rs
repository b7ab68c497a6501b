//! `/`: the makerspaces of the network, and the way to what its makers build.

use makrx_web::hooks::use_title;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::MakerspaceList;
use crate::hooks::use_pages;
use crate::services;

/// The landing page.
#[function_component]
pub fn Landing() -> Html {
    use_title(String::new());
    let directory = use_pages((), |(), after| services::directory_page(after));
    html! {
        <>
            <section class="hero">
                <p class="hero__eyebrow">{ "The MakrX network" }</p>
                <h1 class="hero__title">{ "Makerspaces near you, and what they can make" }</h1>
                <p class="hero__lede">
                    { "Find a workshop, see the machines it has and whether they are free right now." }
                </p>
                <p class="hero__more">
                    <Link<Route> to={Route::Projects}>
                        { "See what makers are building" }
                        <span aria-hidden="true">{ " →" }</span>
                    </Link<Route>>
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
