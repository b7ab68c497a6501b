//! MakrCave's pages: each loads what it shows and hands plain data to the components.

mod approvals;
mod desk;
mod fabrication;
mod fabrication_jobs;
mod lending;
mod machine;
mod machine_admin;
mod members;
mod my_bookings;
mod my_spaces;
mod not_found;
mod projects;
mod settings;
mod skill_desk;
mod skills;
mod space;
mod stock;

pub use approvals::ApprovalsPage;
pub use desk::DeskPage;
pub use fabrication::FabricationPage;
pub use fabrication_jobs::FabricationJobsPage;
pub use lending::{ItemLendingPanel, MyLoansPage, SpaceLoansPage};
pub use machine::MachinePage;
pub use machine_admin::{MachineAdminPage, NewMachinePage};
pub use members::MembersPage;
pub use my_bookings::MyBookingsPage;
pub use my_spaces::MySpacesPage;
pub use not_found::NotFound;
pub use projects::{MyProjectsPage, ProjectPage};
pub use settings::SettingsPage;
pub use skill_desk::SkillDeskPage;
pub use skills::SkillsPage;
pub use space::SpacePage;
pub use stock::{ItemPage, LabelsPage, StockPage};

pub use makrx_web::layout::{failed, for_role, loading};

use makrx_web::layout::SignedInOnly;
use yew::prelude::*;

/// Properties of [`MembersOnly`].
#[derive(Properties, PartialEq)]
pub struct MembersOnlyProps {
    /// What signing in shows, as the prompt's title (`Sign in to see your makerspaces`).
    pub prompt: AttrValue,
    /// The page, for someone signed in.
    pub children: Html,
}

/// The page for someone signed in; an invitation to sign in for anyone else.
#[function_component]
pub fn MembersOnly(props: &MembersOnlyProps) -> Html {
    html! {
        <SignedInOnly prompt={props.prompt.clone()}
            about="MakrCave is where members of a makerspace book its machines and staff run it.">
            { props.children.clone() }
        </SignedInOnly>
    }
}

/// Opens the browser's print dialog: for the QR labels, which print alone.
pub fn print() -> Callback<MouseEvent> {
    Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            // Printing is the browser's; a refusal leaves the page as it was.
            let _ = window.print();
        }
    })
}
