//! Makerspaces: the network's list and one space's page.

use graphql_client::GraphQLQuery;
use makrx_web::equipment::EquipmentStatus;
use makrx_web::graphql::{RequestError, request};

use crate::types::{Directory, Machine, MakerspaceDetail, MakerspaceSummary};

/// How many makerspaces the landing page loads at a time.
pub const PAGE_SIZE: i64 = 24;

/// A page of the network's makerspaces.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/makerspace_directory.graphql",
    response_derives = "Debug"
)]
struct MakerspaceDirectory;

/// One makerspace with its machines.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/makerspace_page.graphql",
    extern_enums("EquipmentStatus"),
    response_derives = "Debug"
)]
struct MakerspacePage;

/// The makerspaces after `after` (from the first when `None`).
pub async fn directory_page(after: Option<String>) -> Result<Directory, RequestError> {
    let variables = makerspace_directory::Variables {
        first: Some(PAGE_SIZE),
        after,
    };
    let connection = request::<MakerspaceDirectory>(variables).await?.makerspaces;
    let spaces = connection
        .nodes
        .into_iter()
        .map(|space| MakerspaceSummary {
            equipment_count: space.equipment.len(),
            id: space.id,
            name: space.name,
            slug: space.slug,
            location: space.location,
        })
        .collect();
    Ok(Directory {
        spaces,
        total: usize::try_from(connection.total_count).unwrap_or_default(),
        next_page: connection
            .page_info
            .has_next_page
            .then_some(connection.page_info.end_cursor)
            .flatten(),
    })
}

/// The makerspace at `/spaces/<slug>`; a `NOT_FOUND` error when there is none.
pub async fn makerspace(slug: String) -> Result<MakerspaceDetail, RequestError> {
    let space = request::<MakerspacePage>(makerspace_page::Variables { slug })
        .await?
        .makerspace;
    Ok(MakerspaceDetail {
        id: space.id,
        name: space.name,
        description: space.description,
        location: space.location,
        owner_name: space.owner.display_name,
        equipment: space
            .equipment
            .into_iter()
            .map(|machine| Machine {
                id: machine.id,
                name: machine.name,
                kind: machine.kind,
                status: machine.status,
            })
            .collect(),
    })
}
