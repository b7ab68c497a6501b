//! Parts printed to order: a part's quote (its measures, how it prints, its price line by line
//! and who can make it by when), and the customer's parts with their quotes.

use yew::prelude::*;

use super::{Totals, refused};
use crate::money::money;
use crate::types::{Offer, PartMeasures, PartQuote, PartRow, PrintPlan, QuotePrice, QuoteStatus};

/// A part's width, depth and height: `20.0 × 20.0 × 20.0 mm`.
pub fn part_size(size_mm: &[f64]) -> String {
    let sides: Vec<String> = size_mm.iter().map(|side| format!("{side:.1}")).collect();
    format!("{} mm", sides.join(" × "))
}

/// A volume in cubic centimetres: `8.0 cm³`, `0.35 cm³` for a small one.
pub fn volume(mm3: f64) -> String {
    let cm3 = mm3 / 1000.0;
    if cm3 < 1.0 {
        format!("{cm3:.2} cm³")
    } else {
        format!("{cm3:.1} cm³")
    }
}

/// A print's time as hours and minutes: `1:05`.
pub fn print_time(seconds: i64) -> String {
    let minutes = (seconds.max(0) + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// How long until a part is ready: hours for up to two days, whole days (rounded up) after.
pub fn lead_time(hours: i64) -> String {
    match hours {
        ..=1 => "within an hour".to_owned(),
        2..48 => format!("in {hours} hours"),
        _ => format!("in {} days", (hours + 23) / 24),
    }
}

/// A file's size: `684 bytes`, `12.5 KB`, `3.2 MB`.
pub fn file_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    match bytes as f64 {
        size if size < KB => format!("{bytes} bytes"),
        size if size < KB * KB => format!("{:.1} KB", size / KB),
        size => format!("{:.1} MB", size / (KB * KB)),
    }
}

/// `1 part`, `2 parts`.
fn parts(quantity: i64) -> String {
    match quantity {
        1 => "1 part".to_owned(),
        _ => format!("{quantity} parts"),
    }
}

/// Properties of [`QuoteBadge`].
#[derive(Properties, PartialEq)]
pub struct QuoteBadgeProps {
    pub status: QuoteStatus,
}

/// A quote's status as a coloured badge.
#[function_component]
pub fn QuoteBadge(props: &QuoteBadgeProps) -> Html {
    html! {
        <span class={classes!("order-status", props.status.tone())}>{ props.status.label() }</span>
    }
}

/// Properties of [`QuoteDetails`].
#[derive(Properties, PartialEq)]
pub struct QuoteDetailsProps {
    pub quote: PartQuote,
}

/// A quote as made: what was asked, the part's measures, how it prints, its price and who can
/// make it; for a part too big, which machines it fits none of and why; for a file that could
/// not be quoted, why.
#[function_component]
pub fn QuoteDetails(props: &QuoteDetailsProps) -> Html {
    let quote = &props.quote;
    let colour = match &quote.colour {
        Some(colour) => colour.clone(),
        None => "colour left to the makerspace".to_owned(),
    };
    html! {
        <div class="quote">
            <p class="quote__asked">
                { format!("{} · {colour} · {} % infill · {}", quote.material, quote.infill_percent, parts(quote.quantity)) }
            </p>
            if let Some(failure) = &quote.failure {
                { refused(failure) }
            }
            if !quote.warnings.is_empty() {
                <ul class="quote__warnings" aria-label="Worth knowing">
                    { for quote.warnings.iter().map(|warning| html! { <li>{ warning.clone() }</li> }) }
                </ul>
            }
            <div class="quote__facts">
                if let Some(measures) = &quote.measures {
                    <Measures measures={measures.clone()} />
                }
                if let Some(print) = &quote.print {
                    <Printing print={print.clone()} />
                }
            </div>
            if !quote.misfits.is_empty() {
                <section class="quote__section" aria-labelledby="misfits-heading">
                    <h3 class="quote__heading" id="misfits-heading">{ format!("Too big for every printer of {}", quote.material) }</h3>
                    <ul class="quote__misfits">
                        { for quote.misfits.iter().map(|misfit| html! {
                            <li><strong>{ misfit.machine.clone() }</strong>{ format!(": {}", misfit.reason) }</li>
                        }) }
                    </ul>
                </section>
            }
            if let Some(price) = &quote.price {
                <Price price={price.clone()} valid_until={quote.valid_until.clone()} expired={quote.expired} />
            }
            if quote.status == QuoteStatus::Ready {
                <Offers offers={quote.offers.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MeasuresProps {
    measures: PartMeasures,
}

/// The part's measures, as the quoting engine found them.
#[function_component]
fn Measures(props: &MeasuresProps) -> Html {
    let measures = &props.measures;
    html! {
        <section class="quote__section" aria-labelledby="measures-heading">
            <h3 class="quote__heading" id="measures-heading">{ "The part" }</h3>
            <dl class="facts">
                <div><dt>{ "Size" }</dt><dd class="quote__size">{ part_size(&measures.size_mm) }</dd></div>
                <div><dt>{ "Volume" }</dt><dd>{ volume(measures.volume_mm3) }</dd></div>
                <div><dt>{ "Triangles" }</dt><dd>{ measures.triangles }</dd></div>
                <div>
                    <dt>{ "Watertight" }</dt>
                    <dd>{ if measures.watertight { "Yes" } else { "No: its volume is estimated" } }</dd>
                </div>
                if measures.shells > 1 {
                    <div><dt>{ "Pieces" }</dt><dd>{ measures.shells }</dd></div>
                }
            </dl>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PrintingProps {
    print: PrintPlan,
}

/// How one copy is printed, and where the figures come from.
#[function_component]
fn Printing(props: &PrintingProps) -> Html {
    let print = &props.print;
    let source = match (&print.fallback_reason, print.sliced) {
        (_, true) => "Sliced with PrusaSlicer".to_owned(),
        (Some(reason), false) => format!("Estimated from its shape: {reason}"),
        (None, false) => "Estimated from its shape".to_owned(),
    };
    html! {
        <section class="quote__section" aria-labelledby="print-heading">
            <h3 class="quote__heading" id="print-heading">{ "Printing one" }</h3>
            <dl class="facts">
                <div><dt>{ "On" }</dt><dd>{ format!("{} ({})", print.machine, print.process.label()) }</dd></div>
                <div><dt>{ "Time (h:mm)" }</dt><dd>{ print_time(print.print_seconds) }</dd></div>
                <div><dt>{ "Material" }</dt><dd>{ format!("{:.1} g", print.material_grams) }</dd></div>
            </dl>
            <p class="quote__note">{ source }</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PriceProps {
    price: QuotePrice,
    valid_until: Option<String>,
    expired: bool,
}

/// The price line by line, and until when it holds.
#[function_component]
fn Price(props: &PriceProps) -> Html {
    let price = &props.price;
    let amount = |minor| AttrValue::from(money(minor, &price.currency));
    let mut rows = vec![
        (
            "Material, per part".into(),
            amount(price.material_per_part_minor),
        ),
        (
            "Machine time, per part".into(),
            amount(price.machine_per_part_minor),
        ),
        (
            AttrValue::from(parts(price.quantity)),
            amount(price.production_minor),
        ),
    ];
    if price.quantity_discount_minor > 0 {
        rows.push((
            "Quantity discount".into(),
            amount(-price.quantity_discount_minor),
        ));
    }
    rows.push(("Service".into(), amount(price.markup_minor)));
    rows.push(("Setup, once".into(), amount(price.setup_fee_minor)));
    rows.push((
        "Total, taxes not included".into(),
        amount(price.total_minor),
    ));
    html! {
        <section class="quote__section quote__price" aria-labelledby="price-heading">
            <h3 class="quote__heading" id="price-heading">{ "Price" }</h3>
            <Totals {rows} />
            <p class="quote__note">{ format!("{} a part", money(price.unit_price_minor, &price.currency)) }</p>
            if props.expired {
                <p class="quote__expiry quote__expiry--over">{ "This price is no longer honoured: ask for a new quote." }</p>
            } else if let Some(until) = &props.valid_until {
                <p class="quote__expiry">{ format!("Valid until {until}") }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OffersProps {
    offers: Vec<Offer>,
}

/// The makerspaces that can make the part, earliest ready first.
#[function_component]
fn Offers(props: &OffersProps) -> Html {
    html! {
        <section class="quote__section" aria-labelledby="offers-heading">
            <h3 class="quote__heading" id="offers-heading">{ "Who can make it" }</h3>
            if props.offers.is_empty() {
                <p class="quote__none">{ "No makerspace can make this part yet." }</p>
            } else {
                <ul class="offers">
                    { for props.offers.iter().map(|offer| html! {
                        <li class="offer">
                            <span class="offer__space">{ offer.makerspace.clone() }</span>
                            <span class="offer__ready">{ format!("Ready by {}", offer.ready_by) }</span>
                            <span class="offer__lead">{ lead_time(offer.lead_time_hours) }</span>
                            <span class="offer__accepts">
                                { if offer.accepts_automatically { "Takes the job at once" } else { "Its staff accept each job" } }
                            </span>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// Properties of [`PartList`].
#[derive(Properties, PartialEq)]
pub struct PartListProps {
    pub parts: Vec<PartRow>,
    /// The part whose deletion is being confirmed, if any.
    #[prop_or_default]
    pub confirming: Option<String>,
    /// Asks to delete a part (by id): the list then asks to confirm.
    pub on_delete: Callback<String>,
    /// Confirms deleting the part being confirmed.
    pub on_confirm: Callback<String>,
    /// Keeps it after all.
    pub on_keep: Callback<()>,
    /// A deletion is under way: the buttons wait.
    #[prop_or_default]
    pub busy: bool,
}

/// The customer's parts, each with its quotes (newest first) and a way to delete it.
#[function_component]
pub fn PartList(props: &PartListProps) -> Html {
    html! {
        <ul class="part-list">
            { for props.parts.iter().map(|part| {
                let chosen = |on: &Callback<String>| {
                    let id = part.id.clone();
                    on.reform(move |_: MouseEvent| id.clone())
                };
                html! {
                    <li class="panel part" key={part.id.clone()}>
                        <div class="part__head">
                            <h2 class="part__name">{ part.file_name.clone() }</h2>
                            <span class="part__meta">{ format!("{}, uploaded {}", file_size(part.size_bytes), part.uploaded) }</span>
                            <button class="button button--quiet part__delete" type="button"
                                disabled={props.busy || props.confirming.is_some()}
                                aria-label={format!("Delete {}", part.file_name)}
                                onclick={chosen(&props.on_delete)}>{ "Delete" }</button>
                        </div>
                        if part.quotes.is_empty() {
                            <p class="part__none">{ "Not quoted." }</p>
                        } else {
                            <ul class="part__quotes">
                                { for part.quotes.iter().map(|quote| html! {
                                    <li class="part__quote" key={quote.id.clone()}>
                                        <span>{ format!("{}, {}", quote.material, parts(quote.quantity)) }</span>
                                        <QuoteBadge status={quote.status} />
                                        <span class="part__total">{ quote.total.clone().unwrap_or_default() }</span>
                                        <span class="part__validity">
                                            { match (&quote.valid_until, quote.expired) {
                                                (Some(_), true) => "Expired".to_owned(),
                                                (Some(until), false) => format!("Valid until {until}"),
                                                (None, _) => String::new(),
                                            } }
                                        </span>
                                    </li>
                                }) }
                            </ul>
                        }
                        if props.confirming.as_ref() == Some(&part.id) {
                            <div class="part__confirm" role="group" aria-label={format!("Delete {}?", part.file_name)}>
                                <p>{ format!("Delete {} and its quotes? This cannot be undone.", part.file_name) }</p>
                                <button class="button" type="button" disabled={props.busy}
                                    onclick={chosen(&props.on_confirm)}>{ "Delete it" }</button>
                                <button class="button button--quiet" type="button" disabled={props.busy}
                                    onclick={props.on_keep.reform(|_| ())}>{ "Keep it" }</button>
                            </div>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_times_and_sizes_read_as_people_say_them() {
        assert_eq!(part_size(&[20.0, 20.0, 20.0]), "20.0 × 20.0 × 20.0 mm");
        assert_eq!(part_size(&[120.04, 9.96, 0.5]), "120.0 × 10.0 × 0.5 mm");
        assert_eq!(volume(8000.0), "8.0 cm³");
        assert_eq!(volume(350.0), "0.35 cm³");
        assert_eq!(print_time(3_725), "1:02");
        assert_eq!(print_time(29), "0:00");
        assert_eq!(print_time(36_000), "10:00");
        assert_eq!(lead_time(0), "within an hour");
        assert_eq!(lead_time(5), "in 5 hours");
        assert_eq!(lead_time(47), "in 47 hours");
        assert_eq!(lead_time(49), "in 3 days");
        assert_eq!(file_size(684), "684 bytes");
        assert_eq!(file_size(12_800), "12.5 KB");
        assert_eq!(file_size(3_355_443), "3.2 MB");
    }
}
