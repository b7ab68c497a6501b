//! `/spaces/<slug>`: a makerspace, its owner and its machines, their status live.

use makrx_web::components::LiveIndicator;
use makrx_web::hooks::{use_live_equipment, use_remote, use_title};
use makrx_web::layout::{Notice, Tone};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::EquipmentList;
use crate::services;
use crate::types::MakerspaceDetail;

/// Properties of [`MakerspacePage`].
#[derive(Properties, PartialEq)]
pub struct MakerspacePageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// A makerspace's page.
#[function_component]
pub fn MakerspacePage(props: &MakerspacePageProps) -> Html {
    let space = use_remote(props.slug.to_string(), services::makerspace);
    let title = match &*space.state {
        Remote::Ready(space) => space.name.clone(),
        Remote::Failed(error) if error.is_not_found() => "Makerspace not found".to_owned(),
        _ => "Makerspace".to_owned(),
    };
    use_title(title);
    let body = match &*space.state {
        Remote::Loading => html! {
            <div class="space-profile space-profile--placeholder" aria-busy="true">
                <p class="visually-hidden" role="status">{ "Loading the makerspace…" }</p>
            </div>
        },
        Remote::Failed(error) if error.is_not_found() => html! {
            <Notice title="There is no makerspace at this address">
                <p>{ format!("No makerspace of the network goes by “{}”.", props.slug) }</p>
                <Link<Route> to={Route::Landing} classes="button">{ "See all makerspaces" }</Link<Route>>
            </Notice>
        },
        Remote::Failed(error) => html! {
            <Notice title="This makerspace could not be loaded" tone={Tone::Problem}>
                <p>{ error.to_string() }</p>
                <button class="button" type="button" onclick={space.retry.reform(|_| ())}>
                    { "Try again" }
                </button>
            </Notice>
        },
        Remote::Ready(details) => html! {
            <LiveProfile space={details.clone()} reload={space.refresh.clone()} />
        },
    };
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Landing}>{ "← All makerspaces" }</Link<Route>>
            </nav>
            { body }
        </>
    }
}

/// Properties of [`LiveProfile`].
#[derive(Properties, PartialEq)]
struct LiveProfileProps {
    space: MakerspaceDetail,
    /// Reloads the makerspace quietly, when live changes may have been missed.
    reload: Callback<()>,
}

/// The makerspace with its machines' status kept live.
#[function_component]
fn LiveProfile(props: &LiveProfileProps) -> Html {
    let live = use_live_equipment(props.space.id.clone(), props.reload.clone());
    let space = &props.space;
    html! {
        <article class="space-profile">
            <header class="space-profile__head">
                <h1 class="space-profile__name">{ &space.name }</h1>
                <p class="space-profile__meta">
                    if !space.location.trim().is_empty() {
                        <span class="space-profile__location">
                            <span class="icon icon--pin" aria-hidden="true"></span>
                            { &space.location }
                        </span>
                    }
                    <span class="space-profile__owner">{ format!("Run by {}", space.owner_name) }</span>
                </p>
            </header>
            if !space.description.trim().is_empty() {
                <p class="space-profile__description">{ &space.description }</p>
            }
            <section class="panel" aria-labelledby="equipment-heading">
                <header class="panel__head">
                    <h2 class="panel__title" id="equipment-heading">{ "Equipment" }</h2>
                    <LiveIndicator state={live.link} />
                </header>
                <EquipmentList machines={space.equipment.clone()} changed={live.changed} />
            </section>
        </article>
    }
}
