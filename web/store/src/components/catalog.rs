//! The catalog's grid of products and the stars of a rating.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::types::{ProductCard, Rating};

/// Properties of [`Stars`].
#[derive(Properties, PartialEq)]
pub struct StarsProps {
    pub rating: Rating,
}

/// A rating as five stars, the average and how many reviews; "No reviews yet" without any.
#[function_component]
pub fn Stars(props: &StarsProps) -> Html {
    let Some(average) = props.rating.average else {
        return html! { <span class="stars stars--none">{ "No reviews yet" }</span> };
    };
    let count = props.rating.count;
    let full = average.round().clamp(0.0, 5.0) as usize;
    let label = format!(
        "Rated {average:.1} out of 5 by {count} {}",
        if count == 1 { "reviewer" } else { "reviewers" }
    );
    let (marked, unmarked) = ("★".repeat(full), "★".repeat(5 - full));
    html! {
        <span class="stars" role="img" aria-label={label}>
            <span class="stars__marks" aria-hidden="true">
                { marked }<span class="stars__empty">{ unmarked }</span>
            </span>
            <span class="stars__count" aria-hidden="true">{ format!("{average:.1} ({count})") }</span>
        </span>
    }
}

/// Properties of [`ProductGrid`].
#[derive(Properties, PartialEq)]
pub struct ProductGridProps {
    pub products: Vec<ProductCard>,
}

/// Products as cards, each leading to its page.
#[function_component]
pub fn ProductGrid(props: &ProductGridProps) -> Html {
    html! {
        <ul class="products">
            { for props.products.iter().map(|product| html! {
                <li class="product-card" key={product.slug.clone()}>
                    if let Some(image) = &product.image {
                        <img class="product-card__image" src={image.url.clone()} alt={image.alt.clone()}
                            loading="lazy" width="320" height="240" />
                    }
                    <Link<Route> to={Route::Product { slug: product.slug.clone() }} classes="product-card__link">
                        <span class="product-card__name">{ product.name.clone() }</span>
                    </Link<Route>>
                    if let Some(category) = &product.category {
                        <span class="product-card__category">{ category.clone() }</span>
                    }
                    <Stars rating={product.rating} />
                    <span class="product-card__foot">
                        <span class="product-card__price">
                            { product.price.clone().unwrap_or_else(|| "No price yet".to_owned()) }
                        </span>
                        if product.in_stock {
                            <span class="stock stock--in">{ "In stock" }</span>
                        } else {
                            <span class="stock stock--out">{ "Sold out" }</span>
                        }
                    </span>
                </li>
            }) }
        </ul>
    }
}
