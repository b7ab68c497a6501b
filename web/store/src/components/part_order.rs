//! Ordering a quoted part: which of the makerspaces offering it makes it (or whichever has it
//! ready first), the button that puts it in the cart, and what that did.

use yew::prelude::*;
use yew_router::prelude::*;

use super::refused;
use crate::app::Route;
use crate::types::{PartQuote, QuoteStatus};

/// Where putting a part in the cart stands.
#[derive(Debug, Clone, PartialEq)]
pub enum PartAdding {
    Idle,
    Sending,
    /// In the cart, made by the makerspace named (none: whichever has it ready first); the cart
    /// now holds this many units.
    Added {
        makerspace: Option<String>,
        items: i64,
    },
    /// The API's reason, in its words.
    Refused(String),
}

/// Why a quote cannot be ordered, in the customer's words; none when it can.
pub fn unorderable(quote: &PartQuote) -> Option<&'static str> {
    if quote.status != QuoteStatus::Ready || quote.price.is_none() {
        Some("This part cannot be ordered: it has no price.")
    } else if quote.expired {
        Some("This quote has expired, so the part cannot be ordered from it: ask for a new quote.")
    } else if quote.offers.is_empty() {
        Some("This part cannot be ordered: no makerspace can make it yet.")
    } else {
        None
    }
}

/// The button's words: a makerspace chosen, or none (whichever has it ready first).
pub fn add_label(chosen: Option<&str>) -> &'static str {
    match chosen {
        Some(_) => "Add to cart",
        None => "Add to cart — earliest ready",
    }
}

/// What the page says once the part is in the cart.
pub fn in_your_cart(makerspace: Option<&str>, items: i64) -> String {
    let maker = makerspace.unwrap_or("the space that has it ready first");
    let units = if items == 1 { "item" } else { "items" };
    format!("In your cart, to be made by {maker}. Your cart holds {items} {units}. ")
}

/// Properties of [`PartOrder`].
#[derive(Properties, PartialEq)]
pub struct PartOrderProps {
    pub quote: PartQuote,
    /// The API id of the makerspace chosen; none: whichever has it ready first.
    pub chosen: Option<String>,
    pub on_choose: Callback<Option<String>>,
    pub adding: PartAdding,
    /// Puts the part in the cart, made where chosen.
    pub on_add: Callback<()>,
}

/// A choice of who makes the part, each offer's space by name with when it would be ready,
/// and the button that puts it in the cart; why not, when it cannot be ordered.
#[function_component]
pub fn PartOrder(props: &PartOrderProps) -> Html {
    let body = match unorderable(&props.quote) {
        Some(why) => html! { <p class="part-order__none">{ why }</p> },
        None => order_form(props),
    };
    html! {
        <section class="quote__section part-order" aria-labelledby="order-heading">
            <h3 class="quote__heading" id="order-heading">{ "Order it" }</h3>
            { body }
        </section>
    }
}

fn order_form(props: &PartOrderProps) -> Html {
    let sending = props.adding == PartAdding::Sending;
    let choice = |space: Option<String>, label: String, hint: Option<String>| {
        let checked = props.chosen == space;
        let on_choose = props.on_choose.clone();
        html! {
            <label class="choice part-order__choice">
                <input type="radio" name="part-maker" value={space.clone().unwrap_or_default()}
                    {checked} disabled={sending}
                    onchange={move |_: Event| on_choose.emit(space.clone())} />
                <span>{ label }</span>
                if let Some(hint) = hint {
                    <span class="part-order__when">{ hint }</span>
                }
            </label>
        }
    };
    let on_submit = {
        let on_add = props.on_add.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_add.emit(());
        })
    };
    html! {
        <form class="part-order__form" onsubmit={on_submit}>
            <fieldset class="part-order__choices">
                <legend class="part-order__legend">{ "Who makes it" }</legend>
                { for props.quote.offers.iter().map(|offer| choice(
                    Some(offer.makerspace_id.clone()),
                    format!("Order from {}", offer.makerspace),
                    Some(format!("ready by {}", offer.ready_by)),
                )) }
                { choice(None, "Whichever space has it ready first".to_owned(), None) }
            </fieldset>
            <button class="button" type="submit" disabled={sending}>
                { if sending { "Adding…" } else { add_label(props.chosen.as_deref()) } }
            </button>
            { match &props.adding {
                PartAdding::Added { makerspace, items } => html! {
                    <p class="part-order__added" role="status">
                        { in_your_cart(makerspace.as_deref(), *items) }
                        <Link<Route> to={Route::Cart}>{ "View your cart" }</Link<Route>>
                    </p>
                },
                PartAdding::Refused(reason) => refused(reason),
                PartAdding::Idle | PartAdding::Sending => Html::default(),
            } }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Offer, QuotePrice};

    fn quote(expired: bool, offers: usize) -> PartQuote {
        PartQuote {
            id: "q".to_owned(),
            status: QuoteStatus::Ready,
            material: "PLA".to_owned(),
            colour: None,
            infill_percent: 20,
            quantity: 1,
            measures: None,
            misfits: Vec::new(),
            print: None,
            price: Some(QuotePrice {
                currency: "INR".to_owned(),
                material_per_part_minor: 0,
                machine_per_part_minor: 0,
                quantity: 1,
                production_minor: 0,
                quantity_discount_minor: 0,
                markup_minor: 0,
                setup_fee_minor: 0,
                total_minor: 0,
                unit_price_minor: 0,
            }),
            warnings: Vec::new(),
            failure: None,
            valid_until: None,
            expired,
            offers: (0..offers)
                .map(|index| Offer {
                    makerspace_id: format!("space-{index}"),
                    makerspace: format!("Space {index}"),
                    ready_by: "8 Dec 2026, 19:05".to_owned(),
                    lead_time_hours: 5,
                    accepts_automatically: false,
                })
                .collect(),
        }
    }

    #[test]
    fn a_priced_quote_with_an_offer_can_be_ordered_an_expired_or_unoffered_one_cannot() {
        assert_eq!(unorderable(&quote(false, 2)), None);
        assert!(unorderable(&quote(true, 2)).is_some_and(|why| why.contains("expired")));
        assert!(
            unorderable(&quote(false, 0)).is_some_and(|why| why.contains("no makerspace can make"))
        );
        let mut too_big = quote(false, 1);
        too_big.status = QuoteStatus::TooBig;
        assert!(unorderable(&too_big).is_some());
    }

    #[test]
    fn the_button_and_the_news_say_who_makes_the_part() {
        assert_eq!(add_label(None), "Add to cart — earliest ready");
        assert_eq!(add_label(Some("space-0")), "Add to cart");
        assert_eq!(
            in_your_cart(Some("E2E Cave"), 1),
            "In your cart, to be made by E2E Cave. Your cart holds 1 item. "
        );
        assert_eq!(
            in_your_cart(None, 3),
            "In your cart, to be made by the space that has it ready first. Your cart holds 3 items. "
        );
    }
}
