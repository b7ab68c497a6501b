//! The parts a space makes for the store's customers, as its staff run them: a queue for each
//! process, soonest ready-by first, each job moved along in a click or declined with a reason
//! the customer reads; the jobs done with below.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use super::fields::typed;
use crate::marks::{Asking, Saving};
use crate::types::{FabricationJob, FabricationJobStatus, PrintProcess};

/// A job (API id) to move to a status.
pub type JobMove = (String, FabricationJobStatus);

/// A job (API id) to decline, and why.
pub type JobDecline = (String, String);

/// What a declined job's form says once the API took it.
pub const DECLINED: &str = "Declined: the customer reads why, and the part goes to the next space that can make it, if one can.";

/// The processes queued apart, in the order the page shows them.
const QUEUES: [PrintProcess; 3] = [
    PrintProcess::Fdm,
    PrintProcess::Resin,
    PrintProcess::Unknown,
];

/// Properties of [`JobBoard`].
#[derive(Properties, PartialEq)]
pub struct JobBoardProps {
    /// The space's jobs, soonest ready-by first.
    pub jobs: Vec<FabricationJob>,
    /// Moves under way or refused, by job id.
    #[prop_or_default]
    pub moving: Rc<HashMap<String, Asking>>,
    /// Declines under way or answered, by job id.
    #[prop_or_default]
    pub declining: Rc<HashMap<String, Saving>>,
    /// Moves a job along its life.
    pub on_move: Callback<JobMove>,
    /// Declines a job, saying why.
    pub on_decline: Callback<JobDecline>,
}

/// The queues, one for each process the open jobs use, then the jobs done with; a sentence
/// when the space has no jobs.
#[function_component]
pub fn JobBoard(props: &JobBoardProps) -> Html {
    if props.jobs.is_empty() {
        return html! {
            <div class="panel fab-jobs__none">
                <p class="bookings__empty" role="status">
                    { "No jobs yet: parts ordered from the store appear here once paid." }
                </p>
            </div>
        };
    }
    let (closed, open): (Vec<&FabricationJob>, Vec<&FabricationJob>) =
        props.jobs.iter().partition(|job| job.status.closed());
    let item = |job: &FabricationJob| {
        let id = job.id.clone();
        html! {
            <JobItem key={job.id.clone()} job={job.clone()}
                moving={props.moving.get(&job.id).cloned()}
                declining={props.declining.get(&job.id).cloned()}
                on_move={props.on_move.reform({ let id = id.clone(); move |status| (id.clone(), status) })}
                on_decline={props.on_decline.reform(move |reason| (id.clone(), reason))} />
        }
    };
    let queues = QUEUES.into_iter().filter_map(|process| {
        let jobs: Vec<&FabricationJob> = open
            .iter()
            .copied()
            .filter(|job| job.process == process)
            .collect();
        if jobs.is_empty() {
            return None;
        }
        let (key, name) = queue_name(process);
        let heading = format!("queue-{key}-heading");
        Some(html! {
            <section class="panel bookings fab-queue" aria-labelledby={heading.clone()}>
                <header class="panel__head">
                    <h2 class="panel__title" id={heading}>{ name }</h2>
                    <span class="fab-queue__count">{ jobs_count(jobs.len()) }</span>
                </header>
                <ul class="bookings__list">{ for jobs.into_iter().map(item) }</ul>
            </section>
        })
    });
    html! {
        <>
            { for queues }
            if open.is_empty() {
                <div class="panel fab-jobs__none">
                    <p class="bookings__empty" role="status">
                        { "Nothing to make now: new jobs appear here once paid." }
                    </p>
                </div>
            }
            if !closed.is_empty() {
                <section class="panel bookings fab-queue fab-queue--closed" aria-labelledby="closed-jobs-heading">
                    <header class="panel__head">
                        <h2 class="panel__title" id="closed-jobs-heading">{ "Delivered, declined and cancelled" }</h2>
                        <span class="fab-queue__count">{ jobs_count(closed.len()) }</span>
                    </header>
                    <ul class="bookings__list">{ for closed.into_iter().map(item) }</ul>
                </section>
            }
        </>
    }
}

/// The queue's key in ids and its heading.
fn queue_name(process: PrintProcess) -> (&'static str, &'static str) {
    match process {
        PrintProcess::Fdm => ("fdm", "FDM queue"),
        PrintProcess::Resin => ("resin", "Resin queue"),
        PrintProcess::Unknown => ("other", "Other processes"),
    }
}

/// `1 job`, `3 jobs`.
fn jobs_count(count: usize) -> String {
    match count {
        1 => "1 job".to_owned(),
        count => format!("{count} jobs"),
    }
}

/// Where the job stands, with why when it was declined or cancelled.
pub fn job_status_words(job: &FabricationJob) -> String {
    match (job.status, job.reason.as_deref()) {
        (FabricationJobStatus::Declined, Some(reason)) => format!("Declined: {reason}"),
        (FabricationJobStatus::Cancelled, Some(reason)) => format!("Cancelled: {reason}"),
        (status, _) => status.label().to_owned(),
    }
}

#[derive(Properties, PartialEq)]
struct JobItemProps {
    job: FabricationJob,
    moving: Option<Asking>,
    declining: Option<Saving>,
    on_move: Callback<FabricationJobStatus>,
    on_decline: Callback<String>,
}

/// A job: what to make, by when, where it stands, and a button for each thing the staff may
/// do with it now; declining asks why first.
#[function_component]
fn JobItem(props: &JobItemProps) -> Html {
    // A decline under way or refused keeps its form open, whatever drew the job again.
    let asking_why =
        use_state(|| matches!(props.declining, Some(Saving::Sending | Saving::Refused(_))));
    let job = &props.job;
    let busy = props.moving == Some(Asking::Sent) || props.declining == Some(Saving::Sending);
    let title = format!("job-{}-title", job.id);
    let form = format!("job-{}-decline", job.id);
    let may_decline = job.next_statuses.contains(&FabricationJobStatus::Declined);
    let buttons: Vec<Html> = job
        .next_statuses
        .iter()
        .filter_map(|status| {
            let words = status.action()?;
            Some(if *status == FabricationJobStatus::Declined {
                let asking_why = asking_why.clone();
                html! {
                    <button class="button button--quiet" type="button" disabled={busy}
                        aria-describedby={title.clone()} aria-expanded={asking_why.to_string()}
                        aria-controls={form.clone()} onclick={move |_| asking_why.set(true)}>
                        { words }
                    </button>
                }
            } else {
                let (on_move, status) = (props.on_move.clone(), *status);
                html! {
                    <button class="button" type="button" disabled={busy}
                        aria-describedby={title.clone()} onclick={move |_| on_move.emit(status)}>
                        { words }
                    </button>
                }
            })
        })
        .collect();
    // Two rows of four on a wide screen: when and how much, then what it is made of.
    let facts = [
        ("Ready by", job.ready_by_words()),
        ("Print time", job.print_time_words()),
        ("Quantity", job.quantity_words()),
        ("Size", job.size_words()),
        ("Material", job.material.clone()),
        ("Colour", job.colour_words()),
        ("Material used", job.material_used_words()),
        ("Infill", job.infill_words()),
    ];
    html! {
        <li class={classes!("booking-item", "fab-job", job.status.closed().then_some("fab-job--closed"))}>
            <div class="booking-item__text fab-job__text">
                <h3 class="fab-job__title" id={title.clone()}>{ job.title() }</h3>
                <span class="fab-job__status">{ job_status_words(job) }</span>
            </div>
            if !buttons.is_empty() {
                <div class="booking-item__action fab-job__actions">{ for buttons }</div>
            }
            <dl class="fab-job__facts">
                { for facts.into_iter().map(|(term, fact)| html! {
                    <div class="fab-job__fact"><dt>{ term }</dt><dd>{ fact }</dd></div>
                }) }
            </dl>
            if let Some(Asking::Refused(reason)) = &props.moving {
                <p class="booking__refusal" role="alert"><strong>{ "Not moved. " }</strong>{ reason.clone() }</p>
            }
            if *asking_why && may_decline {
                <DeclineForm id={form} job_title={job.title()} state={props.declining.clone()}
                    on_decline={props.on_decline.clone()}
                    on_keep={{ let asking_why = asking_why.clone(); Callback::from(move |()| asking_why.set(false)) }} />
            } else if let Some(done @ Saving::Done(_)) = &props.declining {
                { done.outcome("Not declined.", &[]) }
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct DeclineFormProps {
    id: String,
    job_title: String,
    state: Option<Saving>,
    on_decline: Callback<String>,
    on_keep: Callback<()>,
}

/// Why the job is declined: the customer reads it. The API requires it and says so by the
/// field when it is missing.
#[function_component]
fn DeclineForm(props: &DeclineFormProps) -> Html {
    let reason = use_state(String::new);
    let state = props.state.as_ref();
    let sending = state == Some(&Saving::Sending);
    let error = state.and_then(|state| state.error_for("reason"));
    let control = format!("{}-reason", props.id);
    let error_id = format!("{control}-error");
    let submit = {
        let (on_decline, reason) = (props.on_decline.clone(), reason.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_decline.emit((*reason).clone());
        })
    };
    html! {
        <form class="booking__form fab-job__decline" id={props.id.clone()} onsubmit={submit}
            aria-label={format!("Decline {}", props.job_title)}>
            <div class={classes!("field", "field--wide", error.as_ref().map(|_| "field--invalid"))}>
                <label class="field__label" for={control.clone()}>{ "Why decline it? The customer reads this." }</label>
                <input class="field__control" id={control} type="text" maxlength="500" aria-required="true"
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={error.as_ref().map(|_| error_id.clone())}
                    value={(*reason).clone()} oninput={typed(&reason)} disabled={sending} />
                if let Some(error) = error {
                    <p class="field__error" id={error_id}>{ error }</p>
                }
            </div>
            { state.map(|state| state.outcome("Not declined.", &["reason"])).unwrap_or_default() }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Decline the job" }</button>
                <button class="button button--quiet" type="button" disabled={sending}
                    onclick={props.on_keep.reform(|_| ())}>
                    { "Keep it" }
                </button>
            </div>
        </form>
    }
}
