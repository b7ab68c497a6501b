//! `/`: the catalog, searched and filtered; what is asked lives in the address (`?q=pla`), so a
//! search can be shared, bookmarked and gone back to.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::layout::{failed, loading};
use makrx_web::remote::Remote;
use serde::{Deserialize, Serialize};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::use_query;
use crate::app::Route;
use crate::components::{ProductGrid, capitalised};
use crate::money::to_minor;
use crate::services::{self, CatalogAsk};
use crate::types::{Catalog, ProductSort};

/// The catalog's address query: every part optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CatalogQuery {
    /// Words to find.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// A category's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The lowest price, in the store's currency as typed (`250` or `249.50`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Attribute values wanted, as `name:value` pairs joined by `;` (`material:PLA;colour:black`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<String>,
    /// The highest price, as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// `1`: only what can be bought now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<String>,
    /// The order (`price-low`); best match without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// The cursor the page starts after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl CatalogQuery {
    /// What to ask the API.
    pub fn ask(&self) -> CatalogAsk {
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
        };
        CatalogAsk {
            search: text(&self.q),
            category_id: text(&self.category),
            attributes: self.chosen(),
            min_price_minor: text(&self.min).and_then(|price| to_minor(&price)),
            max_price_minor: text(&self.max).and_then(|price| to_minor(&price)),
            in_stock: self.stock.as_deref() == Some("1"),
            sort: ProductSort::from_slug(self.sort.as_deref().unwrap_or_default()),
            after: text(&self.after),
        }
    }

    /// The attribute values chosen, as name and value.
    pub fn chosen(&self) -> Vec<(String, String)> {
        self.with
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .filter_map(|pair| pair.split_once(':'))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }

    /// The query with `name`'s `value` chosen if it was not, or no longer if it was; from the
    /// first page.
    pub fn toggled(&self, name: &str, value: &str) -> Self {
        let mut chosen = self.chosen();
        match chosen.iter().position(|(n, v)| n == name && v == value) {
            Some(at) => {
                chosen.remove(at);
            }
            None => chosen.push((name.to_owned(), value.to_owned())),
        }
        let with: Vec<String> = chosen
            .iter()
            .map(|(name, value)| format!("{name}:{value}"))
            .collect();
        Self {
            with: (!with.is_empty()).then(|| with.join(";")),
            after: None,
            ..self.clone()
        }
    }

    /// Whether anything narrows the catalog down.
    pub fn narrows(&self) -> bool {
        let ask = self.ask();
        ask.search.is_some()
            || ask.category_id.is_some()
            || !ask.attributes.is_empty()
            || ask.min_price_minor.is_some()
            || ask.max_price_minor.is_some()
            || ask.in_stock
    }
}

/// The catalog page.
#[function_component]
pub fn CatalogPage() -> Html {
    use_title("Store".to_owned());
    let query: CatalogQuery = use_query();
    let navigator = use_navigator();
    let catalog = use_remote(query.ask(), services::catalog);
    let go = Callback::from(move |query: CatalogQuery| {
        if let Some(navigator) = &navigator
            && let Err(error) = navigator.push_with_query(&Route::Catalog, &query)
        {
            web_sys::console::warn_1(&format!("the catalog's address: {error}").into());
        }
    });
    let results = match &*catalog.state {
        Remote::Loading => loading("Loading the catalog…"),
        Remote::Failed(error) => failed(
            "The catalog could not be loaded",
            error,
            catalog.retry.clone(),
        ),
        Remote::Ready(found) => results(found, &query, &go),
    };
    let categories = catalog.state.ready().map(|found| found.categories.clone());
    let attributes = catalog.state.ready().map(|found| found.attributes.clone());
    html! {
        <>
            <h1 class="page__title">{ "Store" }</h1>
            <div class="catalog">
                <Filters query={query.clone()} {categories} {attributes} go={go.clone()} />
                <section class="catalog__results" aria-label="Products">{ results }</section>
            </div>
        </>
    }
}

/// The products found, how many, and the way to the next page.
fn results(found: &Catalog, query: &CatalogQuery, go: &Callback<CatalogQuery>) -> Html {
    let count = match found.total {
        1 => "1 product".to_owned(),
        total => format!("{total} products"),
    };
    let first_page = query.after.is_some().then(|| {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |_: MouseEvent| {
            go.emit(CatalogQuery {
                after: None,
                ..query.clone()
            })
        })
    });
    let next_page = found.next.clone().map(|cursor| {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |_: MouseEvent| {
            go.emit(CatalogQuery {
                after: Some(cursor.clone()),
                ..query.clone()
            })
        })
    });
    if found.products.is_empty() {
        let clear = go.reform(|_: MouseEvent| CatalogQuery::default());
        return html! {
            <div class="empty">
                if query.narrows() {
                    <p>{ "Nothing in the catalog matches all of that." }</p>
                    <button class="button" type="button" onclick={clear}>{ "Clear the filters" }</button>
                } else {
                    <p>{ "The catalog is empty for now: store staff have not published anything yet." }</p>
                }
            </div>
        };
    }
    html! {
        <>
            <p class="catalog__count" role="status">{ count }</p>
            <ProductGrid products={found.products.clone()} />
            <nav class="pager" aria-label="Pages">
                if let Some(onclick) = first_page {
                    <button class="button button--quiet" type="button" {onclick}>{ "First page" }</button>
                }
                if let Some(onclick) = next_page {
                    <button class="button" type="button" {onclick}>{ "Next page" }</button>
                }
            </nav>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FiltersProps {
    query: CatalogQuery,
    /// The categories to choose from, once known.
    categories: Option<Vec<crate::types::CategoryChoice>>,
    /// Each attribute's name and values to choose from, once known.
    attributes: Option<Vec<(String, Vec<String>)>>,
    go: Callback<CatalogQuery>,
}

/// The search box and the filters: choices apply at once, typed words and prices on submit.
#[function_component]
fn Filters(props: &FiltersProps) -> Html {
    let typed = use_state(|| props.query.clone());
    {
        // Back and forward change the address: the form follows it.
        let typed = typed.clone();
        use_effect_with(props.query.clone(), move |query| typed.set(query.clone()));
    }
    let query = &props.query;
    let edit = |change: fn(&mut CatalogQuery, String)| {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*typed).clone();
            change(
                &mut next,
                event.target_unchecked_into::<HtmlInputElement>().value(),
            );
            typed.set(next);
        })
    };
    let on_submit = {
        let (typed, go) = (typed.clone(), props.go.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            go.emit(CatalogQuery {
                after: None,
                ..(*typed).clone()
            });
        })
    };
    let choose = |change: fn(&mut CatalogQuery, String)| {
        let (query, go) = (query.clone(), props.go.clone());
        Callback::from(move |event: Event| {
            let mut next = CatalogQuery {
                after: None,
                ..query.clone()
            };
            change(
                &mut next,
                event.target_unchecked_into::<HtmlSelectElement>().value(),
            );
            go.emit(next);
        })
    };
    let on_stock = {
        let (query, go) = (query.clone(), props.go.clone());
        Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            go.emit(CatalogQuery {
                stock: checked.then(|| "1".to_owned()),
                after: None,
                ..query.clone()
            });
        })
    };
    let category = query.category.clone().unwrap_or_default();
    let chosen = query.chosen();
    let sort = ProductSort::from_slug(query.sort.as_deref().unwrap_or_default());
    html! {
        <form class="filters" role="search" onsubmit={on_submit}>
            <div class="filters__search">
                <label class="field__label" for="search">{ "Search the store" }</label>
                <div class="filters__row">
                    <input class="field__control" id="search" type="search" name="q"
                        placeholder="PLA, ESP32, calipers…" value={typed.q.clone().unwrap_or_default()}
                        oninput={edit(|query, text| query.q = Some(text))} />
                    <button class="button" type="submit">{ "Search" }</button>
                </div>
            </div>
            <div class="filters__choice">
                <label class="field__label" for="category">{ "Category" }</label>
                <select class="field__control" id="category" onchange={choose(|query, id| query.category = (!id.is_empty()).then_some(id))}>
                    <option value="" selected={category.is_empty()}>{ "Everything" }</option>
                    { for props.categories.iter().flatten().map(|choice| html! {
                        <option value={choice.id.clone()} selected={choice.id == category}>
                            { format!("{}{}", "— ".repeat(choice.depth), choice.name) }
                        </option>
                    }) }
                </select>
            </div>
            <div class="filters__choice">
                <label class="field__label" for="sort">{ "Order" }</label>
                <select class="field__control" id="sort" onchange={choose(|query, slug| query.sort = Some(slug))}>
                    { for ProductSort::ALL.into_iter().map(|option| html! {
                        <option value={option.slug()} selected={option == sort}>{ option.label() }</option>
                    }) }
                </select>
            </div>
            <fieldset class="filters__price">
                <legend class="field__label">{ "Price" }</legend>
                <div class="filters__row">
                    <label class="visually-hidden" for="min-price">{ "Lowest price" }</label>
                    <input class="field__control" id="min-price" type="text" inputmode="decimal" placeholder="From"
                        value={typed.min.clone().unwrap_or_default()} oninput={edit(|query, text| query.min = Some(text))} />
                    <label class="visually-hidden" for="max-price">{ "Highest price" }</label>
                    <input class="field__control" id="max-price" type="text" inputmode="decimal" placeholder="To"
                        value={typed.max.clone().unwrap_or_default()} oninput={edit(|query, text| query.max = Some(text))} />
                </div>
            </fieldset>
            <label class="filters__check">
                <input type="checkbox" checked={query.stock.as_deref() == Some("1")} onchange={on_stock} />
                { "In stock only" }
            </label>
            // An attribute with one value among what is found narrows nothing, unless chosen.
            { for props.attributes.iter().flatten()
                .filter(|(name, values)| values.len() > 1 || chosen.iter().any(|(n, _)| n == name))
                .map(|(name, values)| html! {
                <fieldset class="filters__attribute" key={name.clone()}>
                    <legend class="field__label">{ capitalised(name) }</legend>
                    { for values.iter().map(|value| {
                        let (go, next) = (props.go.clone(), query.toggled(name, value));
                        let checked = chosen.iter().any(|(n, v)| n == name && v == value);
                        html! {
                            <label class="filters__check filters__check--value">
                                <input type="checkbox" {checked} onchange={move |_| go.emit(next.clone())} />
                                { value.clone() }
                            </label>
                        }
                    }) }
                </fieldset>
            }) }
        </form>
    }
}
