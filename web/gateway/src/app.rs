//! The gateway's routes and the shell that frames them.

use makrx_web::layout::{Layout, Site};
use makrx_web::session::SessionProvider;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{Landing, MakerPage, MakerspacePage, NotFound, ProfilePage, ProjectsPage};

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
    /// The community hub: public projects.
    #[at("/projects")]
    Projects,
    /// A maker's public profile.
    #[at("/makers/:id")]
    Maker {
        /// Their API id.
        id: String,
    },
    /// The signed-in person's profile.
    #[at("/profile")]
    Profile,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn page(route: Route) -> Html {
    match route {
        Route::Landing => html! { <Landing /> },
        Route::Makerspace { slug } => html! { <MakerspacePage slug={slug} /> },
        Route::Projects => html! { <ProjectsPage /> },
        Route::Maker { id } => html! { <MakerPage id={id} /> },
        Route::Profile => html! { <ProfilePage /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The app in the browser: the shell under the browser's history and the session.
#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <SessionProvider>
                <Shell />
            </SessionProvider>
        </BrowserRouter>
    }
}

/// Everything inside the router and the session, apart so that tests can render it under a
/// memory history (a `BrowserRouter` cannot be rendered natively) with the session they choose.
#[function_component]
pub fn Shell() -> Html {
    html! {
        <Layout<Route> home={Route::Landing} current={Site::Gateway} profile={Route::Profile}>
            <Switch<Route> render={page} />
        </Layout<Route>>
    }
}
