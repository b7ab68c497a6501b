//! `/desk`: every customer's orders by status, newest first, for store staff to work through;
//! each leads to the order's page, where they move it along.

use makrx_web::hooks::use_remote;
use makrx_web::layout::for_role;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{DeskFrame, use_query, use_refresh_every};
use crate::app::Route;
use crate::components::OrderList;
use crate::services;
use crate::types::OrderStatus;

/// How often the desk asks again, for orders placed meanwhile.
const DESK_SECONDS: u32 = 20;

/// The desk's address query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DeskQuery {
    /// The status shown (`paid`); every order without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The cursor the page starts after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// The orders desk.
#[function_component]
pub fn DeskPage() -> Html {
    html! {
        <DeskFrame title="Orders desk">
            <Desk />
        </DeskFrame>
    }
}

#[function_component]
fn Desk() -> Html {
    let query: DeskQuery = use_query();
    let status = query.status.as_deref().and_then(OrderStatus::from_slug);
    let orders = use_remote((status, query.after.clone()), |(status, after)| {
        services::desk(status, after)
    });
    use_refresh_every(DESK_SECONDS, orders.refresh.clone());
    let tab = |label: &'static str, to: Option<OrderStatus>| {
        let current = to == status;
        html! {
            <Link<Route, DeskQuery> to={Route::Desk}
                query={Some(DeskQuery { status: to.map(|to| to.slug().to_owned()), after: None })}
                classes={classes!("chip", current.then_some("is-current"))}>
                { label }
            </Link<Route, DeskQuery>>
        }
    };
    let list = for_role(
        &orders,
        (
            "Loading the orders…",
            "The desk is for store staff",
            "The orders could not be loaded",
        ),
        |page| {
            html! {
                <>
                    if page.orders.is_empty() {
                        <p class="empty">{ match status {
                            Some(status) => format!("No order is {} now.", status.label().to_lowercase()),
                            None => "No orders yet.".to_owned(),
                        } }</p>
                    } else {
                        <OrderList orders={page.orders.clone()} />
                    }
                    if let Some(after) = &page.next {
                        <nav class="pager" aria-label="Pages">
                            <Link<Route, DeskQuery> to={Route::Desk}
                                query={Some(DeskQuery { after: Some(after.clone()), ..query.clone() })}
                                classes="button">{ "Older orders" }</Link<Route, DeskQuery>>
                        </nav>
                    }
                </>
            }
        },
    );
    html! {
        <>
            <nav class="chips" aria-label="Orders by status">
                { tab("All", None) }
                { for OrderStatus::ALL.into_iter().map(|status| tab(status.label(), Some(status))) }
            </nav>
            { list }
        </>
    }
}
