//! A maker's public profile, in each state it can be in.

use makrx_web::graphql::RequestError;
use makrx_web::layout::{Notice, avatar, failed, loading};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::ProjectCards;
use crate::app::Route;
use crate::types::{Maker, SpaceOfMaker};

/// Properties of [`MakerProfile`].
#[derive(Properties, PartialEq)]
pub struct MakerProfileProps {
    /// The maker, as far as loaded.
    pub maker: Remote<Maker>,
    /// Asks for the maker again.
    pub on_retry: Callback<()>,
}

/// Whether `error` says there is no maker at the address: none has that id, or it cannot be
/// an id at all (a mistyped link).
pub fn is_no_such_maker(error: &RequestError) -> bool {
    error.is_not_found() || error.field_errors().iter().any(|field| field.field == "id")
}

/// The maker's picture, name, bio, projects and makerspaces; or what stands in for them.
#[function_component]
pub fn MakerProfile(props: &MakerProfileProps) -> Html {
    match &props.maker {
        Remote::Loading => loading("Loading the maker's profile…"),
        Remote::Failed(error) if is_no_such_maker(error) => html! {
            <Notice title="No such maker">
                <p>{ "No maker of the network has this address. The link may be old, or mistyped." }</p>
                <Link<Route> to={Route::Projects} classes="button">{ "See what makers are building" }</Link<Route>>
            </Notice>
        },
        Remote::Failed(error) => failed(
            "This maker's profile could not be loaded",
            error,
            props.on_retry.clone(),
        ),
        Remote::Ready(maker) => profile(maker),
    }
}

fn profile(maker: &Maker) -> Html {
    html! {
        <article class="maker">
            <header class="maker__head">
                { avatar(&maker.display_name, &maker.avatar_url) }
                <div class="maker__who">
                    <h1 class="maker__name">{ &maker.display_name }</h1>
                    <p class="maker__since">{ format!("Member since {}", maker.member_since.month_label()) }</p>
                </div>
            </header>
            if !maker.bio.trim().is_empty() {
                <p class="maker__bio">{ maker.bio.trim() }</p>
            }
            <section class="maker__section" aria-labelledby="maker-projects">
                <h2 class="maker__heading" id="maker-projects">{ "Projects" }</h2>
                if maker.projects.is_empty() {
                    <p class="maker__empty">{ format!("{} has no public projects yet.", maker.display_name) }</p>
                } else {
                    <ProjectCards projects={maker.projects.clone()} heading_level={3} />
                }
            </section>
            <section class="maker__section" aria-labelledby="maker-spaces">
                <h2 class="maker__heading" id="maker-spaces">{ "Makerspaces" }</h2>
                if maker.spaces.is_empty() {
                    <p class="maker__empty">
                        { format!("{} is not a member of a public makerspace yet.", maker.display_name) }
                    </p>
                } else {
                    <ul class="maker-spaces">{ for maker.spaces.iter().map(space) }</ul>
                }
            </section>
        </article>
    }
}

fn space(space: &SpaceOfMaker) -> Html {
    html! {
        <li key={space.slug.clone()}>
            <Link<Route> to={Route::Makerspace { slug: space.slug.clone() }} classes="maker-spaces__link">
                <span class="maker-spaces__name">{ &space.name }</span>
                if !space.location.trim().is_empty() {
                    <span class="maker-spaces__location">
                        <span class="icon icon--pin" aria-hidden="true"></span>
                        { &space.location }
                    </span>
                }
            </Link<Route>>
        </li>
    }
}
