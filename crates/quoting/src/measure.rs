//! Volume, surface area and bounding box, in one pass over the triangles.

use serde::Serialize;

use crate::stl::{Record, vertices};

/// The axis-aligned bounding box of a part, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds {
    /// Smallest x, y, z.
    pub min: [f32; 3],
    /// Largest x, y, z.
    pub max: [f32; 3],
}

impl Bounds {
    const EMPTY: Self = Self {
        min: [f32::INFINITY; 3],
        max: [f32::NEG_INFINITY; 3],
    };

    /// Width, depth and height.
    pub fn size(&self) -> [f64; 3] {
        [0, 1, 2].map(|k| f64::from(self.max[k]) - f64::from(self.min[k]))
    }

    /// Widens the box to hold `v`, a finite point (the parser refuses the others), so a
    /// plain comparison does what `f32::min` does without its NaN handling, in the
    /// hottest loop of the measures.
    #[inline(always)]
    fn include(&mut self, v: [f32; 3]) {
        for ((lo, hi), x) in self.min.iter_mut().zip(&mut self.max).zip(v) {
            if x < *lo {
                *lo = x;
            }
            if x > *hi {
                *hi = x;
            }
        }
    }
}

/// What one pass over the triangles measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SurfaceMeasures {
    /// Signed enclosed volume (mm³): positive when normals face outward.
    pub signed_volume: f64,
    /// Total surface area (mm²).
    pub area: f64,
    /// The surface projected on the XY plane, both faces counted (mm²).
    pub horizontal_area: f64,
    /// The surface projected horizontally (mm²): the walls' share.
    pub vertical_area: f64,
    /// The bounding box.
    pub bounds: Bounds,
}

/// Measures the surface of a non-empty soup.
///
/// Volume is the divergence theorem's sum of signed tetrahedra, exact for a closed
/// mesh up to f64 rounding. Each tetrahedron's apex is the first vertex of the part,
/// not the origin, so that a part modelled far from the origin keeps its precision.
#[cfg(test)]
pub(crate) fn surface(records: &[Record]) -> SurfaceMeasures {
    let mut sums = SurfaceSums::new(records.first());
    sums.add(records);
    sums.finish()
}

/// The sums behind [`SurfaceMeasures`], added to chunk by chunk, so that the pass can
/// share each chunk with welding while it is in cache (a 50 MB part does not fit in
/// the cache, and reading it from memory once more cost as much as the sums), and so
/// that a file can be measured as it is read.
pub(crate) struct SurfaceSums {
    apex: [f64; 3],
    six_volume: f64,
    double_area: f64,
    double_horizontal: f64,
    double_vertical: f64,
    bounds: Bounds,
}

impl SurfaceSums {
    /// Sums for the part whose first triangle is `first`, none added yet.
    pub(crate) fn new(first: Option<&Record>) -> Self {
        Self {
            apex: first.map_or([0.0; 3], |r| vertices(r)[0].map(f64::from)),
            six_volume: 0.0,
            double_area: 0.0,
            double_horizontal: 0.0,
            double_vertical: 0.0,
            bounds: Bounds::EMPTY,
        }
    }

    /// Adds triangles to the sums.
    pub(crate) fn add(&mut self, records: &[Record]) {
        let apex = self.apex;
        for r in records {
            let t = vertices(r);
            for v in t {
                self.bounds.include(v);
            }
            // Written out rather than with array `map`s, which this hot loop does not inline.
            let [a, b, c] = t;
            let a = [
                f64::from(a[0]) - apex[0],
                f64::from(a[1]) - apex[1],
                f64::from(a[2]) - apex[2],
            ];
            let u = [
                f64::from(b[0]) - apex[0] - a[0],
                f64::from(b[1]) - apex[1] - a[1],
                f64::from(b[2]) - apex[2] - a[2],
            ];
            let w = [
                f64::from(c[0]) - apex[0] - a[0],
                f64::from(c[1]) - apex[1] - a[1],
                f64::from(c[2]) - apex[2] - a[2],
            ];
            let n = [
                u[1] * w[2] - u[2] * w[1],
                u[2] * w[0] - u[0] * w[2],
                u[0] * w[1] - u[1] * w[0],
            ];
            // a · ((b - a) × (c - a)) = a · (b × c): six times the signed tetrahedron.
            self.six_volume += a[0] * n[0] + a[1] * n[1] + a[2] * n[2];
            let lateral2 = n[0] * n[0] + n[1] * n[1];
            self.double_area += (lateral2 + n[2] * n[2]).sqrt();
            self.double_horizontal += n[2].abs();
            self.double_vertical += lateral2.sqrt();
        }
    }

    /// The measures of the triangles added.
    pub(crate) fn finish(&self) -> SurfaceMeasures {
        SurfaceMeasures {
            signed_volume: self.six_volume / 6.0,
            area: self.double_area / 2.0,
            horizontal_area: self.double_horizontal / 2.0,
            vertical_area: self.double_vertical / 2.0,
            bounds: self.bounds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes;
    use crate::stl::{Limits, TriangleSoup, to_binary_stl};

    fn measure(triangles: &[crate::stl::Triangle]) -> SurfaceMeasures {
        let bytes = to_binary_stl(triangles);
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        surface(soup.records())
    }

    #[test]
    fn a_box_has_exact_volume_area_and_bounds() {
        let m = measure(&shapes::cuboid([1.0, 2.0, 3.0], [11.0, 22.0, 33.0]));
        assert_eq!(m.signed_volume, 10.0 * 20.0 * 30.0);
        assert_eq!(m.area, 2.0 * (10.0 * 20.0 + 10.0 * 30.0 + 20.0 * 30.0));
        assert_eq!(m.horizontal_area, 2.0 * 10.0 * 20.0);
        assert_eq!(m.vertical_area, 2.0 * (10.0 * 30.0 + 20.0 * 30.0));
        assert_eq!(m.bounds.min, [1.0, 2.0, 3.0]);
        assert_eq!(m.bounds.size(), [10.0, 20.0, 30.0]);
    }

    #[test]
    fn a_tetrahedron_has_volume_one_sixth_of_its_cube() {
        let m = measure(&shapes::tetrahedron_of(6.0));
        assert!(
            (m.signed_volume - 36.0).abs() < 1e-12,
            "{}",
            m.signed_volume
        );
        // Three right-angle faces of 18 and an equilateral face of side 6√2.
        let expected = 3.0 * 18.0 + 3f64.sqrt() / 4.0 * 72.0;
        assert!((m.area - expected).abs() < 1e-9, "{}", m.area);
    }

    #[test]
    fn an_inside_out_box_has_negative_volume() {
        let m = measure(&shapes::inside_out(shapes::cuboid([0.0; 3], [2.0; 3])));
        assert_eq!(m.signed_volume, -8.0);
        assert_eq!(m.area, 24.0);
    }

    #[test]
    fn volume_does_not_depend_on_where_the_part_is_modelled() {
        let far = measure(&shapes::cuboid([100_000.0; 3], [100_010.0; 3]));
        assert_eq!(far.signed_volume, 1000.0);
    }

    #[test]
    fn a_large_part_measured_in_parallel_matches_the_closed_form() {
        // 2 * 400 * 200 = 160,000 triangles: enough to be split between threads.
        let m = measure(&shapes::torus(40.0, 10.0, 400, 200));
        let exact = 2.0 * std::f64::consts::PI.powi(2) * 40.0 * 100.0;
        // A polyhedral torus is slightly smaller than the smooth one.
        assert!(
            (m.signed_volume - exact).abs() / exact < 1e-3,
            "{}",
            m.signed_volume
        );
        assert_eq!(m.bounds.size()[2], 20.0);
    }
}
