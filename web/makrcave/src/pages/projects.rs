//! `/projects` and `/projects/<id>`: the signed-in person's projects and starting one; a
//! project's page, for whoever may see it, with its files and its bills of materials.

use makrx_web::hooks::{use_remote, use_title};
use makrx_web::remote::Remote;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{MembersOnly, failed, loading};
use crate::app::Route;
use crate::components::{
    BomEditing, BomPanel, CollaboratorList, FileList, NameForm, NewProjectForm, ProjectForm,
    ProjectList, Uploading, refusal,
};
use crate::marks::{Sent, send};
use crate::services;
use crate::types::{NewBomLine, NewProject, Project, ProjectChanges, ProjectRole, SpaceChoices};

/// The signed-in person's projects, and starting one.
#[function_component]
pub fn MyProjectsPage() -> Html {
    use_title("Your projects".to_owned());
    html! {
        <MembersOnly prompt="Sign in to see your projects">
            <MyProjects />
        </MembersOnly>
    }
}

#[function_component]
fn MyProjects() -> Html {
    let projects = use_remote((), |()| services::my_projects());
    let starting = use_state(|| Sent::Writing);
    let navigator = use_navigator();
    let on_start = {
        let starting = starting.clone();
        Callback::from(move |project: NewProject| {
            let (starting, navigator) = (starting.clone(), navigator.clone());
            starting.set(Sent::Sending);
            yew::platform::spawn_local(async move {
                match services::create_project(project).await {
                    Ok(id) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Project { id });
                        }
                    }
                    Err(error) => starting.set(Sent::Refused(refusal(&error))),
                }
            });
        })
    };
    html! {
        <section class="panel" aria-labelledby="projects-heading">
            <header class="panel__head">
                <h1 class="panel__title" id="projects-heading">{ "Your projects" }</h1>
            </header>
            { match &*projects.state {
                Remote::Loading => loading("Loading your projects…"),
                Remote::Failed(error) => failed("Your projects could not be loaded", error, projects.retry.clone()),
                Remote::Ready(mine) => html! {
                    <>
                        <ProjectList projects={mine.projects.clone()} />
                        <h2 class="panel__subtitle">{ "Start a project" }</h2>
                        <NewProjectForm spaces={mine.spaces.clone()} state={(*starting).clone()} {on_start} />
                    </>
                },
            } }
        </section>
    }
}

/// Properties of [`ProjectPage`].
#[derive(Properties, PartialEq)]
pub struct ProjectPageProps {
    /// The project's API id.
    pub id: AttrValue,
}

/// A project as the person may see it: anyone for a public one.
#[function_component]
pub fn ProjectPage(props: &ProjectPageProps) -> Html {
    let builds = use_state(|| 1_i64);
    let project = use_remote((props.id.to_string(), *builds), services::project);
    use_title(match &*project.state {
        Remote::Ready(project) => project.title.clone(),
        _ => "Project".to_owned(),
    });
    match &*project.state {
        Remote::Loading => loading("Loading the project…"),
        Remote::Failed(error) if error.is_not_found() || error.is_unauthenticated() => html! {
            <makrx_web::layout::Notice title="No such project">
                <p>{ "It does not exist, or it is not shown to you: sign in if it is yours or your space's." }</p>
            </makrx_web::layout::Notice>
        },
        Remote::Failed(error) => failed(
            "The project could not be loaded",
            error,
            project.retry.clone(),
        ),
        Remote::Ready(loaded) => {
            let on_builds = {
                let builds = builds.clone();
                Callback::from(move |wanted| builds.set(wanted))
            };
            html! {
                <ProjectView project={loaded.clone()} builds={*builds} {on_builds}
                    reload={project.refresh.clone()} />
            }
        }
    }
}

/// Properties of [`ProjectView`].
#[derive(Properties, PartialEq)]
struct ProjectViewProps {
    project: Project,
    builds: i64,
    on_builds: Callback<i64>,
    reload: Callback<()>,
}

#[function_component]
fn ProjectView(props: &ProjectViewProps) -> Html {
    let project = &props.project;
    let uploading = use_state(|| Uploading::Idle);
    let adding_bom = use_state(|| Sent::Writing);
    let adding_line = use_state(|| Sent::Writing);
    let carting = use_state(|| Sent::Writing);
    let saving = use_state(|| Sent::Writing);
    let changing_team = use_state(|| Sent::Writing);
    let editable = project.editable();
    let owner = project.role == Some(ProjectRole::Owner);
    // The space's items a line may take and members who may join: for its editors, when it
    // has a space.
    let choice_space = project
        .space
        .as_ref()
        .filter(|_| editable)
        .map(|(id, _)| id.clone());
    let choices = use_remote(choice_space, |space| async move {
        match space {
            Some(space) => services::space_choices(space).await,
            None => Ok(SpaceChoices::default()),
        }
    });
    let choices = match &*choices.state {
        Remote::Ready(choices) => choices.clone(),
        _ => SpaceChoices::default(),
    };
    let on_save = {
        let (state, reload, id) = (saving.clone(), props.reload.clone(), project.id.clone());
        Callback::from(move |changes: ProjectChanges| {
            let saved = services::update_project(id.clone(), changes);
            send(state.clone(), reload.clone(), async move {
                saved.await?;
                Ok("Saved.".to_owned())
            });
        })
    };
    let on_set_collaborator = {
        let (state, reload, id) = (
            changing_team.clone(),
            props.reload.clone(),
            project.id.clone(),
        );
        Callback::from(move |(user, role): (String, ProjectRole)| {
            let set = services::set_collaborator(id.clone(), user, role);
            send(state.clone(), reload.clone(), async move {
                set.await?;
                Ok(format!("Added as {}.", role.label().to_lowercase()))
            });
        })
    };
    let on_remove_collaborator = {
        let (state, reload, id) = (
            changing_team.clone(),
            props.reload.clone(),
            project.id.clone(),
        );
        Callback::from(move |user: String| {
            let removed = services::remove_collaborator(id.clone(), user);
            send(state.clone(), reload.clone(), async move {
                removed.await?;
                Ok("Taken off the project.".to_owned())
            });
        })
    };
    let on_file = {
        let (uploading, reload, id) = (uploading.clone(), props.reload.clone(), project.id.clone());
        Callback::from(move |file: web_sys::File| {
            uploading.set(Uploading::Sent(makrx_web::upload::Progress {
                sent: 0.0,
                total: file.size(),
            }));
            let progress = {
                let uploading = uploading.clone();
                Callback::from(move |progress| uploading.set(Uploading::Sent(progress)))
            };
            let sent = services::upload_file(id.clone(), file, progress);
            let (uploading, reload) = (uploading.clone(), reload.clone());
            yew::platform::spawn_local(async move {
                match sent.await {
                    Ok(()) => {
                        uploading.set(Uploading::Idle);
                        reload.emit(());
                    }
                    Err(reason) => uploading.set(Uploading::Refused(reason)),
                }
            });
        })
    };
    let on_cart = {
        let carting = carting.clone();
        Callback::from(move |lines: Vec<(String, i64)>| {
            let added = services::add_to_cart(lines);
            send(carting.clone(), Callback::noop(), async move {
                let units = added.await?;
                Ok(format!("In your store cart: {units} item(s) in all."))
            });
        })
    };
    let on_add_bom = {
        let (state, reload, id) = (adding_bom.clone(), props.reload.clone(), project.id.clone());
        Callback::from(move |name: String| {
            let added = services::add_bom(id.clone(), name);
            send(state.clone(), reload.clone(), async move {
                added.await?;
                Ok("Added.".to_owned())
            });
        })
    };
    let editing = |bom_id: &str| {
        let on_add = {
            let (state, reload, bom) =
                (adding_line.clone(), props.reload.clone(), bom_id.to_owned());
            Callback::from(move |line: NewBomLine| {
                let added = services::add_bom_line(bom.clone(), line);
                send(state.clone(), reload.clone(), async move {
                    added.await?;
                    Ok("Added.".to_owned())
                });
            })
        };
        let on_remove = {
            let (state, reload) = (adding_line.clone(), props.reload.clone());
            Callback::from(move |line: String| {
                let removed = services::remove_bom_line(line);
                send(state.clone(), reload.clone(), async move {
                    removed.await?;
                    Ok("Taken off.".to_owned())
                });
            })
        };
        BomEditing {
            items: choices.items.clone(),
            state: (*adding_line).clone(),
            on_add,
            on_remove,
        }
    };
    html! {
        <article class="project">
            <nav class="crumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::MyProjects}>{ "← Your projects" }</Link<Route>>
            </nav>
            <section class="panel" aria-labelledby="project-heading">
                <header class="panel__head">
                    <h1 class="panel__title" id="project-heading">{ project.title.clone() }</h1>
                    <p class="panel__meta">
                        { format!("{} · {} · by {}", project.status.label(), project.visibility.label(), project.owner) }
                        if let Some((_, name)) = &project.space {
                            { format!(" · {name}") }
                        }
                    </p>
                    if !project.tags.is_empty() {
                        <ul class="project__tags" aria-label="Tags">
                            { for project.tags.iter().map(|tag| html! { <li>{ tag.clone() }</li> }) }
                        </ul>
                    }
                </header>
                <div class="project__description">
                    // Rendered by the API from Markdown, with any HTML written in it made text and
                    // its links limited to web addresses.
                    { Html::from_html_unchecked(AttrValue::from(project.description_html.clone())) }
                </div>
                if editable {
                    <details class="project__edit">
                        <summary>{ "Change the project" }</summary>
                        <ProjectForm title={project.title.clone()} description={project.description.clone()}
                            status={project.status} tags={project.tags.clone()}
                            visibility={owner.then_some(project.visibility)}
                            state={(*saving).clone()} {on_save} />
                    </details>
                }
            </section>
            <section class="panel" aria-labelledby="people-heading">
                <h2 class="panel__title" id="people-heading">{ "People" }</h2>
                <CollaboratorList collaborators={project.collaborators.clone()}
                    members={owner.then(|| choices.members.clone())} state={(*changing_team).clone()}
                    on_set={on_set_collaborator} on_remove={on_remove_collaborator} />
            </section>
            <section class="panel" aria-labelledby="files-heading">
                <h2 class="panel__title" id="files-heading">{ "Files" }</h2>
                <FileList files={project.files.clone()}
                    uploading={editable.then(|| (*uploading).clone())} {on_file} />
            </section>
            <section class="panel" aria-labelledby="boms-heading">
                <h2 class="panel__title" id="boms-heading">{ "Bills of materials" }</h2>
                if project.boms.is_empty() {
                    <p class="bookings__empty">{ "No bill of materials yet." }</p>
                }
                { for project.boms.iter().map(|bom| html! {
                    <BomPanel key={bom.id.clone()} bom={bom.clone()} builds={props.builds}
                        on_builds={props.on_builds.clone()} cart={(*carting).clone()} on_cart={on_cart.clone()}
                        editing={editable.then(|| editing(&bom.id))} />
                }) }
                if editable {
                    <NameForm id="bom-name" label="New bill of materials" placeholder="Lamp, one of"
                        max_length={120} button="Add it" state={(*adding_bom).clone()} on_add={on_add_bom} />
                }
            </section>
        </article>
    }
}
