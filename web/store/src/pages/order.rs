//! `/orders/:id`: an order as it stands, followed live (its status changes arrive through the
//! `orderChanged` feed, its parts' making through each standing job's `fabricationJobChanged`),
//! paying for it and calling it off; store staff move it along here.

use std::future::Future;

use gloo_timers::callback::Interval;
use makrx_web::components::LiveIndicator;
use makrx_web::graphql::RequestError;
use makrx_web::hooks::{use_reload_on_change, use_remote, use_title};
use makrx_web::layout::{Notice, failed, loading};
use makrx_web::remote::Remote;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::CustomersOnly;
use crate::app::Route;
use crate::cards::{self, CardField, StripeJs};
use crate::components::{OrderLines, OrderParts, StatusBadge, Totals, refusal, refused};
use crate::money::money;
use crate::services::{
    self, FabricationJobChanged, OrderChanged, fabrication_job_changed, order_changed,
};
use crate::types::{
    CardPayments, Delivery, OrderDetails, OrderStatus, PaymentProvider, PaymentStatus,
};

/// Properties of [`OrderPage`].
#[derive(Properties, PartialEq)]
pub struct OrderPageProps {
    /// The order's API id.
    pub id: String,
}

/// An order's page.
#[function_component]
pub fn OrderPage(props: &OrderPageProps) -> Html {
    use_title("Your order".to_owned());
    html! {
        <CustomersOnly prompt="Sign in to see this order">
            <Followed id={props.id.clone()} />
        </CustomersOnly>
    }
}

#[derive(Properties, PartialEq)]
struct FollowedProps {
    id: String,
}

/// The order, loaded again at every change the feed announces.
#[function_component]
fn Followed(props: &FollowedProps) -> Html {
    let order = use_remote(props.id.clone(), services::order);
    let feed = order_changed::Variables {
        order_id: props.id.clone(),
        after: None,
    };
    let link = use_reload_on_change::<OrderChanged>(feed, order.refresh.clone());
    match &*order.state {
        Remote::Loading => loading("Loading the order…"),
        Remote::Failed(error) if error.is_not_found() => html! {
            <Notice title="There is no such order among yours">
                <p>{ "The link may be old, or the order someone else's." }</p>
                <Link<Route> to={Route::MyOrders} classes="button">{ "Your orders" }</Link<Route>>
            </Notice>
        },
        Remote::Failed(error) => {
            failed("The order could not be loaded", error, order.retry.clone())
        }
        Remote::Ready(details) => html! {
            <>
                <div class="order__head">
                    <h1 class="page__title">{ format!("Order {}", details.number) }</h1>
                    <StatusBadge status={details.status} />
                    <LiveIndicator state={link} />
                </div>
                <p class="order__placed">{ format!("Placed {}", details.placed) }</p>
                { for details.parts.iter().filter_map(|part| part.followed_job()).map(|job| html! {
                    <FollowedJob key={job.to_owned()} id={job.to_owned()} changed={order.refresh.clone()} />
                }) }
                if details.awaiting_dispatch() {
                    <AwaitedDispatch changed={order.refresh.clone()} />
                }
                <Order details={details.clone()} changed={order.refresh.clone()} />
            </>
        },
    }
}

#[derive(Properties, PartialEq)]
struct FollowedJobProps {
    /// The standing job of one of the order's parts.
    id: String,
    /// The job changed: the page asks for the order again. A decline dispatches the part
    /// again as a new job, whose id only the order tells, so refetching beats patching.
    changed: Callback<()>,
}

/// Follows one part's standing job while the page is shown; draws nothing.
#[function_component]
fn FollowedJob(props: &FollowedJobProps) -> Html {
    let feed = fabrication_job_changed::Variables {
        job_id: props.id.clone(),
        after: None,
    };
    use_reload_on_change::<FabricationJobChanged>(feed, props.changed.clone());
    Html::default()
}

#[derive(Properties, PartialEq)]
struct AwaitedDispatchProps {
    changed: Callback<()>,
}

/// How often the order is asked for again while a paid part waits for its first job.
const DISPATCH_CHECK_MS: u32 = 3_000;

/// Asks for the order again now and then while one of its paid parts has no job yet: no feed
/// tells of a part's first job, and once it has one its own feed is followed; draws nothing.
#[function_component]
fn AwaitedDispatch(props: &AwaitedDispatchProps) -> Html {
    let changed = props.changed.clone();
    use_effect_with((), move |()| {
        let tick = Interval::new(DISPATCH_CHECK_MS, move || changed.emit(()));
        move || drop(tick)
    });
    Html::default()
}

#[derive(Properties, PartialEq)]
struct OrderProps {
    details: OrderDetails,
    /// Something was done to the order: the page asks again (the feed will tell too).
    changed: Callback<()>,
}

/// What acting on the order holds while it asks.
#[derive(Clone)]
struct Act {
    busy: UseStateHandle<bool>,
    problem: UseStateHandle<Option<String>>,
    changed: Callback<()>,
}

impl Act {
    /// Sends `request`: the buttons wait meanwhile, then the order is shown again or why not.
    fn send<T: 'static>(&self, request: impl Future<Output = Result<T, RequestError>> + 'static) {
        self.busy.set(true);
        self.problem.set(None);
        let act = self.clone();
        yew::platform::spawn_local(async move {
            let result = request.await;
            act.busy.set(false);
            match result {
                Ok(_) => act.changed.emit(()),
                Err(error) => act.problem.set(Some(refusal(&error))),
            }
        });
    }
}

#[function_component]
fn Order(props: &OrderProps) -> Html {
    let order = &props.details;
    let act = Act {
        busy: use_state(|| false),
        problem: use_state(|| None),
        changed: props.changed.clone(),
    };
    let reference = use_state(String::new);
    let busy = *act.busy;
    let currency = order.currency.as_str();
    let mut rows = vec![(
        AttrValue::from("Items"),
        AttrValue::from(money(order.subtotal_minor, currency)),
    )];
    if order.discount_minor > 0 {
        let label = match &order.coupon_code {
            Some(code) => format!("Coupon {code}"),
            None => "Coupon".to_owned(),
        };
        rows.push((label.into(), money(-order.discount_minor, currency).into()));
    }
    rows.push((
        "Shipping".into(),
        money(order.shipping_minor, currency).into(),
    ));
    rows.push(("Tax".into(), money(order.tax_minor, currency).into()));
    rows.push(("Total".into(), money(order.total_minor, currency).into()));
    let waiting_by_hand = order.payments.iter().any(|payment| {
        payment.provider == PaymentProvider::Manual && payment.status == PaymentStatus::Started
    });
    let on_pay = {
        let (act, id) = (act.clone(), order.id.clone());
        Callback::from(move |_: MouseEvent| {
            act.send(services::start_payment(id.clone(), PaymentProvider::Manual))
        })
    };
    let on_cancel = {
        let (act, id) = (act.clone(), order.id.clone());
        Callback::from(move |_: MouseEvent| act.send(services::cancel_order(id.clone())))
    };
    let move_to = |status: OrderStatus| {
        let (act, id, reference) = (act.clone(), order.id.clone(), reference.clone());
        Callback::from(move |_: MouseEvent| match status {
            // Paid by hand: the receipt or invoice number goes with it, when typed.
            OrderStatus::Paid => {
                let typed = reference.trim().to_owned();
                act.send(services::confirm_payment(
                    id.clone(),
                    (!typed.is_empty()).then_some(typed),
                ));
            }
            _ => act.send(services::set_status(id.clone(), status)),
        })
    };
    let on_reference = {
        let reference = reference.clone();
        Callback::from(move |event: InputEvent| {
            reference.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <div class="order">
            if order.status == OrderStatus::PendingPayment {
                <section class="panel order__pay" aria-label="Payment">
                    <h2 class="order__section">{ format!("To pay: {}", money(order.total_minor, currency)) }</h2>
                    if let Some(cards) = &order.cards {
                        <CardPayment order_id={order.id.clone()} total={money(order.total_minor, currency)}
                            cards={cards.clone()} />
                    }
                    if waiting_by_hand {
                        <p>{ "Pay at the store's desk or by invoice, quoting your order number. Store staff mark the order paid when the money arrives; this page shows it at once." }</p>
                    } else {
                        <p>
                            { if order.cards.is_some() { "Or pay at the store's desk or by invoice: " } else { "Pay at the store's desk or by invoice: " } }
                            { "store staff mark the order paid when the money arrives." }
                        </p>
                        <button class="button" type="button" disabled={busy} onclick={on_pay}>
                            { "Pay at the desk or by invoice" }
                        </button>
                    }
                    if let Some(pay_by) = &order.pay_by {
                        <p class="order__pay-by">{ format!("Unpaid orders are cancelled after {pay_by}.") }</p>
                    }
                </section>
            }
            if !order.next_statuses.is_empty() {
                <section class="panel order__desk" aria-label="Store desk">
                    <h2 class="order__section">{ "Store desk" }</h2>
                    if order.next_statuses.contains(&OrderStatus::Paid) {
                        <div class="field">
                            <label class="field__label" for="reference">{ "Receipt or invoice number (optional)" }</label>
                            <input class="field__control" id="reference" value={(*reference).clone()} oninput={on_reference} />
                        </div>
                    }
                    <div class="order__moves">
                        { for order.next_statuses.iter().map(|&status| {
                            let quiet = matches!(status, OrderStatus::Cancelled | OrderStatus::Refunded);
                            html! {
                                <button class={classes!("button", quiet.then_some("button--quiet"))} type="button"
                                    disabled={busy} onclick={move_to(status)}>{ status.action() }</button>
                            }
                        }) }
                    </div>
                </section>
            }
            if let Some(reason) = &*act.problem {
                { refused(reason) }
            }
            <section class="panel order__what" aria-label="What was ordered">
                if !order.lines.is_empty() {
                    <OrderLines lines={order.lines.clone()} currency={order.currency.clone()} />
                }
                <Totals {rows} />
            </section>
            if !order.parts.is_empty() {
                <section class="panel order__parts" aria-label="Printed parts">
                    <h2 class="order__section">{ "Printed parts" }</h2>
                    <OrderParts parts={order.parts.clone()} />
                </section>
            }
            <section class="panel order__where" aria-label="Delivery">
                <h2 class="order__section">
                    { match order.delivery { Delivery::Pickup => "Picked up at", Delivery::Shipping => "Shipped to" } }
                </h2>
                <address class="order__address">
                    { for order.destination.iter().map(|line| html! { <span>{ line.clone() }</span> }) }
                </address>
            </section>
            if !order.payments.is_empty() || !order.refunds.is_empty() {
                <section class="panel order__money" aria-label="Payments and refunds">
                    <h2 class="order__section">{ "Payments" }</h2>
                    <ul class="order__payments">
                        { for order.payments.iter().map(|payment| html! {
                            <li key={payment.id.clone()}>
                                { format!("{} {} — {}", match payment.provider {
                                    PaymentProvider::Manual => "By hand:",
                                    PaymentProvider::Stripe => "By card:",
                                }, payment.amount, payment.status.label()) }
                                if let Some(note) = &payment.note {
                                    <span class="order__note">{ format!(" ({note})") }</span>
                                }
                            </li>
                        }) }
                        { for order.refunds.iter().map(|refund| html! {
                            <li key={refund.id.clone()}>
                                { format!("Refunded {} on {}: {}", refund.amount, refund.given, refund.reason) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
            if order.cancellable && order.next_statuses.is_empty() {
                <p class="order__cancel">
                    <button class="button button--quiet" type="button" disabled={busy} onclick={on_cancel}>
                        { "Cancel this order" }
                    </button>
                </p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CardPaymentProps {
    order_id: String,
    /// The order's total, in words.
    total: String,
    cards: CardPayments,
}

/// Where paying by card stands.
#[derive(Debug, Clone, PartialEq)]
enum Card {
    /// Stripe.js and its card field are on their way.
    Loading,
    Ready,
    Paying,
    /// Stripe took the money; the order turns paid when Stripe tells the store.
    Taken,
    /// Stripe or the store refused this try, saying why; another card may be tried.
    Refused(String),
    /// The card field could not be shown.
    Unavailable(String),
}

/// Stripe's card field and the button that pays the order's total with it: a card payment is
/// started at the store, then confirmed by Stripe.js with the card typed in the field.
#[function_component]
fn CardPayment(props: &CardPaymentProps) -> Html {
    let host = use_node_ref();
    let field = use_mut_ref(|| None::<(StripeJs, CardField)>);
    let stage = use_state(|| Card::Loading);
    {
        let (host, field, stage) = (host.clone(), field.clone(), stage.clone());
        use_effect_with(props.cards.clone(), move |settings| {
            if let Some(element) = host.cast::<web_sys::Element>() {
                let (settings, field) = (settings.clone(), field.clone());
                yew::platform::spawn_local(async move {
                    let made = cards::card_field(
                        &settings.stripe_js_url,
                        &settings.publishable_key,
                        &element,
                    )
                    .await;
                    match made {
                        Ok(made) => {
                            *field.borrow_mut() = Some(made);
                            stage.set(Card::Ready);
                        }
                        Err(reason) => stage.set(Card::Unavailable(reason)),
                    }
                });
            }
            move || {
                if let Some((_, card)) = field.borrow_mut().take() {
                    card.destroy();
                }
            }
        });
    }
    let on_pay = {
        let (field, stage, order) = (field.clone(), stage.clone(), props.order_id.clone());
        Callback::from(move |_: MouseEvent| {
            let Some((stripe, card)) = field.borrow().clone() else {
                return;
            };
            stage.set(Card::Paying);
            let (stage, order) = (stage.clone(), order.clone());
            yew::platform::spawn_local(async move {
                let paid = async {
                    let (_, secret) = services::start_payment(order, PaymentProvider::Stripe)
                        .await
                        .map_err(|error| refusal(&error))?;
                    let secret = secret.ok_or("the store started no card payment")?;
                    cards::pay(&stripe, &card, &secret).await
                };
                stage.set(match paid.await {
                    Ok(()) => Card::Taken,
                    Err(reason) => Card::Refused(reason),
                });
            });
        })
    };
    let ready = matches!(*stage, Card::Ready | Card::Refused(_));
    html! {
        <div class="card-payment">
            <h3 class="card-payment__title">{ "Pay by card" }</h3>
            <div class="card-payment__field" ref={host}></div>
            { match &*stage {
                Card::Loading => html! { <p class="card-payment__note">{ "Loading the card form…" }</p> },
                Card::Taken => html! {
                    <p class="card-payment__note" role="status">
                        { "Your card was charged: the order turns paid as soon as Stripe tells the store, here on this page." }
                    </p>
                },
                Card::Refused(reason) | Card::Unavailable(reason) => refused(reason),
                Card::Ready | Card::Paying => Html::default(),
            } }
            if *stage != Card::Taken {
                <button class="button" type="button" disabled={!ready} onclick={on_pay}>
                    { if *stage == Card::Paying { "Paying…".to_owned() } else { format!("Pay {} by card", props.total) } }
                </button>
            }
        </div>
    }
}
