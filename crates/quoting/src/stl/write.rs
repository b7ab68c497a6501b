//! Writing STL: used to hand a part to the slicer, and by tests, benchmarks and tools.

use std::fmt::Write as _;

use super::{HEADER_LEN, RECORD_LEN, Triangle};

/// An 84-byte binary header: a plain description (not starting with `solid`) and the count.
pub(super) fn header(count: u32) -> [u8; HEADER_LEN] {
    let mut header = [b' '; HEADER_LEN];
    let text = b"binary STL written by makrx-quoting";
    header[..text.len()].copy_from_slice(text);
    header[80..].copy_from_slice(&count.to_le_bytes());
    header
}

/// Appends one 50-byte record: unit normal, three vertices, zero attribute.
pub(super) fn push_record(out: &mut Vec<u8>, t: &Triangle) {
    for value in normal(t).iter().chain(t.iter().flatten()) {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&[0, 0]);
}

/// The right-handed unit normal, or zero for a degenerate triangle.
fn normal(t: &Triangle) -> [f32; 3] {
    let u = [t[1][0] - t[0][0], t[1][1] - t[0][1], t[1][2] - t[0][2]];
    let v = [t[2][0] - t[0][0], t[2][1] - t[0][1], t[2][2] - t[0][2]];
    let n = [
        u[1] * v[2] - u[2] * v[1],
        u[2] * v[0] - u[0] * v[2],
        u[0] * v[1] - u[1] * v[0],
    ];
    let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
    if len > 0.0 && len.is_finite() {
        [n[0] / len, n[1] / len, n[2] / len]
    } else {
        [0.0; 3]
    }
}

/// A binary STL file holding `triangles`.
///
/// # Panics
/// Never for meshes a caller can hold: more than `u32::MAX` triangles would need 200 GB.
pub fn to_binary_stl(triangles: &[Triangle]) -> Vec<u8> {
    let count = u32::try_from(triangles.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(HEADER_LEN + RECORD_LEN * triangles.len());
    out.extend_from_slice(&header(count));
    for t in triangles.iter().take(count as usize) {
        push_record(&mut out, t);
    }
    out
}

/// An ASCII STL file holding `triangles`, as a solid named `name`.
pub fn to_ascii_stl(name: &str, triangles: &[Triangle]) -> Vec<u8> {
    let mut out = String::with_capacity(64 + 256 * triangles.len());
    // Writing to a String cannot fail.
    let _ = writeln!(out, "solid {name}");
    for t in triangles {
        let n = normal(t);
        let _ = writeln!(out, "  facet normal {:e} {:e} {:e}", n[0], n[1], n[2]);
        out.push_str("    outer loop\n");
        for v in t {
            // `{:?}` prints the shortest text that reads back as the same f32.
            let _ = writeln!(out, "      vertex {:?} {:?} {:?}", v[0], v[1], v[2]);
        }
        out.push_str("    endloop\n  endfacet\n");
    }
    let _ = writeln!(out, "endsolid {name}");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_fifty_bytes_with_a_unit_normal() {
        let mut out = Vec::new();
        push_record(&mut out, &[[0.0; 3], [2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]);
        assert_eq!(out.len(), RECORD_LEN);
        let nz = f32::from_le_bytes([out[8], out[9], out[10], out[11]]);
        assert_eq!(nz, 1.0);
    }

    #[test]
    fn the_header_does_not_start_with_solid_and_ends_with_the_count() {
        let h = header(7);
        assert!(!h.starts_with(b"solid"));
        assert_eq!(u32::from_le_bytes([h[80], h[81], h[82], h[83]]), 7);
    }

    #[test]
    fn a_degenerate_triangle_gets_a_zero_normal() {
        assert_eq!(normal(&[[1.0; 3]; 3]), [0.0; 3]);
    }
}
