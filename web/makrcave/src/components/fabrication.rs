//! What a space makes for the store's customers: the offer (its materials, how jobs are
//! taken) and the 3D printers that make the parts, each with its process and build volume.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::fields::{chosen, typed};
use crate::marks::Saving;
use crate::types::{FabricationOffer, Material, PrintProcess, PrinterSetup, SpacePrinter};

/// The offer in a sentence: not offered, paused, or the materials the store sends jobs in.
pub fn offer_words(offer: Option<&FabricationOffer>) -> String {
    match offer {
        None => "Not offered: the store sends the space no jobs.".to_owned(),
        Some(offer) if !offer.accepting => {
            "Paused: the store sends the space no new jobs.".to_owned()
        }
        Some(offer) => format!(
            "Offered: the store sends jobs in {}, {}.",
            offer.materials.join(", "),
            if offer.accepts_automatically {
                "accepted at once"
            } else {
                "each accepted by the staff"
            }
        ),
    }
}

/// Keeps a checkbox's state in `state`.
fn ticked(state: &UseStateHandle<bool>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        state.set(input.checked());
    })
}

/// Properties of [`OfferForm`].
#[derive(Properties, PartialEq)]
pub struct OfferFormProps {
    /// What the space offers now; none before it offers.
    pub offer: Option<FabricationOffer>,
    /// The store's materials, to choose from.
    pub materials: Vec<Material>,
    /// Where the last save stands, if there was one.
    #[prop_or_default]
    pub state: Option<Saving>,
    /// Saves the offer.
    pub on_save: Callback<FabricationOffer>,
}

/// The offer as its managers change it: the materials, whether jobs are accepted at once,
/// whether new jobs come.
#[function_component]
pub fn OfferForm(props: &OfferFormProps) -> Html {
    let start = props.offer.clone().unwrap_or_default();
    let picked = use_state(|| start.materials.clone());
    let automatic = use_state(|| start.accepts_automatically);
    let accepting = use_state(|| start.accepting);
    let offer = FabricationOffer {
        materials: props
            .materials
            .iter()
            .filter(|material| picked.contains(&material.code))
            .map(|material| material.code.clone())
            .collect(),
        accepts_automatically: *automatic,
        accepting: *accepting,
    };
    let toggle = |code: &str| {
        let (picked, code) = (picked.clone(), code.to_owned());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut codes = (*picked).clone();
            codes.retain(|picked| *picked != code);
            if input.checked() {
                codes.push(code.clone());
            }
            picked.set(codes);
        })
    };
    let save = {
        let on_save = props.on_save.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_save.emit(offer.clone());
        })
    };
    let state = props.state.as_ref();
    let sending = state == Some(&Saving::Sending);
    let materials_error = state.and_then(|state| state.error_for("materials"));
    html! {
        <form class="booking__form fabrication__offer" onsubmit={save}>
            <p class="booking__summary fabrication__status">{ offer_words(props.offer.as_ref()) }</p>
            <fieldset class={classes!("field", "field--wide", "fabrication__materials", materials_error.as_ref().map(|_| "field--invalid"))}
                aria-describedby={materials_error.as_ref().map(|_| "materials-error")}>
                <legend class="field__label">{ "Materials it prints" }</legend>
                if props.materials.is_empty() {
                    <p class="field__hint">{ "The store lists no materials yet." }</p>
                }
                { for props.materials.iter().map(|material| {
                    let id = format!("material-{}", material.code);
                    html! {
                        <div class="field--check">
                            <input type="checkbox" id={id.clone()} checked={picked.contains(&material.code)}
                                onchange={toggle(&material.code)} disabled={sending} />
                            <label for={id}>
                                { &material.name }
                                { " " }
                                <span class="fabrication__process">{ material.process.label() }</span>
                            </label>
                        </div>
                    }
                }) }
                if let Some(error) = &materials_error {
                    <p class="field__error" id="materials-error">{ error.clone() }</p>
                }
            </fieldset>
            <div class="field field--wide">
                <div class="field--check">
                    <input type="checkbox" id="fabrication-automatic" checked={*automatic}
                        onchange={ticked(&automatic)} disabled={sending} aria-describedby="fabrication-automatic-help" />
                    <label for="fabrication-automatic">{ "Accept jobs automatically" }</label>
                </div>
                <span class="field__help" id="fabrication-automatic-help">{ "Off: the staff accept each job first." }</span>
            </div>
            <div class="field field--wide">
                <div class="field--check">
                    <input type="checkbox" id="fabrication-accepting" checked={*accepting}
                        onchange={ticked(&accepting)} disabled={sending} aria-describedby="fabrication-accepting-help" />
                    <label for="fabrication-accepting">{ "Taking new jobs" }</label>
                </div>
                <span class="field__help" id="fabrication-accepting-help">{ "Off pauses the offer: jobs already sent stay, no new ones come." }</span>
            </div>
            { state.map(|state| state.outcome("Not saved.", &["materials"])).unwrap_or_default() }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>
                    { if props.offer.is_some() { "Save the offer" } else { "Offer fabrication" } }
                </button>
            </div>
        </form>
    }
}

/// Properties of [`OfferSummary`].
#[derive(Properties, PartialEq)]
pub struct OfferSummaryProps {
    /// What the space offers; none before it offers.
    pub offer: Option<FabricationOffer>,
    /// The store's materials, to name the offer's.
    pub materials: Vec<Material>,
}

/// The offer as the space's other members read it.
#[function_component]
pub fn OfferSummary(props: &OfferSummaryProps) -> Html {
    let name = |code: &String| {
        props
            .materials
            .iter()
            .find(|material| material.code == *code)
            .map_or_else(|| code.clone(), |material| material.name.clone())
    };
    html! {
        <div class="fabrication__summary">
            <p class="booking__summary fabrication__status">{ offer_words(props.offer.as_ref()) }</p>
            if let Some(offer) = &props.offer {
                <dl class="fabrication__facts">
                    <dt>{ "Materials" }</dt>
                    <dd>{ offer.materials.iter().map(name).collect::<Vec<_>>().join(", ") }</dd>
                    <dt>{ "Jobs" }</dt>
                    <dd>{ if offer.accepts_automatically { "Accepted automatically" } else { "Each accepted by the staff" } }</dd>
                    <dt>{ "New jobs" }</dt>
                    <dd>{ if offer.accepting { "Taken" } else { "Paused" } }</dd>
                </dl>
            }
            <p class="field__hint">{ "The space's managers change what it offers." }</p>
        </div>
    }
}

/// Properties of [`PrinterList`].
#[derive(Properties, PartialEq)]
pub struct PrinterListProps {
    /// The space's 3D printers, by name.
    pub printers: Vec<SpacePrinter>,
    /// Whether the space offers fabrication: printers make parts only then.
    pub offered: bool,
    /// Whether the person manages the space: they choose the printers.
    pub manages: bool,
    /// Saves and removals under way or answered, by printer id.
    #[prop_or_default]
    pub saving: Rc<HashMap<String, Saving>>,
    /// Has the printer (API id) make parts as the setup says.
    pub on_save: Callback<(String, PrinterSetup)>,
    /// Stops the printer (API id) making parts.
    pub on_remove: Callback<String>,
}

/// The space's 3D printers, each with what it makes for the store's customers.
#[function_component]
pub fn PrinterList(props: &PrinterListProps) -> Html {
    if props.printers.is_empty() {
        return html! {
            <p class="bookings__empty">
                { "The space has no 3D printers. Add one as a machine of the class 3D printer to make parts on it." }
            </p>
        };
    }
    if !props.offered {
        return html! {
            <p class="bookings__empty">
                if props.manages {
                    { "Printers come after the offer: offer fabrication above, then choose which 3D printers make the parts and how big a part each prints." }
                } else {
                    { "The space makes no parts for the store's customers yet." }
                }
            </p>
        };
    }
    html! {
        <ul class="bookings__list">
            { for props.printers.iter().map(|printer| {
                let id = printer.id.clone();
                let (on_save, on_remove) = (props.on_save.clone(), props.on_remove.clone());
                if props.manages {
                    html! {
                        <PrinterRow key={printer.id.clone()} printer={printer.clone()}
                            state={props.saving.get(&printer.id).cloned()}
                            on_save={on_save.reform({ let id = id.clone(); move |setup: PrinterSetup| (id.clone(), setup) })}
                            on_remove={on_remove.reform(move |()| id.clone())} />
                    }
                } else {
                    html! {
                        <li class="booking-item fab-printer" key={printer.id.clone()}>
                            <div class="booking-item__text">
                                <h3 class="fab-printer__name">{ &printer.name }</h3>
                                <span class="booking-item__status">{ making_words(printer) }</span>
                            </div>
                        </li>
                    }
                }
            }) }
        </ul>
    }
}

/// `Makes parts: FDM (filament), 250 × 210 × 220 mm`, or that it makes none.
fn making_words(printer: &SpacePrinter) -> String {
    match &printer.making {
        Some(setup) => format!("Makes parts: {}", setup.words()),
        None => "Makes no parts for the store".to_owned(),
    }
}

/// Millimetres typed into a field, if they are a number.
fn millimetres(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|millimetres| millimetres.is_finite())
}

#[derive(Properties, PartialEq)]
struct PrinterRowProps {
    printer: SpacePrinter,
    state: Option<Saving>,
    on_save: Callback<PrinterSetup>,
    on_remove: Callback<()>,
}

/// A printer as its space's managers set it: its process and build volume, saved or removed.
#[function_component]
fn PrinterRow(props: &PrinterRowProps) -> Html {
    let printer = &props.printer;
    let start = printer.making;
    let side = |at: usize| start.map_or_else(String::new, |setup| setup.build_mm[at].to_string());
    let process = use_state(|| {
        start
            .map_or(PrintProcess::Fdm, |setup| setup.process)
            .label()
            .to_owned()
    });
    let sides = [
        use_state(|| side(0)),
        use_state(|| side(1)),
        use_state(|| side(2)),
    ];
    let build = [
        millimetres(&sides[0]),
        millimetres(&sides[1]),
        millimetres(&sides[2]),
    ];
    let setup = match build {
        [Some(x), Some(y), Some(z)] => Some(PrinterSetup {
            process: PrintProcess::ALL
                .into_iter()
                .find(|known| known.label() == *process)
                .unwrap_or(PrintProcess::Fdm),
            build_mm: [x, y, z],
        }),
        _ => None,
    };
    let save = {
        let (on_save, setup) = (props.on_save.clone(), setup);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(setup) = setup {
                on_save.emit(setup);
            }
        })
    };
    let state = props.state.as_ref();
    let sending = state == Some(&Saving::Sending);
    let id = |what: &str| format!("printer-{}-{what}", printer.id);
    let fields = ["buildXMm", "buildYMm", "buildZMm"];
    let side_field = |at: usize, label: &'static str| {
        let control = id(fields[at]);
        let error = state.and_then(|state| state.error_for(fields[at]));
        let typed_wrong = !sides[at].trim().is_empty() && build[at].is_none();
        let error_id = format!("{control}-error");
        html! {
            <div class={classes!("field", error.as_ref().map(|_| "field--invalid"))}>
                <label class="field__label" for={control.clone()}>{ label }</label>
                <input class="field__control" id={control} type="text" inputmode="decimal" required=true
                    aria-invalid={(typed_wrong || error.is_some()).to_string()}
                    aria-describedby={error.as_ref().map(|_| error_id.clone())}
                    value={(*sides[at]).clone()} oninput={typed(&sides[at])} disabled={sending} />
                if let Some(error) = error {
                    <p class="field__error" id={error_id}>{ error }</p>
                }
            </div>
        }
    };
    let heading = id("name");
    html! {
        <li class="booking-item fab-printer">
            <div class="booking-item__text">
                <h3 class="fab-printer__name" id={heading.clone()}>{ &printer.name }</h3>
                <span class="booking-item__status">{ making_words(printer) }</span>
            </div>
            <form class="booking__form fab-printer__form" onsubmit={save} aria-labelledby={heading}>
                <div class="field">
                    <label class="field__label" for={id("process")}>{ "Process" }</label>
                    <select class="field__control" id={id("process")} onchange={chosen(&process)} disabled={sending}>
                        { for PrintProcess::ALL.iter().map(|known| html! {
                            <option value={known.label()} selected={known.label() == *process}>{ known.label() }</option>
                        }) }
                    </select>
                </div>
                <fieldset class="field field--wide fab-printer__volume">
                    <legend class="field__label">{ "Build volume, mm" }</legend>
                    { side_field(0, "Width") }
                    { side_field(1, "Depth") }
                    { side_field(2, "Height") }
                </fieldset>
                { state.map(|state| state.outcome("Not saved.", &fields)).unwrap_or_default() }
                <div class="booking__actions">
                    <button class="button" type="submit" disabled={sending || setup.is_none()}
                        aria-label={if start.is_some() { format!("Save {}", printer.name) } else { format!("Make parts on {}", printer.name) }}>
                        { if start.is_some() { "Save" } else { "Make parts" } }
                    </button>
                    if start.is_some() {
                        <button class="button button--quiet" type="button" disabled={sending}
                            aria-label={format!("Remove {} from fabrication", printer.name)}
                            onclick={props.on_remove.reform(|_| ())}>
                            { "Remove" }
                        </button>
                    }
                </div>
            </form>
        </li>
    }
}
