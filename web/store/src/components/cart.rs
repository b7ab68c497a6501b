//! The cart's lines and the time its stock stays held.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::money::money;
use crate::types::CartLine;

/// Properties of [`CartLines`].
#[derive(Properties, PartialEq)]
pub struct CartLinesProps {
    pub lines: Vec<CartLine>,
    pub currency: AttrValue,
    /// The variants whose line is being changed: their controls wait.
    pub changing: Rc<HashSet<String>>,
    /// A variant's id and how many units its line should ask for; 0 takes it out.
    pub on_quantity: Callback<(String, i64)>,
}

/// The cart's lines with their quantity to change and whether their stock is held.
#[function_component]
pub fn CartLines(props: &CartLinesProps) -> Html {
    html! {
        <ul class="cart-lines">
            { for props.lines.iter().map(|line| {
                let busy = props.changing.contains(&line.variant_id);
                let set = |quantity: i64| {
                    let (on_quantity, id) = (props.on_quantity.clone(), line.variant_id.clone());
                    Callback::from(move |_: MouseEvent| on_quantity.emit((id.clone(), quantity)))
                };
                // More can be added while what is left to sell covers one more unit.
                let more = line.available > 0;
                let name = format!("{} ({})", line.product_name, line.variant_name);
                html! {
                    <li class="cart-line" key={line.variant_id.clone()}>
                        <div class="cart-line__what">
                            <Link<Route> to={Route::Product { slug: line.product_slug.clone() }} classes="cart-line__name">
                                { line.product_name.clone() }
                            </Link<Route>>
                            <span class="cart-line__variant">{ format!("{} · {}", line.variant_name, line.sku) }</span>
                            if line.held {
                                <span class="cart-line__held">{ "Held for you" }</span>
                            } else {
                                <span class="cart-line__held cart-line__held--lapsed">
                                    { "No longer held: the next change holds it again if it can still be had" }
                                </span>
                            }
                        </div>
                        <div class="cart-line__quantity" role="group" aria-label={format!("How many of {name}")}>
                            <button class="button button--quiet stepper" type="button" disabled={busy}
                                aria-label={format!("One fewer {name}")} onclick={set(line.quantity - 1)}>{ "−" }</button>
                            <span class="stepper__value" aria-live="polite">{ line.quantity }</span>
                            <button class="button button--quiet stepper" type="button" disabled={busy || !more}
                                aria-label={format!("One more {name}")} onclick={set(line.quantity + 1)}>{ "+" }</button>
                            <button class="button button--quiet" type="button" disabled={busy}
                                aria-label={format!("Remove {name}")} onclick={set(0)}>{ "Remove" }</button>
                        </div>
                        <div class="cart-line__price">
                            <span class="cart-line__total">{ money(line.line_total_minor, &props.currency) }</span>
                            <span class="cart-line__unit">{ format!("{} each", money(line.unit_price_minor, &props.currency)) }</span>
                        </div>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Seconds left of a hold ending at `until` (seconds since the epoch) at `now`; none once over.
pub fn hold_left(until: i64, now: i64) -> Option<i64> {
    (until > now).then_some(until - now)
}

/// Properties of [`HoldNotice`].
#[derive(Properties, PartialEq)]
pub struct HoldNoticeProps {
    /// When the first hold lapses, in seconds since the epoch.
    pub until: i64,
    pub now: i64,
}

/// How long the cart's stock stays held, in minutes and seconds, or that it no longer is.
#[function_component]
pub fn HoldNotice(props: &HoldNoticeProps) -> Html {
    match hold_left(props.until, props.now) {
        Some(left) => html! {
            <p class="hold">
                { "Your items are held for you for another " }
                <strong class="hold__time">{ format!("{}:{:02}", left / 60, left % 60) }</strong>
                { "." }
            </p>
        },
        None => html! {
            <p class="hold hold--lapsed">
                { "Your hold has run out: others may buy these items now. Any change to the cart, or checking out, holds them again while they can still be had." }
            </p>
        },
    }
}
