//! Putting the part just quoted in the cart, made where the customer chooses; the navigation
//! counts the cart again, as adding goods does.

use yew::prelude::*;

use crate::app::use_cart_count;
use crate::components::{PartAdding, PartOrder, refusal};
use crate::services;
use crate::types::PartQuote;

/// Properties of [`PartToCart`].
#[derive(Properties, PartialEq)]
pub struct PartToCartProps {
    /// A quote made (`READY`).
    pub quote: PartQuote,
}

/// The choice of who makes the part and the button that puts it in the cart.
#[function_component]
pub fn PartToCart(props: &PartToCartProps) -> Html {
    let chosen = use_state(|| None::<String>);
    let adding = use_state(|| PartAdding::Idle);
    let cart = use_cart_count();
    let on_choose = {
        let (chosen, adding) = (chosen.clone(), adding.clone());
        Callback::from(move |space: Option<String>| {
            chosen.set(space);
            adding.set(PartAdding::Idle);
        })
    };
    let on_add = {
        let (chosen, adding, recount) = (chosen.clone(), adding.clone(), cart.recount.clone());
        let (quote_id, offers) = (props.quote.id.clone(), props.quote.offers.clone());
        Callback::from(move |()| {
            let space = (*chosen).clone();
            let makerspace = offers
                .iter()
                .find(|offer| Some(&offer.makerspace_id) == space.as_ref())
                .map(|offer| offer.makerspace.clone());
            adding.set(PartAdding::Sending);
            let added = services::add_part_to_cart(quote_id.clone(), space);
            let (adding, recount) = (adding.clone(), recount.clone());
            yew::platform::spawn_local(async move {
                match added.await {
                    Ok(items) => {
                        adding.set(PartAdding::Added { makerspace, items });
                        recount.emit(());
                    }
                    Err(error) => adding.set(PartAdding::Refused(refusal(&error))),
                }
            });
        })
    };
    html! {
        <PartOrder quote={props.quote.clone()} chosen={(*chosen).clone()} {on_choose}
            adding={(*adding).clone()} {on_add} />
    }
}
