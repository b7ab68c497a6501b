//! The gateway's routes and the shell that frames them.

use makrx_web::layout::{Layout, Site};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{Landing, MakerspacePage, NotFound};

/// The gateway's addresses.
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    /// The network's makerspaces.
    #[at("/")]
    Landing,
    /// One makerspace.
    #[at("/spaces/:slug")]
    Makerspace {
        /// Its address in URLs.
        slug: String,
    },
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn page(route: Route) -> Html {
    match route {
        Route::Landing => html! { <Landing /> },
        Route::Makerspace { slug } => html! { <MakerspacePage slug={slug} /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The app in the browser: the shell under the browser's history.
#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <Shell />
        </BrowserRouter>
    }
}

/// Everything inside the router, apart so that tests can render it under a memory history
/// (a `BrowserRouter` cannot be rendered natively).
#[function_component]
pub fn Shell() -> Html {
    html! {
        <Layout<Route> home={Route::Landing} current={Site::Gateway}>
            <Switch<Route> render={page} />
        </Layout<Route>>
    }
}
