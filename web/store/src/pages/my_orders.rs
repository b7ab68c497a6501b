//! `/orders`: the signed-in customer's orders, newest first, a page at a time.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::{failed, loading};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{CustomersOnly, PageQuery, use_query};
use crate::app::Route;
use crate::components::OrderList;
use crate::services;

/// The page of the customer's orders.
#[function_component]
pub fn MyOrdersPage() -> Html {
    use_title("Your orders".to_owned());
    html! {
        <>
            <h1 class="page__title">{ "Your orders" }</h1>
            <CustomersOnly prompt="Sign in to see your orders">
                <Orders />
            </CustomersOnly>
        </>
    }
}

#[function_component]
fn Orders() -> Html {
    let query: PageQuery = use_query();
    let orders = use_remote(query.after.clone(), services::my_orders);
    match &*orders.state {
        Remote::Loading => loading("Loading your orders…"),
        Remote::Failed(error) => failed(
            "Your orders could not be loaded",
            error,
            orders.retry.clone(),
        ),
        Remote::Ready(page) if page.orders.is_empty() && query.after.is_none() => html! {
            <div class="empty">
                <p>{ "You have not ordered anything yet." }</p>
                <Link<Route> to={Route::Catalog} classes="button">{ "Browse the store" }</Link<Route>>
            </div>
        },
        Remote::Ready(page) => html! {
            <>
                <OrderList orders={page.orders.clone()} />
                <nav class="pager" aria-label="Pages">
                    if query.after.is_some() {
                        <Link<Route> to={Route::MyOrders} classes="button button--quiet">{ "Newest orders" }</Link<Route>>
                    }
                    if let Some(after) = &page.next {
                        <Link<Route, PageQuery> to={Route::MyOrders} query={Some(PageQuery { after: Some(after.clone()) })}
                            classes="button">{ "Older orders" }</Link<Route, PageQuery>>
                    }
                </nav>
            </>
        },
    }
}
