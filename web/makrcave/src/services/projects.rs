//! Projects: the person's own, a project's page with its files and BOMs, starting one, adding
//! BOMs and their lines, uploading files, and a shortfall's store lines into the store cart.

use makrx_web::graphql::{RequestError, request};
use makrx_web::operation;
use makrx_web::upload::{Progress, put_file};

use crate::time::money;
use crate::types::{
    Bom, BomCost, BomLine, ItemChoice, MyProjects, NewBomLine, NewProject, Project, ProjectChanges,
    ProjectFile, ProjectRole, ProjectStatus, ProjectSummary, ProjectVisibility, Short,
    SpaceChoices, StockUnit,
};

/// The API's decimals, as text.
type Decimal = String;

operation!(
    MyProjectsPage,
    "graphql/projects.graphql",
    ["ProjectStatus", "ProjectVisibility"]
);
operation!(
    CreateProject,
    "graphql/projects.graphql",
    ["ProjectStatus", "ProjectVisibility"]
);
operation!(
    ProjectPage,
    "graphql/projects.graphql",
    [
        "ProjectStatus",
        "ProjectVisibility",
        "ProjectRole",
        "StockUnit"
    ]
);
operation!(
    ProjectSpaceChoices,
    "graphql/projects.graphql",
    ["StockUnit"]
);
/// Left out (not `null`), a field of `updateProject` stays as it is: `makerspaceId: null` would
/// take the project out of its space.
#[derive(graphql_client::GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/projects.graphql",
    extern_enums("ProjectStatus", "ProjectVisibility"),
    skip_serializing_none,
    response_derives = "Debug"
)]
struct UpdateProject;
operation!(
    SetProjectCollaborator,
    "graphql/projects.graphql",
    ["ProjectRole"]
);
operation!(RemoveProjectCollaborator, "graphql/projects.graphql");
operation!(StoreVariantBySku, "graphql/projects.graphql");
operation!(AddBom, "graphql/projects.graphql");
operation!(AddBomLine, "graphql/projects.graphql");
operation!(RemoveBomLine, "graphql/projects.graphql");
operation!(AddLinesToCart, "graphql/projects.graphql");
operation!(CreateProjectFileUpload, "graphql/projects.graphql");
operation!(ConfirmProjectFile, "graphql/projects.graphql");

/// The signed-in person's projects, newest first, and the spaces they are in (by name).
pub async fn my_projects() -> Result<MyProjects, RequestError> {
    let answer = request::<MyProjectsPage>(my_projects_page::Variables).await?;
    let spaces = in_good_standing!(answer.me.memberships, |membership| (
        membership.makerspace.id,
        membership.makerspace.name
    ));
    Ok(MyProjects {
        projects: answer
            .my_projects
            .into_iter()
            .map(|project| ProjectSummary {
                id: project.id,
                title: project.title,
                status: project.status,
                visibility: project.visibility,
                space: project.makerspace.map(|space| space.name),
            })
            .collect(),
        spaces,
    })
}

/// Starts a project; answers its API id.
pub async fn create_project(project: NewProject) -> Result<String, RequestError> {
    let input = create_project::CreateProjectInput {
        title: project.title,
        makerspace_id: project.makerspace,
        visibility: project.visibility,
        description: String::new(),
        status: ProjectStatus::Idea,
        tags: Vec::new(),
    };
    Ok(
        request::<CreateProject>(create_project::Variables { input })
            .await?
            .create_project
            .id,
    )
}

/// The project `id` as the person may see it, each BOM's shortfall for `builds` builds.
pub async fn project((id, builds): (String, i64)) -> Result<Project, RequestError> {
    let project = request::<ProjectPage>(project_page::Variables { id, builds })
        .await?
        .project;
    Ok(Project {
        id: project.id,
        title: project.title,
        status: project.status,
        visibility: project.visibility,
        tags: project.tags,
        description: project.description,
        description_html: project.description_html,
        role: project.my_role,
        collaborators: project
            .collaborators
            .into_iter()
            .map(|collaborator| {
                (
                    collaborator.user.id,
                    collaborator.user.display_name,
                    collaborator.role,
                )
            })
            .collect(),
        owner: project.owner.display_name,
        space: project.makerspace.map(|space| (space.id, space.name)),
        files: project
            .files
            .into_iter()
            .map(|file| ProjectFile {
                id: file.id,
                name: file.name,
                size_bytes: file.size_bytes,
                url: file.url,
            })
            .collect(),
        boms: project.boms.into_iter().map(bom).collect(),
    })
}

/// A BOM of the project's page: its lines in words, its cost with the store's part priced
/// by the store.
fn bom(bom: project_page::ProjectPageProjectBoms) -> Bom {
    let store: Vec<(i64, String)> = bom
        .store_cost
        .iter()
        .map(|cost| (cost.minor, cost.currency.clone()))
        .collect();
    Bom {
        id: bom.id,
        name: bom.name,
        can_build: bom.can_build,
        cost: bom.cost.map(|cost| BomCost {
            items_minor: cost.items_minor,
            currency: cost.currency,
            store,
            lines_without_cost: cost.lines_without_cost,
        }),
        shortfall: bom.shortfall.map(|shortfall| {
            shortfall
                .into_iter()
                .map(|short| Short {
                    to_buy: short
                        .line
                        .store_variant
                        .zip(short.to_buy)
                        .map(|(variant, count)| (variant.id, count)),
                    line_id: short.line.id,
                    missing: short.missing,
                })
                .collect()
        }),
        lines: bom.lines.into_iter().map(line).collect(),
    }
}

/// A BOM line in words.
fn line(line: project_page::ProjectPageProjectBomsLines) -> BomLine {
    let note = (!line.description.is_empty()).then(|| line.description.clone());
    let (what, source, note) = match (line.inventory_item, line.store_variant, line.store_product) {
        (Some(item), _, _) => (
            item.name,
            format!("the space's stock, in {}", item.unit.label().to_lowercase()),
            note,
        ),
        (None, Some(variant), product) => (
            product.map_or(variant.name.clone(), |product| {
                format!("{} ({})", product.name, variant.name)
            }),
            format!(
                "store: {} at {}",
                variant.sku,
                money(variant.price_minor, &variant.currency)
            ),
            note,
        ),
        (None, None, Some(product)) => (product.name, "store".to_owned(), note),
        (None, None, None) if line.description.is_empty() => (
            "An item of the space".to_owned(),
            "only the space's people see what".to_owned(),
            None,
        ),
        (None, None, None) => (line.description, "not counted".to_owned(), None),
    };
    BomLine {
        id: line.id,
        quantity: line.quantity,
        what,
        source,
        note,
    }
}

/// What a project of the space `makerspace_id` may take from it: its items, by name, and its
/// members in good standing, by name.
pub async fn space_choices(makerspace_id: String) -> Result<SpaceChoices, RequestError> {
    let answer =
        request::<ProjectSpaceChoices>(project_space_choices::Variables { makerspace_id }).await?;
    let members = in_good_standing!(answer.members.nodes, |membership| (
        membership.user.id,
        membership.user.display_name
    ));
    Ok(SpaceChoices {
        items: answer
            .inventory_items
            .nodes
            .into_iter()
            .map(|item| ItemChoice {
                id: item.id,
                name: item.name,
                unit: item.unit,
            })
            .collect(),
        members,
    })
}

/// Changes the project `id` as its form says.
pub async fn update_project(id: String, changes: ProjectChanges) -> Result<(), RequestError> {
    let input = update_project::UpdateProjectInput {
        id,
        title: Some(changes.title.trim().to_owned()),
        description: Some(changes.description),
        status: Some(changes.status),
        tags: Some(
            changes
                .tags
                .split(',')
                .map(str::trim)
                .filter(|tag| !tag.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        visibility: changes.visibility,
        makerspace_id: None,
    };
    request::<UpdateProject>(update_project::Variables { input }).await?;
    Ok(())
}

/// Gives the person `user_id` the part `role` in the project `project_id`.
pub async fn set_collaborator(
    project_id: String,
    user_id: String,
    role: ProjectRole,
) -> Result<(), RequestError> {
    let input = set_project_collaborator::SetCollaboratorInput {
        project_id,
        user_id,
        role,
    };
    request::<SetProjectCollaborator>(set_project_collaborator::Variables { input }).await?;
    Ok(())
}

/// Takes the person `user_id` off the project `project_id`.
pub async fn remove_collaborator(project_id: String, user_id: String) -> Result<(), RequestError> {
    let input = remove_project_collaborator::RemoveCollaboratorInput {
        project_id,
        user_id,
    };
    request::<RemoveProjectCollaborator>(remove_project_collaborator::Variables { input }).await?;
    Ok(())
}

/// Adds a BOM called `name` to the project `project_id`.
pub async fn add_bom(project_id: String, name: String) -> Result<(), RequestError> {
    let input = add_bom::AddBomInput { project_id, name };
    request::<AddBom>(add_bom::Variables { input }).await?;
    Ok(())
}

/// Adds `line` to the BOM `bom_id`; a store line's SKU is looked up in the store first.
pub async fn add_bom_line(bom_id: String, line: NewBomLine) -> Result<(), RequestError> {
    let blank = add_bom_line::AddBomLineInput {
        bom_id,
        quantity: String::new(),
        store_product_id: None,
        store_variant_id: None,
        inventory_item_id: None,
        description: String::new(),
    };
    let input = match line {
        NewBomLine::Item { item, quantity } => add_bom_line::AddBomLineInput {
            quantity,
            inventory_item_id: Some(item),
            ..blank
        },
        NewBomLine::Text {
            description,
            quantity,
        } => add_bom_line::AddBomLineInput {
            quantity,
            description,
            ..blank
        },
        NewBomLine::Store { sku, quantity } => {
            let (variant, product) = store_variant(&sku).await?;
            add_bom_line::AddBomLineInput {
                quantity,
                store_product_id: Some(product),
                store_variant_id: Some(variant),
                ..blank
            }
        }
    };
    request::<AddBomLine>(add_bom_line::Variables { input }).await?;
    Ok(())
}

/// The store variant whose SKU is `sku`, and its product (API ids): `NOT_FOUND` when the store
/// sells none by it.
pub(super) async fn store_variant(sku: &str) -> Result<(String, String), RequestError> {
    let variant = request::<StoreVariantBySku>(store_variant_by_sku::Variables {
        sku: sku.trim().to_owned(),
    })
    .await?
    .product_variant;
    Ok((variant.id, variant.product.id))
}

/// Takes the line `line_id` off its BOM.
pub async fn remove_bom_line(line_id: String) -> Result<(), RequestError> {
    let input = remove_bom_line::RemoveBomLineInput { line_id };
    request::<RemoveBomLine>(remove_bom_line::Variables { input }).await?;
    Ok(())
}

/// Puts `lines` (store variant API id, how many) in the person's store cart, all or none;
/// answers how many units the cart holds then.
pub async fn add_to_cart(lines: Vec<(String, i64)>) -> Result<i64, RequestError> {
    let input = add_lines_to_cart::AddLinesToCartInput {
        lines: lines
            .into_iter()
            .map(|(variant_id, quantity)| add_lines_to_cart::AddToCartInput {
                variant_id,
                quantity,
            })
            .collect(),
    };
    Ok(
        request::<AddLinesToCart>(add_lines_to_cart::Variables { input })
            .await?
            .add_lines_to_cart
            .item_count,
    )
}

/// Adds `file` to the project `project_id`: an upload URL from MakrCave, the file sent straight
/// to object storage (`on_progress` told as it goes), then MakrCave's check of it. Answers why
/// it failed, in words.
pub async fn upload_file(
    project_id: String,
    file: web_sys::File,
    on_progress: yew::Callback<Progress>,
) -> Result<(), String> {
    let said = |error: RequestError| crate::components::refusal(&error);
    let input = create_project_file_upload::CreateProjectFileUploadInput {
        project_id,
        file_name: file.name(),
        size_bytes: file.size() as i64,
        content_type: file.type_(),
    };
    let upload =
        request::<CreateProjectFileUpload>(create_project_file_upload::Variables { input })
            .await
            .map_err(said)?
            .create_project_file_upload;
    put_file(&upload.upload_url, &file, &file.type_(), on_progress).await?;
    let input = confirm_project_file::ProjectFileInput {
        file_id: upload.file_id,
    };
    request::<ConfirmProjectFile>(confirm_project_file::Variables { input })
        .await
        .map_err(said)?;
    Ok(())
}
