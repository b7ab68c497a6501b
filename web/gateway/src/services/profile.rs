//! The signed-in person's profile: reading it and saving changes.

use graphql_client::GraphQLQuery;
use makrx_web::graphql::{RequestError, request};

use crate::types::{Profile, ProfileChanges};

/// The signed-in person's profile.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/my_profile.graphql",
    response_derives = "Debug"
)]
struct MyProfile;

/// Saves changes to it.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/update_my_profile.graphql",
    response_derives = "Debug"
)]
struct UpdateMyProfile;

/// The profile of whoever is signed in; `UNAUTHENTICATED` when nobody is.
pub async fn my_profile() -> Result<Profile, RequestError> {
    let me = request::<MyProfile>(my_profile::Variables).await?.me;
    Ok(Profile {
        id: me.id,
        display_name: me.display_name,
        email: me.email,
        bio: me.bio.unwrap_or_default(),
        avatar_url: me.avatar_url.unwrap_or_default(),
    })
}

/// Saves `changes` and returns the profile as it now is; a `VALIDATION_ERROR` names the
/// fields it refused.
pub async fn update_my_profile(changes: ProfileChanges) -> Result<Profile, RequestError> {
    let input = update_my_profile::UpdateProfileInput {
        display_name: changes.display_name,
        bio: changes.bio,
        avatar_url: changes.avatar_url,
    };
    let user = request::<UpdateMyProfile>(update_my_profile::Variables { input })
        .await?
        .update_my_profile;
    Ok(Profile {
        id: user.id,
        display_name: user.display_name,
        email: user.email,
        bio: user.bio.unwrap_or_default(),
        avatar_url: user.avatar_url.unwrap_or_default(),
    })
}
