//! Measuring a part: the figures a quote is built on.

use std::path::Path;

use serde::Serialize;

use crate::fit::{self, Axis, BuildVolume, Placement};
use crate::measure::{self, Bounds};
use crate::profile::LayerProfile;
use crate::stl::{BinaryFile, Limits, Record, TriangleSoup};
use crate::topology;
use crate::weld;

/// Everything measured about a part, in millimetres.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurements {
    /// Triangles in the file.
    pub triangles: u64,
    /// Distinct vertex positions.
    pub vertices: u64,
    /// Enclosed volume (mm³), whatever the orientation of the faces.
    pub volume_mm3: f64,
    /// Signed volume (mm³): negative when the faces point inward.
    pub signed_volume_mm3: f64,
    /// Surface area (mm²).
    pub area_mm2: f64,
    /// Bounding box size: width, depth, height.
    pub bbox_mm: [f64; 3],
    /// Bounding box corners.
    pub bounds_mm: Bounds,
    /// Every edge is shared by exactly two triangles: the volume is exact.
    pub watertight: bool,
    /// Every shared edge is run in opposite directions by its two triangles.
    pub consistently_oriented: bool,
    /// A closed, consistently oriented mesh whose faces point inward.
    pub inside_out: bool,
    /// Separate pieces (triangles connected through shared vertices).
    pub shells: u64,
    /// Edges used by only one triangle.
    pub boundary_edges: u64,
    /// Edges used by three or more triangles.
    pub non_manifold_edges: u64,
    /// Shared edges whose two triangles disagree about which side is out.
    pub misoriented_edges: u64,
    /// Triangles with two corners at the same position.
    pub degenerate_triangles: u64,
    /// Surface projected on the XY plane, top and bottom (mm²): the solid skin.
    pub horizontal_area_mm2: f64,
    /// Surface projected horizontally (mm²): the walls.
    pub vertical_area_mm2: f64,
}

/// A measured part, which also remembers its welded triangles, to try it in a machine
/// and to profile its layers.
#[derive(Debug, Clone)]
pub struct PartAnalysis {
    /// The figures.
    pub measurements: Measurements,
    /// Distinct positions.
    vertices: Vec<[f32; 3]>,
    /// Three indices into `vertices` per triangle, in file order: the triangles
    /// exactly (welding is exact), in less than half the memory of the records.
    corners: Vec<u32>,
}

/// Triangles measured at a time: 50 KB, which stays in cache from the sums to welding.
const CHUNK: usize = 1024;

/// Measuring under way: triangles are added in file order, as many at a time as the
/// caller has, so that a file can be measured as it is read.
struct Measuring {
    triangles: usize,
    sums: measure::SurfaceSums,
    welder: weld::Welder,
}

impl Measuring {
    /// For a part of `triangles` triangles (to size the corner list), the first of which
    /// is `first`.
    fn new(first: Option<&Record>, triangles: usize) -> Self {
        Self {
            triangles: 0,
            sums: measure::SurfaceSums::new(first),
            welder: weld::Welder::new(triangles),
        }
    }

    /// Adds the next triangles.
    fn add(&mut self, records: &[Record]) {
        self.triangles += records.len();
        // Volume, area and bounds are summed chunk by chunk just before welding reads
        // the same chunk, so the part is read from memory once for both.
        for chunk in records.chunks(CHUNK) {
            self.sums.add(chunk);
            self.welder.add(chunk);
        }
    }

    fn finish(self) -> PartAnalysis {
        let surface = self.sums.finish();
        let welded = self.welder.finish();
        let topology = topology::topology(&welded.corners, welded.vertices.len(), welded.scratch);
        let consistently_oriented = topology.misoriented_edges == 0;
        let watertight = topology.watertight();
        let measurements = Measurements {
            triangles: self.triangles as u64,
            vertices: welded.vertices.len() as u64,
            volume_mm3: surface.signed_volume.abs(),
            signed_volume_mm3: surface.signed_volume,
            area_mm2: surface.area,
            bbox_mm: surface.bounds.size(),
            bounds_mm: surface.bounds,
            watertight,
            consistently_oriented,
            inside_out: watertight && consistently_oriented && surface.signed_volume < 0.0,
            shells: topology.shells,
            boundary_edges: topology.boundary_edges,
            non_manifold_edges: topology.non_manifold_edges,
            misoriented_edges: topology.misoriented_edges,
            degenerate_triangles: topology.degenerate_triangles,
            horizontal_area_mm2: surface.horizontal_area,
            vertical_area_mm2: surface.vertical_area,
        };
        PartAnalysis {
            measurements,
            vertices: welded.vertices,
            corners: welded.corners,
        }
    }
}

impl PartAnalysis {
    /// Measures a parsed part: volume, area, bounds, watertightness, shells.
    pub fn of(soup: &TriangleSoup<'_>) -> Self {
        let records = soup.records();
        let mut measuring = Measuring::new(records.first(), records.len());
        measuring.add(records);
        measuring.finish()
    }

    /// Measures a binary STL file as it is read, a block at a time, without holding the
    /// file in memory; the same answer as [`of`](Self::of) on its bytes. `None` when the
    /// file is not a well-formed binary STL within `limits` (or cannot be read, or
    /// changes while it is read): the caller reads it whole to say what is wrong.
    pub(crate) fn of_file(path: &Path, limits: &Limits) -> Option<Self> {
        let file = BinaryFile::open(path, limits)?;
        let triangles = file.triangles();
        let mut measuring: Option<Measuring> = None;
        file.read(|block| {
            measuring
                .get_or_insert_with(|| Measuring::new(block.first(), triangles))
                .add(block);
        })?;
        measuring.map(Measuring::finish)
    }

    /// How the part can be placed in `build`, trying the orientations a person would;
    /// `None` if it does not fit.
    pub fn fit(&self, build: &BuildVolume) -> Option<Placement> {
        fit::place(&self.vertices, self.measurements.bbox_mm, build)
    }

    /// The part's layers with it stood on `up`: what the print estimate works from.
    pub fn layers(&self, up: Axis, layer_height_mm: f64) -> LayerProfile {
        LayerProfile::of(
            self.corners.as_chunks::<3>().0,
            &self.vertices,
            &self.measurements.bounds_mm,
            up,
            layer_height_mm,
            self.measurements.signed_volume_mm3 < 0.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes;
    use crate::stl::{Limits, Triangle, to_binary_stl};

    fn analyse(triangles: &[Triangle]) -> Measurements {
        let bytes = to_binary_stl(triangles);
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        PartAnalysis::of(&soup).measurements
    }

    #[test]
    fn a_binary_file_measured_as_it_is_read_is_measured_as_its_bytes_are() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("part.stl");
        // 10,000 triangles: two whole blocks and part of a third.
        let torus = shapes::torus(30.0, 8.0, 100, 50);
        let bytes = to_binary_stl(&torus);
        std::fs::write(&path, &bytes).expect("write");
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        let from_bytes = PartAnalysis::of(&soup);
        let from_file = PartAnalysis::of_file(&path, &Limits::default()).expect("streamed");
        assert_eq!(from_file.measurements, from_bytes.measurements);
        assert_eq!(from_file.vertices, from_bytes.vertices);
        assert_eq!(from_file.corners, from_bytes.corners);
    }

    #[test]
    fn a_file_that_is_not_a_sound_binary_stl_is_left_to_be_read_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("part.stl");
        let cube = shapes::cuboid([0.0; 3], [10.0; 3]);
        let binary = to_binary_stl(&cube);
        let mut nan = binary.clone();
        nan[84 + 50 * 11 + 20..84 + 50 * 11 + 24].copy_from_slice(&f32::NAN.to_le_bytes());
        let cases: [(&[u8], Limits); 6] = [
            (&crate::stl::to_ascii_stl("cube", &cube), Limits::default()),
            (&binary[..binary.len() - 1], Limits::default()),
            (&nan, Limits::default()),
            (&to_binary_stl(&[]), Limits::default()),
            (
                &binary,
                Limits {
                    max_triangles: 11,
                    ..Limits::default()
                },
            ),
            (
                &binary,
                Limits {
                    max_file_bytes: 683,
                    ..Limits::default()
                },
            ),
        ];
        for (i, (bytes, limits)) in cases.iter().enumerate() {
            std::fs::write(&path, bytes).expect("write");
            assert!(PartAnalysis::of_file(&path, limits).is_none(), "case {i}");
        }
        assert!(
            PartAnalysis::of_file(&dir.path().join("missing.stl"), &Limits::default()).is_none()
        );
        assert!(PartAnalysis::of_file(dir.path(), &Limits::default()).is_none());
    }

    #[test]
    fn a_ten_millimetre_cube_is_exactly_measured() {
        let m = analyse(&shapes::cuboid([0.0; 3], [10.0; 3]));
        assert_eq!(m.triangles, 12);
        assert_eq!(m.vertices, 8);
        assert_eq!(m.volume_mm3, 1000.0);
        assert_eq!(m.area_mm2, 600.0);
        assert_eq!(m.bbox_mm, [10.0; 3]);
        assert!(m.watertight && m.consistently_oriented && !m.inside_out);
        assert_eq!(m.shells, 1);
    }

    #[test]
    fn a_box_is_exactly_measured() {
        let m = analyse(&shapes::cuboid([-5.0, 0.0, 2.5], [5.0, 4.0, 3.0]));
        assert_eq!(m.volume_mm3, 10.0 * 4.0 * 0.5);
        assert_eq!(m.area_mm2, 2.0 * (40.0 + 5.0 + 2.0));
        assert_eq!(m.bbox_mm, [10.0, 4.0, 0.5]);
        assert_eq!(m.bounds_mm.min, [-5.0, 0.0, 2.5]);
    }

    #[test]
    fn a_tetrahedron_is_exactly_measured() {
        let m = analyse(&shapes::tetrahedron_of(3.0));
        assert!((m.volume_mm3 - 4.5).abs() < 1e-12);
        assert_eq!(m.vertices, 4);
        assert!(m.watertight);
        assert_eq!(m.shells, 1);
    }

    #[test]
    fn two_cubes_apart_are_two_shells_with_the_sum_of_their_volumes() {
        let mut parts = shapes::cuboid([0.0; 3], [10.0; 3]);
        parts.extend(shapes::cuboid([20.0, 0.0, 0.0], [25.0, 5.0, 5.0]));
        let m = analyse(&parts);
        assert_eq!(m.shells, 2);
        assert_eq!(m.volume_mm3, 1125.0);
        assert!(m.watertight);
    }

    #[test]
    fn a_box_with_a_cavity_has_the_cavity_subtracted() {
        let mut part = shapes::cuboid([0.0; 3], [10.0; 3]);
        part.extend(shapes::inside_out(shapes::cuboid([2.0; 3], [4.0; 3])));
        let m = analyse(&part);
        assert_eq!(m.volume_mm3, 1000.0 - 8.0);
        assert_eq!(m.shells, 2);
        assert!(!m.inside_out);
    }

    #[test]
    fn an_open_box_is_not_watertight() {
        let mut open = shapes::cuboid([0.0; 3], [10.0; 3]);
        open.truncate(10); // drop the two triangles of the x = max face
        let m = analyse(&open);
        assert!(!m.watertight);
        assert_eq!(m.boundary_edges, 4);
        assert_eq!(m.shells, 1);
    }

    #[test]
    fn an_inside_out_cube_is_detected_and_keeps_its_volume() {
        let m = analyse(&shapes::inside_out(shapes::cuboid([0.0; 3], [10.0; 3])));
        assert!(m.inside_out);
        assert!(m.watertight && m.consistently_oriented);
        assert_eq!(m.signed_volume_mm3, -1000.0);
        assert_eq!(m.volume_mm3, 1000.0);
    }

    #[test]
    fn a_cube_with_one_flipped_triangle_is_not_consistently_oriented() {
        let mut cube = shapes::cuboid([0.0; 3], [10.0; 3]);
        cube[3].swap(1, 2);
        let m = analyse(&cube);
        assert!(m.watertight);
        assert!(!m.consistently_oriented);
        assert!(!m.inside_out);
        assert_eq!(m.misoriented_edges, 3);
    }

    #[test]
    fn the_benchmark_sphere_is_closed_and_measures_as_its_triangles_and_the_sphere_say() {
        let (_, parallels, slices) = shapes::SPHERE_PART;
        let triangles = shapes::sphere(50.0, parallels, slices);
        let m = analyse(&triangles);
        assert_eq!(m.triangles, 998_000);
        assert_eq!(m.vertices, 998 * 500 + 2);
        assert!(m.watertight && m.consistently_oriented && !m.inside_out);
        assert_eq!((m.shells, m.degenerate_triangles), (1, 0));
        assert_eq!(m.bbox_mm[2], 100.0); // the poles are exact

        // The same sums, plainly, from the origin: what the file holds, to rounding.
        let (mut six_volume, mut double_area) = (0.0f64, 0.0f64);
        for t in &triangles {
            let [a, b, c] = t.map(|v| v.map(f64::from));
            let u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
            let w = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
            let n = [
                u[1] * w[2] - u[2] * w[1],
                u[2] * w[0] - u[0] * w[2],
                u[0] * w[1] - u[1] * w[0],
            ];
            six_volume += a[0] * n[0] + a[1] * n[1] + a[2] * n[2];
            double_area += (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
        }
        let close = |x: f64, y: f64, tolerance: f64| (x - y).abs() <= tolerance * y.abs();
        assert!(
            close(m.volume_mm3, six_volume / 6.0, 1e-12),
            "{}",
            m.volume_mm3
        );
        assert!(
            close(m.area_mm2, double_area / 2.0, 1e-12),
            "{}",
            m.area_mm2
        );
        // And the smooth sphere it approximates: 4/3 π r³ and 4 π r², a polyhedron
        // inscribed in it being smaller by about (π / 500)².
        let pi = std::f64::consts::PI;
        assert!(
            close(m.volume_mm3, 4.0 / 3.0 * pi * 50f64.powi(3), 1e-4),
            "{}",
            m.volume_mm3
        );
        assert!(
            close(m.area_mm2, 4.0 * pi * 50f64.powi(2), 1e-4),
            "{}",
            m.area_mm2
        );
        assert!(m.volume_mm3 < 4.0 / 3.0 * pi * 50f64.powi(3));
    }

    #[test]
    fn a_million_triangle_torus_is_closed_and_one_shell() {
        let m = analyse(&shapes::torus(50.0, 20.0, 1000, 500));
        assert_eq!(m.triangles, 1_000_000);
        assert_eq!(m.vertices, 500_000);
        assert!(m.watertight && m.consistently_oriented);
        assert_eq!(m.shells, 1);
        assert_eq!(m.bbox_mm, [140.0, 140.0, 40.0]);
    }
}
