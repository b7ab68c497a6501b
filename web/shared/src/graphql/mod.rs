//! The one GraphQL client function every page uses, and what can go wrong with it.

mod error;

pub use error::{ApiError, FieldError, RequestError};

use graphql_client::{GraphQLQuery, Response};
use serde::de::DeserializeOwned;

use crate::config;

/// Runs a query or mutation against the router and returns its data.
///
/// Data that arrives with errors (a nullable field that failed) is returned and the errors
/// are logged: the page shows what it has. Errors without data are the caller's to show.
pub async fn request<Q: GraphQLQuery>(
    variables: Q::Variables,
) -> Result<Q::ResponseData, RequestError> {
    let config = config::current().await;
    let response = gloo_net::http::Request::post(&config.graphql_url)
        // The GraphQL-over-HTTP media type first: with it, the router's status codes mean
        // what they say.
        .header(
            "accept",
            "application/graphql-response+json, application/json",
        )
        .json(&Q::build_query(variables))
        .map_err(|err| RequestError::Network(err.to_string()))?
        .send()
        .await
        .map_err(|err| RequestError::Network(err.to_string()))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|err| RequestError::Network(err.to_string()))?;
    decode(status, &body)
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
    fn a_failed_status_without_a_graphql_body_is_reported_by_status() {
        let error = decode::<Data>(502, "<html>Bad Gateway</html>").expect_err("an error");

        assert_eq!(error, RequestError::Status(502));
    }
}
