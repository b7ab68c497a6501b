//! The frame every MakrX app shares: a header that links the three sites and shows who is
//! signed in, the page, a footer.

mod account;
mod avatar;
mod header;
mod nav;
mod notice;
mod sign_in_problem;
mod states;

pub use account::{Account, AccountProps};
pub use avatar::avatar;
pub use header::{Header, HeaderProps, Site};
pub use nav::{NavLink, NavLinkProps, NotFound, NotFoundProps};
pub use notice::{Notice, NoticeProps, Tone};
pub use sign_in_problem::{SignInProblem, SignInProblemProps};
pub use states::{SignedInOnly, SignedInOnlyProps, failed, for_role, loading};

use yew::prelude::*;
use yew_router::Routable;

/// Properties of [`Layout`].
#[derive(Properties, PartialEq)]
pub struct LayoutProps<R: Routable + 'static> {
    /// The app's own home page, which the logo and its own tab lead to.
    pub home: R,
    /// Which of the three sites this app is.
    pub current: Site,
    /// The app's own profile page, if it has one.
    #[prop_or_default]
    pub profile: Option<R>,
    /// The page.
    #[prop_or_default]
    pub children: Html,
}

/// A page framed by the shared header and footer.
#[function_component]
pub fn Layout<R: Routable + 'static>(props: &LayoutProps<R>) -> Html {
    html! {
        <div class="shell">
            <Header<R> home={props.home.clone()} current={props.current} profile={props.profile.clone()} />
            <main class="page" id="main">{ props.children.clone() }</main>
            <footer class="site-footer">
                <p>
                    { "MakrX is the software a makerspace network runs on. " }
                    <a href="https://makrx.org">{ "makrx.org" }</a>
                </p>
            </footer>
        </div>
    }
}
