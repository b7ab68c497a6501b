//! `/p/:slug`: a product, its variants with the stock they have now, adding one to the cart,
//! and what customers make of it.

use makrx_web::form::{Control, TextField, error_for};
use makrx_web::graphql::RequestError;
use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::{Notice, failed, loading};
use makrx_web::remote::Remote;
use makrx_web::session::{self, use_session};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::use_refresh_every;
use crate::app::{Route, use_cart_count};
use crate::components::{ReviewItem, Stars, refusal, refused, stars};
use crate::money::money;
use crate::services;
use crate::types::{MyReview, ProductDetails, Review, ReviewStatus, Variant};

/// How often the page asks again how many of each variant can be had, while others buy.
const STOCK_SECONDS: u32 = 15;

/// Properties of [`ProductPage`].
#[derive(Properties, PartialEq)]
pub struct ProductPageProps {
    /// The product's address in URLs.
    pub slug: String,
}

/// The product page.
#[function_component]
pub fn ProductPage(props: &ProductPageProps) -> Html {
    let details = use_remote(props.slug.clone(), services::product);
    use_refresh_every(STOCK_SECONDS, details.refresh.clone());
    let title = match details.state.ready() {
        Some(product) => product.name.clone(),
        None => "Store".to_owned(),
    };
    use_title(title);
    match &*details.state {
        Remote::Loading => loading("Loading the product…"),
        Remote::Failed(error) if error.is_not_found() => html! {
            <Notice title="This product is not in the store">
                <p>{ "It may have been taken out of the catalog, or the address mistyped." }</p>
                <Link<Route> to={Route::Catalog} classes="button">{ "The catalog" }</Link<Route>>
            </Notice>
        },
        Remote::Failed(error) => failed(
            "The product could not be loaded",
            error,
            details.retry.clone(),
        ),
        Remote::Ready(product) => html! {
            <Product product={product.clone()} on_added={details.refresh.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct ProductProps {
    product: ProductDetails,
    /// Stock changed: the page asks again.
    on_added: Callback<()>,
}

/// Where adding to the cart stands.
#[derive(Debug, Clone, PartialEq)]
enum Adding {
    Idle,
    Sending,
    /// Added; the cart now holds this many units.
    Added(i64),
    Refused(String),
}

#[function_component]
fn Product(props: &ProductProps) -> Html {
    let product = &props.product;
    // The first variant that can be had is chosen at first; otherwise the first one.
    let chosen = use_state(|| {
        product
            .variants
            .iter()
            .find(|variant| variant.available > 0)
            .or(product.variants.first())
            .map(|variant| variant.id.clone())
    });
    let quantity = use_state(|| 1_i64);
    let adding = use_state(|| Adding::Idle);
    let cart = use_cart_count();
    let variant = product
        .variants
        .iter()
        .find(|variant| Some(&variant.id) == chosen.as_ref())
        .cloned();
    let on_choose = {
        let (chosen, adding) = (chosen.clone(), adding.clone());
        Callback::from(move |id: String| {
            chosen.set(Some(id));
            adding.set(Adding::Idle);
        })
    };
    let on_quantity = {
        let quantity = quantity.clone();
        Callback::from(move |event: InputEvent| {
            let typed = event.target_unchecked_into::<HtmlInputElement>().value();
            quantity.set(typed.parse().unwrap_or(1).max(1));
        })
    };
    let on_add = {
        let (adding, quantity, variant) = (adding.clone(), *quantity, variant.clone());
        let (recount, on_added) = (cart.recount.clone(), props.on_added.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(variant) = &variant else { return };
            adding.set(Adding::Sending);
            let (adding, recount, on_added) = (adding.clone(), recount.clone(), on_added.clone());
            let added = services::add_to_cart(variant.id.clone(), quantity);
            yew::platform::spawn_local(async move {
                match added.await {
                    Ok(count) => {
                        adding.set(Adding::Added(count));
                        recount.emit(());
                        on_added.emit(());
                    }
                    Err(error) => adding.set(Adding::Refused(refusal(&error))),
                }
            });
        })
    };
    html! {
        <article class="product">
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Catalog}>{ "← The store" }</Link<Route>>
            </nav>
            if !product.trail.is_empty() {
                <p class="product__trail">{ product.trail.join(" › ") }</p>
            }
            <h1 class="page__title">{ product.name.clone() }</h1>
            <Stars rating={product.rating} />
            <div class="product__body">
                <div class="product__about">
                    { for product.images.iter().map(|image| html! {
                        <img class="product__image" src={image.url.clone()} alt={image.alt.clone()} />
                    }) }
                    { for product.description.split("\n\n").map(|paragraph| html! { <p>{ paragraph.to_owned() }</p> }) }
                    if !product.attributes.is_empty() {
                        <dl class="attributes">
                            { for product.attributes.iter().map(|(name, value)| html! {
                                <div class="attributes__row"><dt>{ name.clone() }</dt><dd>{ value.clone() }</dd></div>
                            }) }
                        </dl>
                    }
                </div>
                <form class="panel buy" onsubmit={on_add}>
                    if product.variants.is_empty() {
                        <p>{ "Not for sale yet." }</p>
                    } else {
                        <VariantChoice variants={product.variants.clone()} chosen={(*chosen).clone()} {on_choose} />
                        { buy(variant.as_ref(), *quantity, &adding, on_quantity) }
                    }
                </form>
            </div>
            <Reviews product_id={product.id.clone()} reviews={product.reviews.clone()} />
        </article>
    }
}

/// The quantity, the button, and what adding did.
fn buy(
    variant: Option<&Variant>,
    quantity: i64,
    adding: &Adding,
    on_quantity: Callback<InputEvent>,
) -> Html {
    let Some(variant) = variant else {
        return Html::default();
    };
    let sold_out = variant.available <= 0;
    html! {
        <>
            <p class="buy__price">{ money(variant.price_minor, &variant.currency) }</p>
            <div class="buy__row">
                <label class="field__label" for="quantity">{ "How many" }</label>
                <input class="field__control buy__quantity" id="quantity" type="number" min="1"
                    max={variant.available.max(1).to_string()} value={quantity.to_string()}
                    disabled={sold_out} oninput={on_quantity} />
                <button class="button" type="submit" disabled={sold_out || *adding == Adding::Sending}>
                    { if *adding == Adding::Sending { "Adding…" } else { "Add to cart" } }
                </button>
            </div>
            { match adding {
                Adding::Added(count) => html! {
                    <p class="buy__added" role="status">
                        { format!("Added. Your cart holds {count} {}. ", if *count == 1 { "item" } else { "items" }) }
                        <Link<Route> to={Route::Cart}>{ "View your cart" }</Link<Route>>
                    </p>
                },
                Adding::Refused(reason) => refused(reason),
                Adding::Idle | Adding::Sending => Html::default(),
            } }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct VariantChoiceProps {
    variants: Vec<Variant>,
    chosen: Option<String>,
    on_choose: Callback<String>,
}

/// The variants as a group of choices, each with its price and what can be had now.
#[function_component]
fn VariantChoice(props: &VariantChoiceProps) -> Html {
    html! {
        <fieldset class="variants">
            <legend class="field__label">{ "Choose" }</legend>
            { for props.variants.iter().map(|variant| {
                let id = variant.id.clone();
                let on_choose = props.on_choose.clone();
                let stock = match variant.available {
                    ..=0 => "Sold out".to_owned(),
                    left @ 1..=10 => format!("Only {left} left"),
                    _ => "In stock".to_owned(),
                };
                html! {
                    <label class="variant" key={variant.id.clone()}>
                        <input type="radio" name="variant" value={variant.id.clone()}
                            checked={props.chosen.as_ref() == Some(&variant.id)}
                            onchange={move |_| on_choose.emit(id.clone())} />
                        <span class="variant__name">{ variant.name.clone() }</span>
                        <span class="variant__price">{ money(variant.price_minor, &variant.currency) }</span>
                        <span class={classes!("variant__stock", (variant.available <= 0).then_some("variant__stock--out"))}>
                            { stock }
                        </span>
                    </label>
                }
            }) }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewsProps {
    product_id: String,
    reviews: Vec<Review>,
}

/// The approved reviews, newest first, and the signed-in customer's own.
#[function_component]
fn Reviews(props: &ReviewsProps) -> Html {
    let session = use_session();
    html! {
        <section class="reviews" aria-labelledby="reviews-title">
            <h2 id="reviews-title" class="reviews__title">{ "Reviews" }</h2>
            if props.reviews.is_empty() {
                <p class="reviews__empty">{ "Nobody has reviewed this yet." }</p>
            }
            <ul class="reviews__list">
                { for props.reviews.iter().map(|review| html! {
                    <ReviewItem key={review.id.clone()} review={review.clone()} />
                }) }
            </ul>
            if session.user().is_some() {
                <WriteReview product_id={props.product_id.clone()} />
            } else {
                <p class="reviews__sign-in">
                    <button class="button button--quiet" type="button" onclick={|_| session::sign_in()}>
                        { "Sign in to write a review" }
                    </button>
                </p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct WriteReviewProps {
    product_id: String,
}

/// Where writing a review stands.
#[derive(Debug, Clone, PartialEq)]
enum Writing {
    Idle,
    Sending,
    Sent(ReviewStatus),
    Refused(RequestError),
}

/// The customer's review: theirs to write, or to rewrite (it then waits for approval again).
#[function_component]
fn WriteReview(props: &WriteReviewProps) -> Html {
    let mine = use_remote(props.product_id.clone(), services::my_review);
    match &*mine.state {
        Remote::Loading => Html::default(),
        Remote::Failed(error) => {
            failed("Your review could not be loaded", error, mine.retry.clone())
        }
        Remote::Ready(review) => html! {
            <ReviewForm product_id={props.product_id.clone()} review={review.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct ReviewFormProps {
    product_id: String,
    review: Option<MyReview>,
}

#[function_component]
fn ReviewForm(props: &ReviewFormProps) -> Html {
    let rating = use_state(|| props.review.as_ref().map_or(5, |review| review.rating));
    let title = use_state(|| {
        props
            .review
            .as_ref()
            .map(|review| review.title.clone())
            .unwrap_or_default()
    });
    let body = use_state(|| {
        props
            .review
            .as_ref()
            .map(|review| review.body.clone())
            .unwrap_or_default()
    });
    let writing = use_state(|| Writing::Idle);
    let on_submit = {
        let (rating, title, body, writing) =
            (rating.clone(), title.clone(), body.clone(), writing.clone());
        let product_id = props.product_id.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            writing.set(Writing::Sending);
            let sent = services::write_review(
                product_id.clone(),
                *rating,
                (*title).clone(),
                (*body).clone(),
            );
            let writing = writing.clone();
            yew::platform::spawn_local(async move {
                writing.set(match sent.await {
                    Ok(status) => Writing::Sent(status),
                    Err(error) => Writing::Refused(error),
                });
            });
        })
    };
    let on_rating = {
        let rating = rating.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            rating.set(value.parse().unwrap_or(5));
        })
    };
    let fields = match &*writing {
        Writing::Refused(error) => error.field_errors(),
        _ => Vec::new(),
    };
    let standing = match (&*writing, &props.review) {
        (Writing::Sent(_), _) => {
            Some("Thank you: your review is shown once store staff approve it.")
        }
        (_, Some(review)) => Some(match review.status {
            ReviewStatus::Pending => "Your review waits for store staff to approve it.",
            ReviewStatus::Approved => "Your review is shown above.",
            ReviewStatus::Rejected => "Store staff did not show your review; you may rewrite it.",
        }),
        (_, None) => None,
    };
    html! {
        <form class="panel review-form" onsubmit={on_submit}>
            <h3 class="review-form__title">
                { if props.review.is_some() { "Your review" } else { "Write a review" } }
            </h3>
            if let Some(standing) = standing {
                <p class="review-form__standing" role="status">{ standing }</p>
            }
            <div class="field">
                <label class="field__label" for="field-rating">{ "Rating" }</label>
                <select class="field__control" id="field-rating" name="rating" onchange={on_rating}>
                    { for (1..=5).rev().map(|count: i64| html! {
                        <option value={count.to_string()} selected={count == *rating}>
                            { format!("{} ({count} of 5)", stars(count)) }
                        </option>
                    }) }
                </select>
            </div>
            <TextField name="title" label="Title" value={(*title).clone()} error={error_for(&fields, "title")}
                on_input={Callback::from({ let title = title.clone(); move |text| title.set(text) })} />
            <TextField name="body" label="What you thought" value={(*body).clone()} control={Control::Paragraph}
                error={error_for(&fields, "body")}
                on_input={Callback::from({ let body = body.clone(); move |text| body.set(text) })} />
            if let Writing::Refused(error) = &*writing {
                if fields.is_empty() {
                    { refused(&refusal(error)) }
                }
            }
            <button class="button" type="submit" disabled={*writing == Writing::Sending}>
                { if props.review.is_some() { "Rewrite your review" } else { "Send your review" } }
            </button>
        </form>
    }
}
