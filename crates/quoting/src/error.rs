//! The one error type of the quoting engine.
//!
//! Every variant says what was wrong with the upload or the request in words a
//! customer or staff member can act on; none carries a panic's worth of internals.

use std::path::PathBuf;
use std::time::Duration;

use crate::fit::Misfit;

/// Why a part could not be read, measured, sliced or quoted.
#[derive(Debug, thiserror::Error)]
pub enum QuoteError {
    /// The file could not be opened or read.
    #[error("could not read {path}: {source}")]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// The upload has no bytes at all.
    #[error("the file is empty")]
    EmptyFile,

    /// The upload is larger than the engine accepts.
    #[error("the file is {bytes} bytes, more than the limit of {limit} bytes")]
    FileTooLarge {
        /// Size of the upload.
        bytes: u64,
        /// The configured limit.
        limit: u64,
    },

    /// Shorter than a binary STL header and not an ASCII STL either.
    #[error("not an STL file: {bytes} bytes is shorter than the 84-byte binary STL header")]
    TruncatedHeader {
        /// Size of the upload.
        bytes: u64,
    },

    /// A binary STL whose triangle count disagrees with its length.
    #[error(
        "binary STL declares {declared} triangles, which needs {expected} bytes, but the file has {actual} bytes{hint}",
        hint = if actual < expected { " (truncated?)" } else { "" }
    )]
    SizeMismatch {
        /// The triangle count in the header.
        declared: u32,
        /// The length that count implies.
        expected: u64,
        /// The real length.
        actual: u64,
    },

    /// A vertex coordinate is NaN or infinite.
    #[error("triangle {triangle} has a coordinate that is not a finite number")]
    NonFinite {
        /// Zero-based index of the offending triangle.
        triangle: u64,
    },

    /// The file holds no triangles.
    #[error("the mesh is empty: it has no triangles")]
    EmptyMesh,

    /// More triangles than the engine accepts.
    #[error("the mesh has {count} triangles, more than the limit of {limit}")]
    TooManyTriangles {
        /// Triangles found (or declared).
        count: u64,
        /// The configured limit.
        limit: u64,
    },

    /// Text that is not an ASCII STL.
    #[error("not an STL file: {0}")]
    NotStl(String),

    /// An ASCII STL that breaks the grammar.
    #[error("ASCII STL, line {line}: {message}")]
    Ascii {
        /// One-based line number.
        line: u64,
        /// What was expected and what was found.
        message: String,
    },

    /// The part encloses no volume, so there is nothing to print.
    #[error("the part encloses no volume (an open surface or a flat mesh cannot be printed)")]
    NoVolume,

    /// No material of that name is on the price list.
    #[error("unknown material {requested:?}; known materials: {known}")]
    UnknownMaterial {
        /// What was asked for.
        requested: String,
        /// The codes on the price list.
        known: String,
    },

    /// A setting outside its allowed range.
    #[error("invalid {field}: {message}")]
    InvalidSetting {
        /// The setting's name.
        field: &'static str,
        /// The allowed range or form.
        message: String,
    },

    /// The price list has no machine for the material's process.
    #[error("no machine on the price list prints {process}")]
    NoMachine {
        /// The process (FDM or resin).
        process: String,
    },

    /// The part is too large for every machine of its process in every orientation
    /// tried. The misfit carries the part's measures and, machine by machine, which of
    /// its dimensions exceeds which of the machine's.
    #[error("{0}")]
    DoesNotFit(Box<Misfit>),

    /// The price overflowed integer minor units (absurd quantities or sizes).
    #[error("the price is too large to represent")]
    PriceOverflow,

    /// The slicer program is not installed.
    #[error("slicer {program:?} is not installed")]
    SlicerMissing {
        /// The program that was looked for.
        program: PathBuf,
    },

    /// The slicer ran longer than allowed and was killed.
    #[error("slicer did not finish within {timeout:?} and was stopped")]
    SlicerTimedOut {
        /// The time allowed.
        timeout: Duration,
    },

    /// The slicer ran but failed, or its output could not be understood.
    #[error("slicer failed: {0}")]
    SlicerFailed(String),
}

impl QuoteError {
    pub(crate) fn ascii(line: u64, message: impl Into<String>) -> Self {
        Self::Ascii {
            line,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_mismatch_hints_at_truncation_only_when_short() {
        let short = QuoteError::SizeMismatch {
            declared: 2,
            expected: 184,
            actual: 150,
        };
        let long = QuoteError::SizeMismatch {
            declared: 2,
            expected: 184,
            actual: 200,
        };
        assert!(short.to_string().ends_with("(truncated?)"));
        assert!(!long.to_string().contains("truncated"));
    }
}
