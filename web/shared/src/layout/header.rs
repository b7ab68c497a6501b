//! The header: the MakrX mark, the three sites of the network and the account corner.

use yew::prelude::*;
use yew_router::prelude::*;

use super::{Account, SignInProblem};
use crate::config::Sites;
use crate::hooks::use_sites;

/// The three sites of the MakrX network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// makrx.org: the network, accounts and profiles.
    Gateway,
    /// makrcave.com: running a makerspace.
    MakrCave,
    /// makrx.store: parts, materials and fabrication.
    Store,
}

impl Site {
    /// Every site, in the order the navigation shows them.
    pub const ALL: [Site; 3] = [Site::Gateway, Site::MakrCave, Site::Store];

    /// Its name in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Self::Gateway => "Gateway",
            Self::MakrCave => "MakrCave",
            Self::Store => "Store",
        }
    }

    /// Where this deployment serves it, for links from the other sites; `None` where it is
    /// not served.
    pub fn address(self, sites: &Sites) -> Option<&str> {
        match self {
            Self::Gateway => sites.gateway.as_deref(),
            Self::MakrCave => sites.makrcave.as_deref(),
            Self::Store => sites.store.as_deref(),
        }
    }
}

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps<R: Routable + 'static> {
    /// The app's own home page.
    pub home: R,
    /// The site this app is; its tab is marked current and stays inside the app.
    pub current: Site,
    /// The app's own profile page, if it has one (the gateway's otherwise).
    #[prop_or_default]
    pub profile: Option<R>,
}

/// The site header. It wraps onto two lines on a narrow phone rather than hiding the
/// navigation behind a menu button: three links and the account fit, and stay one tap away.
#[function_component]
pub fn Header<R: Routable + 'static>(props: &HeaderProps<R>) -> Html {
    let sites = use_sites();
    let links = Site::ALL.into_iter().filter_map(|site| {
        let label = site.label();
        if site == props.current {
            Some(html! {
                <li>
                    <Link<R> to={props.home.clone()} classes="site-nav__link is-current">
                        { label }
                    </Link<R>>
                </li>
            })
        } else {
            let address = site.address(&sites)?.to_owned();
            Some(html! {
                <li><a class="site-nav__link" href={address}>{ label }</a></li>
            })
        }
    });
    html! {
        <header class="site-header">
            <div class="site-header__inner">
                <Link<R> to={props.home.clone()} classes="brand">
                    <span class="brand__mark" aria-hidden="true">{ "X" }</span>
                    <span class="brand__name">{ "MakrX" }</span>
                </Link<R>>
                <nav class="site-nav" aria-label="MakrX sites">
                    <ul class="site-nav__list">{ for links }</ul>
                </nav>
                <Account<R> profile={props.profile.clone()} />
            </div>
            <SignInProblem<R> home={props.home.clone()} />
        </header>
    }
}
