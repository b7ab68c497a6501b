//! The gateway's requests, each through the one client function of `makrx_web::graphql`.

/// A project's card read from any operation's answer: graphql_client makes a type per
/// operation, and these fields have the same names in each.
macro_rules! project_summary {
    ($project:expr) => {{
        let project = $project;
        Ok::<_, RequestError>(ProjectSummary {
            excerpt: excerpt(&project.description_html),
            created: day(&project.created_at)?,
            id: project.id,
            title: project.title,
            tags: project.tags,
            owner_id: project.owner.id,
            owner_name: project.owner.display_name,
        })
    }};
}

mod makers;
mod makerspaces;
mod profile;
mod projects;

pub use makers::maker;
pub use makerspaces::{directory_page, makerspace};
pub use profile::{my_profile, update_my_profile};
pub use projects::public_projects;
