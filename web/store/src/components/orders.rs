//! Orders: a list of them, an order's status, its lines and its totals.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::money::money;
use crate::types::{Delivery, OrderLine, OrderRow, OrderStatus};

/// Properties of [`StatusBadge`].
#[derive(Properties, PartialEq)]
pub struct StatusBadgeProps {
    pub status: OrderStatus,
}

/// An order's status as a coloured badge.
#[function_component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    html! {
        <span class={classes!("order-status", props.status.tone())}>{ props.status.label() }</span>
    }
}

/// Properties of [`OrderList`].
#[derive(Properties, PartialEq)]
pub struct OrderListProps {
    pub orders: Vec<OrderRow>,
}

/// Orders, each leading to its page: number, when, how it is delivered, status and total.
#[function_component]
pub fn OrderList(props: &OrderListProps) -> Html {
    html! {
        <ul class="order-list">
            { for props.orders.iter().map(|order| html! {
                <li class="order-row" key={order.id.clone()}>
                    <Link<Route> to={Route::Order { id: order.id.clone() }} classes="order-row__number">
                        { format!("Order {}", order.number) }
                    </Link<Route>>
                    <span class="order-row__placed">{ order.placed.clone() }</span>
                    <span class="order-row__delivery">
                        { match order.delivery { Delivery::Shipping => "Shipping", Delivery::Pickup => "Pickup" } }
                    </span>
                    <StatusBadge status={order.status} />
                    <span class="order-row__total">{ order.total.clone() }</span>
                </li>
            }) }
        </ul>
    }
}

/// Properties of [`OrderLines`].
#[derive(Properties, PartialEq)]
pub struct OrderLinesProps {
    pub lines: Vec<OrderLine>,
    pub currency: AttrValue,
}

/// An order's lines as ordered, with what was refunded of each.
#[function_component]
pub fn OrderLines(props: &OrderLinesProps) -> Html {
    html! {
        <table class="order-lines">
            <thead>
                <tr>
                    <th scope="col">{ "Item" }</th>
                    <th scope="col" class="numeric">{ "Quantity" }</th>
                    <th scope="col" class="numeric">{ "Price" }</th>
                    <th scope="col" class="numeric">{ "Total" }</th>
                </tr>
            </thead>
            <tbody>
                { for props.lines.iter().map(|line| html! {
                    <tr key={line.sku.clone()}>
                        <td>
                            if let Some(slug) = &line.product_slug {
                                <Link<Route> to={Route::Product { slug: slug.clone() }}>{ line.name.clone() }</Link<Route>>
                            } else {
                                { line.name.clone() }
                            }
                            <span class="order-lines__sku">{ line.sku.clone() }</span>
                            if line.refunded_quantity > 0 {
                                <span class="order-lines__refunded">{ format!("{} refunded", line.refunded_quantity) }</span>
                            }
                        </td>
                        <td class="numeric">{ line.quantity }</td>
                        <td class="numeric">{ money(line.unit_price_minor, &props.currency) }</td>
                        <td class="numeric">{ money(line.line_total_minor, &props.currency) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// Properties of [`Totals`].
#[derive(Properties, PartialEq)]
pub struct TotalsProps {
    /// Each row's label and amount in words; the last is the total, shown strong.
    pub rows: Vec<(AttrValue, AttrValue)>,
}

/// Amounts that add up to a total.
#[function_component]
pub fn Totals(props: &TotalsProps) -> Html {
    let last = props.rows.len().saturating_sub(1);
    html! {
        <dl class="totals">
            { for props.rows.iter().enumerate().map(|(index, (label, amount))| html! {
                <div class={classes!("totals__row", (index == last).then_some("totals__row--total"))}>
                    <dt>{ label.clone() }</dt>
                    <dd>{ amount.clone() }</dd>
                </div>
            }) }
        </dl>
    }
}
