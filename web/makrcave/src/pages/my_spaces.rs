//! `/`: the makerspaces the signed-in person belongs to.

use makrx_web::hooks::{use_remote, use_sites, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::components::{Decision, InvitationList, SpaceList};
use crate::marks::{Asking, Marks, ask};
use crate::services;

/// The home page.
#[function_component]
pub fn MySpacesPage() -> Html {
    use_title("Your makerspaces".to_owned());
    html! {
        <>
            <h1 class="page__title">{ "Your makerspaces" }</h1>
            <MembersOnly prompt="Sign in to see your makerspaces">
                <Spaces />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Spaces() -> Html {
    let home = use_remote((), |()| services::home());
    let directory = use_sites().gateway.map(AttrValue::from);
    let answering = use_reducer(Marks::<Asking>::default);
    let on_answer = {
        let (marks, reload) = (answering.dispatcher(), home.refresh.clone());
        Callback::from(move |(id, accept): Decision| {
            let answered = services::answer_invitation(id.clone(), accept);
            ask(marks.clone(), id, reload.clone(), answered);
        })
    };
    match &*home.state {
        Remote::Loading => loading("Loading your makerspaces…"),
        Remote::Failed(error) => failed(
            "Your makerspaces could not be loaded",
            error,
            home.retry.clone(),
        ),
        Remote::Ready(home) => html! {
            <>
                <InvitationList invitations={home.invitations.clone()} answering={answering.0.clone()} {on_answer} />
                // With an invitation waiting, "you belong to no makerspace yet" would only repeat it.
                if !home.spaces.is_empty() || home.invitations.is_empty() {
                    <SpaceList spaces={home.spaces.clone()} {directory} />
                }
            </>
        },
    }
}
