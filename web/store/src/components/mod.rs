//! The store's components: they take plain data and callbacks and never fetch, so each can be
//! rendered in a test exactly as a page renders it.

mod cart;
mod cart_parts;
mod catalog;
mod order_parts;
mod orders;
mod part_order;
mod parts;
mod reviews;

pub use cart::{CartLines, CartLinesProps, HoldNotice, HoldNoticeProps, hold_left};
pub use cart_parts::{CartParts, CartPartsProps, copies, made_by, subtotal_rows};
pub use catalog::{ProductGrid, ProductGridProps, Stars, StarsProps};
pub use order_parts::{GIVEN_BACK, OrderParts, OrderPartsProps, job_status};
pub use orders::{
    OrderLines, OrderLinesProps, OrderList, OrderListProps, StatusBadge, StatusBadgeProps, Totals,
    TotalsProps,
};
pub use part_order::{PartAdding, PartOrder, PartOrderProps, add_label, in_your_cart, unorderable};
pub use parts::{
    PartList, PartListProps, QuoteBadge, QuoteBadgeProps, QuoteDetails, QuoteDetailsProps,
    file_size, lead_time, part_size, print_time, volume,
};
pub use reviews::{ReviewItem, ReviewItemProps, stars};

pub use makrx_web::words::capitalised;

use makrx_web::graphql::RequestError;
use yew::prelude::*;

/// Why the API refused, in words for people: a request to sign in, the fields it names and
/// what is wrong with each, or its own reason.
pub fn refusal(error: &RequestError) -> String {
    if error.is_unauthenticated() {
        return "Sign in first.".to_owned();
    }
    let fields = error.field_errors();
    if fields.is_empty() {
        return capitalised(&error.to_string());
    }
    fields
        .iter()
        .map(|field| format!("{}: {}.", field.field, field.message.trim_end_matches('.')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A refusal as the page shows it, announced at once.
pub fn refused(reason: &str) -> Html {
    html! { <p class="form-problem" role="alert">{ reason.to_owned() }</p> }
}
