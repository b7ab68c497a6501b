//! The one error a resolver returns, and how it reaches a client.
//!
//! Policy: every error a client sees carries `extensions.code`, one of `VALIDATION_ERROR`,
//! `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT` or `INTERNAL`, and validation
//! errors carry `extensions.details: [{field, message}]`. Internal failures are logged
//! where they happen and reach the client only as `INTERNAL`. `ApiError` deliberately
//! does not implement `Display`: async-graphql turns anything displayable into an error
//! with its text as the message, which is how internal text would leak.

use async_graphql::ErrorExtensions;
use serde::Serialize;

/// An error a resolver returns; it becomes a GraphQL error with a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The input is malformed; each field says what is wrong with it.
    Validation(Vec<FieldError>),
    /// No valid token came with a request that needs one.
    Unauthenticated(&'static str),
    /// The caller is known but may not do this.
    Forbidden(String),
    /// The thing named does not exist (or the caller may not know that it does).
    NotFound(String),
    /// The request clashes with the current state.
    Conflict(String),
    /// Something failed inside; already logged.
    Internal,
}

/// What is wrong with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl ApiError {
    /// A validation error about one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// Something failed inside: `why` is logged with the place it was noticed (the caller's
    /// file and line), and the client reads only `INTERNAL`.
    #[track_caller]
    pub fn internal(why: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(%at, "{why}");
        Self::Internal
    }

    /// The code sent in `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "VALIDATION_ERROR",
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal => "INTERNAL",
        }
    }

    /// The message a client reads.
    pub fn message(&self) -> String {
        match self {
            Self::Validation(details) => match details.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                _ => "the input is not valid".into(),
            },
            Self::Unauthenticated(why) => (*why).into(),
            Self::Forbidden(why) | Self::Conflict(why) => why.clone(),
            Self::NotFound(what) => format!("{what} not found"),
            Self::Internal => "internal error".into(),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        let message = err.message();
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", err.code());
            if let ApiError::Validation(details) = &err {
                ext.set(
                    "details",
                    async_graphql::to_value(details).unwrap_or_default(),
                );
            }
        })
    }
}

impl From<sqlx::Error> for ApiError {
    /// Logs the database's error with the place of the statement that met it (where `?` or
    /// `.into()` converted it), which says which statement it was.
    #[track_caller]
    fn from(err: sqlx::Error) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(error = %err, %at, "database error");
        Self::Internal
    }
}

/// The name of the database constraint that refused a write, if that is what happened.
pub fn violated_constraint(err: &sqlx::Error) -> Option<&str> {
    err.as_database_error()?.constraint()
}

/// Turns a refused write into a client error when it broke the named constraint.
pub fn on_constraint(
    err: sqlx::Error,
    constraint: &str,
    to_error: impl FnOnce() -> ApiError,
) -> ApiError {
    if violated_constraint(&err) == Some(constraint) {
        to_error()
    } else {
        err.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extensions(err: ApiError) -> serde_json::Value {
        let err: async_graphql::Error = err.into();
        serde_json::to_value(err.extensions).expect("extensions serialise")
    }

    #[test]
    fn validation_errors_carry_their_field_details() {
        let ext = extensions(ApiError::invalid("displayName", "must not be empty"));
        assert_eq!(ext["code"], "VALIDATION_ERROR");
        assert_eq!(ext["details"][0]["field"], "displayName");
        assert_eq!(ext["details"][0]["message"], "must not be empty");
    }

    #[test]
    fn internal_errors_say_nothing_of_their_cause() {
        let err: async_graphql::Error = ApiError::from(sqlx::Error::PoolTimedOut).into();
        assert_eq!(err.message, "internal error");
    }
}
