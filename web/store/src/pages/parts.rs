//! `/print/parts`: the signed-in customer's parts, newest first, each with its quotes; a part
//! is deleted (its file and quotes with it) once the customer confirms.

use makrx_web::hooks::use_remote;
use makrx_web::layout::{failed, loading};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{PageQuery, PrintFrame, use_query};
use crate::app::Route;
use crate::components::{PartList, refusal, refused};
use crate::services;

/// The page of the customer's parts.
#[function_component]
pub fn MyPartsPage() -> Html {
    html! {
        <PrintFrame title="Your parts">
            <Parts />
        </PrintFrame>
    }
}

#[function_component]
fn Parts() -> Html {
    let query: PageQuery = use_query();
    let parts = use_remote(query.after.clone(), services::my_parts);
    let confirming = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let problem = use_state(|| None::<String>);
    let on_confirm = {
        let (confirming, busy, problem) = (confirming.clone(), busy.clone(), problem.clone());
        let refresh = parts.refresh.clone();
        Callback::from(move |id: String| {
            busy.set(true);
            problem.set(None);
            let (confirming, busy, problem, refresh) = (
                confirming.clone(),
                busy.clone(),
                problem.clone(),
                refresh.clone(),
            );
            yew::platform::spawn_local(async move {
                let deleted = services::delete_part(id).await;
                busy.set(false);
                confirming.set(None);
                match deleted {
                    Ok(()) => refresh.emit(()),
                    Err(error) => problem.set(Some(refusal(&error))),
                }
            });
        })
    };
    let on_delete = {
        let confirming = confirming.clone();
        Callback::from(move |id| confirming.set(Some(id)))
    };
    let on_keep = {
        let confirming = confirming.clone();
        Callback::from(move |()| confirming.set(None))
    };
    match &*parts.state {
        Remote::Loading => loading("Loading your parts…"),
        Remote::Failed(error) => {
            failed("Your parts could not be loaded", error, parts.retry.clone())
        }
        Remote::Ready(page) if page.parts.is_empty() && query.after.is_none() => html! {
            <div class="empty">
                <p>{ "You have not uploaded a part yet." }</p>
                <Link<Route> to={Route::Print} classes="button">{ "Get a part quoted" }</Link<Route>>
            </div>
        },
        Remote::Ready(page) => html! {
            <>
                if let Some(reason) = &*problem {
                    { refused(reason) }
                }
                <PartList parts={page.parts.clone()} confirming={(*confirming).clone()} busy={*busy}
                    {on_delete} {on_confirm} {on_keep} />
                <nav class="pager" aria-label="Pages">
                    if query.after.is_some() {
                        <Link<Route> to={Route::MyParts} classes="button button--quiet">{ "Newest parts" }</Link<Route>>
                    }
                    if let Some(after) = &page.next {
                        <Link<Route, PageQuery> to={Route::MyParts} query={Some(PageQuery { after: Some(after.clone()) })}
                            classes="button">{ "Older parts" }</Link<Route, PageQuery>>
                    }
                </nav>
            </>
        },
    }
}
