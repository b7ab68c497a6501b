//! The store's routes (under `/store/`), the shell that frames them, and what every page may
//! ask of it: the cart's count in the navigation, and whether the person runs the store.

use makrx_web::hooks::use_remote;
use makrx_web::layout::{Layout, NavLink, Site};
use makrx_web::session::{SessionProvider, use_session};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{
    CartPage, CatalogPage, CheckoutPage, DeskCatalogPage, DeskNewProductPage, DeskPage,
    DeskProductPage, DeskReviewsPage, MyOrdersPage, MyPartsPage, NotFound, OrderPage, PrintPage,
    ProductPage,
};
use crate::services;

/// Where the app is served on its origin.
pub const BASE: &str = "/store";

/// The store's addresses, below [`BASE`].
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    /// The catalog: search, filters and sorting in the query (`?q=pla&stock=true`).
    #[at("/")]
    Catalog,
    /// A product's page.
    #[at("/p/:slug")]
    Product {
        /// Its address in URLs.
        slug: String,
    },
    /// The caller's cart.
    #[at("/cart")]
    Cart,
    /// Placing the cart as an order; signed in.
    #[at("/checkout")]
    Checkout,
    /// The signed-in customer's orders.
    #[at("/orders")]
    MyOrders,
    /// An order: the customer's own, or any for store staff.
    #[at("/orders/:id")]
    Order {
        /// Its API id.
        id: String,
    },
    /// A part printed to order: its STL file's preview, its quote and who can make it;
    /// signed in.
    #[at("/print")]
    Print,
    /// The signed-in customer's parts and their quotes.
    #[at("/print/parts")]
    MyParts,
    /// Every customer's orders, by status (`?status=paid`); store staff only.
    #[at("/desk")]
    Desk,
    /// Reviews waiting for store staff to show them or keep them off.
    #[at("/desk/reviews")]
    DeskReviews,
    /// Every product's pictures and stock, kept by store staff.
    #[at("/desk/catalog")]
    DeskCatalog,
    /// A new product, with its first variant.
    #[at("/desk/catalog/new")]
    DeskNewProduct,
    /// A product's details, variants, pictures and stock, as store staff change them.
    #[at("/desk/catalog/:id")]
    DeskProduct {
        /// Its API id.
        id: String,
    },
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn page(route: Route) -> Html {
    match route {
        Route::Catalog => html! { <CatalogPage /> },
        Route::Product { slug } => html! { <ProductPage {slug} /> },
        Route::Cart => html! { <CartPage /> },
        Route::Checkout => html! { <CheckoutPage /> },
        Route::MyOrders => html! { <MyOrdersPage /> },
        Route::Order { id } => html! { <OrderPage {id} /> },
        Route::Print => html! { <PrintPage /> },
        Route::MyParts => html! { <MyPartsPage /> },
        Route::Desk => html! { <DeskPage /> },
        Route::DeskReviews => html! { <DeskReviewsPage /> },
        Route::DeskCatalog => html! { <DeskCatalogPage /> },
        Route::DeskNewProduct => html! { <DeskNewProductPage /> },
        Route::DeskProduct { id } => html! { <DeskProductPage {id} /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// What the shell tells every page: how many units the cart holds (none until known) and a way
/// to count again after a page changed the cart.
#[derive(Debug, Clone, PartialEq)]
pub struct CartCount {
    pub items: Option<i64>,
    pub recount: Callback<()>,
}

/// The shell's [`CartCount`]; a page outside the shell (in a test) counts nothing.
#[hook]
pub fn use_cart_count() -> CartCount {
    use_context::<CartCount>().unwrap_or(CartCount {
        items: None,
        recount: Callback::noop(),
    })
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
    let session = use_session();
    // Counted again when someone signs in: a guest's cart then joins theirs.
    let user = session.user().map(|user| user.id.clone());
    let count = use_remote(user.clone(), |_| services::cart_count());
    let staff = use_remote(user, |user| async move {
        match user {
            Some(_) => services::runs_the_store().await,
            None => Ok(false),
        }
    });
    let cart = CartCount {
        items: count.state.ready().copied(),
        recount: count.refresh.clone(),
    };
    let cart_label = match cart.items {
        Some(items) if items > 0 => format!("Cart ({items})"),
        _ => "Cart".to_owned(),
    };
    html! {
        <Layout<Route> home={Route::Catalog} current={Site::Store}>
            <ContextProvider<CartCount> context={cart}>
                <nav class="app-nav" aria-label="Store">
                    <NavLink<Route> to={Route::Catalog} label="Catalog" />
                    <NavLink<Route> to={Route::Print} label="Print a part" />
                    <NavLink<Route> to={Route::Cart} label={cart_label} />
                    if session.user().is_some() {
                        <NavLink<Route> to={Route::MyOrders} label="Your orders" />
                    }
                    if staff.state.ready() == Some(&true) {
                        <NavLink<Route> to={Route::Desk} label="Orders desk" />
                    }
                </nav>
                <Switch<Route> render={page} />
            </ContextProvider<CartCount>>
        </Layout<Route>>
    }
}
