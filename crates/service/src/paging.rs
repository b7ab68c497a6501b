//! Relay paging that the subgraphs' lists share: the page size a client may ask for, and,
//! for lists ordered by time, cursors that name a row by its time and id, so a page stays right
//! when rows are added or removed meanwhile.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ApiError;

/// The most rows one page holds, and how many when `first` is not given.
const MAX_PAGE: i32 = 100;
const DEFAULT_PAGE: i32 = 20;

/// How many rows to return for `first`: 1 to 100, 20 when not given.
pub fn page_size(first: Option<i32>) -> Result<usize, ApiError> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&first) {
        Ok(first.unsigned_abs() as usize)
    } else {
        Err(ApiError::invalid(
            "first",
            format!("must be between 1 and {MAX_PAGE}"),
        ))
    }
}

/// A row's place in a list ordered by `(time, id)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    /// The opaque text a client sends back as `after`.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.at.timestamp_micros(), self.id)
    }

    /// The cursor a client sent as `after`, if any.
    pub fn parse_after(after: Option<&str>) -> Result<Option<Self>, ApiError> {
        let Some(after) = after else {
            return Ok(None);
        };
        let invalid = || ApiError::invalid("after", "is not a cursor of this list");
        let (micros, id) = after.split_once(':').ok_or_else(invalid)?;
        let at = micros
            .parse()
            .ok()
            .and_then(DateTime::from_timestamp_micros)
            .ok_or_else(invalid)?;
        let id = id.parse().map_err(|_| invalid())?;
        Ok(Some(Self { at, id }))
    }
}

/// A page of rows in `(time, id)` order as a connection: `rows` fetched with one more than
/// `first` (the extra one only tells that another page follows), each named by `cursor`.
pub fn connection<T: OutputType>(
    rows: Vec<T>,
    first: usize,
    after: Option<Cursor>,
    cursor: impl Fn(&T) -> Cursor,
) -> Connection<String, T> {
    page(rows, first, after.is_some(), |row| cursor(row).encode())
}

/// `rows` fetched with one more than `first` as a page after a cursor or not, each row named
/// by `cursor`.
fn page<T: OutputType>(
    mut rows: Vec<T>,
    first: usize,
    after_a_cursor: bool,
    cursor: impl Fn(&T) -> String,
) -> Connection<String, T> {
    let has_next = rows.len() > first;
    rows.truncate(first);
    let mut connection = Connection::new(after_a_cursor, has_next);
    connection
        .edges
        .extend(rows.into_iter().map(|row| Edge::new(cursor(&row), row)));
    connection
}

/// The row a client sent as `after` in a list whose cursors are its rows' ids (the query
/// places a row by reading its order's columns from it).
pub fn id_after(after: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    after
        .map(|cursor| {
            Uuid::parse_str(cursor)
                .map_err(|_| ApiError::invalid("after", "is not a cursor of this list"))
        })
        .transpose()
}

/// A page of rows as a connection, each named by its id: `rows` fetched with one more than
/// `first` (the extra one only tells that another page follows), after a cursor or not.
pub fn connection_by_id<T: OutputType>(
    rows: Vec<T>,
    first: usize,
    after: Option<Uuid>,
    id: impl Fn(&T) -> Uuid,
) -> Connection<String, T> {
    page(rows, first, after.is_some(), |row| id(row).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_itself() {
        let cursor = Cursor {
            at: DateTime::from_timestamp_micros(1_800_000_000_123_456).unwrap_or_default(),
            id: Uuid::now_v7(),
        };
        assert_eq!(
            Cursor::parse_after(Some(&cursor.encode())),
            Ok(Some(cursor))
        );
    }

    #[test]
    fn anything_else_is_not_a_cursor() {
        for after in [
            "",
            "12",
            "x:y",
            "12:not-a-uuid",
            "0190b5a0-0000-7000-8000-000000000000",
        ] {
            assert!(Cursor::parse_after(Some(after)).is_err(), "{after:?}");
        }
        assert_eq!(Cursor::parse_after(None), Ok(None));
    }

    #[test]
    fn pages_hold_one_to_a_hundred_rows() {
        assert_eq!(page_size(None), Ok(20));
        assert_eq!(page_size(Some(100)), Ok(100));
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(101)).is_err());
    }
}
