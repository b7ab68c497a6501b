//! The store's pages: each loads what it shows and hands plain data to the components.

mod cart;
mod catalog;
mod checkout;
mod desk;
mod desk_catalog;
mod desk_product;
mod desk_reviews;
mod my_orders;
mod not_found;
mod order;
mod part_to_cart;
mod parts;
mod print;
mod product;

pub use cart::CartPage;
pub use catalog::{CatalogPage, CatalogQuery};
pub use checkout::CheckoutPage;
pub use desk::DeskPage;
pub use desk_catalog::DeskCatalogPage;
pub use desk_product::{DeskNewProductPage, DeskProductPage};
pub use desk_reviews::DeskReviewsPage;
pub use my_orders::MyOrdersPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use parts::MyPartsPage;
pub use print::PrintPage;
pub use product::ProductPage;

use gloo_timers::callback::Interval;
use makrx_web::hooks::use_title;
use makrx_web::layout::{NavLink, SignedInOnly};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::use_location;

use crate::app::Route;

/// Properties of [`CustomersOnly`].
#[derive(Properties, PartialEq)]
pub struct CustomersOnlyProps {
    /// What signing in shows, as the prompt's title (`Sign in to see your orders`).
    pub prompt: AttrValue,
    /// The page, for someone signed in.
    pub children: Html,
}

/// The page for someone signed in; an invitation to sign in for anyone else.
#[function_component]
pub fn CustomersOnly(props: &CustomersOnlyProps) -> Html {
    html! {
        <SignedInOnly prompt={props.prompt.clone()}
            about="Your orders and checking out are kept with your MakrX account; your cart comes along when you sign in.">
            { props.children.clone() }
        </SignedInOnly>
    }
}

/// Calls `refresh` every `seconds` for as long as the page is shown: for what changes without
/// a feed to announce it (stock while others buy, the desk's new orders).
#[hook]
pub fn use_refresh_every(seconds: u32, refresh: Callback<()>) {
    use_effect_with(seconds, move |seconds| {
        let tick = Interval::new(seconds * 1_000, move || refresh.emit(()));
        move || drop(tick)
    });
}

/// Properties of [`DeskFrame`].
#[derive(Properties, PartialEq)]
pub struct DeskFrameProps {
    /// The browser tab's title.
    pub title: AttrValue,
    /// The page, for someone signed in.
    pub children: Html,
}

/// A page of the desk: its heading and tabs (the orders, the reviews to approve, the catalog,
/// the one shown marked) above the page, for someone signed in.
#[function_component]
pub fn DeskFrame(props: &DeskFrameProps) -> Html {
    use_title(props.title.to_string());
    html! {
        <>
            <h1 class="page__title">{ "Orders desk" }</h1>
            <CustomersOnly prompt="Sign in to run the store">
                <nav class="app-nav app-nav--sub" aria-label="Desk">
                    <NavLink<Route> to={Route::Desk} label="Orders" />
                    <NavLink<Route> to={Route::DeskReviews} label="Reviews to approve" />
                    <NavLink<Route> to={Route::DeskCatalog} label="Catalog and stock" />
                </nav>
                { props.children.clone() }
            </CustomersOnly>
        </>
    }
}

/// Properties of [`PrintFrame`].
#[derive(Properties, PartialEq)]
pub struct PrintFrameProps {
    /// The page's heading and the browser tab's title.
    pub title: AttrValue,
    /// The page, for someone signed in.
    pub children: Html,
}

/// A page of parts printed to order: its heading, then for someone signed in the tabs (a new
/// part's quote, the customer's parts, the one shown marked) above the page.
#[function_component]
pub fn PrintFrame(props: &PrintFrameProps) -> Html {
    use_title(props.title.to_string());
    html! {
        <>
            <h1 class="page__title">{ props.title.clone() }</h1>
            <SignedInOnly prompt="Sign in to have a part printed"
                about="Upload an STL file to get it quoted at once, with the makerspaces that can print it; your parts and their quotes are kept with your MakrX account.">
                <nav class="app-nav app-nav--sub" aria-label="Printing">
                    <NavLink<Route> to={Route::Print} label="Get a quote" />
                    <NavLink<Route> to={Route::MyParts} label="Your parts" />
                </nav>
                { props.children.clone() }
            </SignedInOnly>
        </>
    }
}

/// The address query of a page of a list: the cursor it starts after.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PageQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// The page's address query read as `Q`; its default when there is none or it does not read.
#[hook]
pub fn use_query<Q: DeserializeOwned + Default + 'static>() -> Q {
    use_location()
        .and_then(|location| location.query::<Q>().ok())
        .unwrap_or_default()
}
