//! MakrCave's routes (under `/makrcave/`) and the shell that frames them.

use makrx_web::layout::{Layout, Site};
use makrx_web::session::SessionProvider;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{MachinePage, MySpacesPage, NotFound, SpacePage};

/// Where the app is served on its origin.
pub const BASE: &str = "/makrcave";

/// MakrCave's addresses, below [`BASE`].
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    /// The makerspaces the signed-in person belongs to.
    #[at("/")]
    MySpaces,
    /// A makerspace's machines.
    #[at("/spaces/:slug")]
    Space {
        /// Its address in URLs.
        slug: String,
    },
    /// A machine's week, this week.
    #[at("/machines/:id")]
    Machine {
        /// Its API id.
        id: String,
    },
    /// A machine's week from a given Monday.
    #[at("/machines/:id/weeks/:week")]
    MachineWeek {
        /// Its API id.
        id: String,
        /// The Monday (`2026-12-07`).
        week: String,
    },
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn page(route: Route) -> Html {
    match route {
        Route::MySpaces => html! { <MySpacesPage /> },
        Route::Space { slug } => html! { <SpacePage slug={slug} /> },
        Route::Machine { id } => html! { <MachinePage id={id} /> },
        Route::MachineWeek { id, week } => {
            html! { <MachinePage id={id} week={Some(AttrValue::from(week))} /> }
        }
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The app in the browser: the shell under the browser's history (below [`BASE`]) and the
/// session.
#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter basename={BASE}>
            <SessionProvider>
                <Shell />
            </SessionProvider>
        </BrowserRouter>
    }
}

/// Everything inside the router and the session, apart so that tests can render it under a
/// memory history with the session they choose.
#[function_component]
pub fn Shell() -> Html {
    html! {
        <Layout<Route> home={Route::MySpaces} current={Site::MakrCave}>
            <Switch<Route> render={page} />
        </Layout<Route>>
    }
}
