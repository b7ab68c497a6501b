//! `/spaces/<slug>/skills`: the space's skills, the person's level in each, and asking for a
//! check-off.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::{CheckoffAsked, SkillList};
use crate::marks::{Asking, Marks, ask};
use crate::services;

/// Properties of [`SkillsPage`].
#[derive(Properties, PartialEq)]
pub struct SkillsPageProps {
    /// The makerspace's address in URLs.
    pub slug: AttrValue,
}

/// The skills page.
#[function_component]
pub fn SkillsPage(props: &SkillsPageProps) -> Html {
    use_title("Your skills".to_owned());
    html! {
        <>
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::Space { slug: props.slug.to_string() }}>{ "← The makerspace" }</Link<Route>>
            </nav>
            <MembersOnly prompt="Sign in to see your skills">
                <Skills slug={props.slug.clone()} />
            </MembersOnly>
        </>
    }
}

#[function_component]
fn Skills(props: &SkillsPageProps) -> Html {
    let skills = use_remote(props.slug.to_string(), services::my_skills);
    let asking = use_reducer(Marks::<Asking>::default);
    let asked = use_reducer(Marks::<String>::default);
    let on_ask = {
        let (marks, asked) = (asking.dispatcher(), asked.dispatcher().to_callback());
        Callback::from(move |(skill, level): CheckoffAsked| {
            let requested = services::request_checkoff(skill.clone(), level.clone());
            let done = asked.reform({
                let skill = skill.clone();
                move |()| (skill.clone(), Some(level.clone()))
            });
            ask(marks.clone(), skill, done, requested);
        })
    };
    match &*skills.state {
        Remote::Loading => loading("Loading your skills…"),
        Remote::Failed(error) => failed(
            "Your skills could not be loaded",
            error,
            skills.retry.clone(),
        ),
        Remote::Ready(mine) => html! {
            <section class="panel bookings" aria-labelledby="skills-heading">
                <h1 class="panel__title bookings__title" id="skills-heading">
                    { format!("Your skills at {}", mine.space_name) }
                </h1>
                <SkillList skills={mine.skills.clone()} asking={asking.0.clone()} asked={asked.0.clone()} {on_ask} />
            </section>
        },
    }
}
