//! Makers: a person's public profile.

use graphql_client::GraphQLQuery;
use makrx_web::graphql::{RequestError, request};

use super::projects::{day, excerpt};
use crate::types::{Maker, ProjectSummary, SpaceOfMaker};

/// The API's timestamps: RFC 3339 text.
type DateTime = String;

/// A maker with their public projects and spaces.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/maker_profile.graphql",
    response_derives = "Debug"
)]
struct MakerProfile;

/// The maker whose API id is `id`: a `NOT_FOUND` error when there is none, a
/// `VALIDATION_ERROR` on `id` when it cannot be anyone's.
pub async fn maker(id: String) -> Result<Maker, RequestError> {
    read_maker(request::<MakerProfile>(maker_profile::Variables { id }).await?)
}

fn read_maker(data: maker_profile::ResponseData) -> Result<Maker, RequestError> {
    let user = data.user;
    let projects = user
        .public_projects
        .into_iter()
        .map(|project| project_summary!(project))
        .collect::<Result<_, RequestError>>()?;
    Ok(Maker {
        member_since: day(&user.created_at)?,
        display_name: user.display_name,
        avatar_url: user.avatar_url.unwrap_or_default(),
        bio: user.bio.unwrap_or_default(),
        projects,
        spaces: user
            .public_spaces
            .into_iter()
            .map(|space| SpaceOfMaker {
                name: space.name,
                slug: space.slug,
                location: space.location,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use makrx_web::graphql::decode;

    use super::*;

    #[test]
    fn a_maker_is_read_with_their_projects_and_spaces() {
        let answer = r#"{"data": {"user": {"displayName": "Mel Member",
            "avatarUrl": null, "bio": "Lamps.", "createdAt": "2025-11-02T08:00:00Z",
            "publicProjects": [{"id": "lamp", "title": "Desk lamp",
                "descriptionHtml": "<p>Plywood.</p>", "tags": [], "createdAt": "2026-03-07T10:00:00Z",
                "owner": {"id": "user-ada", "displayName": "Ada"}}],
            "publicSpaces": [{"name": "Garage Lab", "slug": "garage-lab", "location": ""}]}}}"#;

        let maker = read_maker(decode(200, answer).expect("an answer")).expect("a maker");

        assert_eq!(maker.display_name, "Mel Member");
        assert_eq!(maker.avatar_url, "");
        assert_eq!(maker.member_since.month_label(), "November 2025");
        assert_eq!(maker.projects[0].owner_name, "Ada");
        assert_eq!(maker.projects[0].excerpt, "Plywood.");
        assert_eq!(maker.spaces[0].slug, "garage-lab");
    }
}
