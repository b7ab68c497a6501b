//! `/`: the makerspaces the signed-in person belongs to.

use makrx_web::hooks::{use_remote, use_sites, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::components::SpaceList;
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
    let spaces = use_remote((), |()| services::my_spaces());
    let directory = use_sites().gateway.map(AttrValue::from);
    match &*spaces.state {
        Remote::Loading => loading("Loading your makerspaces…"),
        Remote::Failed(error) => failed(
            "Your makerspaces could not be loaded",
            error,
            spaces.retry.clone(),
        ),
        Remote::Ready(list) => html! { <SpaceList spaces={list.clone()} {directory} /> },
    }
}
