//! A review as customers and store staff read it.

use yew::prelude::*;

use crate::types::Review;

/// A rating of 1 to 5 as that many stars.
pub fn stars(rating: i64) -> String {
    "★".repeat(rating.clamp(0, 5) as usize)
}

/// Properties of [`ReviewItem`].
#[derive(Properties, PartialEq)]
pub struct ReviewItemProps {
    pub review: Review,
    /// What goes under it (store staff's buttons).
    #[prop_or_default]
    pub children: Html,
}

/// A review in a list: its stars, title, text, author and whether they bought the product.
#[function_component]
pub fn ReviewItem(props: &ReviewItemProps) -> Html {
    let review = &props.review;
    html! {
        <li class="review">
            <p class="review__head">
                <span class="review__stars" role="img" aria-label={format!("{} out of 5", review.rating)}>
                    { stars(review.rating) }
                </span>
                <strong>{ review.title.clone() }</strong>
            </p>
            <p class="review__body">{ review.body.clone() }</p>
            <p class="review__by">
                { format!("{}, {}", review.author, review.written) }
                if review.verified_purchase {
                    <span class="review__verified">{ "Verified purchase" }</span>
                }
            </p>
            { props.children.clone() }
        </li>
    }
}
