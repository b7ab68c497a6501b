//! Reading STL, binary and ASCII, into a [`TriangleSoup`].
//!
//! Both formats end up in the binary layout (50 bytes a triangle), so everything
//! downstream has one fast path: a binary upload is borrowed as it is, an ASCII one
//! is converted once.

mod ascii;
mod binary;
mod write;

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::QuoteError;

pub(crate) use binary::BinaryFile;
pub use write::{to_ascii_stl, to_binary_stl};

/// A triangle as three vertices, in millimetres.
pub type Triangle = [[f32; 3]; 3];

/// Bytes of one binary STL triangle record: normal, three vertices, attribute.
pub const RECORD_LEN: usize = 50;
/// Bytes of the binary STL header: 80 free bytes and the triangle count.
pub const HEADER_LEN: usize = 84;

/// One binary STL triangle record.
pub(crate) type Record = [u8; RECORD_LEN];

/// Bounds that keep a hostile upload from costing unbounded time or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Most triangles accepted.
    pub max_triangles: u64,
}

impl Limits {
    /// Vertex indices are `u32` with a bit to spare, so no limit may exceed 500 million.
    const HARD_MAX_TRIANGLES: u64 = 500_000_000;

    /// The triangle limit in force: the configured one, within what indexing allows.
    pub fn triangle_cap(&self) -> u64 {
        self.max_triangles.min(Self::HARD_MAX_TRIANGLES)
    }
}

impl Default for Limits {
    /// 1 GiB and 20 million triangles: twenty times an ordinary large part.
    fn default() -> Self {
        Self {
            max_file_bytes: 1 << 30,
            max_triangles: 20_000_000,
        }
    }
}

/// Which encoding the upload used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StlFormat {
    /// 84-byte header and 50-byte records.
    Binary,
    /// `solid ... facet ... endsolid` text.
    Ascii,
}

/// Validated triangles in binary STL record layout: every coordinate finite, at least one triangle.
#[derive(Debug, Clone)]
pub struct TriangleSoup<'a> {
    records: Cow<'a, [u8]>,
    format: StlFormat,
}

impl<'a> TriangleSoup<'a> {
    /// Parses an STL upload, binary or ASCII, checking it against `limits`.
    pub fn parse(bytes: &'a [u8], limits: &Limits) -> Result<Self, QuoteError> {
        if bytes.is_empty() {
            return Err(QuoteError::EmptyFile);
        }
        let len = bytes.len() as u64;
        if len > limits.max_file_bytes {
            return Err(QuoteError::FileTooLarge {
                bytes: len,
                limit: limits.max_file_bytes,
            });
        }
        if binary::has_consistent_size(bytes) || !looks_like_text(bytes) {
            return binary::parse(bytes, limits);
        }
        if !starts_with_solid(bytes) {
            return Err(QuoteError::NotStl(
                "it is text that does not begin with `solid`".to_owned(),
            ));
        }
        ascii::parse(bytes, limits)
    }

    /// Wraps records that are already known to be valid.
    fn from_records(records: Cow<'a, [u8]>, format: StlFormat) -> Self {
        debug_assert_eq!(records.len() % RECORD_LEN, 0);
        Self { records, format }
    }

    /// Number of triangles (never zero).
    pub fn len(&self) -> usize {
        self.records.len() / RECORD_LEN
    }

    /// Always false: an empty mesh is rejected when parsing. Present for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The encoding the upload used.
    pub fn format(&self) -> StlFormat {
        self.format
    }

    /// The triangle records, 50 bytes each.
    pub(crate) fn records(&self) -> &[Record] {
        self.records.as_chunks::<RECORD_LEN>().0
    }

    /// The triangles, vertex by vertex.
    pub fn triangles(&self) -> impl ExactSizeIterator<Item = Triangle> + '_ {
        self.records().iter().map(vertices)
    }

    /// The soup as a binary STL file (borrowing nothing).
    pub fn to_binary_stl(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.records.len());
        out.extend_from_slice(&write::header(self.len() as u32));
        out.extend_from_slice(&self.records);
        out
    }
}

/// Reads an upload from disk, refusing files larger than the limit before reading them.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, QuoteError> {
    let io = |source| QuoteError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > limits.max_file_bytes {
        return Err(QuoteError::FileTooLarge {
            bytes: len,
            limit: limits.max_file_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // `take` bounds memory even if the file grows while it is read.
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}

/// The three vertices of a record.
#[inline(always)]
pub(crate) fn vertices(r: &Record) -> Triangle {
    let f = |i: usize| f32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
    [
        [f(12), f(16), f(20)],
        [f(24), f(28), f(32)],
        [f(36), f(40), f(44)],
    ]
}

/// Whether the start of the upload reads as text: no control bytes but whitespace.
///
/// A binary STL's count and coordinates almost always hold such bytes within the
/// first few hundred bytes, even when its header begins with `solid`.
fn looks_like_text(bytes: &[u8]) -> bool {
    let probe = &bytes[..bytes.len().min(1024)];
    probe
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

fn starts_with_solid(bytes: &[u8]) -> bool {
    let bytes = ascii::strip_bom(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..]
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"solid"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes;

    fn parse(bytes: &[u8]) -> Result<TriangleSoup<'_>, QuoteError> {
        TriangleSoup::parse(bytes, &Limits::default())
    }

    #[test]
    fn binary_and_ascii_of_the_same_cube_give_the_same_triangles() {
        let cube = shapes::cuboid([0.0; 3], [10.0, 20.0, 30.0]);
        let binary = to_binary_stl(&cube);
        let ascii = to_ascii_stl("cube", &cube);
        let from_binary = parse(&binary).expect("binary parses");
        let from_ascii = parse(&ascii).expect("ascii parses");
        assert_eq!(from_binary.format(), StlFormat::Binary);
        assert_eq!(from_ascii.format(), StlFormat::Ascii);
        assert_eq!(
            from_binary.triangles().collect::<Vec<_>>(),
            from_ascii.triangles().collect::<Vec<_>>()
        );
        assert_eq!(from_binary.triangles().collect::<Vec<_>>(), cube);
    }

    #[test]
    fn a_binary_file_whose_header_starts_with_solid_is_read_as_binary() {
        let cube = shapes::cuboid([0.0; 3], [1.0; 3]);
        let mut bytes = to_binary_stl(&cube);
        bytes[..20].copy_from_slice(b"solid exported by CA");
        let soup = parse(&bytes).expect("parses");
        assert_eq!(soup.format(), StlFormat::Binary);
        assert_eq!(soup.len(), 12);
    }

    #[test]
    fn a_truncated_binary_file_whose_header_starts_with_solid_says_it_is_truncated() {
        let cube = shapes::cuboid([0.0; 3], [1.0; 3]);
        let mut bytes = to_binary_stl(&cube);
        bytes[..6].copy_from_slice(b"solid ");
        bytes.truncate(bytes.len() - 7);
        let err = parse(&bytes).expect_err("truncated");
        assert!(matches!(err, QuoteError::SizeMismatch { .. }), "{err}");
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    #[test]
    fn text_that_is_not_stl_is_refused_as_not_stl() {
        let err = parse(b"hello, this is a shopping list\nmilk\neggs\n").expect_err("not stl");
        assert!(matches!(err, QuoteError::NotStl(_)), "{err}");
    }

    #[test]
    fn an_empty_upload_is_refused() {
        assert!(matches!(parse(b""), Err(QuoteError::EmptyFile)));
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_parsing() {
        let cube = to_binary_stl(&shapes::cuboid([0.0; 3], [1.0; 3]));
        let limits = Limits {
            max_file_bytes: 100,
            ..Limits::default()
        };
        let err = TriangleSoup::parse(&cube, &limits).expect_err("too large");
        assert!(matches!(err, QuoteError::FileTooLarge { .. }));
    }

    #[test]
    fn read_file_reports_a_missing_file_with_its_path() {
        let err =
            read_file(Path::new("/nonexistent/part.stl"), &Limits::default()).expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/part.stl"), "{err}");
    }

    #[test]
    fn read_file_refuses_a_file_over_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.stl");
        std::fs::write(&path, vec![0u8; 1000]).expect("write");
        let limits = Limits {
            max_file_bytes: 999,
            ..Limits::default()
        };
        assert!(matches!(
            read_file(&path, &limits),
            Err(QuoteError::FileTooLarge { bytes: 1000, .. })
        ));
    }

    #[test]
    fn to_binary_stl_round_trips_an_ascii_upload() {
        let tetra = shapes::tetrahedron();
        let ascii = to_ascii_stl("t", &tetra);
        let soup = parse(&ascii).expect("parses");
        let binary = soup.to_binary_stl();
        let again = parse(&binary).expect("parses");
        assert_eq!(again.triangles().collect::<Vec<_>>(), tetra);
    }
}
