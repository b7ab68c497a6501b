//! An app's own navigation under the header, and the page for an address it does not have.

use yew::prelude::*;
use yew_router::prelude::*;

use super::Notice;
use crate::hooks::use_title;

/// Properties of [`NavLink`].
#[derive(Properties, PartialEq)]
pub struct NavLinkProps<R: Routable + 'static> {
    /// Where it leads.
    pub to: R,
    /// What it says.
    pub label: AttrValue,
}

/// A link of the app's own navigation (in a `.app-nav`), marked when it is the page shown.
#[function_component]
pub fn NavLink<R: Routable + 'static>(props: &NavLinkProps<R>) -> Html {
    let current = use_route::<R>().is_some_and(|route| route == props.to);
    html! {
        <Link<R> to={props.to.clone()} classes={classes!("app-nav__link", current.then_some("is-current"))}>
            { props.label.clone() }
        </Link<R>>
    }
}

/// Properties of [`NotFound`].
#[derive(Properties, PartialEq)]
pub struct NotFoundProps<R: Routable + 'static> {
    /// Where to go instead: the app's home.
    pub home: R,
    /// What going there is called (`The catalog`).
    pub home_label: AttrValue,
}

/// The page for an address the app does not have.
#[function_component]
pub fn NotFound<R: Routable + 'static>(props: &NotFoundProps<R>) -> Html {
    use_title("Not found".to_owned());
    html! {
        <Notice title="There is nothing at this address">
            <p>{ "The link may be old, or the address mistyped." }</p>
            <Link<R> to={props.home.clone()} classes="button">{ props.home_label.clone() }</Link<R>>
        </Notice>
    }
}
