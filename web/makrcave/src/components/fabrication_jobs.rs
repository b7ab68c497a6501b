//! The parts a space makes for the store's customers, as its staff run them: a queue for each
//! process, soonest ready-by first, each job moved along in a click or declined with a reason
//! the customer reads, given slots on the space's printers and the material it used recorded;
//! the jobs done with below.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use super::MaterialUsed;
use super::fields::{chosen, typed};
use crate::marks::{Asking, Saving};
use crate::time::duration;
use crate::types::{
    FabricationJob, FabricationJobStatus, JobPrinter, JobSlot, JobStock, MaterialUse,
    NewMaterialUse, NewSlot, PrintProcess, ReservationStatus, WallTime,
};
use crate::words::capitalised;

/// A job (API id) to move to a status.
pub type JobMove = (String, FabricationJobStatus);

/// A job (API id) to decline, and why.
pub type JobDecline = (String, String);

/// A job (API id) to give a slot on a printer.
pub type JobSchedule = (String, NewSlot);

/// A job (API id) and material it used, to record.
pub type JobMaterial = (String, NewMaterialUse);

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
    /// The space's printers: each job is offered those of its process.
    #[prop_or_default]
    pub printers: Vec<JobPrinter>,
    /// Each job's slots on them, earliest first, by job id.
    #[prop_or_default]
    pub slots: HashMap<String, Vec<JobSlot>>,
    /// When they were read, in seconds since the epoch: a slot over by then is not cancelled.
    #[prop_or_default]
    pub now: i64,
    /// The space's time zone, beside the times typed.
    #[prop_or_default]
    pub time_zone: AttrValue,
    /// Slots being given or answered, by job id.
    #[prop_or_default]
    pub scheduling: Rc<HashMap<String, Saving>>,
    /// Slots being cancelled or refused, by slot (booking) id.
    #[prop_or_default]
    pub cancelling: Rc<HashMap<String, Asking>>,
    /// Gives a job a slot.
    #[prop_or_default]
    pub on_schedule: Callback<JobSchedule>,
    /// Cancels a slot, by its booking's id.
    #[prop_or_default]
    pub on_cancel_slot: Callback<String>,
    /// The space's address in URLs, for its stock page.
    #[prop_or_default]
    pub slug: AttrValue,
    /// The material each job used, as recorded, by job id.
    #[prop_or_default]
    pub material_used: HashMap<String, Vec<MaterialUse>>,
    /// The space's stock to record material from.
    #[prop_or_default]
    pub stock: Rc<JobStock>,
    /// Material being recorded or answered, by job id.
    #[prop_or_default]
    pub recording: Rc<HashMap<String, Saving>>,
    /// Records material a job used.
    #[prop_or_default]
    pub on_record: Callback<JobMaterial>,
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
        let printer_time = job.status.schedulable().then(|| {
            let id = id.clone();
            html! {
                <PrinterTime job={job.clone()} now={props.now} time_zone={props.time_zone.clone()}
                    printers={props.printers.iter().filter(|printer| printer.process == job.process).cloned().collect::<Vec<_>>()}
                    slots={props.slots.get(&job.id).cloned().unwrap_or_default()}
                    scheduling={props.scheduling.get(&job.id).cloned()}
                    cancelling={props.cancelling.clone()}
                    on_schedule={props.on_schedule.reform(move |slot| (id.clone(), slot))}
                    on_cancel_slot={props.on_cancel_slot.clone()} />
            }
        });
        let material = job.status.records_material().then(|| {
            let id = id.clone();
            html! {
                <MaterialUsed job={job.clone()} slug={props.slug.clone()} stock={props.stock.clone()}
                    used={props.material_used.get(&job.id).cloned().unwrap_or_default()}
                    recording={props.recording.get(&job.id).cloned()}
                    on_record={props.on_record.reform(move |material| (id.clone(), material))} />
            }
        });
        html! {
            <JobItem key={job.id.clone()} job={job.clone()}
                moving={props.moving.get(&job.id).cloned()}
                declining={props.declining.get(&job.id).cloned()}
                on_move={props.on_move.reform({ let id = id.clone(); move |status| (id.clone(), status) })}
                on_decline={props.on_decline.reform(move |reason| (id.clone(), reason))}>
                { printer_time.unwrap_or_default() }
                { material.unwrap_or_default() }
            </JobItem>
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
    /// Its printer time, for a job that may have some, and the material it used.
    #[prop_or_default]
    children: Html,
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
        ("Material, as quoted", job.quoted_material_words()),
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
            { props.children.clone() }
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

#[derive(Properties, PartialEq)]
struct PrinterTimeProps {
    job: FabricationJob,
    now: i64,
    time_zone: AttrValue,
    /// The space's printers of the job's process.
    printers: Vec<JobPrinter>,
    slots: Vec<JobSlot>,
    scheduling: Option<Saving>,
    cancelling: Rc<HashMap<String, Asking>>,
    on_schedule: Callback<NewSlot>,
    on_cancel_slot: Callback<String>,
}

/// A job's time on the space's printers: its slots, each to cancel while it holds the
/// printer, and giving it another (one printer of its process at least).
#[function_component]
fn PrinterTime(props: &PrinterTimeProps) -> Html {
    // A slot being given or refused keeps its form open, whatever drew the job again; one
    // given closes it.
    let open = use_state(|| matches!(props.scheduling, Some(Saving::Sending | Saving::Refused(_))));
    {
        let open = open.clone();
        use_effect_with(props.scheduling.clone(), move |scheduling| {
            if matches!(scheduling, Some(Saving::Done(_))) {
                open.set(false);
            }
        });
    }
    let job = &props.job;
    let heading = format!("job-{}-slots", job.id);
    let form = format!("job-{}-schedule", job.id);
    let slot = |slot: &JobSlot| {
        let cancelling = props.cancelling.get(&slot.id);
        let when = format!("slot-{}", slot.id);
        let id = slot.id.clone();
        html! {
            <li class="booking-item fab-slot" key={slot.id.clone()}>
                <div class="booking-item__text">
                    <span class="booking-item__when" id={when.clone()}>{ slot.words() }</span>
                    if slot.status != ReservationStatus::Approved {
                        <span class="booking-item__status">{ capitalised(slot.status.label()) }</span>
                    }
                </div>
                if slot.cancellable(props.now) {
                    <div class="booking-item__action">
                        <button class="button button--quiet" type="button" aria-describedby={when}
                            disabled={cancelling == Some(&Asking::Sent)}
                            onclick={props.on_cancel_slot.reform(move |_| id.clone())}>
                            { "Cancel slot" }
                        </button>
                    </div>
                }
                if let Some(Asking::Refused(why)) = cancelling {
                    <p class="booking__refusal" role="alert"><strong>{ "Not cancelled. " }</strong>{ why.clone() }</p>
                }
            </li>
        }
    };
    let may_schedule = !props.printers.is_empty();
    html! {
        <section class="fab-job__slots" aria-labelledby={heading.clone()}>
            <header class="panel__head">
                <h4 class="fab-job__slots-title" id={heading}>{ "Printer time" }</h4>
                if may_schedule {
                    <button class="button button--quiet" type="button" aria-expanded={open.to_string()}
                        aria-controls={form.clone()} aria-describedby={format!("job-{}-title", job.id)}
                        onclick={{ let open = open.clone(); move |_| open.set(true) }}>
                        { "Schedule…" }
                    </button>
                }
            </header>
            if props.slots.is_empty() {
                <p class="bookings__empty">{ "No slot on a printer yet." }</p>
            } else {
                <ul class="bookings__list">{ for props.slots.iter().map(slot) }</ul>
            }
            if !may_schedule {
                <p class="bookings__empty">{ no_printer(job.process) }</p>
            } else if *open {
                <ScheduleForm id={form} job_title={job.title()} print_minutes={job.print_minutes()}
                    printers={props.printers.clone()} time_zone={props.time_zone.clone()}
                    state={props.scheduling.clone().filter(|state| !matches!(state, Saving::Done(_)))}
                    on_schedule={props.on_schedule.clone()}
                    on_close={{ let open = open.clone(); Callback::from(move |()| open.set(false)) }} />
            } else if let Some(done @ Saving::Done(_)) = &props.scheduling {
                { done.outcome("Not scheduled.", &[]) }
            }
        </section>
    }
}

/// Why a job cannot be given printer time: none of the space's printers prints its process.
fn no_printer(process: PrintProcess) -> String {
    let parts = match process {
        PrintProcess::Fdm => "FDM parts",
        PrintProcess::Resin => "resin parts",
        PrintProcess::Unknown => "parts made this way",
    };
    format!(
        "None of the space's printers is set up for {parts}: its managers add printers on its Fabrication page."
    )
}

#[derive(Properties, PartialEq)]
struct ScheduleFormProps {
    id: String,
    job_title: String,
    /// Printing every copy, in minutes: the end follows the start by as much until changed.
    print_minutes: i64,
    /// The printers to choose from, at least one.
    printers: Vec<JobPrinter>,
    time_zone: AttrValue,
    state: Option<Saving>,
    on_schedule: Callback<NewSlot>,
    on_close: Callback<()>,
}

/// A slot for the job: a printer, a start and an end on the space's clock, the end the print
/// time after the start until it is changed. The API's refusal is shown by the field it names,
/// or above the buttons; what was typed stays.
#[function_component]
fn ScheduleForm(props: &ScheduleFormProps) -> Html {
    let printer = use_state(String::new);
    let start = use_state(String::new);
    // None while the end follows the start.
    let end = use_state(|| None::<String>);
    let state = props.state.as_ref();
    let sending = state == Some(&Saving::Sending);
    let error = |field| state.and_then(|state| state.error_for(field));
    let printer_id = props
        .printers
        .iter()
        .find(|option| option.id == *printer)
        .or(props.printers.first())
        .map(|option| option.id.clone())
        .unwrap_or_default();
    let starts = WallTime::parse(&start);
    let shown_end = match &*end {
        Some(typed) => typed.clone(),
        None => starts
            .map(|starts| starts.later(props.print_minutes).to_string())
            .unwrap_or_default(),
    };
    let slot = starts
        .zip(WallTime::parse(&shown_end))
        .map(|(starts, ends)| NewSlot {
            printer_id: printer_id.clone(),
            starts,
            ends,
        });
    let submit = {
        let (on_schedule, slot) = (props.on_schedule.clone(), slot.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(slot) = slot.clone() {
                on_schedule.emit(slot);
            }
        })
    };
    let type_end = {
        let end = end.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            end.set(Some(input.value()));
        })
    };
    let control = |name: &str| format!("{}-{name}", props.id);
    let (printer_error, start_error, end_error) =
        (error("equipmentId"), error("startsAt"), error("endsAt"));
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
    let hint = control("end-hint");
    html! {
        <form class="booking__form fab-job__schedule" id={props.id.clone()} onsubmit={submit}
            aria-label={format!("Schedule {}", props.job_title)}>
            <div class={classes!("field", "field--wide", invalid(&printer_error))}>
                <label class="field__label" for={control("printer")}>{ "Printer" }</label>
                <select class="field__control" id={control("printer")} onchange={chosen(&printer)}
                    aria-invalid={printer_error.is_some().to_string()}
                    aria-describedby={described(&printer_error, "printer")} disabled={sending}>
                    { for props.printers.iter().map(|option| html! {
                        <option value={option.id.clone()} selected={option.id == printer_id}>{ &option.name }</option>
                    }) }
                </select>
                { shown(printer_error.clone(), "printer") }
            </div>
            <div class={classes!("field", "field--wide", invalid(&start_error))}>
                <label class="field__label" for={control("start")}>{ format!("Start ({})", props.time_zone) }</label>
                <input class="field__control" id={control("start")} type="datetime-local" step="60" required=true
                    aria-invalid={start_error.is_some().to_string()}
                    aria-describedby={described(&start_error, "start")}
                    value={(*start).clone()} oninput={typed(&start)} disabled={sending} />
                { shown(start_error.clone(), "start") }
            </div>
            <div class={classes!("field", "field--wide", invalid(&end_error))}>
                <label class="field__label" for={control("end")}>{ format!("End ({})", props.time_zone) }</label>
                <input class="field__control" id={control("end")} type="datetime-local" step="60" required=true
                    aria-invalid={end_error.is_some().to_string()}
                    aria-describedby={described(&end_error, "end").map_or_else(|| hint.clone(), |error| format!("{hint} {error}"))}
                    value={shown_end} oninput={type_end} disabled={sending} />
                <p class="field__hint" id={hint.clone()}>
                    { format!("Printing every copy takes {}, as quoted.", duration(props.print_minutes)) }
                </p>
                { shown(end_error.clone(), "end") }
            </div>
            { state.map(|state| state.outcome("Not scheduled.", &["equipmentId", "startsAt", "endsAt"])).unwrap_or_default() }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending || slot.is_none()}>
                    { if sending { "Scheduling…" } else { "Schedule" } }
                </button>
                <button class="button button--quiet" type="button" disabled={sending}
                    onclick={props.on_close.reform(|_| ())}>
                    { "Cancel" }
                </button>
            </div>
        </form>
    }
}
