//! Data that comes from the API: not there yet, there, or not coming.

use crate::graphql::RequestError;

/// What a page has of something it asked the API for.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    /// Asked for, no answer yet.
    Loading,
    /// The API or the network said no.
    Failed(RequestError),
    /// Here it is.
    Ready(T),
}

impl<T> Remote<T> {
    /// The data, when it has arrived.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Self::Ready(data) => Some(data),
            _ => None,
        }
    }
}

impl<T> From<Result<T, RequestError>> for Remote<T> {
    fn from(result: Result<T, RequestError>) -> Self {
        match result {
            Ok(data) => Self::Ready(data),
            Err(error) => Self::Failed(error),
        }
    }
}
