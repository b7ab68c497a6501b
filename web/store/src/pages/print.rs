//! `/print`: a part printed to order. The customer picks an STL file and sees it drawn at once
//! from the file itself; then, with a material, a colour, the infill and how many, the file
//! goes to object storage (with its progress) and the store quotes it: the part's measures,
//! how it prints, its price line by line and which makerspaces can make it by when. A big part
//! is quoted in the background: its quote arrives through the `fabricationQuoteChanged` feed.
//! A quote made may be put in the cart, made by the makerspace the customer chooses.

use std::cell::Cell;

use makrx_web::components::LiveIndicator;
use makrx_web::form::{TextField, error_for};
use makrx_web::graphql::{FieldError, RequestError};
use makrx_web::hooks::{use_reload_on_change, use_remote};
use makrx_web::layout::{failed, loading};
use makrx_web::remote::Remote;
use makrx_web::upload::Progress;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::PrintFrame;
use super::part_to_cart::PartToCart;
use crate::components::{QuoteBadge, QuoteDetails, capitalised, refusal, refused};
use crate::preview;
use crate::services::{self, FabricationQuoteChanged, fabrication_quote_changed};
use crate::types::{Material, PartChoices, PartQuote, QuoteStatus};

/// The largest file the store takes: 100 MB.
const MOST_BYTES: f64 = 100.0 * 1024.0 * 1024.0;

/// The page of a part to print.
#[function_component]
pub fn PrintPage() -> Html {
    html! {
        <PrintFrame title="Print a part">
            <Loaded />
        </PrintFrame>
    }
}

#[function_component]
fn Loaded() -> Html {
    let materials = use_remote((), |()| services::fabrication_materials());
    match &*materials.state {
        Remote::Loading => loading("Loading the materials…"),
        Remote::Failed(error) => failed(
            "The materials could not be loaded",
            error,
            materials.retry.clone(),
        ),
        Remote::Ready(materials) if materials.is_empty() => html! {
            <div class="empty"><p>{ "No material can be printed yet." }</p></div>
        },
        Remote::Ready(materials) => html! { <PartForm materials={materials.clone()} /> },
    }
}

/// What the preview shows: nothing picked yet, the file being read, its drawing, or why it
/// cannot be drawn.
#[derive(Debug, Clone, PartialEq)]
enum Preview {
    Nothing,
    Reading,
    Drawn(Picture),
    Unreadable(String),
}

/// A drawing ready for the page: made once per file, however often the form changes.
#[derive(Debug, Clone, PartialEq)]
struct Picture {
    view_box: AttrValue,
    polygons: AttrValue,
    drawn: usize,
    total: usize,
}

/// Where asking for a quote stands.
#[derive(Debug, Clone, PartialEq)]
enum Asking {
    Idle,
    Sending(Progress),
    Refused(Refusal),
    Quoted(Box<PartQuote>),
}

/// Why there is no quote, in the customer's words: what the form's fields show beside them,
/// and the rest (about the file, say) above the button.
#[derive(Debug, Clone, PartialEq)]
struct Refusal {
    reason: Option<String>,
    fields: Vec<FieldError>,
}

/// The form's fields the API may name in a refusal.
const FIELDS: [&str; 3] = ["colour", "infillPercent", "quantity"];

impl Refusal {
    fn saying(reason: &str) -> Self {
        Self {
            reason: Some(reason.to_owned()),
            fields: Vec::new(),
        }
    }

    /// The API's refusal: each field's message beside it, the others' (the file's) capitalised
    /// above the button, or the API's reason when it names no field.
    fn of(error: &RequestError) -> Self {
        let fields = error.field_errors();
        if fields.is_empty() {
            return Self::saying(&refusal(error));
        }
        let others: Vec<String> = fields
            .iter()
            .filter(|field| !FIELDS.contains(&field.field.as_str()))
            .map(|field| format!("{}.", capitalised(field.message.trim_end_matches('.'))))
            .collect();
        Self {
            reason: (!others.is_empty()).then(|| others.join(" ")),
            fields,
        }
    }
}

/// A file's bytes, as the browser reads them.
async fn bytes_of(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "the browser could not read it".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[derive(Properties, PartialEq)]
struct PartFormProps {
    materials: Vec<Material>,
}

#[function_component]
fn PartForm(props: &PartFormProps) -> Html {
    let file = use_state(|| None::<File>);
    let preview = use_state(|| Preview::Nothing);
    // Counts the files picked: a slow read of an earlier one is not shown over a later one.
    let picked = use_memo((), |()| Cell::new(0_u32));
    let choices = use_state(|| PartChoices {
        material: props.materials[0].code.clone(),
        colour: String::new(),
        infill: "20".to_owned(),
        quantity: "1".to_owned(),
    });
    let asking = use_state(|| Asking::Idle);
    let on_file = {
        let (file, preview, asking, picked) = (
            file.clone(),
            preview.clone(),
            asking.clone(),
            picked.clone(),
        );
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let chosen = input.files().and_then(|files| files.get(0));
            file.set(chosen.clone());
            asking.set(Asking::Idle);
            picked.set(picked.get() + 1);
            let Some(chosen) = chosen else {
                preview.set(Preview::Nothing);
                return;
            };
            preview.set(Preview::Reading);
            let (preview, picked, this) = (preview.clone(), picked.clone(), picked.get());
            yew::platform::spawn_local(async move {
                let drawn = bytes_of(&chosen)
                    .await
                    .and_then(|bytes| preview::preview(&bytes).map_err(|why| why.to_string()));
                if picked.get() != this {
                    return;
                }
                preview.set(match drawn {
                    Ok(drawing) => Preview::Drawn(Picture {
                        view_box: drawing.view_box().into(),
                        polygons: drawing.polygons().into(),
                        drawn: drawing.faces.len(),
                        total: drawing.total,
                    }),
                    Err(why) => Preview::Unreadable(why),
                });
            });
        })
    };
    let on_submit = {
        let (file, choices, asking) = (file.clone(), choices.clone(), asking.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let refuse = |reason: &str| asking.set(Asking::Refused(Refusal::saying(reason)));
            let Some(file) = (*file).clone() else {
                return refuse("Choose the part's STL file first.");
            };
            if file.size() < 1.0 {
                return refuse("This file is empty: choose the part's STL file.");
            }
            if file.size() > MOST_BYTES {
                return refuse("This file is larger than 100 MB, the most the store takes.");
            }
            if let Err(error) = services::quote_numbers(&choices) {
                return asking.set(Asking::Refused(Refusal::of(&error)));
            }
            asking.set(Asking::Sending(Progress {
                sent: 0.0,
                total: file.size(),
            }));
            let progress = {
                let asking = asking.clone();
                Callback::from(move |progress| asking.set(Asking::Sending(progress)))
            };
            let quoted = services::quote_part(file, (*choices).clone(), progress);
            let asking = asking.clone();
            yew::platform::spawn_local(async move {
                asking.set(match quoted.await {
                    Ok(quote) => Asking::Quoted(Box::new(quote)),
                    Err(error) => Asking::Refused(Refusal::of(&error)),
                });
            });
        })
    };
    let edit = |set: fn(&mut PartChoices, String)| {
        let choices = choices.clone();
        Callback::from(move |text: String| {
            let mut next = (*choices).clone();
            set(&mut next, text);
            choices.set(next);
        })
    };
    let on_material = {
        let material = edit(|choices, code| choices.material = code);
        Callback::from(move |event: Event| {
            material.emit(event.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let fields: &[FieldError] = match &*asking {
        Asking::Refused(refusal) => &refusal.fields,
        _ => &[],
    };
    let sending = matches!(*asking, Asking::Sending(_));
    let name = file.as_ref().map(File::name).unwrap_or_default();
    html! {
        <div class="print">
            <form class="panel print__form" onsubmit={on_submit} aria-labelledby="print-form">
                <h2 class="print__heading" id="print-form">{ "Your part" }</h2>
                <div class="field">
                    <label class="field__label" for="part-file">{ "STL file" }</label>
                    <input class="field__control" id="part-file" type="file" accept=".stl"
                        aria-describedby="part-file-hint" disabled={sending} onchange={on_file} />
                    <p class="field__hint" id="part-file-hint">{ "Binary or ASCII STL, in millimetres, up to 100 MB." }</p>
                </div>
                <div class="field">
                    <label class="field__label" for="part-material">{ "Material" }</label>
                    <select class="field__control" id="part-material" onchange={on_material}>
                        { for props.materials.iter().map(|material| html! {
                            <option value={material.code.clone()} selected={material.code == choices.material}>
                                { format!("{} — {}, {} a kg", material.name, material.process.label(), material.price_per_kg) }
                            </option>
                        }) }
                    </select>
                </div>
                <TextField name="colour" label="Colour (optional)" value={choices.colour.clone()}
                    on_input={edit(|choices, text| choices.colour = text)} error={error_for(fields, "colour")}
                    hint="Left to the makerspace when empty." />
                <div class="print__numbers">
                    <NumberField name="infillPercent" label="Infill (%)" value={choices.infill.clone()} min={0} max={100}
                        on_input={edit(|choices, text| choices.infill = text)} error={error_for(fields, "infillPercent")} />
                    <NumberField name="quantity" label="How many" value={choices.quantity.clone()} min={1} max={10_000}
                        on_input={edit(|choices, text| choices.quantity = text)} error={error_for(fields, "quantity")} />
                </div>
                { match &*asking {
                    Asking::Sending(progress) => html! { <Sending progress={*progress} /> },
                    Asking::Refused(Refusal { reason: Some(reason), .. }) => refused(reason),
                    _ => Html::default(),
                } }
                <button class="button" type="submit" disabled={sending}>
                    { if sending { "Getting a quote…" } else { "Get a quote" } }
                </button>
            </form>
            <section class="panel print__preview" aria-labelledby="preview-heading">
                <h2 class="print__heading" id="preview-heading">{ "Preview" }</h2>
                <PartPreview name={name.clone()} preview={(*preview).clone()} />
            </section>
            if let Asking::Quoted(quote) = &*asking {
                <Quote key={quote.id.clone()} quote={(**quote).clone()} {name} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NumberFieldProps {
    /// The API's name of the field, which also names it in the page.
    name: AttrValue,
    label: AttrValue,
    value: AttrValue,
    min: i64,
    max: i64,
    on_input: Callback<String>,
    error: Option<AttrValue>,
}

/// A labelled whole number, with what the API found wrong with it.
#[function_component]
fn NumberField(props: &NumberFieldProps) -> Html {
    let id = format!("field-{}", props.name);
    let error_id = format!("{id}-error");
    let on_input = props.on_input.clone();
    html! {
        <div class={classes!("field", props.error.as_ref().map(|_| "field--invalid"))}>
            <label class="field__label" for={id.clone()}>{ props.label.clone() }</label>
            <input class="field__control" id={id} type="number" inputmode="numeric" step="1"
                name={props.name.clone()} min={props.min.to_string()} max={props.max.to_string()}
                value={props.value.clone()}
                aria-invalid={props.error.as_ref().map(|_| "true")}
                aria-describedby={props.error.as_ref().map(|_| error_id.clone())}
                oninput={move |event: InputEvent| {
                    on_input.emit(event.target_unchecked_into::<HtmlInputElement>().value())
                }} />
            if let Some(error) = &props.error {
                <p class="field__error" id={error_id}>{ error.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SendingProps {
    progress: Progress,
}

/// How far the file has gone to object storage; then, the wait for the quote.
#[function_component]
fn Sending(props: &SendingProps) -> Html {
    let percent = props.progress.percent();
    html! {
        <div class="print__sending">
            <progress class="print__progress" max="100" value={percent.to_string()}
                aria-valuenow={percent.to_string()} aria-labelledby="sending-label"></progress>
            <p class="print__sending-label" id="sending-label" role="status">
                { if percent < 100 { format!("Sending your file: {percent} %") } else { "Measuring and pricing your part…".to_owned() } }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PartPreviewProps {
    /// The file's name.
    name: AttrValue,
    preview: Preview,
}

/// The part drawn from its file, or why it cannot be.
#[function_component]
fn PartPreview(props: &PartPreviewProps) -> Html {
    match &props.preview {
        Preview::Nothing => html! {
            <p class="part-preview__note">{ "Pick an STL file to see it here." }</p>
        },
        Preview::Reading => loading("Reading the file…"),
        Preview::Unreadable(why) => html! {
            <p class="part-preview__note part-preview__note--problem" role="alert">
                { format!("This file cannot be previewed: {why}.") }
            </p>
        },
        Preview::Drawn(picture) => html! {
            <figure class="part-preview">
                <svg class="part-preview__drawing" viewBox={picture.view_box.clone()}
                    role="img" aria-label={format!("{}, seen from above a corner", props.name)}>
                    { Html::from_html_unchecked(picture.polygons.clone()) }
                </svg>
                <figcaption class="part-preview__note">
                    { if picture.drawn < picture.total {
                        format!("Drawn from your file, with {} of its {} triangles.", picture.drawn, picture.total)
                    } else {
                        "Drawn from your file.".to_owned()
                    } }
                </figcaption>
            </figure>
        },
    }
}

#[derive(Properties, PartialEq)]
struct QuoteProps {
    quote: PartQuote,
    /// The file's name.
    name: AttrValue,
}

/// The quote, brought into view when it arrives; followed until it is made when it is not yet.
#[function_component]
fn Quote(props: &QuoteProps) -> Html {
    let quote = use_state(|| props.quote.clone());
    let shown = use_node_ref();
    {
        let shown = shown.clone();
        use_effect_with(props.quote.id.clone(), move |_| {
            if let Some(element) = shown.cast::<web_sys::Element>() {
                element.scroll_into_view();
            }
        });
    }
    let settled = {
        let quote = quote.clone();
        Callback::from(move |made: PartQuote| quote.set(made))
    };
    html! {
        <section class="panel print__quote" aria-labelledby="quote-heading" ref={shown}>
            <div class="print__quote-head">
                <h2 class="print__heading" id="quote-heading">{ format!("Your quote for {}", props.name) }</h2>
                <QuoteBadge status={quote.status} />
            </div>
            if quote.status.settled() {
                <QuoteDetails quote={(*quote).clone()} />
                if quote.status == QuoteStatus::Ready {
                    <PartToCart quote={(*quote).clone()} />
                }
            } else {
                <Waiting id={quote.id.clone()} {settled} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct WaitingProps {
    /// The quote's API id.
    id: String,
    /// The quote, once made.
    settled: Callback<PartQuote>,
}

/// A big part's quote on its way: loaded again at every change the feed announces, until it is
/// made.
#[function_component]
fn Waiting(props: &WaitingProps) -> Html {
    let quote = use_remote(props.id.clone(), services::fabrication_quote);
    let feed = fabrication_quote_changed::Variables {
        quote_id: props.id.clone(),
        after: None,
    };
    let link = use_reload_on_change::<FabricationQuoteChanged>(feed, quote.refresh.clone());
    {
        let settled = props.settled.clone();
        use_effect_with((*quote.state).clone(), move |state| {
            if let Remote::Ready(made) = state
                && made.status.settled()
            {
                settled.emit(made.clone());
            }
        });
    }
    html! {
        <div class="print__waiting">
            <p role="status">{ "Your part is large: the store is measuring and pricing it. Its quote shows here as soon as it is made; you may also find it later under Your parts." }</p>
            <LiveIndicator state={link} />
        </div>
    }
}
