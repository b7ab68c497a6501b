//! An order's printed parts, each with where its making stands: the space it was sent to, how
//! far along it is, and, when a space declined it, whether it went on to another or was given
//! back.

use yew::prelude::*;

use crate::types::{FabricationJobStatus, OrderedPart, PartJob};

/// What a customer is told when no makerspace will make a part and its price was given back.
pub const GIVEN_BACK: &str = "Refunded: no makerspace will make it";

/// Where `job` stands, in words for the customer.
pub fn job_status(job: &PartJob) -> String {
    let space = job.makerspace.as_deref().unwrap_or("a makerspace");
    match job.status {
        FabricationJobStatus::Dispatched => {
            format!("Sent to {space}, waiting for it to accept")
        }
        FabricationJobStatus::Accepted => format!("Accepted by {space}"),
        FabricationJobStatus::Printing => format!("Printing at {space}"),
        FabricationJobStatus::PostProcessing => format!("Post-processing at {space}"),
        FabricationJobStatus::Ready => format!("Ready at {space}"),
        FabricationJobStatus::Shipped => format!("Shipped by {space}"),
        FabricationJobStatus::Delivered => "Delivered".to_owned(),
        FabricationJobStatus::Declined => match &job.reason {
            Some(reason) => format!("Declined by {space}: {reason}"),
            None => format!("Declined by {space}"),
        },
        FabricationJobStatus::Cancelled => "Cancelled".to_owned(),
    }
}

/// What came of a declined job: passed on to the next job's space, or given back.
fn after_decline(next: Option<&PartJob>, refunded: bool) -> Option<String> {
    match next {
        Some(next) => Some(format!(
            "Passed on to {}",
            next.makerspace.as_deref().unwrap_or("another makerspace")
        )),
        None => refunded.then(|| GIVEN_BACK.to_owned()),
    }
}

/// Properties of [`OrderParts`].
#[derive(Properties, PartialEq)]
pub struct OrderPartsProps {
    pub parts: Vec<OrderedPart>,
}

/// An order's printed parts: file, material and colour, quantity and price, then each job
/// that made or makes it, oldest first, the standing one with when it should be ready.
#[function_component]
pub fn OrderParts(props: &OrderPartsProps) -> Html {
    html! {
        <ul class="order-parts">
            { for props.parts.iter().map(|part| html! {
                <li class="order-part" key={part.id.clone()}>
                    <div class="order-part__what">
                        <span class="order-part__file">{ part.file_name.clone() }</span>
                        <span class="order-part__material">
                            { match &part.colour {
                                Some(colour) => format!("{}, {colour}", part.material),
                                None => part.material.clone(),
                            } }
                        </span>
                        <span class="order-part__quantity">{ format!("× {}", part.quantity) }</span>
                        <span class="order-part__price">{ part.price.clone() }</span>
                    </div>
                    <ol class="order-part__jobs" aria-label={format!("Making {}", part.file_name)}>
                        { for part.jobs.iter().enumerate().map(|(index, job)| {
                            let next = part.jobs.get(index + 1);
                            let standing = next.is_none();
                            let then = (job.status == FabricationJobStatus::Declined)
                                .then(|| after_decline(next, part.refunded))
                                .flatten();
                            html! {
                                <li key={job.id.clone()}
                                    class={classes!("order-part__job", (!standing).then_some("order-part__job--past"))}>
                                    <span class={classes!("order-status", job.status.tone())}>{ job_status(job) }</span>
                                    if let Some(then) = then {
                                        <span class="order-part__then">{ then }</span>
                                    }
                                    if let Some(ready_by) = job.ready_by.as_ref().filter(|_| standing && job.status.in_the_making()) {
                                        <span class="order-part__ready-by">{ format!("Ready by {ready_by}") }</span>
                                    }
                                </li>
                            }
                        }) }
                        if part.jobs.is_empty() {
                            <li class="order-part__job">
                                { if part.refunded { GIVEN_BACK } else { "Not yet sent to a makerspace" } }
                            </li>
                        }
                    </ol>
                </li>
            }) }
        </ul>
    }
}
