//! The parts in a cart, printed to order: each as quoted, who makes it and until when its price
//! holds; and the cart's subtotal split between goods and parts.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::money::money;
use crate::types::CartPart;

/// `1 copy`, `3 copies`.
pub fn copies(quantity: i64) -> String {
    match quantity {
        1 => "1 copy".to_owned(),
        _ => format!("{quantity} copies"),
    }
}

/// Who makes a part: the makerspace chosen, or whichever has it ready first.
pub fn made_by(makerspace: Option<&str>) -> String {
    match makerspace {
        Some(space) => format!("Made by {space}"),
        None => "Made by the space that has it ready first".to_owned(),
    }
}

/// The subtotal's rows before any coupon: the goods and the parts, each when there are some
/// (both in `currency`); the API's subtotal counts the parts as quoted.
pub fn subtotal_rows(
    subtotal_minor: i64,
    parts: &[CartPart],
    has_goods: bool,
    currency: &str,
) -> Vec<(AttrValue, AttrValue)> {
    let parts_minor: i64 = parts.iter().map(|part| part.price_minor).sum();
    let mut rows = Vec::new();
    if has_goods || parts.is_empty() {
        rows.push((
            AttrValue::from("Goods"),
            AttrValue::from(money(subtotal_minor - parts_minor, currency)),
        ));
    }
    if !parts.is_empty() {
        rows.push((
            AttrValue::from("Printed parts"),
            AttrValue::from(money(parts_minor, currency)),
        ));
    }
    rows
}

/// Properties of [`CartParts`].
#[derive(Properties, PartialEq)]
pub struct CartPartsProps {
    pub parts: Vec<CartPart>,
    /// The quotes whose part is being taken out: their buttons wait.
    #[prop_or_default]
    pub removing: Rc<HashSet<String>>,
    /// Takes a part out (by its quote's id); none: the list only shows them (at checkout).
    #[prop_or_default]
    pub on_remove: Option<Callback<String>>,
}

/// The cart's parts to print, each with what was asked, who makes it, its price and until when
/// the price holds.
#[function_component]
pub fn CartParts(props: &CartPartsProps) -> Html {
    html! {
        <ul class="cart-parts" aria-label="Parts printed for you">
            { for props.parts.iter().map(|part| html! {
                <li class="cart-part" key={part.quote_id.clone()}>
                    <div class="cart-part__what">
                        <span class="cart-part__file">{ part.file_name.clone() }</span>
                        <span class="cart-part__asked">{ format!("{}, {}", part.material, copies(part.quantity)) }</span>
                        <span class="cart-part__maker">{ made_by(part.makerspace.as_deref()) }</span>
                        <span class="cart-part__holds">{ format!("Quote holds until {}", part.holds_until) }</span>
                    </div>
                    if let Some(on_remove) = &props.on_remove {
                        <button class="button button--quiet cart-part__remove" type="button"
                            disabled={props.removing.contains(&part.quote_id)}
                            aria-label={format!("Remove {}", part.file_name)}
                            onclick={on_remove.reform({
                                let id = part.quote_id.clone();
                                move |_: MouseEvent| id.clone()
                            })}>{ "Remove" }</button>
                    }
                    <span class="cart-part__price">{ money(part.price_minor, &part.currency) }</span>
                </li>
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(price_minor: i64) -> CartPart {
        CartPart {
            quote_id: "q".to_owned(),
            file_name: "cube.stl".to_owned(),
            material: "PLA".to_owned(),
            quantity: 1,
            price_minor,
            currency: "INR".to_owned(),
            holds_until: "8 Dec 2026, 19:05".to_owned(),
            makerspace: None,
        }
    }

    fn shown(rows: Vec<(AttrValue, AttrValue)>) -> Vec<(String, String)> {
        rows.into_iter()
            .map(|(label, amount)| (label.to_string(), amount.to_string()))
            .collect()
    }

    #[test]
    fn copies_and_makers_read_as_a_customer_says_them() {
        assert_eq!(copies(1), "1 copy");
        assert_eq!(copies(3), "3 copies");
        assert_eq!(made_by(Some("E2E Cave")), "Made by E2E Cave");
        assert_eq!(made_by(None), "Made by the space that has it ready first");
    }

    #[test]
    fn the_subtotal_splits_into_goods_and_parts_as_the_cart_holds_them() {
        let goods = |rows| ("Goods".to_owned(), rows);
        let parts = |rows| ("Printed parts".to_owned(), rows);
        assert_eq!(
            shown(subtotal_rows(239_800, &[], true, "INR")),
            [goods("₹2,398.00".to_owned())]
        );
        assert_eq!(
            shown(subtotal_rows(
                45_000,
                &[part(30_000), part(15_000)],
                false,
                "INR"
            )),
            [parts("₹450.00".to_owned())]
        );
        assert_eq!(
            shown(subtotal_rows(164_900, &[part(45_000)], true, "INR")),
            [goods("₹1,199.00".to_owned()), parts("₹450.00".to_owned())]
        );
    }
}
