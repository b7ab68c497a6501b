//! `/checkout`: pickup at a makerspace or shipping, and placing the cart (goods, parts printed
//! to order, or both) as an order. The order then waits for payment on its own page, where
//! every amount is shown before paying.

use makrx_web::form::{TextField, error_for};
use makrx_web::graphql::RequestError;
use makrx_web::hooks::{now, use_now, use_remote, use_title};
use makrx_web::layout::{failed, loading};
use makrx_web::remote::Remote;
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::CustomersOnly;
use crate::app::{Route, use_cart_count};
use crate::components::{CartParts, HoldNotice, Totals, refusal, refused, subtotal_rows};
use crate::money::money;
use crate::services;
use crate::types::{AddressForm, Checkout, Delivery};

/// The checkout page.
#[function_component]
pub fn CheckoutPage() -> Html {
    use_title("Checkout".to_owned());
    html! {
        <>
            <h1 class="page__title">{ "Checkout" }</h1>
            <CustomersOnly prompt="Sign in to check out">
                <Loaded />
            </CustomersOnly>
        </>
    }
}

#[function_component]
fn Loaded() -> Html {
    let checkout = use_remote((), |()| services::checkout());
    match &*checkout.state {
        Remote::Loading => loading("Loading your cart…"),
        Remote::Failed(error) => failed(
            "Checkout could not be loaded",
            error,
            checkout.retry.clone(),
        ),
        Remote::Ready(checkout) if checkout.item_count == 0 => html! {
            <div class="empty">
                <p>{ "Your cart is empty: there is nothing to check out." }</p>
                <Link<Route> to={Route::Catalog} classes="button">{ "Browse the store" }</Link<Route>>
            </div>
        },
        Remote::Ready(checkout) => html! { <CheckoutForm checkout={checkout.clone()} /> },
    }
}

#[derive(Properties, PartialEq)]
struct CheckoutFormProps {
    checkout: Checkout,
}

/// The address's fields: the API's name (under `shipTo`), the label, and the browser's
/// autofill hint.
const ADDRESS_FIELDS: [(&str, &str, &str); 7] = [
    ("name", "Name", "name"),
    ("line1", "Address", "address-line1"),
    ("line2", "Address, second line (optional)", "address-line2"),
    ("city", "City", "address-level2"),
    ("postalCode", "Postal code", "postal-code"),
    ("region", "Region (optional, like IN-KA)", "off"),
    ("country", "Country (two letters, like IN)", "country"),
];

fn part<'a>(address: &'a mut AddressForm, field: &str) -> &'a mut String {
    match field {
        "name" => &mut address.name,
        "line1" => &mut address.line1,
        "line2" => &mut address.line2,
        "city" => &mut address.city,
        "postalCode" => &mut address.postal_code,
        "region" => &mut address.region,
        _ => &mut address.country,
    }
}

#[function_component]
fn CheckoutForm(props: &CheckoutFormProps) -> Html {
    let checkout = &props.checkout;
    let clock = use_now(now(), 1);
    let navigator = use_navigator();
    let cart = use_cart_count();
    let delivery = use_state(|| match checkout.pickups.is_empty() {
        true => Delivery::Shipping,
        false => Delivery::Pickup,
    });
    let pickup = use_state(|| checkout.pickups.first().map(|pickup| pickup.id.clone()));
    let address = use_state(AddressForm::default);
    // The API id of the makerspace it is bought for; empty: for the customer.
    let bought_for = use_state(String::new);
    let placing = use_state(|| false);
    let problem = use_state(|| None::<RequestError>);
    let on_place = {
        let (delivery, pickup, address) = (delivery.clone(), pickup.clone(), address.clone());
        let (placing, problem, recount) = (placing.clone(), problem.clone(), cart.recount.clone());
        let bought_for = bought_for.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let space = (!bought_for.is_empty()).then(|| (*bought_for).clone());
            let placed = match *delivery {
                Delivery::Pickup => {
                    services::place_order(Delivery::Pickup, (*pickup).clone(), None, space)
                }
                Delivery::Shipping => {
                    services::place_order(Delivery::Shipping, None, Some((*address).clone()), space)
                }
            };
            placing.set(true);
            problem.set(None);
            let (placing, problem, recount, navigator) = (
                placing.clone(),
                problem.clone(),
                recount.clone(),
                navigator.clone(),
            );
            yew::platform::spawn_local(async move {
                match placed.await {
                    Ok(id) => {
                        recount.emit(());
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Order { id });
                        }
                    }
                    Err(error) => {
                        placing.set(false);
                        problem.set(Some(error));
                    }
                }
            });
        })
    };
    let choose = |to: Delivery| {
        let delivery = delivery.clone();
        Callback::from(move |_: Event| delivery.set(to))
    };
    let on_pickup = {
        let pickup = pickup.clone();
        Callback::from(move |event: Event| {
            pickup.set(Some(
                event.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    let on_bought_for = {
        let bought_for = bought_for.clone();
        Callback::from(move |event: Event| {
            bought_for.set(event.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let fields = problem
        .as_ref()
        .map(RequestError::field_errors)
        .unwrap_or_default();
    let currency = checkout.currency.clone().unwrap_or_default();
    let goods = checkout.subtotal_minor - checkout.discount_minor;
    let has_goods =
        checkout.item_count > checkout.parts.iter().map(|part| part.quantity).sum::<i64>();
    let mut rows = subtotal_rows(
        checkout.subtotal_minor,
        &checkout.parts,
        has_goods,
        &currency,
    );
    if checkout.discount_minor > 0 {
        rows.push((
            "Coupon".into(),
            money(-checkout.discount_minor, &currency).into(),
        ));
    }
    rows.push((
        "Before shipping and tax".into(),
        money(goods, &currency).into(),
    ));
    let shipping_terms = checkout
        .shipping
        .as_ref()
        .map(|rate| match rate.free_from_minor {
            Some(free) => format!(
                "{}, free for goods from {}",
                money(rate.price_minor, &currency),
                money(free, &currency)
            ),
            None => money(rate.price_minor, &currency),
        });
    html! {
        <form class="checkout" onsubmit={on_place}>
            if let Some(until) = checkout.held_until {
                <HoldNotice {until} now={clock} />
            }
            <fieldset class="panel checkout__delivery">
                <legend class="checkout__legend">{ "How it reaches you" }</legend>
                if !checkout.pickups.is_empty() {
                    <label class="choice">
                        <input type="radio" name="delivery" checked={*delivery == Delivery::Pickup}
                            onchange={choose(Delivery::Pickup)} />
                        { "Pick it up at a makerspace (free)" }
                    </label>
                }
                if let Some(terms) = &shipping_terms {
                    <label class="choice">
                        <input type="radio" name="delivery" checked={*delivery == Delivery::Shipping}
                            onchange={choose(Delivery::Shipping)} />
                        { format!("Ship it to me ({terms})") }
                    </label>
                }
                if checkout.pickups.is_empty() && shipping_terms.is_none() {
                    <p>{ "The store neither ships nor hands over orders in this currency yet." }</p>
                }
                if *delivery == Delivery::Pickup {
                    <div class="field">
                        <label class="field__label" for="pickup">{ "Where" }</label>
                        <select class="field__control" id="pickup" onchange={on_pickup}>
                            { for checkout.pickups.iter().map(|place| html! {
                                <option value={place.id.clone()} selected={pickup.as_ref() == Some(&place.id)}>
                                    { place.name.clone() }
                                </option>
                            }) }
                        </select>
                    </div>
                } else {
                    { for ADDRESS_FIELDS.iter().map(|&(field, label, autocomplete)| {
                        let mut current = (*address).clone();
                        let value = part(&mut current, field).clone();
                        let address = address.clone();
                        let on_input = Callback::from(move |text: String| {
                            let mut next = (*address).clone();
                            *part(&mut next, field) = text;
                            address.set(next);
                        });
                        html! {
                            <TextField name={field} {label} {value} {on_input} autocomplete={autocomplete}
                                error={error_for(&fields, &format!("shipTo.{field}"))} />
                        }
                    }) }
                }
            </fieldset>
            if !checkout.spaces_run.is_empty() {
                <fieldset class="panel checkout__delivery">
                    <legend class="checkout__legend">{ "Who it is for" }</legend>
                    <div class="field">
                        <label class="field__label" for="bought-for">{ "Bought for" }</label>
                        <select class="field__control" id="bought-for" onchange={on_bought_for}>
                            <option value="" selected={bought_for.is_empty()}>{ "Me" }</option>
                            { for checkout.spaces_run.iter().map(|(id, name)| html! {
                                <option value={id.clone()} selected={*bought_for == *id}>
                                    { format!("{name}: its stock receives it when delivered") }
                                </option>
                            }) }
                        </select>
                    </div>
                </fieldset>
            }
            <div class="panel checkout__summary">
                if !checkout.parts.is_empty() {
                    <h2 class="checkout__legend">{ "Parts printed for you" }</h2>
                    <CartParts parts={checkout.parts.clone()} />
                }
                <Totals {rows} />
                <p class="checkout__note">
                    { "Shipping and the tax of your region are added when you place the order. You pay after that, on the order's page, where you see every amount first; until then you may still cancel." }
                </p>
                if let Some(error) = &*problem {
                    if fields.is_empty() {
                        { refused(&refusal(error)) }
                    }
                }
                <button class="button" type="submit" disabled={*placing}>
                    { if *placing { "Placing your order…" } else { "Place the order" } }
                </button>
            </div>
        </form>
    }
}
