//! `/spaces/<slug>/jobs`: the parts the space makes for the store's customers, kept live, for
//! its staff to accept, give printer time, make (recording the material each used) and hand
//! over, or decline with a reason.

use std::rc::Rc;

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_remote, use_title};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, for_role};
use crate::app::Route;
use crate::components::{DECLINED, JobBoard, JobDecline, JobMaterial, JobMove};
use crate::live::use_reload_on_change;
use crate::marks::{Asking, Marks, Saving, ask, save};
use crate::services::{self, SpaceFabricationJobsChanged, space_fabrication_jobs_changed};
use crate::types::{FabricationJobStatus, FabricationJobs, NewSlot};

/// What a job given a slot says once the API took it.
const SCHEDULED: &str = "Scheduled: the job is ready by the end of its last slot.";

/// Properties of [`FabricationJobsPage`].
#[derive(Properties, PartialEq)]
pub struct FabricationJobsPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The jobs page.
#[function_component]
pub fn FabricationJobsPage(props: &FabricationJobsPageProps) -> Html {
    use_title("Jobs".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see the parts the space makes for the store">
                <Loaded slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Loaded(props: &FabricationJobsPageProps) -> Html {
    let jobs = use_remote(props.slug.to_string(), services::fabrication_jobs);
    for_role(
        &jobs,
        (
            "Loading the space's jobs…",
            "Only the space's staff see its jobs",
            "The jobs could not be loaded",
        ),
        |loaded| {
            html! {
                <LiveJobs jobs={loaded.clone()} reload={jobs.refresh.clone()} />
            }
        },
    )
}

#[derive(Properties, PartialEq)]
struct LiveJobsProps {
    jobs: FabricationJobs,
    reload: Callback<()>,
}

#[function_component]
fn LiveJobs(props: &LiveJobsProps) -> Html {
    let space = &props.jobs;
    let feed = space_fabrication_jobs_changed::Variables {
        makerspace_id: space.makerspace_id.clone(),
        after: None,
    };
    let link = use_reload_on_change::<SpaceFabricationJobsChanged>(feed, props.reload.clone());
    let moving = use_reducer(Marks::<Asking>::default);
    let declining = use_reducer(Marks::<Saving>::default);
    let scheduling = use_reducer(Marks::<Saving>::default);
    let cancelling = use_reducer(Marks::<Asking>::default);
    let recording = use_reducer(Marks::<Saving>::default);
    let on_move = {
        let (marks, reload) = (moving.dispatcher(), props.reload.clone());
        Callback::from(move |(id, status): JobMove| {
            let moved = services::set_fabrication_job_status(id.clone(), status, None);
            ask(marks.clone(), id, reload.clone(), moved);
        })
    };
    let on_decline = {
        let (marks, reload) = (declining.dispatcher(), props.reload.clone());
        Callback::from(move |(id, reason): JobDecline| {
            let declined = services::set_fabrication_job_status(
                id.clone(),
                FabricationJobStatus::Declined,
                Some(reason),
            );
            save(marks.clone(), id, reload.clone(), async move {
                declined.await?;
                Ok(DECLINED.to_owned())
            });
        })
    };
    let on_schedule = {
        let (marks, reload) = (scheduling.dispatcher(), props.reload.clone());
        let slug = space.slug.clone();
        Callback::from(move |(id, slot): (String, NewSlot)| {
            let scheduled = services::schedule_fabrication_job(slug.clone(), id.clone(), slot);
            save(marks.clone(), id, reload.clone(), async move {
                scheduled.await?;
                Ok(SCHEDULED.to_owned())
            });
        })
    };
    let on_cancel_slot = {
        let (marks, reload) = (cancelling.dispatcher(), props.reload.clone());
        Callback::from(move |id: String| {
            let cancelled = services::cancel(id.clone());
            ask(marks.clone(), id, reload.clone(), async move {
                cancelled.await?;
                Ok(())
            });
        })
    };
    let on_record = {
        let (marks, reload) = (recording.dispatcher(), props.reload.clone());
        Callback::from(move |(id, material): JobMaterial| {
            let recorded = services::record_fabrication_material(id.clone(), material);
            save(marks.clone(), id, reload.clone(), recorded);
        })
    };
    html! {
        <>
            <header class="desk__head fab-jobs__head">
                <h1 class="page__title">
                    { format!("{}: jobs", space.name) }
                    <span class="week-panel__zone">{ format!(" ({})", space.time_zone) }</span>
                </h1>
                <LiveIndicator state={link} />
            </header>
            <p class="fabrication__lead">
                { format!("Parts the store's customers ordered from the space, a queue for each process, soonest ready-by first. Times are in {}.", space.time_zone) }
            </p>
            <JobBoard jobs={space.jobs.clone()} moving={moving.0.clone()} declining={declining.0.clone()}
                {on_move} {on_decline} printers={space.printers.clone()}
                slots={space.slots.clone()} now={space.now} time_zone={space.time_zone.clone()}
                scheduling={scheduling.0.clone()} cancelling={cancelling.0.clone()}
                {on_schedule} {on_cancel_slot} slug={space.slug.clone()}
                material_used={space.material_used.clone()} stock={Rc::new(space.stock.clone())}
                recording={recording.0.clone()} {on_record} />
        </>
    }
}
