//! `/cart`: the caller's cart (goods and parts printed to order), its holds counting down, its
//! coupon, and the way to checkout.

use std::collections::HashSet;
use std::future::Future;
use std::rc::Rc;

use makrx_web::graphql::RequestError;
use makrx_web::hooks::{now, use_now, use_remote, use_title};
use makrx_web::layout::{failed, loading};
use makrx_web::remote::Remote;
use makrx_web::session::{self, use_session};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, use_cart_count};
use crate::components::{
    CartLines, CartParts, HoldNotice, Totals, refusal, refused, subtotal_rows,
};
use crate::money::money;
use crate::services;
use crate::types::Cart;

/// The cart page.
#[function_component]
pub fn CartPage() -> Html {
    use_title("Your cart".to_owned());
    let cart = use_remote((), |()| services::cart());
    let count = use_cart_count();
    // Every change to the cart is counted again in the navigation and shown here.
    let changed = {
        let (refresh, recount) = (cart.refresh.clone(), count.recount.clone());
        Callback::from(move |()| {
            refresh.emit(());
            recount.emit(());
        })
    };
    html! {
        <>
            <h1 class="page__title">{ "Your cart" }</h1>
            { match &*cart.state {
                Remote::Loading => loading("Loading your cart…"),
                Remote::Failed(error) => failed("Your cart could not be loaded", error, cart.retry.clone()),
                Remote::Ready(cart) if cart.is_empty() => html! {
                    <div class="empty">
                        <p>{ "Your cart is empty: no goods, and no parts to print." }</p>
                        <Link<Route> to={Route::Catalog} classes="button">{ "Browse the store" }</Link<Route>>
                        { " " }
                        <Link<Route> to={Route::Print} classes="button button--quiet">{ "Print a part" }</Link<Route>>
                    </div>
                },
                Remote::Ready(cart) => html! { <Filled cart={cart.clone()} {changed} /> },
            } }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FilledProps {
    cart: Cart,
    changed: Callback<()>,
}

#[function_component]
fn Filled(props: &FilledProps) -> Html {
    let cart = &props.cart;
    let session = use_session();
    let clock = use_now(now(), 1);
    let changing = use_state(|| Rc::new(HashSet::<String>::new()));
    // The quotes whose part is being taken out.
    let removing = use_state(|| Rc::new(HashSet::<String>::new()));
    let problem = use_state(|| None::<String>);
    let on_quantity = {
        let (changing, problem, changed) =
            (changing.clone(), problem.clone(), props.changed.clone());
        Callback::from(move |(variant, quantity): (String, i64)| {
            let mut busy = (**changing).clone();
            busy.insert(variant.clone());
            changing.set(Rc::new(busy));
            problem.set(None);
            let sent = services::set_quantity(variant.clone(), quantity);
            let (changing, problem, changed) = (changing.clone(), problem.clone(), changed.clone());
            yew::platform::spawn_local(async move {
                let result = sent.await;
                let mut busy = (**changing).clone();
                busy.remove(&variant);
                changing.set(Rc::new(busy));
                match result {
                    Ok(_) => changed.emit(()),
                    Err(error) => problem.set(Some(refusal(&error))),
                }
            });
        })
    };
    let on_remove_part = {
        let (removing, problem, changed) =
            (removing.clone(), problem.clone(), props.changed.clone());
        Callback::from(move |quote_id: String| {
            let mut busy = (**removing).clone();
            busy.insert(quote_id.clone());
            removing.set(Rc::new(busy));
            problem.set(None);
            let sent = services::remove_part_from_cart(quote_id.clone());
            let (removing, problem, changed) = (removing.clone(), problem.clone(), changed.clone());
            yew::platform::spawn_local(async move {
                let result = sent.await;
                let mut busy = (**removing).clone();
                busy.remove(&quote_id);
                removing.set(Rc::new(busy));
                match result {
                    Ok(_) => changed.emit(()),
                    Err(error) => problem.set(Some(refusal(&error))),
                }
            });
        })
    };
    let currency = cart.currency.clone().unwrap_or_default();
    let mut rows = subtotal_rows(
        cart.subtotal_minor,
        &cart.parts,
        !cart.lines.is_empty(),
        &currency,
    );
    if cart.discount_minor > 0 {
        let code = cart
            .coupon
            .as_ref()
            .map(|coupon| coupon.code.clone())
            .unwrap_or_default();
        rows.push((
            format!("Coupon {code}").into(),
            money(-cart.discount_minor, &currency).into(),
        ));
    }
    rows.push((
        "Before shipping and tax".into(),
        money(cart.subtotal_minor - cart.discount_minor, &currency).into(),
    ));
    html! {
        <div class="cart">
            if let Some(until) = cart.held_until {
                <HoldNotice {until} now={clock} />
            }
            if !cart.lines.is_empty() {
                <CartLines lines={cart.lines.clone()} currency={currency.clone()} changing={(*changing).clone()} {on_quantity} />
            }
            if !cart.parts.is_empty() {
                <h2 class="cart__heading">{ "Parts printed for you" }</h2>
                <CartParts parts={cart.parts.clone()} removing={(*removing).clone()} on_remove={on_remove_part} />
            }
            if let Some(reason) = &*problem {
                { refused(reason) }
            }
            <div class="cart__foot">
                <CouponForm coupon={cart.coupon.clone()} changed={props.changed.clone()} />
                <div class="panel cart__summary">
                    <Totals {rows} />
                    if session.user().is_some() {
                        <Link<Route> to={Route::Checkout} classes="button cart__checkout">{ "Check out" }</Link<Route>>
                    } else {
                        <button class="button cart__checkout" type="button" onclick={|_| session::sign_in()}>
                            { "Sign in to check out" }
                        </button>
                        <p class="cart__note">{ "Your cart comes along when you sign in." }</p>
                    }
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CouponFormProps {
    coupon: Option<crate::types::CartCoupon>,
    changed: Callback<()>,
}

/// What the coupon form holds while it asks.
#[derive(Clone)]
struct CouponAsk {
    code: UseStateHandle<String>,
    sending: UseStateHandle<bool>,
    problem: UseStateHandle<Option<String>>,
    changed: Callback<()>,
}

impl CouponAsk {
    /// Sends `request`: the form waits meanwhile, then the cart is shown again or why not.
    fn send(&self, request: impl Future<Output = Result<i64, RequestError>> + 'static) {
        self.sending.set(true);
        self.problem.set(None);
        let ask = self.clone();
        yew::platform::spawn_local(async move {
            let result = request.await;
            ask.sending.set(false);
            match result {
                Ok(_) => {
                    ask.code.set(String::new());
                    ask.changed.emit(());
                }
                Err(error) => ask.problem.set(Some(refusal(&error))),
            }
        });
    }
}

/// The coupon on the cart with why it does not apply, or a field to apply one.
#[function_component]
fn CouponForm(props: &CouponFormProps) -> Html {
    let ask = CouponAsk {
        code: use_state(String::new),
        sending: use_state(|| false),
        problem: use_state(|| None),
        changed: props.changed.clone(),
    };
    let (code, sending, problem) = (ask.code.clone(), ask.sending.clone(), ask.problem.clone());
    let on_apply = {
        let ask = ask.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            ask.send(services::apply_coupon(ask.code.trim().to_owned()));
        })
    };
    let on_remove = Callback::from(move |_: MouseEvent| ask.send(services::remove_coupon()));
    let on_input = {
        let code = code.clone();
        Callback::from(move |event: InputEvent| {
            code.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <div class="panel coupon">
            if let Some(coupon) = &props.coupon {
                <p class="coupon__applied">
                    <strong>{ coupon.code.clone() }</strong>
                    if !coupon.description.is_empty() {
                        { format!(": {}", coupon.description) }
                    }
                </p>
                if let Some(problem) = &coupon.problem {
                    <p class="coupon__problem">{ format!("It does not apply now: {problem}.") }</p>
                }
                <button class="button button--quiet" type="button" disabled={*sending} onclick={on_remove}>
                    { "Remove the coupon" }
                </button>
            } else {
                <form class="coupon__form" onsubmit={on_apply}>
                    <label class="field__label" for="coupon">{ "Coupon code" }</label>
                    <div class="filters__row">
                        <input class="field__control" id="coupon" name="coupon" autocomplete="off"
                            value={(*code).clone()} oninput={on_input} />
                        <button class="button" type="submit" disabled={*sending || code.trim().is_empty()}>{ "Apply" }</button>
                    </div>
                </form>
            }
            if let Some(reason) = &*problem {
                { refused(reason) }
            }
        </div>
    }
}
