//! MakrCave's pages: each loads what it shows and hands plain data to the components.

mod approvals;
mod desk;
mod machine;
mod machine_admin;
mod members;
mod my_bookings;
mod my_spaces;
mod not_found;
mod settings;
mod skill_desk;
mod skills;
mod space;

pub use approvals::ApprovalsPage;
pub use desk::DeskPage;
pub use machine::MachinePage;
pub use machine_admin::{MachineAdminPage, NewMachinePage};
pub use members::MembersPage;
pub use my_bookings::MyBookingsPage;
pub use my_spaces::MySpacesPage;
pub use not_found::NotFound;
pub use settings::SettingsPage;
pub use skill_desk::SkillDeskPage;
pub use skills::SkillsPage;
pub use space::SpacePage;

use makrx_web::graphql::RequestError;
use makrx_web::hooks::RemoteHandle;
use makrx_web::layout::{Notice, Tone};
use makrx_web::remote::Remote;
use makrx_web::session::{self, SessionStatus, use_session};
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
    let session = use_session();
    match &session.status {
        SessionStatus::Unknown => loading("Checking who you are…"),
        SessionStatus::SignedOut => html! {
            <Notice title={props.prompt.clone()}>
                <p>{ "MakrCave is where members of a makerspace book its machines and staff run it." }</p>
                <button class="button" type="button" onclick={|_| session::sign_in()}>{ "Sign in" }</button>
            </Notice>
        },
        SessionStatus::SignedIn(_) => props.children.clone(),
    }
}

/// What a page for a role shows of its answer: a placeholder while `what` loads, `refused` as
/// the title over the API's words when the person's role may not see it, the failure with a
/// way to try again (`failure` as its title), or what `ready` makes of the answer.
pub fn for_role<T>(
    remote: &RemoteHandle<T>,
    (what, refused, failure): (&str, &str, &str),
    ready: impl FnOnce(&T) -> Html,
) -> Html {
    match &*remote.state {
        Remote::Loading => loading(what),
        Remote::Failed(error) if error.has_code("FORBIDDEN") => html! {
            <Notice title={refused.to_owned()}>
                <p>{ error.to_string() }</p>
            </Notice>
        },
        Remote::Failed(error) => failed(failure, error, remote.retry.clone()),
        Remote::Ready(answer) => ready(answer),
    }
}

/// A placeholder that says, to screen readers, what is loading.
pub fn loading(what: &str) -> Html {
    html! {
        <div class="placeholder" aria-busy="true">
            <p class="visually-hidden" role="status">{ what.to_owned() }</p>
        </div>
    }
}

/// A failed load: what went wrong, and a way to try again.
pub fn failed(title: &str, error: &RequestError, retry: Callback<()>) -> Html {
    html! {
        <Notice title={title.to_owned()} tone={Tone::Problem}>
            <p>{ error.to_string() }</p>
            <button class="button" type="button" onclick={retry.reform(|_| ())}>{ "Try again" }</button>
        </Notice>
    }
}
