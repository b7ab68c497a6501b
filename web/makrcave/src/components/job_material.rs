//! The material a job used, as its space's staff record it from printing on: what was taken
//! from the space's stock, and taking more (an item, the place it came from, how much, the
//! quantity starting at what was quoted).

use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use super::fields::chosen;
use crate::app::Route;
use crate::marks::Saving;
use crate::types::{
    FabricationJob, JobStock, MaterialUse, NewMaterialUse, StockUnit, is_decimal, unit_symbol,
};

/// The fields the material form marks when the API names them.
const FIELDS: [&str; 3] = ["itemId", "locationId", "quantity"];

/// Properties of [`MaterialUsed`].
#[derive(Properties, PartialEq)]
pub struct MaterialUsedProps {
    /// The job.
    pub job: FabricationJob,
    /// What it used, as recorded, in that order.
    pub used: Vec<MaterialUse>,
    /// The space's stock to record from.
    pub stock: Rc<JobStock>,
    /// The space's address in URLs, for its stock page.
    pub slug: AttrValue,
    /// Where recording more stands.
    pub recording: Option<Saving>,
    /// Records material the job used.
    pub on_record: Callback<NewMaterialUse>,
}

/// A job's material: what was recorded, and recording more from the space's stock; when the
/// space keeps no stock yet, where to add it.
#[function_component]
pub fn MaterialUsed(props: &MaterialUsedProps) -> Html {
    // Material being recorded or refused keeps its form open, whatever drew the job again;
    // material recorded closes it.
    let open = use_state(|| matches!(props.recording, Some(Saving::Sending | Saving::Refused(_))));
    {
        let open = open.clone();
        use_effect_with(props.recording.clone(), move |recording| {
            if matches!(recording, Some(Saving::Done(_))) {
                open.set(false);
            }
        });
    }
    let job = &props.job;
    let heading = format!("job-{}-material", job.id);
    let form = format!("job-{}-record", job.id);
    let has_stock = !props.stock.items.is_empty();
    html! {
        <section class="fab-job__material" aria-labelledby={heading.clone()}>
            <header class="panel__head">
                <h4 class="fab-job__material-title" id={heading}>{ "Material used" }</h4>
                if has_stock {
                    <button class="button button--quiet" type="button" aria-expanded={open.to_string()}
                        aria-controls={form.clone()} aria-describedby={format!("job-{}-title", job.id)}
                        onclick={{ let open = open.clone(); move |_| open.set(true) }}>
                        { "Record material…" }
                    </button>
                }
            </header>
            if props.used.is_empty() {
                <p class="bookings__empty">{ "None recorded yet." }</p>
            } else {
                <ul class="bookings__list">
                    { for props.used.iter().map(|used| html! {
                        <li class="booking-item fab-material">
                            <span class="booking-item__when">{ used.words() }</span>
                            <span class="fab-material__by">{ format!("Recorded by {}", used.by) }</span>
                        </li>
                    }) }
                </ul>
            }
            if !has_stock {
                <p class="bookings__empty">
                    { "The space keeps no stock yet: add the material it prints with on its " }
                    <Link<Route> to={Route::Stock { slug: props.slug.to_string() }}>{ "stock page" }</Link<Route>>
                    { ", then record what each job used." }
                </p>
            } else if *open {
                <MaterialForm id={form} job={job.clone()} stock={props.stock.clone()}
                    state={props.recording.clone().filter(|state| !matches!(state, Saving::Done(_)))}
                    on_record={props.on_record.clone()}
                    on_close={{ let open = open.clone(); Callback::from(move |()| open.set(false)) }} />
            } else if let Some(done @ Saving::Done(_)) = &props.recording {
                { done.outcome("Not recorded.", &[]) }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MaterialFormProps {
    id: String,
    job: FabricationJob,
    /// At least one item.
    stock: Rc<JobStock>,
    state: Option<Saving>,
    on_record: Callback<NewMaterialUse>,
    on_close: Callback<()>,
}

/// Material the job used: an item (those of its material first), a place holding some of it,
/// and how much, starting at what was quoted for an item weighed in grams. The API's refusal
/// is shown by the field it names, or above the buttons; what was typed stays.
#[function_component]
fn MaterialForm(props: &MaterialFormProps) -> Html {
    let item = use_state(String::new);
    let place = use_state(String::new);
    // None while the quantity is the one the item's unit starts at.
    let quantity = use_state(|| None::<String>);
    let job = &props.job;
    let state = props.state.as_ref();
    let sending = state == Some(&Saving::Sending);
    let items = props.stock.items_for(&job.material);
    let chosen_item = items
        .iter()
        .find(|option| option.id == *item)
        .or(items.first())
        .copied();
    let places = chosen_item
        .map(|item| item.place_choices(&props.stock.places))
        .unwrap_or_default();
    let place_id = places
        .iter()
        .find(|(id, _)| *id == *place)
        .or(places.first())
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    let unit = chosen_item.map_or(StockUnit::Unknown, |item| item.unit);
    let shown_quantity = (*quantity)
        .clone()
        .unwrap_or_else(|| job.material_prefill(unit));
    let not_a_number = (!shown_quantity.trim().is_empty() && !is_decimal(&shown_quantity))
        .then(|| "Write it as a number, like 13.5".to_owned());
    let material = chosen_item
        .filter(|_| !place_id.is_empty() && is_decimal(&shown_quantity))
        .map(|item| NewMaterialUse {
            item_id: item.id.clone(),
            place_id: place_id.clone(),
            quantity: shown_quantity.trim().to_owned(),
        });
    let submit = {
        let (on_record, material) = (props.on_record.clone(), material.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(material) = material.clone() {
                on_record.emit(material);
            }
        })
    };
    let type_quantity = {
        let quantity = quantity.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            quantity.set(Some(input.value()));
        })
    };
    let control = |name: &str| format!("{}-{name}", props.id);
    let error = |field| state.and_then(|state| state.error_for(field));
    let (item_error, place_error) = (error("itemId"), error("locationId"));
    let quantity_error = error("quantity").or(not_a_number);
    let invalid = |error: &Option<String>| error.as_ref().map(|_| "field--invalid");
    let described = |error: &Option<String>, name: &str| {
        error.as_ref().map(|_| format!("{}-error", control(name)))
    };
    let shown = |error: Option<String>, name: &str| match error {
        Some(error) => {
            html! { <p class="field__error" id={format!("{}-error", control(name))}>{ error }</p> }
        }
        None => Html::default(),
    };
    let (unit_id, hint) = (control("unit"), control("quantity-hint"));
    let quantity_described = [
        Some(unit_id.clone()),
        Some(hint.clone()),
        described(&quantity_error, "quantity"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let chosen_id = chosen_item.map(|item| item.id.clone()).unwrap_or_default();
    html! {
        <form class="booking__form fab-job__record" id={props.id.clone()} onsubmit={submit}
            aria-label={format!("Record material {} used", job.title())}>
            <div class={classes!("field", "field--wide", invalid(&item_error))}>
                <label class="field__label" for={control("item")}>{ "Item" }</label>
                <select class="field__control" id={control("item")} onchange={chosen(&item)}
                    aria-invalid={item_error.is_some().to_string()}
                    aria-describedby={described(&item_error, "item")} disabled={sending}>
                    { for items.iter().map(|option| html! {
                        <option value={option.id.clone()} selected={option.id == chosen_id}>{ &option.name }</option>
                    }) }
                </select>
                { shown(item_error.clone(), "item") }
            </div>
            <div class={classes!("field", "field--wide", invalid(&place_error))}>
                <label class="field__label" for={control("place")}>{ "Taken from" }</label>
                <select class="field__control" id={control("place")} onchange={chosen(&place)}
                    aria-invalid={place_error.is_some().to_string()}
                    aria-describedby={described(&place_error, "place")} disabled={sending}>
                    { for places.iter().map(|(id, words)| html! {
                        <option value={id.clone()} selected={*id == place_id}>{ words }</option>
                    }) }
                </select>
                { shown(place_error.clone(), "place") }
            </div>
            <div class={classes!("field", "field--wide", invalid(&quantity_error))}>
                <label class="field__label" for={control("quantity")}>{ "Quantity" }</label>
                <div class="fab-material__amount">
                    <input class="field__control" id={control("quantity")} type="text" inputmode="decimal"
                        required=true aria-invalid={quantity_error.is_some().to_string()}
                        aria-describedby={quantity_described}
                        value={shown_quantity} oninput={type_quantity} disabled={sending} />
                    <span class="fab-material__unit" id={unit_id}>{ unit_symbol(unit) }</span>
                </div>
                <p class="field__hint" id={hint}>
                    { format!("Quoted: {} g for {}.", job.quoted_grams(), job.quantity_words()) }
                </p>
                { shown(quantity_error.clone(), "quantity") }
            </div>
            { state.map(|state| state.outcome("Not recorded.", &FIELDS)).unwrap_or_default() }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending || material.is_none()}>
                    { if sending { "Recording…" } else { "Record" } }
                </button>
                <button class="button button--quiet" type="button" disabled={sending}
                    onclick={props.on_close.reform(|_| ())}>
                    { "Cancel" }
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use makrx_web::graphql::{ApiError, FieldError, RequestError};
    use makrx_web::testing::render;

    use super::*;
    use crate::time::LocalTime;
    use crate::types::{MaterialItem, MaterialLevel, Place, StockUnit};

    /// Glue sticks, and 1000 g of black PLA on the shelf.
    fn stock() -> Rc<JobStock> {
        let item = |name: &str, unit, levels: Vec<MaterialLevel>| MaterialItem {
            id: format!("item-{name}"),
            name: name.to_owned(),
            unit,
            levels,
        };
        let shelf = MaterialLevel {
            place_id: "shelf".to_owned(),
            place: "Shelf".to_owned(),
            on_hand: "1000.000".to_owned(),
        };
        Rc::new(JobStock {
            items: vec![
                item("Glue stick", StockUnit::Pieces, Vec::new()),
                item("PLA black", StockUnit::Grams, vec![shelf]),
            ],
            places: vec![Place {
                id: "shelf".to_owned(),
                name: "Shelf".to_owned(),
            }],
        })
    }

    async fn section(stock: Rc<JobStock>, used: Vec<MaterialUse>, recording: Saving) -> String {
        render(html! {
            <MaterialUsed job={FabricationJob::bracket()} {used} {stock} slug="fab-lab"
                recording={Some(recording)} on_record={Callback::noop()} />
        })
        .await
    }

    fn refused(code: &str, message: &str, details: Vec<FieldError>) -> Saving {
        Saving::Refused(RequestError::Api(vec![ApiError {
            message: message.to_owned(),
            code: Some(code.to_owned()),
            details,
        }]))
    }

    #[tokio::test]
    async fn recorded_material_is_listed_with_who_recorded_it() {
        let used = MaterialUse {
            item: "PLA black".to_owned(),
            unit: StockUnit::Grams,
            quantity: "13.500".to_owned(),
            place: "Shelf".to_owned(),
            at: LocalTime::parse("2026-12-08T14:02:00+01:00").expect("a time"),
            by: "Sam".to_owned(),
        };

        let html = section(stock(), vec![used], Saving::Done("Recorded.".to_owned())).await;

        assert!(
            html.contains("13.5 g of PLA black from Shelf · Tue 8 Dec 14:02"),
            "{html}"
        );
        assert!(html.contains("Recorded by Sam"), "{html}");
        assert!(html.contains(">Record material…</button>"), "{html}");
        assert!(!html.contains("<form"), "{html}");
    }

    #[tokio::test]
    async fn a_space_without_stock_is_sent_to_its_stock_page() {
        let html = section(Rc::new(JobStock::default()), Vec::new(), Saving::Sending).await;

        assert!(html.contains("None recorded yet."), "{html}");
        assert!(html.contains("The space keeps no stock yet"), "{html}");
        assert!(
            html.contains(r#"href="/spaces/fab-lab/inventory""#),
            "{html}"
        );
        assert!(!html.contains("Record material"), "{html}");
    }

    #[tokio::test]
    async fn the_form_offers_the_job_s_material_first_prefilled_as_quoted() {
        let html = section(stock(), Vec::new(), Saving::Sending).await;

        let pla = html.find(">PLA black</option>").expect("PLA black offered");
        let glue = html.find(">Glue stick</option>").expect("glue offered");
        assert!(pla < glue, "{html}");
        assert!(html.contains(">Shelf (1000 g)</option>"), "{html}");
        assert!(html.contains(r#"value="13.5""#), "{html}");
        assert!(html.contains(">g</span>"), "{html}");
        assert!(html.contains("Quoted: 13.5 g for 2 copies."), "{html}");
    }

    #[tokio::test]
    async fn too_much_is_refused_above_the_buttons_in_the_api_s_words() {
        let conflict = refused(
            "CONFLICT",
            "only 1000 g of PLA black are at Shelf: consuming 2000 g is refused",
            Vec::new(),
        );

        let html = section(stock(), Vec::new(), conflict).await;

        assert!(
            html.contains(
                "Not recorded. </strong>Only 1000 g of PLA black are at Shelf: consuming 2000 g is refused"
            ),
            "{html}"
        );
    }

    #[tokio::test]
    async fn a_quantity_refused_is_said_by_its_field() {
        let invalid = refused(
            "VALIDATION_ERROR",
            "invalid input",
            vec![FieldError {
                field: "quantity".to_owned(),
                message: "must be more than zero".to_owned(),
            }],
        );

        let html = section(stock(), Vec::new(), invalid).await;

        assert!(html.contains(">Must be more than zero</p>"), "{html}");
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
        assert!(html.contains("See what is marked."), "{html}");
    }
}
