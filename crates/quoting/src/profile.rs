//! The part layer by layer: cross-section area, outline length and flat skin at each
//! height, computed from the triangles without slicing them.
//!
//! Above height `z`, a triangle (vertices sorted by height `z0 <= z1 <= z2`) keeps a
//! share of its projected area that is a quadratic in `z` on `[z0, z1]` and on
//! `[z1, z2]`; its cut through the plane at `z` has a length that is linear there.
//! Summed over the surface, the projected areas give the cross-section and the cut
//! lengths give the outline. Each piece is added to the layers it spans in constant
//! time through difference arrays of polynomial coefficients (or directly, for the
//! few layers a small triangle spans), so a million triangles take milliseconds.

use serde::Serialize;

use crate::fit::Axis;
use crate::measure::Bounds;
use crate::parallel;

/// At most this many height bins; taller parts put several layers in a bin.
const MAX_BINS: usize = 4096;
/// A piece spanning at most this many bins is evaluated bin by bin, exactly.
const DIRECT_BINS: usize = 8;

/// The part's layers as a slicer would stack them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerProfile {
    /// Layer height, mm.
    pub layer_height_mm: f64,
    /// Layers printed.
    pub layers: u64,
    /// Layers in each bin below.
    pub layers_per_bin: u64,
    /// Cross-section area at the middle of each bin, mm².
    pub section_mm2: Vec<f64>,
    /// Outline length (outer and holes) at the middle of each bin, mm.
    pub outline_mm: Vec<f64>,
    /// Area facing up (projected on the bed) whose centre lies in each bin, mm²:
    /// solid layers go under it.
    pub up_facing_mm2: Vec<f64>,
    /// Area facing down whose centre lies in each bin, mm²: solid layers go over it.
    pub down_facing_mm2: Vec<f64>,
}

impl LayerProfile {
    /// Profiles the part stood on `up`, in layers of `layer_height_mm`: the triangles
    /// `triangles`, three indices each into `vertices`, within `bounds`.
    pub(crate) fn of(
        triangles: &[[u32; 3]],
        vertices: &[[f32; 3]],
        bounds: &Bounds,
        up: Axis,
        layer_height_mm: f64,
        inside_out: bool,
    ) -> Self {
        let k = match up {
            Axis::X => 0,
            Axis::Y => 1,
            Axis::Z => 2,
        };
        let (a, b) = ((k + 1) % 3, (k + 2) % 3);
        let floor = f64::from(bounds.min[k]);
        let height = f64::from(bounds.max[k]) - floor;
        let layers = (height / layer_height_mm).ceil().clamp(1.0, 1e9) as u64;
        let layers_per_bin = layers.div_ceil(MAX_BINS as u64).max(1);
        let bins = layers.div_ceil(layers_per_bin) as usize;
        let bin_height = layer_height_mm * layers_per_bin as f64;
        let sign = if inside_out { -1.0 } else { 1.0 };

        let corner = |v: u32| {
            let v = vertices[v as usize];
            [f64::from(v[a]), f64::from(v[b]), f64::from(v[k]) - floor]
        };
        let parts = parallel::map_chunks(triangles, |chunk, _| {
            let mut sums = Sums::new(bins, bin_height);
            for &[p, q, s] in chunk {
                sums.add_triangle([corner(p), corner(q), corner(s)], sign);
            }
            sums
        });
        let mut total = Sums::new(bins, bin_height);
        for part in parts {
            total.merge(&part);
        }
        let (section_mm2, outline_mm) = total.evaluate();
        Self {
            layer_height_mm,
            layers,
            layers_per_bin,
            section_mm2,
            outline_mm,
            up_facing_mm2: total.up,
            down_facing_mm2: total.down,
        }
    }

    /// Height of the middle of bin `i` above the bed, mm.
    pub fn bin_middle_mm(&self, i: usize) -> f64 {
        (i as f64 + 0.5) * self.layer_height_mm * self.layers_per_bin as f64
    }
}

/// Running sums for one chunk of triangles.
struct Sums {
    bin_height: f64,
    /// Section and outline values added bin by bin.
    section: Vec<f64>,
    outline: Vec<f64>,
    /// Difference arrays of the coefficients of `c0 + c1 z + c2 z²`, section then outline.
    section_coefficients: [Vec<f64>; 3],
    outline_coefficients: [Vec<f64>; 2],
    up: Vec<f64>,
    down: Vec<f64>,
}

impl Sums {
    fn new(bins: usize, bin_height: f64) -> Self {
        let zeros = || vec![0.0; bins + 1];
        Self {
            bin_height,
            section: zeros(),
            outline: zeros(),
            section_coefficients: [zeros(), zeros(), zeros()],
            outline_coefficients: [zeros(), zeros()],
            up: vec![0.0; bins],
            down: vec![0.0; bins],
        }
    }

    fn bins(&self) -> usize {
        self.up.len()
    }

    /// The first bin whose middle lies at or above `z`: bins `index(from)..index(to)`
    /// are those whose middles lie in `[from, to)`.
    #[inline(always)]
    fn index(&self, z: f64) -> usize {
        ceil_index(z / self.bin_height - 0.5, self.bins())
    }

    fn middle(&self, i: usize) -> f64 {
        (i as f64 + 0.5) * self.bin_height
    }

    /// Adds one triangle given as `[u, v, height]` corners; `sign` flips an inside-out part.
    fn add_triangle(&mut self, t: [[f64; 3]; 3], sign: f64) {
        let double_projected =
            (t[1][0] - t[0][0]) * (t[2][1] - t[0][1]) - (t[1][1] - t[0][1]) * (t[2][0] - t[0][0]);
        let projected = sign * double_projected / 2.0;
        let [p0, p1, p2] = by_height(t);
        let (z0, z1, z2) = (p0[2], p1[2], p2[2]);

        let centre = (z0 + z1 + z2) / 3.0;
        // `as` truncates, which for a height above the floor is `floor`, and saturates
        // (as `u32`, in a few instructions: there are at most MAX_BINS bins).
        let bin = ((centre / self.bin_height) as u32 as usize).min(self.bins().saturating_sub(1));
        let facing = if projected > 0.0 {
            &mut self.up
        } else {
            &mut self.down
        };
        if let Some(area) = facing.get_mut(bin) {
            *area += projected.abs();
        }

        // The bins whose middles lie below, across the lower part and across the upper
        // part of the triangle: `..i0`, `i0..i1` and `i1..i2`.
        let [i0, i1, i2] = [z0, z1, z2].map(|z| self.index(z));
        // Below the triangle its whole projected area counts: a constant, so one entry
        // at each end of a difference array, whatever the span (a polynomial is added
        // bin by bin over short spans, to keep its large terms from cancelling).
        if i0 > 0 {
            self.section_coefficients[0][0] += projected;
            self.section_coefficients[0][i0] -= projected;
        }
        if i2 == i0 {
            // No bin's middle lies within the triangle's height (a flat triangle, or a
            // short one between two middles): there is nothing more to add.
            return;
        }
        // Reciprocals of the heights, so that the pieces below need no division:
        // dividing was most of the time profiling took (a division costs as much as
        // a dozen multiplications, and there were eight more per triangle).
        let inv02 = 1.0 / (z2 - z0);
        // A piece with a bin's middle in it has some height (`index` only grows with it).
        if i1 > i0 {
            let inv01 = 1.0 / (z1 - z0);
            let c = -projected * inv01 * inv02;
            self.add_section(i0, i1, [projected + c * z0 * z0, -2.0 * c * z0, c], |z| {
                projected + c * (z - z0) * (z - z0)
            });
            // The cut's two ends move along p0p1 and p0p2: its length grows at `rate`.
            let rate = length(
                (p1[0] - p0[0]) * inv01 - (p2[0] - p0[0]) * inv02,
                (p1[1] - p0[1]) * inv01 - (p2[1] - p0[1]) * inv02,
            );
            self.add_outline(i0, i1, [-rate * z0, rate], |z| rate * (z - z0));
        }
        if i2 > i1 {
            let inv12 = 1.0 / (z2 - z1);
            let c = projected * inv02 * inv12;
            self.add_section(i1, i2, [c * z2 * z2, -2.0 * c * z2, c], |z| {
                c * (z2 - z) * (z2 - z)
            });
            // Along p2p0 and p2p1.
            let rate = length(
                (p0[0] - p2[0]) * inv02 - (p1[0] - p2[0]) * inv12,
                (p0[1] - p2[1]) * inv02 - (p1[1] - p2[1]) * inv12,
            );
            self.add_outline(i1, i2, [rate * z2, -rate], |z| rate * (z2 - z));
        }
    }

    fn add_section(
        &mut self,
        lo: usize,
        hi: usize,
        coefficients: [f64; 3],
        exact: impl Fn(f64) -> f64,
    ) {
        if hi <= lo {
            return;
        }
        if hi - lo <= DIRECT_BINS {
            for i in lo..hi {
                self.section[i] += exact(self.middle(i));
            }
        } else {
            for (array, c) in self.section_coefficients.iter_mut().zip(coefficients) {
                array[lo] += c;
                array[hi] -= c;
            }
        }
    }

    fn add_outline(
        &mut self,
        lo: usize,
        hi: usize,
        coefficients: [f64; 2],
        exact: impl Fn(f64) -> f64,
    ) {
        if hi <= lo {
            return;
        }
        if hi - lo <= DIRECT_BINS {
            for i in lo..hi {
                self.outline[i] += exact(self.middle(i));
            }
        } else {
            for (array, c) in self.outline_coefficients.iter_mut().zip(coefficients) {
                array[lo] += c;
                array[hi] -= c;
            }
        }
    }

    fn merge(&mut self, other: &Self) {
        let add = |into: &mut Vec<f64>, from: &Vec<f64>| {
            for (x, y) in into.iter_mut().zip(from) {
                *x += y;
            }
        };
        add(&mut self.section, &other.section);
        add(&mut self.outline, &other.outline);
        add(&mut self.up, &other.up);
        add(&mut self.down, &other.down);
        for (into, from) in self
            .section_coefficients
            .iter_mut()
            .zip(&other.section_coefficients)
        {
            add(into, from);
        }
        for (into, from) in self
            .outline_coefficients
            .iter_mut()
            .zip(&other.outline_coefficients)
        {
            add(into, from);
        }
    }

    /// Cross-section and outline at each bin's middle.
    fn evaluate(&self) -> (Vec<f64>, Vec<f64>) {
        let mut running = [0.0f64; 5];
        (0..self.bins())
            .map(|i| {
                let z = self.middle(i);
                for (r, array) in running.iter_mut().zip(
                    self.section_coefficients
                        .iter()
                        .chain(&self.outline_coefficients),
                ) {
                    *r += array[i];
                }
                let section = self.section[i] + running[0] + running[1] * z + running[2] * z * z;
                let outline = self.outline[i] + running[3] + running[4] * z;
                (section.max(0.0), outline.max(0.0))
            })
            .unzip()
    }
}

/// The corners sorted by height (a sorting network: this runs for every triangle).
#[inline(always)]
fn by_height(mut t: [[f64; 3]; 3]) -> [[f64; 3]; 3] {
    if t[1][2] < t[0][2] {
        t.swap(0, 1);
    }
    if t[2][2] < t[1][2] {
        t.swap(1, 2);
        if t[1][2] < t[0][2] {
            t.swap(0, 1);
        }
    }
    t
}

/// `x.ceil()` held to `0..=limit` (a NaN gives 0). On x86-64's baseline `ceil` is a
/// library call and a conversion to `usize` a dozen instructions; this runs three times
/// for every triangle, so `x` is held in range first and converted as a `u32`.
#[inline(always)]
fn ceil_index(x: f64, limit: usize) -> usize {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    if x >= limit as f64 {
        return limit;
    }
    let below = x as u32 as usize; // 0 < x < limit ≤ MAX_BINS: truncation, exactly
    if (below as f64) < x { below + 1 } else { below }
}

/// The length of `(x, y)`. Not `hypot`, a slow library call that guards against
/// overflow, which sizes in millimetres cannot reach.
#[inline(always)]
fn length(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes;
    use crate::stl::{Limits, Triangle, TriangleSoup, to_binary_stl};

    fn profile(triangles: &[Triangle], layer: f64) -> LayerProfile {
        let bytes = to_binary_stl(triangles);
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        crate::PartAnalysis::of(&soup).layers(Axis::Z, layer)
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(1.0)
    }

    #[test]
    fn a_box_has_the_same_section_and_outline_at_every_layer() {
        let p = profile(&shapes::cuboid([0.0; 3], [10.0, 20.0, 4.0]), 0.2);
        assert_eq!(p.layers, 20);
        assert!(
            p.section_mm2.iter().all(|&a| close(a, 200.0, 1e-9)),
            "{:?}",
            p.section_mm2
        );
        assert!(
            p.outline_mm.iter().all(|&l| close(l, 60.0, 1e-9)),
            "{:?}",
            p.outline_mm
        );
        // The bottom face in the first layer, the top face in the last.
        assert!(
            close(p.down_facing_mm2[0], 200.0, 1e-9) && close(p.up_facing_mm2[19], 200.0, 1e-9)
        );
        assert!(close(
            p.down_facing_mm2.iter().chain(&p.up_facing_mm2).sum(),
            400.0,
            1e-9
        ));
    }

    #[test]
    fn a_tetrahedron_narrows_quadratically_towards_its_apex() {
        let side = 30.0;
        let p = profile(&shapes::tetrahedron_of(side as f32), 0.3);
        for (i, &a) in p.section_mm2.iter().enumerate() {
            let z = p.bin_middle_mm(i);
            let edge = side - z;
            assert!(close(a, edge * edge / 2.0, 1e-9), "layer {i}: {a}");
            let outline = edge * (2.0 + 2f64.sqrt());
            assert!(
                close(p.outline_mm[i], outline, 1e-9),
                "layer {i}: {}",
                p.outline_mm[i]
            );
        }
    }

    #[test]
    fn summed_sections_give_the_volume() {
        let p = profile(&shapes::torus(30.0, 10.0, 200, 100), 0.2);
        let volume: f64 = p.section_mm2.iter().sum::<f64>() * 0.2;
        let exact = 2.0 * std::f64::consts::PI.powi(2) * 30.0 * 100.0;
        assert!(close(volume, exact, 5e-3), "{volume} vs {exact}");
    }

    #[test]
    fn a_cylinder_outline_is_its_circumference() {
        let p = profile(&shapes::cylinder(10.0, 5.0, 256), 0.2);
        let circumference = 2.0 * 256.0 * 10.0 * (std::f64::consts::PI / 256.0).sin();
        assert!(
            p.outline_mm.iter().all(|&l| close(l, circumference, 1e-6)),
            "{:?}",
            &p.outline_mm[..3]
        );
    }

    #[test]
    fn a_very_tall_part_groups_layers_into_bins() {
        let p = profile(&shapes::cuboid([0.0; 3], [1.0, 1.0, 1000.0]), 0.05);
        assert_eq!(p.layers, 20_000);
        assert_eq!(p.layers_per_bin, 5);
        assert_eq!(p.section_mm2.len(), 4000);
        assert!(p.section_mm2.iter().all(|&a| close(a, 1.0, 1e-9)));
    }

    #[test]
    fn an_inside_out_part_keeps_positive_sections() {
        let inside_out = shapes::inside_out(shapes::cuboid([0.0; 3], [10.0; 3]));
        let bytes = to_binary_stl(&inside_out);
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        let part = crate::PartAnalysis::of(&soup);
        assert!(part.measurements.inside_out);
        let p = part.layers(Axis::Z, 0.5);
        assert!(p.section_mm2.iter().all(|&a| close(a, 100.0, 1e-9)));
    }
}
