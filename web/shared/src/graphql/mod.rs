//! The one GraphQL client function every page uses, and what can go wrong with it.

mod error;

pub use error::{ApiError, FieldError, RequestError};

use futures::future::join;
use graphql_client::{GraphQLQuery, Response};
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::{config, session};

/// Declares an operation of a document under the app's `graphql/` folder, checked against the
/// supergraph when the app is built, its answer read into the types graphql_client generates;
/// the enums named are the app's own (in scope where this is used), shared by every operation
/// that uses them. A `feed` is a subscription the pages follow: public, its variables compared
/// to know when to follow anew.
///
/// ```text
/// operation!(MySpaces, "graphql/my_spaces.graphql", ["MembershipRole"]);
/// operation!(/// A machine's bookings as they change.
///     feed ReservationChanged, "graphql/reservation_changed.graphql", ["ReservationStatus"]);
/// ```
#[macro_export]
macro_rules! operation {
    ($name:ident, $file:tt) => {
        $crate::operation!($name, $file, []);
    };
    ($(#[$doc:meta])* feed $name:ident, $file:tt, [$($enum:tt),*]) => {
        $(#[$doc])*
        #[derive(graphql_client::GraphQLQuery)]
        #[graphql(
            schema_path = "../../schema/supergraph.graphql",
            query_path = $file,
            extern_enums($($enum),*),
            variables_derives = "Debug, Clone, PartialEq",
            response_derives = "Debug, Clone, PartialEq"
        )]
        pub struct $name;
    };
    ($name:ident, $file:tt, [$($enum:tt),*]) => {
        #[derive(graphql_client::GraphQLQuery)]
        #[graphql(
            schema_path = "../../schema/supergraph.graphql",
            query_path = $file,
            extern_enums($($enum),*),
            response_derives = "Debug"
        )]
        struct $name;
    };
}

/// Runs a query or mutation against the router and returns its data.
///
/// Signed in, it goes with the session's access token; when the API refuses that token
/// (`UNAUTHENTICATED`, or 401) the token is renewed and the request made once more, so an
/// expired token never reaches the page.
///
/// Data that arrives with errors (a nullable field that failed) is returned and the errors
/// are logged: the page shows what it has. Errors without data are the caller's to show.
pub async fn request<Q: GraphQLQuery>(
    variables: Q::Variables,
) -> Result<Q::ResponseData, RequestError> {
    let body = serde_json::to_string(&Q::build_query(variables))
        .map_err(|err| RequestError::Decode(err.to_string()))?;
    let (status, text) = exchange(body).await?;
    decode(status, &text)
}

/// Sends a request body with the session's token, renewing the token once if it is refused;
/// returns the answer's status and body. Not generic, so that every operation shares one copy
/// of it in the wasm.
async fn exchange(body: String) -> Result<(u16, String), RequestError> {
    let (config, token) = join(config::current(), session::access_token()).await;
    let answer = post(&config.graphql_url, &body, token.as_deref()).await?;
    let Some(rejected) = token.filter(|_| refuses_token(&answer)) else {
        return Ok(answer);
    };
    let renewed = session::renew_rejected(&rejected).await;
    post(&config.graphql_url, &body, renewed.as_deref()).await
}

/// Whether the API refused a request for its token (rather than for what it asked).
fn refuses_token((status, body): &(u16, String)) -> bool {
    *status == 401
        || (body.contains("UNAUTHENTICATED")
            && decode::<IgnoredAny>(*status, body).is_err_and(|error| error.is_unauthenticated()))
}

async fn post(url: &str, body: &str, token: Option<&str>) -> Result<(u16, String), RequestError> {
    let mut request = gloo_net::http::Request::post(url)
        // The GraphQL-over-HTTP media type first: with it, the router's status codes mean
        // what they say.
        .header(
            "accept",
            "application/graphql-response+json, application/json",
        )
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let response = request
        .body(body)
        .map_err(|err| RequestError::Network(err.to_string()))?
        .send()
        .await
        .map_err(|err| RequestError::Network(err.to_string()))?;
    let text = response
        .text()
        .await
        .map_err(|err| RequestError::Network(err.to_string()))?;
    Ok((response.status(), text))
}

/// Reads a GraphQL response body, whatever the status that came with it.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, RequestError> {
    let response: Response<T> = match serde_json::from_str(body) {
        Ok(response) => response,
        Err(_) if !(200..300).contains(&status) => return Err(RequestError::Status(status)),
        Err(err) => return Err(RequestError::Decode(err.to_string())),
    };
    let errors: Vec<ApiError> = response
        .errors
        .unwrap_or_default()
        .into_iter()
        .map(ApiError::from)
        .collect();
    match response.data {
        Some(data) => {
            for error in &errors {
                crate::console::warn(&format!("GraphQL: {}", error.message));
            }
            Ok(data)
        }
        None if !errors.is_empty() => Err(RequestError::Api(errors)),
        None if !(200..300).contains(&status) => Err(RequestError::Status(status)),
        None => Err(RequestError::Decode("the response carries no data".into())),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Data {
        hello: String,
    }

    #[test]
    fn data_is_returned() {
        let data: Result<Data, _> = decode(200, r#"{"data": {"hello": "world"}}"#);

        assert_eq!(
            data,
            Ok(Data {
                hello: "world".into()
            })
        );
    }

    #[test]
    fn errors_without_data_carry_their_code_and_field_details() {
        let body = r#"{"data": null, "errors": [{"message": "name is taken",
            "extensions": {"code": "VALIDATION_ERROR",
                           "details": [{"field": "name", "message": "is taken"}]}}]}"#;

        let Err(RequestError::Api(errors)) = decode::<Data>(200, body) else {
            panic!("expected API errors");
        };

        assert_eq!(errors[0].code.as_deref(), Some("VALIDATION_ERROR"));
        assert_eq!(
            errors[0].details,
            vec![FieldError {
                field: "name".into(),
                message: "is taken".into()
            }]
        );
    }

    #[test]
    fn a_missing_thing_is_recognised_as_not_found() {
        let body = r#"{"errors": [{"message": "makerspace \"nope\" not found",
            "extensions": {"code": "NOT_FOUND"}}]}"#;

        let error = decode::<Data>(200, body).expect_err("an error");

        assert!(error.is_not_found());
    }

    #[test]
    fn a_refused_token_is_told_apart_from_a_refused_request() {
        let answer = |status: u16, body: &str| (status, body.to_owned());
        let unauthenticated = answer(
            200,
            r#"{"errors": [{"message": "the access token is invalid or expired",
                "extensions": {"code": "UNAUTHENTICATED"}}]}"#,
        );
        let forbidden = answer(
            200,
            r#"{"errors": [{"message": "staff only", "extensions": {"code": "FORBIDDEN"}}]}"#,
        );

        assert!(refuses_token(&unauthenticated));
        assert!(refuses_token(&answer(401, "")));
        assert!(!refuses_token(&forbidden));
        assert!(!refuses_token(&answer(
            200,
            r#"{"data": {"hello": "UNAUTHENTICATED"}}"#
        )));
    }

    #[test]
    fn field_errors_are_those_of_a_validation_error() {
        let body = r#"{"errors": [{"message": "invalid input", "extensions": {"code": "VALIDATION_ERROR",
            "details": [{"field": "displayName", "message": "must not be empty"},
                        {"field": "avatarUrl", "message": "must be a web address"}]}}]}"#;

        let error = decode::<Data>(200, body).expect_err("an error");

        let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["displayName", "avatarUrl"]);
        assert!(RequestError::Status(500).field_errors().is_empty());
    }

    #[test]
    fn a_failed_status_without_a_graphql_body_is_reported_by_status() {
        let error = decode::<Data>(502, "<html>Bad Gateway</html>").expect_err("an error");

        assert_eq!(error, RequestError::Status(502));
    }
}
