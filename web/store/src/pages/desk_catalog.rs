//! `/desk/catalog`: the catalog as store staff keep it: each product's pictures (a new one sent
//! straight to object storage, its progress shown) and each variant's units on hand at each
//! location; from here a product is added or edited (`desk_product`).

use makrx_web::hooks::use_remote;
use makrx_web::layout::for_role;
use makrx_web::upload::Progress;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{DeskFrame, PageQuery, use_query};
use crate::app::Route;
use crate::components::{refusal, refused};
use crate::services;
use crate::types::{KeptProduct, Pickup, StockedVariant};

/// The catalog page of the desk.
#[function_component]
pub fn DeskCatalogPage() -> Html {
    html! {
        <DeskFrame title="Catalog · Orders desk">
            <Kept />
        </DeskFrame>
    }
}

#[function_component]
fn Kept() -> Html {
    let query: PageQuery = use_query();
    let catalog = use_remote(query.after.clone(), services::desk_catalog);
    let reload = catalog.refresh.clone();
    for_role(
        &catalog,
        (
            "Loading the catalog…",
            "The catalog is kept by store staff",
            "The catalog could not be loaded",
        ),
        |kept| {
            html! {
                <>
                    <p class="kept__new">
                        <Link<Route> to={Route::DeskNewProduct} classes="button">{ "Add a product" }</Link<Route>>
                    </p>
                    if kept.products.is_empty() {
                        <p class="placeholder">{ "The catalog is empty: add the first product." }</p>
                    }
                    { for kept.products.iter().map(|product| html! {
                        <KeptProductPanel key={product.id.clone()} product={product.clone()}
                            locations={kept.locations.clone()} changed={reload.clone()} />
                    }) }
                    if let Some(after) = &kept.next {
                        <nav class="pager" aria-label="Pages">
                            <Link<Route, PageQuery> to={Route::DeskCatalog} query={Some(PageQuery { after: Some(after.clone()) })}
                                classes="button">{ "More products" }</Link<Route, PageQuery>>
                        </nav>
                    }
                </>
            }
        },
    )
}

#[derive(Properties, PartialEq)]
pub(super) struct KeptProductProps {
    pub product: KeptProduct,
    pub locations: Vec<Pickup>,
    /// Something was saved: the page asks again.
    pub changed: Callback<()>,
    /// Whether it links to the product's editor (not on the editor's own page).
    #[prop_or(true)]
    pub edit_link: bool,
}

/// Where sending a picture stands.
#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    Sent(Progress),
    Refused(String),
}

/// A product's pictures, a new one to add, and each variant's stock at each location.
#[function_component]
pub(super) fn KeptProductPanel(props: &KeptProductProps) -> Html {
    let product = &props.product;
    let sending = use_state(|| Sending::Idle);
    let on_file = {
        let (sending, changed, id, name) = (
            sending.clone(),
            props.changed.clone(),
            product.id.clone(),
            product.name.clone(),
        );
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            sending.set(Sending::Sent(Progress {
                sent: 0.0,
                total: file.size(),
            }));
            let progress = {
                let sending = sending.clone();
                Callback::from(move |progress| sending.set(Sending::Sent(progress)))
            };
            let added = services::add_picture(id.clone(), file, name.clone(), progress);
            let (sending, changed) = (sending.clone(), changed.clone());
            yew::platform::spawn_local(async move {
                match added.await {
                    Ok(()) => {
                        sending.set(Sending::Idle);
                        changed.emit(());
                    }
                    Err(reason) => sending.set(Sending::Refused(reason)),
                }
            });
        })
    };
    let file_id = format!("picture-{}", product.id);
    html! {
        <section class="panel kept" aria-labelledby={format!("kept-{}", product.id)}>
            <div class="kept__head">
                <h2 class="kept__name" id={format!("kept-{}", product.id)}>
                    <Link<Route> to={Route::Product { slug: product.slug.clone() }}>{ product.name.clone() }</Link<Route>>
                </h2>
                if !product.published {
                    <span class="order-status order-status--stopped">{ "Unpublished" }</span>
                }
                if props.edit_link {
                    <Link<Route> to={Route::DeskProduct { id: product.id.clone() }} classes="button button--quiet kept__edit">
                        { "Edit details and variants" }
                    </Link<Route>>
                }
            </div>
            <div class="kept__pictures">
                { for product.images.iter().map(|image| html! {
                    <img class="kept__picture" src={image.url.clone()} alt={image.alt.clone()} />
                }) }
                <div class="kept__add">
                    // The input first, so that its focus can be shown on the label after it.
                    <input class="visually-hidden" id={file_id.clone()} type="file"
                        accept="image/png,image/jpeg,image/webp" onchange={on_file} />
                    <label class="button button--quiet" for={file_id}>{ "Add a picture" }</label>
                    { match &*sending {
                        Sending::Idle => Html::default(),
                        Sending::Sent(progress) => html! {
                            <span class="kept__progress" role="status">
                                <progress max="100" value={progress.percent().to_string()}></progress>
                                { format!(" {} %", progress.percent()) }
                            </span>
                        },
                        Sending::Refused(reason) => refused(reason),
                    } }
                </div>
            </div>
            <table class="order-lines kept__stock">
                <thead>
                    <tr>
                        <th scope="col">{ "Variant" }</th>
                        <th scope="col" class="numeric">{ "Can be had" }</th>
                        { for props.locations.iter().map(|location| html! {
                            <th scope="col">{ format!("On hand at {}", location.name) }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for product.variants.iter().map(|variant| html! {
                        <tr key={variant.id.clone()}>
                            <td>{ variant.name.clone() }<span class="order-lines__sku">{ variant.sku.clone() }</span></td>
                            <td class="numeric">{ variant.available }</td>
                            { for props.locations.iter().map(|location| html! {
                                <td><OnHand variant={variant.clone()} location={location.clone()} changed={props.changed.clone()} /></td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OnHandProps {
    variant: StockedVariant,
    location: Pickup,
    changed: Callback<()>,
}

/// A variant's units on hand at a location, to set after a count or a delivery.
#[function_component]
fn OnHand(props: &OnHandProps) -> Html {
    let level = props
        .variant
        .stock
        .iter()
        .find(|level| level.location_id == props.location.id);
    let on_hand = level.map_or(0, |level| level.on_hand);
    let typed = use_state(|| on_hand.to_string());
    let problem = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            typed.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_save = {
        let (typed, problem, busy, changed) = (
            typed.clone(),
            problem.clone(),
            busy.clone(),
            props.changed.clone(),
        );
        let (variant, location) = (props.variant.id.clone(), props.location.id.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Ok(count) = typed.trim().parse::<i64>() else {
                problem.set(Some("A count is a whole number of units.".to_owned()));
                return;
            };
            busy.set(true);
            problem.set(None);
            let saved = services::set_stock(variant.clone(), location.clone(), count);
            let (problem, busy, changed) = (problem.clone(), busy.clone(), changed.clone());
            yew::platform::spawn_local(async move {
                let result = saved.await;
                busy.set(false);
                match result {
                    Ok(_) => changed.emit(()),
                    Err(error) => problem.set(Some(refusal(&error))),
                }
            });
        })
    };
    let label = format!("{} on hand at {}", props.variant.sku, props.location.name);
    html! {
        <form class="on-hand" onsubmit={on_save}>
            <input class="field__control on-hand__count" type="number" min="0" inputmode="numeric"
                aria-label={label} value={(*typed).clone()} oninput={on_input} />
            <button class="button button--quiet" type="submit" disabled={*busy}>{ "Set" }</button>
            if let Some(level) = level.filter(|level| level.allocated > 0) {
                <span class="on-hand__allocated">{ format!("{} allocated", level.allocated) }</span>
            }
            if let Some(reason) = &*problem {
                { refused(reason) }
            }
        </form>
    }
}
