//! Binary STL: an 80-byte header, a little-endian `u32` triangle count, and 50-byte
//! records (normal, three vertices, attribute). Read in place, without copying.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{HEADER_LEN, Limits, RECORD_LEN, Record, StlFormat, TriangleSoup};
use crate::error::QuoteError;

/// The triangle count stored in the header, if there is a header.
fn declared_count(bytes: &[u8]) -> Option<u32> {
    let count: [u8; 4] = bytes.get(80..HEADER_LEN)?.try_into().ok()?;
    Some(u32::from_le_bytes(count))
}

/// The length a binary file with `count` triangles must have.
fn expected_len(count: u32) -> u64 {
    HEADER_LEN as u64 + RECORD_LEN as u64 * u64::from(count)
}

/// Whether the length is exactly what the header's triangle count implies.
pub(super) fn has_consistent_size(bytes: &[u8]) -> bool {
    declared_count(bytes).is_some_and(|count| expected_len(count) == bytes.len() as u64)
}

/// Parses a binary STL, borrowing its records.
pub(super) fn parse<'a>(bytes: &'a [u8], limits: &Limits) -> Result<TriangleSoup<'a>, QuoteError> {
    let actual = bytes.len() as u64;
    let declared = declared_count(bytes).ok_or(QuoteError::TruncatedHeader { bytes: actual })?;
    let expected = expected_len(declared);
    if expected != actual {
        return Err(QuoteError::SizeMismatch {
            declared,
            expected,
            actual,
        });
    }
    if declared == 0 {
        return Err(QuoteError::EmptyMesh);
    }
    if u64::from(declared) > limits.triangle_cap() {
        return Err(QuoteError::TooManyTriangles {
            count: declared.into(),
            limit: limits.triangle_cap(),
        });
    }
    let records = &bytes[HEADER_LEN..];
    if let Some(triangle) = first_non_finite(records.as_chunks::<RECORD_LEN>().0) {
        return Err(QuoteError::NonFinite { triangle });
    }
    Ok(TriangleSoup::from_records(
        Cow::Borrowed(records),
        StlFormat::Binary,
    ))
}

/// Records read from a file at a time: 200 KB, which stays in the core's cache while
/// it is measured, and few enough reads that their cost does not show.
const BLOCK: usize = 4096;

/// A file that its size and header say is a binary STL within the limits, to be read
/// a block at a time.
///
/// Reading a 50 MB file whole costs 50 MB of fresh memory and a page fault for every
/// 4 KB of it, which on a virtual machine was a fifth of the time a quote takes, and
/// then freeing it; blocks read into one small buffer cost neither. Only a file that
/// [`parse`] would accept, by its size and header, is read this way: anything else is
/// read whole by the caller, so that it is refused with exactly the same error.
pub(crate) struct BinaryFile {
    file: File,
    triangles: usize,
}

impl BinaryFile {
    /// Opens `path` if it is a regular file whose size is exactly what its header's
    /// triangle count needs, with at least one triangle, within `limits`; `None`
    /// otherwise, or if anything cannot be read.
    pub(crate) fn open(path: &Path, limits: &Limits) -> Option<Self> {
        let mut file = File::open(path).ok()?;
        let metadata = file.metadata().ok()?;
        if !metadata.is_file() || metadata.len() > limits.max_file_bytes {
            return None;
        }
        let mut header = [0; HEADER_LEN];
        file.read_exact(&mut header).ok()?;
        let declared = declared_count(&header)?;
        let fits = declared > 0 && u64::from(declared) <= limits.triangle_cap();
        (fits && expected_len(declared) == metadata.len()).then_some(Self {
            file,
            triangles: declared as usize,
        })
    }

    /// Triangles the file holds.
    pub(crate) fn triangles(&self) -> usize {
        self.triangles
    }

    /// Reads the records in order, giving them to `each` a block at a time (never an
    /// empty one). `None` if the file does not hold what its header said (it ends
    /// early, goes on, or has a coordinate that is not finite) or cannot be read; the
    /// blocks given by then mean nothing.
    pub(crate) fn read(mut self, mut each: impl FnMut(&[Record])) -> Option<()> {
        let mut buffer = vec![0u8; BLOCK.min(self.triangles) * RECORD_LEN];
        let mut left = self.triangles;
        while left > 0 {
            let block = &mut buffer[..BLOCK.min(left) * RECORD_LEN];
            self.file.read_exact(block).ok()?;
            let records = block.as_chunks::<RECORD_LEN>().0;
            if first_non_finite(records).is_some() {
                return None;
            }
            each(records);
            left -= records.len();
        }
        // A file that grew while it was read is not the one measured.
        let at_end = self.file.read(&mut [0]).ok()? == 0;
        at_end.then_some(())
    }
}

/// Index of the first record with a NaN or infinite vertex coordinate.
///
/// Scans in blocks with a branch-free test so the common, clean case runs at
/// memory speed; only a block that fails is searched record by record.
pub(crate) fn first_non_finite(records: &[Record]) -> Option<u64> {
    const BLOCK: usize = 256;
    for (b, block) in records.chunks(BLOCK).enumerate() {
        let bad = block.iter().fold(false, |bad, r| bad | has_non_finite(r));
        if bad {
            let i = block.iter().position(has_non_finite).unwrap_or(0);
            return Some((b * BLOCK + i) as u64);
        }
    }
    None
}

#[inline(always)]
fn has_non_finite(r: &Record) -> bool {
    const EXP: u32 = 0x7f80_0000;
    let mut bad = false;
    for k in 0..9 {
        let at = 12 + 4 * k;
        let bits = u32::from_le_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
        bad |= bits & EXP == EXP;
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::super::{TriangleSoup, to_binary_stl};
    use super::*;
    use crate::shapes;

    fn cube_bytes() -> Vec<u8> {
        to_binary_stl(&shapes::cuboid([0.0; 3], [10.0; 3]))
    }

    fn parse(bytes: &[u8]) -> Result<TriangleSoup<'_>, QuoteError> {
        TriangleSoup::parse(bytes, &Limits::default())
    }

    #[test]
    fn a_binary_cube_has_twelve_triangles() {
        let bytes = cube_bytes();
        assert_eq!(parse(&bytes).expect("parses").len(), 12);
    }

    #[test]
    fn a_file_shorter_than_the_header_is_truncated() {
        let bytes = cube_bytes();
        let err = parse(&bytes[..83]).expect_err("short");
        assert!(
            matches!(err, QuoteError::TruncatedHeader { bytes: 83 }),
            "{err}"
        );
    }

    #[test]
    fn a_file_cut_inside_a_record_is_a_size_mismatch() {
        let bytes = cube_bytes();
        let err = parse(&bytes[..bytes.len() - 1]).expect_err("cut");
        assert!(
            matches!(
                err,
                QuoteError::SizeMismatch {
                    declared: 12,
                    expected: 684,
                    actual: 683
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_count_larger_than_the_file_is_a_size_mismatch_not_an_allocation() {
        let mut bytes = cube_bytes();
        bytes[80..84].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = parse(&bytes).expect_err("lying count");
        assert!(
            matches!(
                err,
                QuoteError::SizeMismatch {
                    declared: u32::MAX,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_count_smaller_than_the_file_is_a_size_mismatch() {
        let mut bytes = cube_bytes();
        bytes[80..84].copy_from_slice(&11u32.to_le_bytes());
        assert!(matches!(
            parse(&bytes),
            Err(QuoteError::SizeMismatch { declared: 11, .. })
        ));
    }

    #[test]
    fn a_header_with_zero_triangles_is_an_empty_mesh() {
        let bytes = to_binary_stl(&[]);
        assert!(matches!(parse(&bytes), Err(QuoteError::EmptyMesh)));
    }

    #[test]
    fn nan_and_infinite_coordinates_name_the_triangle() {
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut bytes = cube_bytes();
            // Triangle 7, second vertex, y coordinate.
            let at = HEADER_LEN + 7 * RECORD_LEN + 12 + 12 + 4;
            bytes[at..at + 4].copy_from_slice(&bad.to_le_bytes());
            let err = parse(&bytes).expect_err("non-finite");
            assert!(
                matches!(err, QuoteError::NonFinite { triangle: 7 }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_nan_normal_is_ignored_because_normals_are_recomputed() {
        let mut bytes = cube_bytes();
        bytes[HEADER_LEN..HEADER_LEN + 4].copy_from_slice(&f32::NAN.to_le_bytes());
        assert_eq!(parse(&bytes).expect("parses").len(), 12);
    }

    #[test]
    fn the_triangle_limit_is_enforced() {
        let bytes = cube_bytes();
        let limits = Limits {
            max_triangles: 11,
            ..Limits::default()
        };
        assert!(matches!(
            TriangleSoup::parse(&bytes, &limits),
            Err(QuoteError::TooManyTriangles {
                count: 12,
                limit: 11
            })
        ));
    }

    #[test]
    fn first_non_finite_finds_a_bad_record_in_a_later_block() {
        let cube = shapes::cuboid([0.0; 3], [1.0; 3]);
        let many: Vec<_> = cube.iter().cycle().take(1000).copied().collect();
        let mut bytes = to_binary_stl(&many);
        let at = HEADER_LEN + 777 * RECORD_LEN + 44;
        bytes[at..at + 4].copy_from_slice(&f32::NAN.to_le_bytes());
        let records = bytes[HEADER_LEN..].as_chunks::<RECORD_LEN>().0;
        assert_eq!(first_non_finite(records), Some(777));
    }
}
