//! Errors as the API reports them (`extensions.code`, `extensions.details`), and what can fail
//! on the way there.

use std::fmt;

use serde::Deserialize;

/// Why a request gave no data.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestError {
    /// The router could not be reached (offline, refused, CORS).
    Network(String),
    /// The router answered with a failed status and no GraphQL errors.
    Status(u16),
    /// The answer was not the GraphQL response the operation expects.
    Decode(String),
    /// The API refused, saying why.
    Api(Vec<ApiError>),
}

impl RequestError {
    /// Whether the API said the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.has_code("NOT_FOUND")
    }

    /// Whether the API wants someone signed in (or a token it can accept).
    pub fn is_unauthenticated(&self) -> bool {
        *self == Self::Status(401) || self.has_code("UNAUTHENTICATED")
    }

    /// The input fields a `VALIDATION_ERROR` names, with what is wrong with each.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Api(errors) => errors
                .iter()
                .filter(|error| error.code.as_deref() == Some("VALIDATION_ERROR"))
                .flat_map(|error| error.details.iter().cloned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether any of the API's errors carries `code`.
    pub fn has_code(&self, code: &str) -> bool {
        matches!(self, Self::Api(errors) if errors.iter().any(|e| e.code.as_deref() == Some(code)))
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(_) => f.write_str("MakrX could not be reached. Check your connection."),
            Self::Status(status) => write!(f, "MakrX answered with an error ({status})."),
            Self::Decode(_) => f.write_str("MakrX sent an answer this page does not understand."),
            Self::Api(errors) => match errors.first() {
                Some(error) => f.write_str(&error.message),
                None => f.write_str("MakrX refused the request."),
            },
        }
    }
}

/// One error of a GraphQL response, in the API's format.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// For people.
    pub message: String,
    /// `VALIDATION_ERROR`, `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `INTERNAL`.
    pub code: Option<String>,
    /// Which input fields were wrong, for a `VALIDATION_ERROR`.
    pub details: Vec<FieldError>,
}

/// An input field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FieldError {
    /// The field's name as the input spells it.
    pub field: String,
    /// What is wrong with it, for people.
    pub message: String,
}

impl From<graphql_client::Error> for ApiError {
    fn from(error: graphql_client::Error) -> Self {
        let extensions = error.extensions.unwrap_or_default();
        let code = extensions
            .get("code")
            .and_then(|code| code.as_str())
            .map(str::to_owned);
        // Details that do not parse are dropped rather than failing the whole answer: the
        // message still says what went wrong.
        let details = extensions
            .get("details")
            .cloned()
            .and_then(|details| serde_json::from_value(details).ok())
            .unwrap_or_default();
        Self {
            message: error.message,
            code,
            details,
        }
    }
}
