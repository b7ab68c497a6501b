//! MakrCave's routes (under `/makrcave/`) and the shell that frames them.

use makrx_web::layout::{Layout, NavLink, Site};
use makrx_web::session::SessionProvider;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{
    ApprovalsPage, DeskPage, FabricationJobsPage, FabricationPage, ItemPage, LabelsPage,
    MachineAdminPage, MachinePage, MembersPage, MyBookingsPage, MyLoansPage, MyProjectsPage,
    MySpacesPage, NewMachinePage, NotFound, ProjectPage, SettingsPage, SkillDeskPage, SkillsPage,
    SpaceLoansPage, SpacePage, StockPage,
};

/// Where the app is served on its origin.
pub const BASE: &str = "/makrcave";

/// MakrCave's addresses, below [`BASE`].
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    /// The makerspaces the signed-in person belongs to.
    #[at("/")]
    MySpaces,
    /// The signed-in person's bookings.
    #[at("/bookings")]
    MyBookings,
    /// The tools the signed-in person borrowed.
    #[at("/loans")]
    MyLoans,
    /// The signed-in person's projects; they start one there.
    #[at("/projects")]
    MyProjects,
    /// A project: its files and bills of materials; anyone's to read when public.
    #[at("/projects/:id")]
    Project {
        /// Its API id.
        id: String,
    },
    /// A makerspace's tools out, for its staff to take back.
    #[at("/spaces/:slug/loans")]
    SpaceLoans {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's machines.
    #[at("/spaces/:slug")]
    Space {
        /// Its address in URLs.
        slug: String,
    },
    /// A makerspace's bookings waiting for approval; staff and above.
    #[at("/spaces/:slug/approvals")]
    Approvals {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's desk today: the day's bookings to check in and out; staff and above.
    #[at("/spaces/:slug/desk")]
    Desk {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's desk on a given local day.
    #[at("/spaces/:slug/desk/:date")]
    DeskDay {
        /// The space's address in URLs.
        slug: String,
        /// The day (`2026-12-07`).
        date: String,
    },
    /// A makerspace's members; managers run its membership there.
    #[at("/spaces/:slug/members")]
    Members {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's check-off requests and its skills, for its staff to check members off.
    #[at("/spaces/:slug/checkoffs")]
    Checkoffs {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's settings, opening hours and closures; managers change them.
    #[at("/spaces/:slug/settings")]
    Settings {
        /// The space's address in URLs.
        slug: String,
    },
    /// Whether a makerspace makes parts for the store's customers; managers offer it there
    /// and choose the 3D printers that make them.
    #[at("/spaces/:slug/fabrication")]
    Fabrication {
        /// The space's address in URLs.
        slug: String,
    },
    /// The parts a makerspace makes for the store's customers, live: a queue for each process
    /// that its staff (and above) move each job along in.
    #[at("/spaces/:slug/jobs")]
    FabricationJobs {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's skills and the signed-in person's level in each.
    #[at("/spaces/:slug/skills")]
    Skills {
        /// The space's address in URLs.
        slug: String,
    },
    /// A makerspace's stock, its low items live; staff add items and places there.
    #[at("/spaces/:slug/inventory")]
    Stock {
        /// The space's address in URLs.
        slug: String,
    },
    /// What one place of a makerspace holds: where a place's label leads.
    #[at("/spaces/:slug/inventory/at/:place")]
    StockAt {
        /// The space's address in URLs.
        slug: String,
        /// The place's API id.
        place: String,
    },
    /// A sheet of QR labels for a makerspace's items and places, to print.
    #[at("/spaces/:slug/inventory/labels")]
    Labels {
        /// The space's address in URLs.
        slug: String,
    },
    /// An item of a makerspace's stock: where an item's label leads; staff record its
    /// movements there.
    #[at("/inventory/:id")]
    Item {
        /// Its API id.
        id: String,
    },
    /// A machine's week, this week.
    #[at("/machines/:id")]
    Machine {
        /// Its API id.
        id: String,
    },
    /// A machine as its space's staff run it.
    #[at("/machines/:id/manage")]
    MachineAdmin {
        /// Its API id.
        id: String,
    },
    /// Adding a machine to a makerspace; staff and above.
    #[at("/spaces/:slug/machines/new")]
    NewMachine {
        /// The space's address in URLs.
        slug: String,
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

/// The whole address of `route` on this origin, as a printed QR code opens it.
pub fn address(route: &Route) -> String {
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{BASE}{}", route.to_path())
}

fn page(route: Route) -> Html {
    match route {
        Route::MySpaces => html! { <MySpacesPage /> },
        Route::MyBookings => html! { <MyBookingsPage /> },
        Route::MyLoans => html! { <MyLoansPage /> },
        Route::MyProjects => html! { <MyProjectsPage /> },
        Route::Project { id } => html! { <ProjectPage id={id} /> },
        Route::SpaceLoans { slug } => html! { <SpaceLoansPage slug={slug} /> },
        Route::Space { slug } => html! { <SpacePage slug={slug} /> },
        Route::Approvals { slug } => html! { <ApprovalsPage slug={slug} /> },
        Route::Desk { slug } => html! { <DeskPage slug={slug} /> },
        Route::DeskDay { slug, date } => {
            html! { <DeskPage slug={slug} date={Some(AttrValue::from(date))} /> }
        }
        Route::Members { slug } => html! { <MembersPage slug={slug} /> },
        Route::Checkoffs { slug } => html! { <SkillDeskPage slug={slug} /> },
        Route::Settings { slug } => html! { <SettingsPage slug={slug} /> },
        Route::Fabrication { slug } => html! { <FabricationPage slug={slug} /> },
        Route::FabricationJobs { slug } => html! { <FabricationJobsPage slug={slug} /> },
        Route::Skills { slug } => html! { <SkillsPage slug={slug} /> },
        Route::Stock { slug } => html! { <StockPage slug={slug} /> },
        Route::StockAt { slug, place } => {
            html! { <StockPage slug={slug} place={Some(AttrValue::from(place))} /> }
        }
        Route::Labels { slug } => html! { <LabelsPage slug={slug} /> },
        Route::Item { id } => html! { <ItemPage id={id} /> },
        Route::Machine { id } => html! { <MachinePage id={id} /> },
        Route::MachineAdmin { id } => html! { <MachineAdminPage id={id} /> },
        Route::NewMachine { slug } => html! { <NewMachinePage slug={slug} /> },
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
            <nav class="app-nav" aria-label="MakrCave">
                <NavLink<Route> to={Route::MySpaces} label="Your makerspaces" />
                <NavLink<Route> to={Route::MyBookings} label="Your bookings" />
                <NavLink<Route> to={Route::MyLoans} label="Your loans" />
                <NavLink<Route> to={Route::MyProjects} label="Your projects" />
            </nav>
            <Switch<Route> render={page} />
        </Layout<Route>>
    }
}
