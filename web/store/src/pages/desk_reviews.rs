//! `/desk/reviews`: reviews waiting for store staff, oldest first, each shown on its product or
//! kept off with one press.

use makrx_web::hooks::use_remote;
use makrx_web::layout::for_role;
use yew::prelude::*;
use yew_router::prelude::*;

use super::DeskFrame;
use crate::app::Route;
use crate::components::{ReviewItem, refusal, refused};
use crate::services;
use crate::types::{PendingReview, ReviewStatus};

/// The page of reviews to approve.
#[function_component]
pub fn DeskReviewsPage() -> Html {
    html! {
        <DeskFrame title="Reviews to approve · Orders desk">
            <Reviews />
        </DeskFrame>
    }
}

#[function_component]
fn Reviews() -> Html {
    let reviews = use_remote((), |()| services::reviews_to_moderate());
    let busy = use_state(|| false);
    let problem = use_state(|| None::<String>);
    let decide = {
        let (busy, problem, reload) = (busy.clone(), problem.clone(), reviews.refresh.clone());
        Callback::from(move |(id, status): (String, ReviewStatus)| {
            busy.set(true);
            problem.set(None);
            let (busy, problem, reload) = (busy.clone(), problem.clone(), reload.clone());
            yew::platform::spawn_local(async move {
                let decided = services::moderate_review(id, status).await;
                busy.set(false);
                match decided {
                    Ok(_) => reload.emit(()),
                    Err(error) => problem.set(Some(refusal(&error))),
                }
            });
        })
    };
    let list = for_role(
        &reviews,
        (
            "Loading the reviews…",
            "Reviews are approved by store staff",
            "The reviews could not be loaded",
        ),
        |pending: &Vec<PendingReview>| {
            if pending.is_empty() {
                return html! { <p class="empty">{ "No review is waiting: all are seen to." }</p> };
            }
            html! {
                <ul class="reviews__list reviews__list--desk">
                    { for pending.iter().map(|pending| {
                        let choice = |status: ReviewStatus| {
                            let (decide, id) = (decide.clone(), pending.id.clone());
                            Callback::from(move |_: MouseEvent| decide.emit((id.clone(), status)))
                        };
                        html! {
                            <ReviewItem key={pending.id.clone()} review={pending.review.clone()}>
                                if let Some((name, slug)) = &pending.product {
                                    <p class="review__product">
                                        { "On " }
                                        <Link<Route> to={Route::Product { slug: slug.clone() }}>{ name.clone() }</Link<Route>>
                                    </p>
                                }
                                <div class="order__moves">
                                    <button class="button" type="button" disabled={*busy}
                                        onclick={choice(ReviewStatus::Approved)}>{ "Show it" }</button>
                                    <button class="button button--quiet" type="button" disabled={*busy}
                                        onclick={choice(ReviewStatus::Rejected)}>{ "Keep it off" }</button>
                                </div>
                            </ReviewItem>
                        }
                    }) }
                </ul>
            }
        },
    );
    html! {
        <>
            if let Some(reason) = &*problem {
                { refused(reason) }
            }
            { list }
        </>
    }
}
