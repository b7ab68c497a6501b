//! `/spaces/<slug>/settings`: managers set a space up: its time zone, visibility, currency and
//! booking limits, its opening hours and its closures.

use makrx_web::hooks::{use_remote, use_title};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, for_role};
use crate::app::Route;
use crate::components::{ClosureList, HoursForm, RulesForm};
use crate::marks::{Asking, Marks, Sent, ask, send};
use crate::services;
use crate::types::{NewClosure, OpeningSpan, SpaceRules, SpaceSettings};

/// Properties of [`SettingsPage`].
#[derive(Properties, PartialEq)]
pub struct SettingsPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The settings page.
#[function_component]
pub fn SettingsPage(props: &SettingsPageProps) -> Html {
    use_title("Settings".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to set up the space">
                <Settings slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Settings(props: &SettingsPageProps) -> Html {
    let settings = use_remote(props.slug.to_string(), services::space_settings);
    for_role(
        &settings,
        (
            "Loading the space's settings…",
            "Only the space's members see its settings",
            "The settings could not be loaded",
        ),
        |loaded| {
            html! {
                <Setup settings={loaded.clone()} slug={props.slug.clone()} reload={settings.refresh.clone()} />
            }
        },
    )
}

#[derive(Properties, PartialEq)]
struct SetupProps {
    settings: SpaceSettings,
    slug: AttrValue,
    reload: Callback<()>,
}

#[function_component]
fn Setup(props: &SetupProps) -> Html {
    let settings = &props.settings;
    let saving_rules = use_state(|| Sent::Writing);
    let saving_hours = use_state(|| Sent::Writing);
    let closing = use_state(|| Sent::Writing);
    let lifting = use_reducer(Marks::<Asking>::default);
    let space = settings.makerspace_id.clone();
    let on_rules = {
        let (state, reload, space) = (saving_rules.clone(), props.reload.clone(), space.clone());
        Callback::from(move |rules: SpaceRules| {
            let saved = services::save_rules(space.clone(), rules);
            send(state.clone(), reload.clone(), async move {
                saved.await?;
                Ok("Saved.".to_owned())
            });
        })
    };
    let on_hours = {
        let (state, reload, space) = (saving_hours.clone(), props.reload.clone(), space.clone());
        Callback::from(move |hours: Vec<OpeningSpan>| {
            let saved = services::save_hours(space.clone(), hours);
            send(state.clone(), reload.clone(), async move {
                saved.await?;
                Ok("Saved: members book within these hours.".to_owned())
            });
        })
    };
    let on_add = {
        let (state, reload) = (closing.clone(), props.reload.clone());
        let place = (props.slug.to_string(), space);
        Callback::from(move |closure: NewClosure| {
            let added = services::add_closure(place.clone(), closure);
            send(state.clone(), reload.clone(), async move {
                added.await?;
                Ok("Closed: nobody can book it then.".to_owned())
            });
        })
    };
    let on_lift = {
        let (marks, reload) = (lifting.dispatcher(), props.reload.clone());
        Callback::from(move |id: String| {
            let lifted = services::remove_closure(id.clone());
            ask(marks.clone(), id, reload.clone(), lifted);
        })
    };
    html! {
        <>
            <h1 class="page__title">{ format!("{}: settings", settings.name) }</h1>
            <section class="booking panel" aria-labelledby="rules-heading">
                <h2 class="panel__title" id="rules-heading">{ "The space" }</h2>
                <RulesForm rules={settings.rules.clone()} state={(*saving_rules).clone()} on_save={on_rules} />
            </section>
            <section class="booking panel" aria-labelledby="hours-heading">
                <h2 class="panel__title" id="hours-heading">{ "Opening hours" }</h2>
                <HoursForm hours={settings.hours.clone()} state={(*saving_hours).clone()} on_save={on_hours} />
            </section>
            <section class="booking panel" aria-labelledby="closures-heading">
                <h2 class="panel__title" id="closures-heading">{ "Closures" }</h2>
                <ClosureList closures={settings.closures.clone()} machines={settings.machines.clone()}
                    time_zone={settings.rules.time_zone.clone()} state={(*closing).clone()}
                    lifting={lifting.0.clone()} {on_add} {on_lift} />
            </section>
        </>
    }
}
