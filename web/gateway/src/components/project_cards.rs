//! Projects as cards: the community hub's, and a maker's on their profile.

use makrx_web::hooks::use_sites;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::types::ProjectSummary;

/// Properties of [`ProjectCards`].
#[derive(Properties, PartialEq)]
pub struct ProjectCardsProps {
    /// The projects, in the order to show them.
    pub projects: Vec<ProjectSummary>,
    /// The level of each card's title: 2 under the page's heading, 3 under a section's.
    #[prop_or(2)]
    pub heading_level: u8,
}

/// The projects in a grid, each title leading to the project's page in MakrCave and its
/// owner's name to their profile.
#[function_component]
pub fn ProjectCards(props: &ProjectCardsProps) -> Html {
    let sites = use_sites();
    let heading = format!("h{}", props.heading_level);
    html! {
        <ul class="card-grid">
            { for props.projects.iter().map(|project| card(project, sites.makrcave.as_deref(), &heading)) }
        </ul>
    }
}

/// One project; `makrcave` is where this deployment serves MakrCave, if it does.
fn card(project: &ProjectSummary, makrcave: Option<&str>, heading: &str) -> Html {
    let title = match makrcave {
        // MakrCave is another app: a plain link, which loads it, not the gateway's router.
        Some(makrcave) => html! {
            <a class="project-card__link" href={format!("{makrcave}projects/{}", project.id)}>
                { &project.title }
            </a>
        },
        None => html! { { &project.title } },
    };
    html! {
        <li class="project-card" key={project.id.clone()}>
            <@{heading.to_owned()} class="project-card__title">{ title }</@>
            if !project.excerpt.is_empty() {
                <p class="project-card__excerpt">{ &project.excerpt }</p>
            }
            if !project.tags.is_empty() {
                <ul class="tags" aria-label="Tags">
                    { for project.tags.iter().map(|tag| html! { <li class="tag">{ tag }</li> }) }
                </ul>
            }
            <p class="project-card__meta">
                { "By " }
                <Link<Route> to={Route::Maker { id: project.owner_id.clone() }}>{ &project.owner_name }</Link<Route>>
                { " · " }
                <time datetime={project.created.iso()}>{ project.created.label() }</time>
            </p>
        </li>
    }
}
