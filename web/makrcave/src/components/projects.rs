//! Projects: a list of them, starting one, a project's files, and its bills of materials with
//! what the space's stock makes, what a build costs and what more builds lack.

use makrx_web::upload::Progress;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::fields::{chosen, typed};
use crate::app::Route;
use crate::marks::Sent;
use crate::types::{
    Bom, ItemChoice, NewBomLine, NewProject, ProjectChanges, ProjectFile, ProjectRole,
    ProjectStatus, ProjectSummary, ProjectVisibility,
};

/// The address of the store's cart, in the store's app on this origin.
const STORE_CART: &str = "/store/cart";

/// Properties of [`ProjectList`].
#[derive(Properties, PartialEq)]
pub struct ProjectListProps {
    /// The projects, newest first.
    pub projects: Vec<ProjectSummary>,
}

/// Projects, each opening its page.
#[function_component]
pub fn ProjectList(props: &ProjectListProps) -> Html {
    if props.projects.is_empty() {
        return html! { <p class="bookings__empty">{ "No projects yet: start one below." }</p> };
    }
    html! {
        <ul class="bookings__list">
            { for props.projects.iter().map(|project| html! {
                <li class="booking-item" key={project.id.clone()}>
                    <div class="booking-item__text">
                        <Link<Route> to={Route::Project { id: project.id.clone() }}>{ project.title.clone() }</Link<Route>>
                        <span>{ format!("{} · {}{}", project.status.label(), project.visibility.label(),
                            project.space.as_ref().map_or(String::new(), |space| format!(" · {space}"))) }</span>
                    </div>
                </li>
            }) }
        </ul>
    }
}

/// Properties of [`NewProjectForm`].
#[derive(Properties, PartialEq)]
pub struct NewProjectFormProps {
    /// The spaces the project may belong to (API id, name).
    pub spaces: Vec<(String, String)>,
    /// Where the last start stands.
    pub state: Sent,
    /// Starts it.
    pub on_start: Callback<NewProject>,
}

/// Starting a project: its title, its space, who sees it.
#[function_component]
pub fn NewProjectForm(props: &NewProjectFormProps) -> Html {
    let title = use_state(String::new);
    let space = use_state(String::new);
    // The index of the choice in `ProjectVisibility::ALL`.
    let visibility = use_state(|| "0".to_owned());
    let start = {
        let project = NewProject {
            title: (*title).clone(),
            makerspace: (!space.is_empty()).then(|| (*space).clone()),
            visibility: chosen_of(&ProjectVisibility::ALL, &visibility)
                .unwrap_or(ProjectVisibility::Private),
        };
        let on_start = props.on_start.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_start.emit(project.clone());
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form" onsubmit={start}>
            <div class="field">
                <label class="field__label" for="project-title">{ "Title" }</label>
                <input class="field__control" id="project-title" type="text" required=true maxlength="120"
                    value={(*title).clone()} oninput={typed(&title)} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="project-space">{ "Makerspace" }</label>
                <select class="field__control" id="project-space" onchange={chosen(&space)} disabled={sending}>
                    <option value="" selected={space.is_empty()}>{ "None: a project of my own" }</option>
                    { for props.spaces.iter().map(|(id, name)| html! {
                        <option value={id.clone()} selected={*id == *space}>{ name }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="project-visibility">{ "Who sees it" }</label>
                <select class="field__control" id="project-visibility" onchange={chosen(&visibility)} disabled={sending}>
                    { options(&ProjectVisibility::ALL, &visibility, ProjectVisibility::label) }
                </select>
            </div>
            { props.state.outcome("Not started.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Start the project" }</button>
            </div>
        </form>
    }
}

/// Properties of [`ProjectForm`].
#[derive(Properties, PartialEq)]
pub struct ProjectFormProps {
    /// The project as it is.
    pub title: AttrValue,
    pub description: AttrValue,
    pub status: ProjectStatus,
    pub tags: Vec<String>,
    /// Who sees it, for its owner to change; none for an editor.
    #[prop_or_default]
    pub visibility: Option<ProjectVisibility>,
    /// Where the last change stands.
    pub state: Sent,
    /// Saves the changes.
    pub on_save: Callback<ProjectChanges>,
}

/// Changing a project: its title, description (Markdown), status, tags and, for its owner,
/// who sees it.
#[function_component]
pub fn ProjectForm(props: &ProjectFormProps) -> Html {
    let title = use_state(|| props.title.to_string());
    let description = use_state(|| props.description.to_string());
    let status = use_state(|| index_of(&ProjectStatus::ALL, props.status));
    let tags = use_state(|| props.tags.join(", "));
    let visibility = use_state(|| {
        props
            .visibility
            .map_or_else(String::new, |now| index_of(&ProjectVisibility::ALL, now))
    });
    let save = {
        let changes = ProjectChanges {
            title: (*title).clone(),
            description: (*description).clone(),
            status: chosen_of(&ProjectStatus::ALL, &status).unwrap_or(props.status),
            tags: (*tags).clone(),
            visibility: props
                .visibility
                .and_then(|_| chosen_of(&ProjectVisibility::ALL, &visibility)),
        };
        let on_save = props.on_save.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_save.emit(changes.clone());
        })
    };
    let on_description = {
        let description = description.clone();
        Callback::from(move |event: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            description.set(area.value());
        })
    };
    let sending = props.state == Sent::Sending;
    html! {
        <form class="booking__form project-form" onsubmit={save}>
            <div class="field">
                <label class="field__label" for="edit-title">{ "Title" }</label>
                <input class="field__control" id="edit-title" type="text" required=true maxlength="120"
                    value={(*title).clone()} oninput={typed(&title)} disabled={sending} />
            </div>
            <div class="field project-form__description">
                <label class="field__label" for="edit-description">{ "Description (Markdown)" }</label>
                <textarea class="field__control" id="edit-description" rows="8" maxlength="20000"
                    value={(*description).clone()} oninput={on_description} disabled={sending} />
            </div>
            <div class="field">
                <label class="field__label" for="edit-status">{ "Status" }</label>
                <select class="field__control" id="edit-status" onchange={chosen(&status)} disabled={sending}>
                    { options(&ProjectStatus::ALL, &status, ProjectStatus::label) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="edit-tags">{ "Tags (separated by commas)" }</label>
                <input class="field__control" id="edit-tags" type="text"
                    value={(*tags).clone()} oninput={typed(&tags)} disabled={sending} />
            </div>
            if props.visibility.is_some() {
                <div class="field">
                    <label class="field__label" for="edit-visibility">{ "Who sees it" }</label>
                    <select class="field__control" id="edit-visibility" onchange={chosen(&visibility)} disabled={sending}>
                        { options(&ProjectVisibility::ALL, &visibility, ProjectVisibility::label) }
                    </select>
                </div>
            }
            { props.state.outcome("Not saved.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Save the project" }</button>
            </div>
        </form>
    }
}

/// A select's options: `choices` by their index, the one at `chosen` selected.
fn options<T: Copy>(choices: &[T], chosen: &str, label: fn(T) -> &'static str) -> Html {
    choices
        .iter()
        .enumerate()
        .map(|(index, choice)| {
            let value = index.to_string();
            let selected = value == chosen;
            html! { <option {selected} {value}>{ label(*choice) }</option> }
        })
        .collect()
}

/// The index of `value` in `choices`, as a select's value.
fn index_of<T: PartialEq>(choices: &[T], value: T) -> String {
    choices
        .iter()
        .position(|choice| *choice == value)
        .unwrap_or_default()
        .to_string()
}

/// The choice a select's value (an index in `choices`) names.
fn chosen_of<T: Copy>(choices: &[T], value: &str) -> Option<T> {
    value
        .parse::<usize>()
        .ok()
        .and_then(|index| choices.get(index).copied())
}

/// Properties of [`CollaboratorList`].
#[derive(Properties, PartialEq)]
pub struct CollaboratorListProps {
    /// Who works on it (user API id, name, part), the owner first.
    pub collaborators: Vec<(String, String, ProjectRole)>,
    /// For its owner: the space's members who may be added (user API id, name).
    #[prop_or_default]
    pub members: Option<Vec<(String, String)>>,
    /// Where the last change stands.
    #[prop_or(Sent::Writing)]
    pub state: Sent,
    /// Gives a member a part.
    #[prop_or_default]
    pub on_set: Callback<(String, ProjectRole)>,
    /// Takes someone off.
    #[prop_or_default]
    pub on_remove: Callback<String>,
}

/// Who works on a project; its owner adds the space's members as editors or viewers and takes
/// them off.
#[function_component]
pub fn CollaboratorList(props: &CollaboratorListProps) -> Html {
    let member = use_state(String::new);
    let role = use_state(|| "0".to_owned());
    let sending = props.state == Sent::Sending;
    let owner = props.members.is_some();
    let free: Vec<&(String, String)> = props
        .members
        .iter()
        .flatten()
        .filter(|(id, _)| !props.collaborators.iter().any(|(on, _, _)| on == id))
        .collect();
    let member_now = free
        .iter()
        .find(|(id, _)| *id == *member)
        .or(free.first())
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    let add = {
        let on_set = props.on_set.clone();
        let chosen = (
            member_now.clone(),
            chosen_of(&ProjectRole::GIVEN, &role).unwrap_or(ProjectRole::Viewer),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_set.emit(chosen.clone());
        })
    };
    html! {
        <>
            <ul class="bookings__list">
                { for props.collaborators.iter().map(|(id, name, part)| html! {
                    <li class="booking-item" key={id.clone()}>
                        <div class="booking-item__text">
                            <span>{ name.clone() }</span>
                            <span class="field__hint">{ part.label() }</span>
                        </div>
                        if owner && *part != ProjectRole::Owner {
                            <button class="button button--quiet" type="button" disabled={sending}
                                onclick={props.on_remove.reform({
                                    let id = id.clone();
                                    move |_: MouseEvent| id.clone()
                                })}>
                                { "Take off" }
                                <span class="visually-hidden">{ format!(": {name}") }</span>
                            </button>
                        }
                    </li>
                }) }
            </ul>
            if owner && !free.is_empty() {
                <form class="booking__form" onsubmit={add}>
                    <div class="field">
                        <label class="field__label" for="collaborator">{ "Add a member of the space" }</label>
                        <select class="field__control" id="collaborator" onchange={chosen(&member)} disabled={sending}>
                            { for free.iter().map(|(id, name)| html! {
                                <option value={id.clone()} selected={*id == member_now}>{ name.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label class="field__label" for="collaborator-role">{ "As" }</label>
                        <select class="field__control" id="collaborator-role" onchange={chosen(&role)} disabled={sending}>
                            { options(&ProjectRole::GIVEN, &role, ProjectRole::label) }
                        </select>
                    </div>
                    <div class="booking__actions">
                        <button class="button" type="submit" disabled={sending}>{ "Add them" }</button>
                    </div>
                </form>
            }
            { props.state.outcome("Not changed.") }
        </>
    }
}

/// Where sending a file stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Uploading {
    Idle,
    Sent(Progress),
    Refused(String),
}

/// Properties of [`FileList`].
#[derive(Properties, PartialEq)]
pub struct FileListProps {
    pub files: Vec<ProjectFile>,
    /// Where the file being sent stands, for someone who may add files.
    #[prop_or_default]
    pub uploading: Option<Uploading>,
    /// Sends a chosen file.
    #[prop_or_default]
    pub on_file: Callback<web_sys::File>,
}

/// A project's files, each to fetch; and, for its editors, adding one.
#[function_component]
pub fn FileList(props: &FileListProps) -> Html {
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                input.set_value("");
                on_file.emit(file);
            }
        })
    };
    html! {
        <>
            if props.files.is_empty() {
                <p class="bookings__empty">{ "No files yet." }</p>
            } else {
                <ul class="bookings__list">
                    { for props.files.iter().map(|file| html! {
                        <li class="booking-item" key={file.id.clone()}>
                            <div class="booking-item__text">
                                <a href={file.url.clone()} download={file.name.clone()}>{ file.name.clone() }</a>
                                <span>{ size(file.size_bytes) }</span>
                            </div>
                        </li>
                    }) }
                </ul>
            }
            if let Some(uploading) = &props.uploading {
                <div class="project-upload">
                    // The input first, so that its focus can be shown on the label after it.
                    <input class="visually-hidden" id="project-file" type="file" onchange={on_change}
                        accept=".stl,.3mf,.png,.jpg,.jpeg,.webp,.pdf,.zip,.txt,.md" />
                    <label class="button button--quiet" for="project-file">{ "Add a file" }</label>
                    { match uploading {
                        Uploading::Idle => html! {
                            <span class="field__hint">{ "STL, 3MF, pictures, PDF, ZIP or text, up to 100 MB." }</span>
                        },
                        Uploading::Sent(progress) => html! {
                            <span role="status">
                                <progress max="100" value={progress.percent().to_string()}></progress>
                                { format!(" {} %", progress.percent()) }
                            </span>
                        },
                        Uploading::Refused(reason) => html! {
                            <p class="booking__refusal" role="alert"><strong>{ "Not added. " }</strong>{ reason.clone() }</p>
                        },
                    } }
                </div>
            }
        </>
    }
}

/// `2.4 MB`, `830 kB`, `12 bytes`.
fn size(bytes: i64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} kB", bytes / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// Properties of [`BomPanel`].
#[derive(Properties, PartialEq)]
pub struct BomPanelProps {
    pub bom: Bom,
    /// The builds the shortfall is for.
    pub builds: i64,
    /// Asks for the shortfall of another number of builds.
    pub on_builds: Callback<i64>,
    /// Where putting the store's part in the cart stands.
    pub cart: Sent,
    /// Puts the shortfall's store lines in the person's store cart (variant API id, how many).
    pub on_cart: Callback<Vec<(String, i64)>>,
    /// For editors: the space's items a line may take, where the last line added stands,
    /// adding one and taking one off.
    #[prop_or_default]
    pub editing: Option<BomEditing>,
}

/// What an editor of a BOM may do with it.
#[derive(Clone, PartialEq)]
pub struct BomEditing {
    pub items: Vec<ItemChoice>,
    pub state: Sent,
    pub on_add: Callback<NewBomLine>,
    pub on_remove: Callback<String>,
}

/// A bill of materials: its lines; for the people of its space, the builds the stock makes,
/// what one costs and what more builds lack, the store's part of it a click from the cart.
#[function_component]
pub fn BomPanel(props: &BomPanelProps) -> Html {
    let bom = &props.bom;
    let heading = format!("bom-{}", bom.id);
    let builds_id = format!("builds-{}", bom.id);
    let on_builds = props.on_builds.reform(|event: Event| {
        let input = event.target_unchecked_into::<HtmlInputElement>();
        input
            .value()
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, 10_000)
    });
    let to_buy: Vec<(String, i64)> = bom
        .shortfall
        .iter()
        .flatten()
        .filter_map(|short| short.to_buy.clone())
        .collect();
    let cart = {
        let (on_cart, lines) = (props.on_cart.clone(), to_buy.clone());
        Callback::from(move |_: MouseEvent| on_cart.emit(lines.clone()))
    };
    html! {
        <section class="bom" aria-labelledby={heading.clone()}>
            <h3 class="panel__subtitle" id={heading}>{ bom.name.clone() }</h3>
            if bom.lines.is_empty() {
                <p class="bookings__empty">{ "No lines yet." }</p>
            } else {
                <table class="bom__lines">
                    <thead>
                        <tr>
                            <th scope="col" class="numeric">{ "Per build" }</th>
                            <th scope="col">{ "What" }</th>
                            <th scope="col">{ "From" }</th>
                            if props.editing.is_some() {
                                <th scope="col"><span class="visually-hidden">{ "Change" }</span></th>
                            }
                        </tr>
                    </thead>
                    <tbody>
                        { for bom.lines.iter().map(|line| html! {
                            <tr key={line.id.clone()}>
                                <td class="numeric">{ line.quantity.clone() }</td>
                                <td>
                                    { line.what.clone() }
                                    if let Some(note) = &line.note {
                                        <span class="bom__note">{ note.clone() }</span>
                                    }
                                </td>
                                <td>{ line.source.clone() }</td>
                                if let Some(editing) = &props.editing {
                                    <td>
                                        <button class="button button--quiet" type="button"
                                            onclick={editing.on_remove.reform({
                                                let id = line.id.clone();
                                                move |_: MouseEvent| id.clone()
                                            })}>
                                            { "Take off" }
                                            <span class="visually-hidden">{ format!(": {}", line.what) }</span>
                                        </button>
                                    </td>
                                }
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            <dl class="bom__facts">
                if let Some(can_build) = bom.can_build {
                    <dt>{ "The stock makes" }</dt>
                    <dd class="bom__can-build">{ builds(can_build) }</dd>
                }
                if let Some(cost) = &bom.cost {
                    <dt>{ "One build costs" }</dt>
                    <dd class="bom__cost">
                        { cost.words() }
                        if cost.lines_without_cost > 0 {
                            <span class="bom__note">{ format!("{} line(s) without a known cost", cost.lines_without_cost) }</span>
                        }
                    </dd>
                }
            </dl>
            if let Some(shortfall) = &bom.shortfall {
                <div class="bom__shortfall">
                    <div class="field field--inline">
                        <label class="field__label" for={builds_id.clone()}>{ "Builds wanted" }</label>
                        <input class="field__control" id={builds_id} type="number" min="1" max="10000"
                            value={props.builds.to_string()} onchange={on_builds} />
                    </div>
                    if shortfall.is_empty() {
                        <p class="booking__done" role="status">{ format!("The stock has enough for {}.", builds(props.builds)) }</p>
                    } else {
                        <ul class="bom__missing" aria-label={format!("Missing for {}", builds(props.builds))}>
                            { for shortfall.iter().map(|short| {
                                let what = bom.lines.iter().find(|line| line.id == short.line_id)
                                    .map_or(String::new(), |line| line.what.clone());
                                html! {
                                    <li key={short.line_id.clone()}>
                                        { format!("{what}: {} missing", short.missing) }
                                        if let Some((_, count)) = &short.to_buy {
                                            { format!(" (buy {count})") }
                                        }
                                    </li>
                                }
                            }) }
                        </ul>
                        if !to_buy.is_empty() {
                            <div class="booking__actions">
                                <button class="button" type="button" onclick={cart}
                                    disabled={props.cart == Sent::Sending}>{ "Put the store's part in my cart" }</button>
                            </div>
                        }
                        { props.cart.outcome("Not put in the cart.") }
                        if matches!(props.cart, Sent::Done(_)) {
                            <p><a href={STORE_CART}>{ "Open my store cart" }</a></p>
                        }
                    }
                </div>
            }
            if let Some(editing) = &props.editing {
                <BomLineForm bom_id={bom.id.clone()} editing={editing.clone()} />
            }
        </section>
    }
}

/// `1 build`, `3 builds`.
fn builds(count: i64) -> String {
    match count {
        1 => "1 build".to_owned(),
        count => format!("{count} builds"),
    }
}

/// Properties of [`BomLineForm`].
#[derive(Properties, PartialEq)]
struct BomLineFormProps {
    bom_id: String,
    editing: BomEditing,
}

/// Adding a line: an item of the space, a store product by its SKU, or free text.
#[function_component]
fn BomLineForm(props: &BomLineFormProps) -> Html {
    let kind = use_state(|| "TEXT".to_owned());
    let item = use_state(String::new);
    let text = use_state(String::new);
    let quantity = use_state(|| "1".to_owned());
    {
        let (text, quantity) = (text.clone(), quantity.clone());
        use_effect_with(props.editing.state.clone(), move |state| {
            if matches!(state, Sent::Done(_)) {
                text.set(String::new());
                quantity.set("1".to_owned());
            }
        });
    }
    let items = &props.editing.items;
    let item_now = items
        .iter()
        .find(|choice| choice.id == *item)
        .or(items.first())
        .map(|choice| choice.id.clone())
        .unwrap_or_default();
    let add = {
        let line = match kind.as_str() {
            "ITEM" => NewBomLine::Item {
                item: item_now.clone(),
                quantity: (*quantity).clone(),
            },
            "STORE" => NewBomLine::Store {
                sku: (*text).clone(),
                quantity: (*quantity).clone(),
            },
            _ => NewBomLine::Text {
                description: (*text).clone(),
                quantity: (*quantity).clone(),
            },
        };
        let on_add = props.editing.on_add.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_add.emit(line.clone());
        })
    };
    let id = |field: &str| format!("{field}-{}", props.bom_id);
    let sending = props.editing.state == Sent::Sending;
    html! {
        <form class="booking__form bom__add" onsubmit={add}>
            <div class="field">
                <label class="field__label" for={id("line-kind")}>{ "Add a line" }</label>
                <select class="field__control" id={id("line-kind")} onchange={chosen(&kind)} disabled={sending}>
                    <option value="TEXT" selected={*kind == "TEXT"}>{ "Something described" }</option>
                    if !items.is_empty() {
                        <option value="ITEM" selected={*kind == "ITEM"}>{ "An item of the space's stock" }</option>
                    }
                    <option value="STORE" selected={*kind == "STORE"}>{ "A product of the store, by SKU" }</option>
                </select>
            </div>
            if *kind == "ITEM" && !items.is_empty() {
                <div class="field">
                    <label class="field__label" for={id("line-item")}>{ "Item" }</label>
                    <select class="field__control" id={id("line-item")} onchange={chosen(&item)} disabled={sending}>
                        { for items.iter().map(|choice| html! {
                            <option value={choice.id.clone()} selected={choice.id == item_now}>
                                { format!("{} ({})", choice.name, choice.unit.label().to_lowercase()) }
                            </option>
                        }) }
                    </select>
                </div>
            } else {
                <div class="field">
                    <label class="field__label" for={id("line-text")}>
                        { if *kind == "STORE" { "Store SKU" } else { "What" } }
                    </label>
                    <input class="field__control" id={id("line-text")} type="text" required=true maxlength="500"
                        value={(*text).clone()} oninput={typed(&text)} disabled={sending} />
                </div>
            }
            <div class="field">
                <label class="field__label" for={id("line-quantity")}>{ "Per build" }</label>
                <input class="field__control" id={id("line-quantity")} type="text" inputmode="decimal" required=true
                    value={(*quantity).clone()} oninput={typed(&quantity)} disabled={sending} />
            </div>
            { props.editing.state.outcome("Not added.") }
            <div class="booking__actions">
                <button class="button" type="submit" disabled={sending}>{ "Add the line" }</button>
            </div>
        </form>
    }
}
