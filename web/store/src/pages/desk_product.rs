//! `/desk/catalog/new` and `/desk/catalog/:id`: store staff add a product with its first
//! variant, then change its details, its variants' names, options and prices, add variants,
//! and keep its pictures and stock as the catalog page does.

use makrx_web::form::{Control, TextField, error_for};
use makrx_web::graphql::{FieldError, RequestError};
use makrx_web::hooks::use_remote;
use makrx_web::layout::for_role;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::DeskFrame;
use super::desk_catalog::KeptProductPanel;
use crate::app::Route;
use crate::components::{refusal, refused};
use crate::drafts::{ProductDraft, VariantDraft};
use crate::services;
use crate::types::{CategoryChoice, EditedProduct, EditedVariant};

/// What saving a form came to: nothing yet, saved, or refused (the fields it names are shown
/// beside them, anything else above the button).
#[derive(Debug, Clone, PartialEq, Default)]
enum Saving {
    #[default]
    Idle,
    Busy,
    Saved,
    Refused(RequestError),
}

impl Saving {
    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Refused(error) => error.field_errors(),
            _ => Vec::new(),
        }
    }

    /// The refusal, when it names no field of the form.
    fn general(&self) -> Html {
        match self {
            Self::Refused(error) if error.field_errors().is_empty() => refused(&refusal(error)),
            Self::Saved => html! { <p class="saved" role="status">{ "Saved." }</p> },
            _ => Html::default(),
        }
    }
}

/// Runs `save` for a form, showing where it stands in `saving`; `then` on success.
fn save<T: 'static>(
    saving: UseStateHandle<Saving>,
    save: impl std::future::Future<Output = Result<T, RequestError>> + 'static,
    then: impl FnOnce(T) + 'static,
) {
    saving.set(Saving::Busy);
    yew::platform::spawn_local(async move {
        match save.await {
            Ok(done) => {
                saving.set(Saving::Saved);
                then(done);
            }
            Err(error) => saving.set(Saving::Refused(error)),
        }
    });
}

/// The desk's page for a new product.
#[function_component]
pub fn DeskNewProductPage() -> Html {
    html! {
        <DeskFrame title="New product · Orders desk">
            <NewProduct />
        </DeskFrame>
    }
}

#[function_component]
fn NewProduct() -> Html {
    let categories = use_remote((), |()| services::categories());
    let reload = categories.refresh.clone();
    for_role(
        &categories,
        (
            "Loading the categories…",
            "The catalog is kept by store staff",
            "The form could not be loaded",
        ),
        |categories| html! { <NewProductForm categories={categories.clone()} changed={reload.clone()} /> },
    )
}

#[derive(Properties, PartialEq)]
struct NewProductFormProps {
    categories: Vec<CategoryChoice>,
    /// A category was added: the page asks for the categories again.
    changed: Callback<()>,
}

#[function_component]
fn NewProductForm(props: &NewProductFormProps) -> Html {
    let draft = use_state(ProductDraft::new_product);
    let variant = use_state(|| VariantDraft {
        currency: "INR".to_owned(),
        ..VariantDraft::default()
    });
    let saving = use_state(Saving::default);
    let navigator = use_navigator();
    let on_submit = {
        let (draft, variant, saving) = (draft.clone(), variant.clone(), saving.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let navigator = navigator.clone();
            save(
                saving.clone(),
                services::create_product((*draft).clone(), (*variant).clone()),
                move |id| {
                    if let Some(navigator) = navigator {
                        navigator.push(&Route::DeskProduct { id });
                    }
                },
            );
        })
    };
    let errors = saving.field_errors();
    html! {
        <form class="panel editor" onsubmit={on_submit}>
            <p class="editor__back">
                <Link<Route> to={Route::DeskCatalog}>{ "← Catalog and stock" }</Link<Route>>
            </p>
            <h2 class="editor__title">{ "A new product" }</h2>
            <DetailsFields draft={(*draft).clone()} categories={props.categories.clone()}
                categories_changed={props.changed.clone()}
                errors={errors.clone()} on_change={Callback::from(move |next| draft.set(next))} />
            <fieldset class="editor__variant">
                <legend class="editor__legend">{ "Its first variant" }</legend>
                <VariantFields draft={(*variant).clone()} field="variants.0" errors={errors}
                    new=true on_change={Callback::from(move |next| variant.set(next))} />
            </fieldset>
            <p class="editor__note">
                { "Pictures, stock and more variants are added on the product's page, once it is saved." }
            </p>
            { saving.general() }
            <button class="button" type="submit" disabled={*saving == Saving::Busy}>{ "Add the product" }</button>
        </form>
    }
}

/// Properties of [`DeskProductPage`].
#[derive(Properties, PartialEq)]
pub struct DeskProductPageProps {
    /// The product's API id.
    pub id: AttrValue,
}

/// The desk's page for one product.
#[function_component]
pub fn DeskProductPage(props: &DeskProductPageProps) -> Html {
    html! {
        <DeskFrame title="Product · Orders desk">
            <Edited id={props.id.clone()} />
        </DeskFrame>
    }
}

#[function_component]
fn Edited(props: &DeskProductPageProps) -> Html {
    let product = use_remote(props.id.to_string(), services::desk_product);
    let reload = product.refresh.clone();
    for_role(
        &product,
        (
            "Loading the product…",
            "The catalog is kept by store staff",
            "The product could not be loaded",
        ),
        |product| html! { <ProductEditor product={product.clone()} changed={reload.clone()} /> },
    )
}

#[derive(Properties, PartialEq)]
struct ProductEditorProps {
    product: EditedProduct,
    /// Something was saved: the page asks again.
    changed: Callback<()>,
}

#[function_component]
fn ProductEditor(props: &ProductEditorProps) -> Html {
    let product = &props.product;
    let draft = use_state(|| product.draft.clone());
    let saving = use_state(Saving::default);
    let on_submit = {
        let (draft, saving, changed) = (draft.clone(), saving.clone(), props.changed.clone());
        let id = product.kept.id.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let changed = changed.clone();
            save(
                saving.clone(),
                services::update_product(id.clone(), (*draft).clone()),
                move |()| changed.emit(()),
            );
        })
    };
    let currency = product
        .variants
        .first()
        .map(|variant| variant.draft.currency.clone())
        .unwrap_or_default();
    html! {
        <div class="editor-page">
            <p class="editor__back">
                <Link<Route> to={Route::DeskCatalog}>{ "← Catalog and stock" }</Link<Route>>
            </p>
            <form class="panel editor" onsubmit={on_submit} aria-labelledby="editor-details">
                <h2 class="editor__title" id="editor-details">{ "Details" }</h2>
                <DetailsFields draft={(*draft).clone()} categories={product.categories.clone()}
                    categories_changed={props.changed.clone()} errors={saving.field_errors()} on_change={Callback::from(move |next| draft.set(next))} />
                { saving.general() }
                <button class="button" type="submit" disabled={*saving == Saving::Busy}>{ "Save the details" }</button>
            </form>
            <section class="panel editor" aria-labelledby="editor-variants">
                <h2 class="editor__title" id="editor-variants">{ "Variants" }</h2>
                { for product.variants.iter().map(|variant| html! {
                    <VariantEditor key={variant.id.clone()} variant={variant.clone()} changed={props.changed.clone()} />
                }) }
                <NewVariant product_id={product.kept.id.clone()} {currency}
                    position={product.variants.len() as i64} changed={props.changed.clone()} />
            </section>
            <KeptProductPanel product={product.kept.clone()} locations={product.locations.clone()}
                changed={props.changed.clone()} edit_link=false />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct VariantEditorProps {
    variant: EditedVariant,
    changed: Callback<()>,
}

/// A saved variant: its name, options and price to change; its SKU and currency stay.
#[function_component]
fn VariantEditor(props: &VariantEditorProps) -> Html {
    let draft = use_state(|| props.variant.draft.clone());
    let saving = use_state(Saving::default);
    let on_submit = {
        let (draft, saving, changed) = (draft.clone(), saving.clone(), props.changed.clone());
        let id = props.variant.id.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let changed = changed.clone();
            save(
                saving.clone(),
                services::update_variant(id.clone(), (*draft).clone()),
                move |()| changed.emit(()),
            );
        })
    };
    // The API names the update's fields bare (`priceMinor`); the form's ids carry the SKU.
    let field = format!("sku-{}", props.variant.draft.sku);
    let errors = saving
        .field_errors()
        .into_iter()
        .map(|error| FieldError {
            field: format!("{field}.{}", error.field),
            ..error
        })
        .collect::<Vec<_>>();
    html! {
        <form class="editor__variant" onsubmit={on_submit} aria-label={format!("Variant {}", props.variant.draft.sku)}>
            <h3 class="editor__legend">{ props.variant.draft.sku.clone() }</h3>
            <VariantFields draft={(*draft).clone()} {field} {errors} new=false
                on_change={Callback::from(move |next| draft.set(next))} />
            { saving.general() }
            <button class="button button--quiet" type="submit" disabled={*saving == Saving::Busy}>
                { format!("Save {}", props.variant.draft.sku) }
            </button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct NewVariantProps {
    product_id: String,
    /// The currency of the product's other variants, which a new one shares.
    currency: String,
    /// Where it comes among them: after the others.
    position: i64,
    changed: Callback<()>,
}

/// Another way to buy the product: its own SKU and price, in the product's currency.
#[function_component]
fn NewVariant(props: &NewVariantProps) -> Html {
    let fresh = {
        let currency = props.currency.clone();
        move || VariantDraft {
            currency: currency.clone(),
            ..VariantDraft::default()
        }
    };
    let draft = use_state(fresh.clone());
    let saving = use_state(Saving::default);
    let on_submit = {
        let (draft, saving, changed) = (draft.clone(), saving.clone(), props.changed.clone());
        let (id, position) = (props.product_id.clone(), props.position);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (draft_after, changed, fresh) = (draft.clone(), changed.clone(), fresh.clone());
            save(
                saving.clone(),
                services::add_variant(id.clone(), (*draft).clone(), position),
                move |()| {
                    draft_after.set(fresh());
                    changed.emit(());
                },
            );
        })
    };
    html! {
        <form class="editor__variant editor__variant--new" onsubmit={on_submit} aria-labelledby="new-variant">
            <h3 class="editor__legend" id="new-variant">{ "Add a variant" }</h3>
            <VariantFields draft={(*draft).clone()} field="variant" errors={saving.field_errors()}
                new=true fixed_currency=true on_change={Callback::from(move |next| draft.set(next))} />
            { saving.general() }
            <button class="button button--quiet" type="submit" disabled={*saving == Saving::Busy}>{ "Add the variant" }</button>
        </form>
    }
}

/// What a field of a form calls with the text typed: `draft` with `set` applied, handed to
/// `on_change`.
fn edited<D: Clone + 'static>(
    draft: &D,
    on_change: &Callback<D>,
    set: fn(&mut D, String),
) -> Callback<String> {
    let (draft, on_change) = (draft.clone(), on_change.clone());
    Callback::from(move |text: String| {
        let mut next = draft.clone();
        set(&mut next, text);
        on_change.emit(next);
    })
}

#[derive(Properties, PartialEq)]
struct DetailsFieldsProps {
    draft: ProductDraft,
    categories: Vec<CategoryChoice>,
    /// A category was added: the page asks for the categories again.
    categories_changed: Callback<()>,
    /// The API's refusals, by the input's field names (`name`, `slug`, ...).
    errors: Vec<FieldError>,
    on_change: Callback<ProductDraft>,
}

/// A product's details as fields.
#[function_component]
fn DetailsFields(props: &DetailsFieldsProps) -> Html {
    let edit = |set| edited(&props.draft, &props.on_change, set);
    let on_category = {
        let on_category = edit(|draft, id| draft.category_id = id);
        Callback::from(move |event: Event| {
            on_category.emit(event.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_published = {
        let (draft, on_change) = (props.draft.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let published = event.target_unchecked_into::<HtmlInputElement>().checked();
            on_change.emit(ProductDraft {
                published,
                ..draft.clone()
            })
        })
    };
    let draft = &props.draft;
    let errors = &props.errors;
    let category_error = error_for(errors, "categoryId");
    html! {
        <>
            <TextField name="name" label="Name" value={draft.name.clone()}
                on_input={edit(|draft, text| draft.name = text)} error={error_for(errors, "name")} />
            <TextField name="slug" label="Address (optional)" value={draft.slug.clone()}
                on_input={edit(|draft, text| draft.slug = text)} error={error_for(errors, "slug")}
                hint="Its name in the product page's address, like pla-filament-1-kg; made from the name when left empty." />
            <TextField name="description" label="Description" value={draft.description.clone()}
                control={Control::Paragraph}
                on_input={edit(|draft, text| draft.description = text)} error={error_for(errors, "description")} />
            <div class={classes!("field", category_error.as_ref().map(|_| "field--invalid"))}>
                <label class="field__label" for="field-categoryId">{ "Category" }</label>
                <select class="field__control" id="field-categoryId" onchange={on_category}>
                    <option value="" selected={draft.category_id.is_empty()}>{ "None" }</option>
                    { for props.categories.iter().map(|choice| html! {
                        <option value={choice.id.clone()} selected={choice.id == draft.category_id}>
                            { format!("{}{}", "— ".repeat(choice.depth), choice.name) }
                        </option>
                    }) }
                </select>
                if let Some(error) = category_error {
                    <p class="field__error">{ error }</p>
                }
            </div>
            <NewCategory parents={props.categories.iter().filter(|choice| choice.depth == 0).cloned().collect::<Vec<_>>()}
                added={
                    let (on_category, changed) = (edit(|draft, id| draft.category_id = id), props.categories_changed.clone());
                    Callback::from(move |id| { on_category.emit(id); changed.emit(()) })
                } />
            <TextField name="taxClass" label="Tax class" value={draft.tax_class.clone()}
                on_input={edit(|draft, text| draft.tax_class = text)} error={error_for(errors, "taxClass")}
                hint="The row of each region's tax table that applies, like standard." />
            <TextField name="attributes" label="Attributes (optional)" value={draft.attributes.clone()}
                on_input={edit(|draft, text| draft.attributes = text)} error={error_for(errors, "attributes")}
                hint="What customers filter by: name: value, separated by ;, like material: PLA; brand: Prusament (names in lower case)." />
            <label class="choice">
                <input type="checkbox" checked={draft.published} onchange={on_published} />
                { "Customers see it in the catalog" }
            </label>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct VariantFieldsProps {
    draft: VariantDraft,
    /// Where the API names this variant's fields (`variants.0`, `variant`), which also makes
    /// the fields' ids unique in the page.
    field: AttrValue,
    /// The API's refusals, by the input's field names (`variants.0.sku`, ...).
    errors: Vec<FieldError>,
    /// A variant not saved yet: its SKU may be typed.
    new: bool,
    /// The currency is the product's, shown but not typed.
    #[prop_or_default]
    fixed_currency: bool,
    on_change: Callback<VariantDraft>,
}

/// A variant's fields: SKU and currency only while it is new.
#[function_component]
fn VariantFields(props: &VariantFieldsProps) -> Html {
    let edit = |set| edited(&props.draft, &props.on_change, set);
    let draft = &props.draft;
    let name = |part: &str| AttrValue::from(format!("{}.{part}", props.field));
    let error = |part: &str| error_for(&props.errors, &name(part));
    let currency = draft.currency.trim().to_ascii_uppercase();
    html! {
        <div class="editor__fields">
            if props.new {
                <TextField name={name("sku")} label="SKU" value={draft.sku.clone()}
                    on_input={edit(|draft, text| draft.sku = text)} error={error("sku")}
                    hint="Unique in the catalog: letters, digits, ., _ and -, like PLA-175-ORANGE." />
            }
            <TextField name={name("name")} label="Variant name" value={draft.name.clone()}
                on_input={edit(|draft, text| draft.name = text)} error={error("name")} />
            <TextField name={name("options")} label="Options (optional)" value={draft.options.clone()}
                on_input={edit(|draft, text| draft.options = text)} error={error("options")}
                hint="What sets it apart: name: value, separated by ;, like colour: orange; diameter: 1.75 mm." />
            <TextField name={name("priceMinor")} label={format!("Price ({})", if currency.is_empty() { "in its currency" } else { &currency })}
                value={draft.price.clone()}
                on_input={edit(|draft, text| draft.price = text)} error={error("priceMinor")} />
            if props.new && !props.fixed_currency {
                <TextField name={name("currency")} label="Currency" value={draft.currency.clone()}
                    on_input={edit(|draft, text| draft.currency = text)} error={error("currency")}
                    hint="Three letters, like INR; every variant of the product has the same." />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewCategoryProps {
    /// The top-level categories a new one may go under.
    parents: Vec<CategoryChoice>,
    /// The new category's id, once added.
    added: Callback<String>,
}

/// A category added from the product's form, at the top or under a top-level one. Its fields
/// sit inside the product's form, so Enter adds the category rather than saving the product.
#[function_component]
fn NewCategory(props: &NewCategoryProps) -> Html {
    let open = use_state(|| false);
    let name = use_state(String::new);
    let parent = use_state(String::new);
    let saving = use_state(Saving::default);
    let add = {
        let (name, parent, saving, open) =
            (name.clone(), parent.clone(), saving.clone(), open.clone());
        let added = props.added.clone();
        Callback::from(move |()| {
            let (name_after, open, added) = (name.clone(), open.clone(), added.clone());
            save(
                saving.clone(),
                services::create_category(
                    (*name).clone(),
                    (!parent.is_empty()).then(|| (*parent).clone()),
                ),
                move |id| {
                    name_after.set(String::new());
                    open.set(false);
                    added.emit(id);
                },
            );
        })
    };
    if !*open {
        return html! {
            <p class="new-category">
                <button class="button button--quiet" type="button" onclick={move |_| open.set(true)}>
                    { "Add a category" }
                </button>
            </p>
        };
    }
    let on_enter = {
        let add = add.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                add.emit(());
            }
        })
    };
    let on_parent = {
        let parent = parent.clone();
        Callback::from(move |event: Event| {
            parent.set(event.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let errors = saving.field_errors();
    let name_error = error_for(&errors, "name").or_else(|| error_for(&errors, "slug"));
    html! {
        <div class="new-category new-category--open" role="group" aria-labelledby="new-category">
            <h3 class="editor__legend" id="new-category">{ "A new category" }</h3>
            <div class="editor__fields">
                <div class={classes!("field", name_error.as_ref().map(|_| "field--invalid"))}>
                    <label class="field__label" for="new-category-name">{ "Its name" }</label>
                    <input class="field__control" id="new-category-name" value={(*name).clone()}
                        onkeydown={on_enter}
                        oninput={move |event: InputEvent| name.set(event.target_unchecked_into::<HtmlInputElement>().value())} />
                    if let Some(error) = name_error {
                        <p class="field__error">{ error }</p>
                    }
                </div>
                <div class="field">
                    <label class="field__label" for="new-category-parent">{ "Under" }</label>
                    <select class="field__control" id="new-category-parent" onchange={on_parent}>
                        <option value="" selected={parent.is_empty()}>{ "Nothing: at the top" }</option>
                        { for props.parents.iter().map(|choice| html! {
                            <option value={choice.id.clone()} selected={choice.id == *parent}>{ choice.name.clone() }</option>
                        }) }
                    </select>
                </div>
            </div>
            { saving.general() }
            <button class="button button--quiet" type="button" disabled={*saving == Saving::Busy}
                onclick={move |_| add.emit(())}>{ "Add the category" }</button>
        </div>
    }
}
