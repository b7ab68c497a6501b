//! Binary STL: an 80-byte header, a little-endian `u32` triangle count, and 50-byte
//! records (normal, three vertices, attribute). Read in place, without copying.

use std::borrow::Cow;

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
