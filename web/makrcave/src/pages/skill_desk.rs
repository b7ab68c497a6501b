//! `/spaces/<slug>/checkoffs`: staff check members off: the requests waiting, a member's level
//! given or taken, a skill defined.

use makrx_web::hooks::{use_remote, use_title};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, for_role};
use crate::app::Route;
use crate::components::{CheckoffQueue, LevelChange, LevelForm, SkillForm};
use crate::marks::{Asking, Marks, Sent, ask, send};
use crate::services;
use crate::types::SkillDesk;

/// Properties of [`SkillDeskPage`].
#[derive(Properties, PartialEq)]
pub struct SkillDeskPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The check-offs page.
#[function_component]
pub fn SkillDeskPage(props: &SkillDeskPageProps) -> Html {
    use_title("Check-offs".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to check members off">
                <Desk slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Desk(props: &SkillDeskPageProps) -> Html {
    let desk = use_remote(props.slug.to_string(), services::skill_desk);
    for_role(
        &desk,
        (
            "Loading the check-off requests…",
            "Only the space's staff check members off",
            "The check-off requests could not be loaded",
        ),
        |loaded| {
            html! {
                <Checking desk={loaded.clone()} reload={desk.refresh.clone()} />
            }
        },
    )
}

#[derive(Properties, PartialEq)]
struct CheckingProps {
    desk: SkillDesk,
    reload: Callback<()>,
}

#[function_component]
fn Checking(props: &CheckingProps) -> Html {
    let desk = &props.desk;
    let settling = use_reducer(Marks::<Asking>::default);
    let levelling = use_state(|| Sent::Writing);
    let defining = use_state(|| Sent::Writing);
    let on_settle = {
        let (marks, reload) = (settling.dispatcher(), props.reload.clone());
        Callback::from(move |(id, grant): (String, bool)| {
            let settled = services::settle_checkoff(id.clone(), grant);
            ask(marks.clone(), id, reload.clone(), settled);
        })
    };
    let on_change = {
        let (state, reload) = (levelling.clone(), props.reload.clone());
        let (members, skills) = (desk.members.clone(), desk.skills.clone());
        Callback::from(move |change: LevelChange| {
            let member = members
                .iter()
                .find(|(id, _)| *id == change.user_id)
                .map_or_else(String::new, |(_, name)| name.clone());
            let skill = skills
                .iter()
                .find(|skill| skill.id == change.skill_id)
                .map_or_else(String::new, |skill| skill.name.clone());
            let level = change.level.clone();
            let set = services::set_skill_level(change.skill_id, change.user_id, change.level);
            send(state.clone(), reload.clone(), async move {
                let had = set.await?;
                Ok(match level {
                    Some(level) => format!("{member} holds {skill} at {level} now."),
                    None if had => format!("{member} no longer holds {skill}."),
                    None => format!("{member} held no level in {skill}."),
                })
            });
        })
    };
    let on_define = {
        let (state, reload) = (defining.clone(), props.reload.clone());
        let space = desk.makerspace_id.clone();
        Callback::from(move |(name, levels): (String, Vec<String>)| {
            let defined = services::create_skill(space.clone(), name.clone(), levels);
            send(state.clone(), reload.clone(), async move {
                defined.await?;
                Ok(format!("{name} is defined: check members off in it."))
            });
        })
    };
    html! {
        <>
            <h1 class="page__title">{ format!("{}: check-offs", desk.name) }</h1>
            <CheckoffQueue requests={desk.requests.clone()} settling={settling.0.clone()} {on_settle} />
            <LevelForm members={desk.members.clone()} skills={desk.skills.clone()} state={(*levelling).clone()} {on_change} />
            <SkillForm state={(*defining).clone()} {on_define} />
        </>
    }
}
