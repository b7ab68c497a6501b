//! Parts whose measures are known, for tests, benchmarks and calibration.
//!
//! Every shape is a closed, outward-facing mesh whose shared vertices are
//! bit-for-bit identical, as a CAD export's are.

use crate::stl::Triangle;

/// An axis-aligned box from `min` to `max`: 12 triangles, outward normals.
pub fn cuboid(min: [f32; 3], max: [f32; 3]) -> Vec<Triangle> {
    let corner = |i: usize| {
        [
            if i & 1 == 0 { min[0] } else { max[0] },
            if i & 2 == 0 { min[1] } else { max[1] },
            if i & 4 == 0 { min[2] } else { max[2] },
        ]
    };
    // Each face as four corners, counter-clockwise seen from outside.
    const FACES: [[usize; 4]; 6] = [
        [0, 2, 3, 1], // z = min
        [4, 5, 7, 6], // z = max
        [0, 1, 5, 4], // y = min
        [2, 6, 7, 3], // y = max
        [0, 4, 6, 2], // x = min
        [1, 3, 7, 5], // x = max
    ];
    FACES
        .iter()
        .flat_map(|&[a, b, c, d]| {
            [
                [corner(a), corner(b), corner(c)],
                [corner(a), corner(c), corner(d)],
            ]
        })
        .collect()
}

/// The tetrahedron with corners at the origin and on the three unit axes, scaled by `size`:
/// volume `size³ / 6`.
pub fn tetrahedron_of(size: f32) -> Vec<Triangle> {
    let o = [0.0, 0.0, 0.0];
    let x = [size, 0.0, 0.0];
    let y = [0.0, size, 0.0];
    let z = [0.0, 0.0, size];
    vec![[o, y, x], [o, x, z], [o, z, y], [x, y, z]]
}

/// The unit corner tetrahedron: volume 1/6.
pub fn tetrahedron() -> Vec<Triangle> {
    tetrahedron_of(1.0)
}

/// A solid of revolution about the Z axis from an `(r, z)` profile that starts and ends on the axis.
///
/// The profile runs from the bottom of the axis outwards and up to the top of the axis.
pub fn revolve(profile: &[(f32, f32)], segments: usize) -> Vec<Triangle> {
    let segments = segments.max(3);
    let point = |(r, z): (f32, f32), j: usize| -> [f32; 3] {
        if r == 0.0 {
            return [0.0, 0.0, z];
        }
        // `j % segments` makes the seam vertices bit-identical.
        let angle = std::f64::consts::TAU * (j % segments) as f64 / segments as f64;
        [
            (f64::from(r) * angle.cos()) as f32,
            (f64::from(r) * angle.sin()) as f32,
            z,
        ]
    };
    let mut out = Vec::new();
    for pair in profile.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        for j in 0..segments {
            let (p0, p1, q0, q1) = (point(p, j), point(p, j + 1), point(q, j), point(q, j + 1));
            if p.0 != 0.0 {
                out.push([p0, p1, q1]);
            }
            if q.0 != 0.0 {
                out.push([p0, q1, q0]);
            }
        }
    }
    outward(out)
}

/// A cylinder standing on the XY plane, centred on the Z axis.
pub fn cylinder(radius: f32, height: f32, segments: usize) -> Vec<Triangle> {
    revolve(
        &[(0.0, 0.0), (radius, 0.0), (radius, height), (0.0, height)],
        segments,
    )
}

/// A mushroom: a thin stem under a wide, flat cap, whose underside is a 90° overhang.
pub fn mushroom(
    stem_radius: f32,
    cap_radius: f32,
    stem_height: f32,
    cap_height: f32,
) -> Vec<Triangle> {
    let top = stem_height + cap_height;
    revolve(
        &[
            (0.0, 0.0),
            (stem_radius, 0.0),
            (stem_radius, stem_height),
            (cap_radius, stem_height),
            (cap_radius, top),
            (0.0, top),
        ],
        64,
    )
}

/// A torus about the Z axis with `2 * around * across` triangles: the benchmark part.
pub fn torus(major: f32, minor: f32, around: usize, across: usize) -> Vec<Triangle> {
    let (around, across) = (around.max(3), across.max(3));
    let point = |i: usize, j: usize| -> [f32; 3] {
        let u = std::f64::consts::TAU * (i % around) as f64 / around as f64;
        let v = std::f64::consts::TAU * (j % across) as f64 / across as f64;
        let ring = f64::from(major) + f64::from(minor) * v.cos();
        [
            (ring * u.cos()) as f32,
            (ring * u.sin()) as f32,
            (f64::from(minor) * v.sin()) as f32,
        ]
    };
    let mut out = Vec::with_capacity(2 * around * across);
    for i in 0..around {
        for j in 0..across {
            let (a, b, c, d) = (
                point(i, j),
                point(i + 1, j),
                point(i + 1, j + 1),
                point(i, j + 1),
            );
            out.push([a, b, c]);
            out.push([a, c, d]);
        }
    }
    outward(out)
}

/// A UV sphere about the origin with `2 * slices * parallels` triangles: `parallels`
/// circles of latitude between the poles, each cut into `slices`, and a fan at each pole.
///
/// Its welded vertices are `slices * parallels + 2`; 500 parallels of 998 slices make
/// the 998,000-triangle (50 MB) sphere of the benchmark.
pub fn sphere(radius: f32, parallels: usize, slices: usize) -> Vec<Triangle> {
    let (parallels, slices) = (parallels.max(1), slices.max(3));
    let r = f64::from(radius);
    let pole = |up: bool| [0.0, 0.0, if up { radius } else { -radius }];
    // Circle `i` (1..=parallels) from the south pole up, point `j` around it.
    let point = |i: usize, j: usize| -> [f32; 3] {
        let polar = std::f64::consts::PI * i as f64 / (parallels + 1) as f64;
        // `j % slices` makes the seam vertices bit-identical.
        let azimuth = std::f64::consts::TAU * (j % slices) as f64 / slices as f64;
        let ring = r * polar.sin();
        [
            (ring * azimuth.cos()) as f32,
            (ring * azimuth.sin()) as f32,
            (-r * polar.cos()) as f32,
        ]
    };
    let mut out = Vec::with_capacity(2 * slices * parallels);
    for j in 0..slices {
        out.push([pole(false), point(1, j + 1), point(1, j)]);
    }
    for i in 1..parallels {
        for j in 0..slices {
            let (a, b, c, d) = (
                point(i, j),
                point(i, j + 1),
                point(i + 1, j + 1),
                point(i + 1, j),
            );
            out.push([a, b, c]);
            out.push([a, c, d]);
        }
    }
    for j in 0..slices {
        out.push([pole(true), point(parallels, j), point(parallels, j + 1)]);
    }
    outward(out)
}

/// The benchmark parts: closed tori of 10k, 100k and 1M triangles, by file name.
pub const BENCHMARK_PARTS: [(&str, usize, usize); 3] = [
    ("torus_10k.stl", 100, 50),
    ("torus_100k.stl", 500, 100),
    ("torus_1m.stl", 1000, 500),
];

/// The sphere benchmark part: 500 parallels of 998 slices, 998,000 triangles (50 MB).
///
/// Unlike the torus it has two poles where 998 triangles meet, and it is what the
/// store's own measurements were made on.
pub const SPHERE_PART: (&str, usize, usize) = ("sphere_998k.stl", 500, 998);

/// Writes the benchmark parts (the tori, then the sphere) as binary STL into `dir`
/// (unless already there, byte for byte) and returns their paths.
pub fn write_benchmark_parts(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let tori = BENCHMARK_PARTS
        .iter()
        .map(|&(name, around, across)| (name, torus(50.0, 20.0, around, across)));
    let (name, parallels, slices) = SPHERE_PART;
    let sphere = std::iter::once((name, sphere(50.0, parallels, slices)));
    tori.chain(sphere)
        .map(|(name, triangles)| {
            let path = dir.join(name);
            let bytes = crate::stl::to_binary_stl(&triangles);
            if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                std::fs::write(&path, &bytes)?;
            }
            Ok(path)
        })
        .collect()
}

/// The same mesh with every triangle's winding reversed: inside out.
pub fn inside_out(mut triangles: Vec<Triangle>) -> Vec<Triangle> {
    for t in &mut triangles {
        t.swap(1, 2);
    }
    triangles
}

/// Flips a closed mesh whose winding came out inward.
fn outward(triangles: Vec<Triangle>) -> Vec<Triangle> {
    let six_volume: f64 = triangles
        .iter()
        .map(|t| {
            let [a, b, c] = t.map(|v| v.map(f64::from));
            a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
                + a[2] * (b[0] * c[1] - b[1] * c[0])
        })
        .sum();
    if six_volume < 0.0 {
        inside_out(triangles)
    } else {
        triangles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cuboid_has_twelve_triangles() {
        assert_eq!(cuboid([0.0; 3], [1.0; 3]).len(), 12);
    }

    #[test]
    fn a_torus_has_twice_around_times_across_triangles() {
        assert_eq!(torus(10.0, 3.0, 100, 50).len(), 10_000);
    }

    #[test]
    fn a_sphere_has_twice_slices_times_parallels_triangles() {
        assert_eq!(sphere(10.0, 50, 100).len(), 10_000);
    }

    #[test]
    fn a_cylinder_has_four_triangles_per_segment() {
        assert_eq!(cylinder(5.0, 10.0, 32).len(), 4 * 32);
    }
}
