//! `/spaces/<slug>/fabrication`: whether the space makes parts for the store's customers.
//! Managers offer it (the materials, how jobs are taken) and choose the 3D printers that make
//! the parts; the other members read the offer.

use makrx_web::hooks::{use_remote, use_title};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, for_role};
use crate::app::Route;
use crate::components::{OfferForm, OfferSummary, PrinterList};
use crate::marks::{Marks, Saving, save};
use crate::services;
use crate::types::{Fabrication, FabricationOffer, PrinterSetup};

/// The key of the offer's form among the page's saves; the printers' are their ids.
const OFFER: &str = "offer";

/// Properties of [`FabricationPage`].
#[derive(Properties, PartialEq)]
pub struct FabricationPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The fabrication page.
#[function_component]
pub fn FabricationPage(props: &FabricationPageProps) -> Html {
    use_title("Fabrication".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see what the space makes for the store">
                <Loaded slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Loaded(props: &FabricationPageProps) -> Html {
    let fabrication = use_remote(props.slug.to_string(), services::fabrication);
    for_role(
        &fabrication,
        (
            "Loading what the space makes…",
            "Only the space's members see what it makes",
            "What the space makes could not be loaded",
        ),
        |loaded| {
            html! {
                <Service fabrication={loaded.clone()} reload={fabrication.refresh.clone()} />
            }
        },
    )
}

#[derive(Properties, PartialEq)]
struct ServiceProps {
    fabrication: Fabrication,
    reload: Callback<()>,
}

#[function_component]
fn Service(props: &ServiceProps) -> Html {
    let fabrication = &props.fabrication;
    let saving = use_reducer(Marks::<Saving>::default);
    let on_offer = {
        let (marks, reload) = (saving.dispatcher(), props.reload.clone());
        let space = fabrication.makerspace_id.clone();
        Callback::from(move |offer: FabricationOffer| {
            let saved = services::offer_fabrication(space.clone(), offer);
            save(
                marks.clone(),
                OFFER.to_owned(),
                reload.clone(),
                async move {
                    saved.await?;
                    Ok("Saved: the store sends the space jobs as this says.".to_owned())
                },
            );
        })
    };
    let name_of = {
        let printers = fabrication.printers.clone();
        move |id: &str| {
            printers
                .iter()
                .find(|printer| printer.id == id)
                .map_or_else(|| "The printer".to_owned(), |printer| printer.name.clone())
        }
    };
    let on_save = {
        let (marks, reload, name_of) = (saving.dispatcher(), props.reload.clone(), name_of.clone());
        Callback::from(move |(id, setup): (String, PrinterSetup)| {
            let name = name_of(&id);
            let saved = services::set_fabrication_printer(id.clone(), setup);
            save(marks.clone(), id, reload.clone(), async move {
                saved.await?;
                Ok(format!(
                    "Saved: {name} makes parts for the store's customers."
                ))
            });
        })
    };
    let on_remove = {
        let (marks, reload) = (saving.dispatcher(), props.reload.clone());
        Callback::from(move |id: String| {
            let name = name_of(&id);
            let removed = services::remove_fabrication_printer(id.clone());
            save(marks.clone(), id, reload.clone(), async move {
                removed.await?;
                Ok(format!(
                    "Removed: {name} makes no more parts for the store."
                ))
            });
        })
    };
    html! {
        <>
            <h1 class="page__title">{ format!("{}: fabrication", fabrication.name) }</h1>
            <p class="fabrication__lead">{ "Whether the space makes parts for the store's customers: the materials it prints, how it takes jobs, and the 3D printers that make them." }</p>
            <section class="booking panel" aria-labelledby="offer-heading">
                <h2 class="panel__title" id="offer-heading">{ "The offer" }</h2>
                if fabrication.manages {
                    <OfferForm offer={fabrication.offer.clone()} materials={fabrication.materials.clone()}
                        state={saving.0.get(OFFER).cloned()} on_save={on_offer} />
                } else {
                    <OfferSummary offer={fabrication.offer.clone()} materials={fabrication.materials.clone()} />
                }
            </section>
            <section class="booking panel" aria-labelledby="printers-heading">
                <h2 class="panel__title" id="printers-heading">{ "3D printers" }</h2>
                <PrinterList printers={fabrication.printers.clone()} offered={fabrication.offer.is_some()}
                    manages={fabrication.manages} saving={saving.0.clone()} {on_save} {on_remove} />
            </section>
        </>
    }
}
