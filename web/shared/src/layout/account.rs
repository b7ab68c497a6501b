//! The header's account corner: "Sign in", or who is signed in with a way to their profile
//! and out.

use yew::prelude::*;
use yew_router::prelude::*;

use super::{Site, avatar};
use crate::hooks::use_sites;
use crate::session::{self, SessionStatus, use_session};

/// Properties of [`Account`].
#[derive(Properties, PartialEq)]
pub struct AccountProps<R: Routable + 'static> {
    /// The app's own profile page; without one, the name links to the gateway's.
    #[prop_or_default]
    pub profile: Option<R>,
}

/// Sign in, or the signed-in person's name and "Sign out".
#[function_component]
pub fn Account<R: Routable + 'static>(props: &AccountProps<R>) -> Html {
    let session = use_session();
    let sites = use_sites();
    let body = match &session.status {
        // Kept the size of a button, so the header does not shift when the answer comes.
        SessionStatus::Unknown => html! {
            <span class="account__pending" aria-hidden="true"></span>
        },
        SessionStatus::SignedOut => html! {
            <button class="account__button" type="button" onclick={|_| session::sign_in()}>
                { "Sign in" }
            </button>
        },
        SessionStatus::SignedIn(user) => {
            let name = html! {
                <>
                    { avatar(&user.display_name, "") }
                    <span class="account__name">{ &user.display_name }</span>
                </>
            };
            let profile = match &props.profile {
                Some(route) => html! {
                    <Link<R> to={route.clone()} classes="account__profile">{ name }</Link<R>>
                },
                None => match Site::Gateway.address(&sites) {
                    Some(gateway) => html! {
                        <a class="account__profile" href={format!("{gateway}profile")}>{ name }</a>
                    },
                    None => html! { <span class="account__profile">{ name }</span> },
                },
            };
            html! {
                <>
                    { profile }
                    <button class="account__button account__button--quiet" type="button"
                        onclick={|_| session::sign_out()}>
                        { "Sign out" }
                    </button>
                </>
            }
        }
    };
    html! { <div class="account">{ body }</div> }
}
