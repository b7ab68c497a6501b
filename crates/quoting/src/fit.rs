//! Does the part fit a machine? Tried the way a person would: as modelled, laid on
//! its side or end, turned a quarter, and finally turned at any angle on the bed
//! (a long part may fit across the diagonal).

use serde::{Deserialize, Serialize};

/// A machine's printable volume, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BuildVolume {
    /// Along the bed's X axis.
    pub x_mm: f64,
    /// Along the bed's Y axis.
    pub y_mm: f64,
    /// Height.
    pub z_mm: f64,
}

/// The part's axis that points up once placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Axis {
    /// The model's X axis.
    X,
    /// The model's Y axis.
    Y,
    /// The model's Z axis: printed as modelled.
    Z,
}

/// How to place the part so that it fits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Placement {
    /// Which of the part's axes points up.
    pub up: Axis,
    /// Turn about the vertical, in degrees, after standing it on that axis.
    pub turn_deg: f64,
    /// Extent on the bed along X and Y once placed.
    pub footprint_mm: [f64; 2],
    /// Height once placed.
    pub height_mm: f64,
}

/// Slack for rounding: a 250 mm part fits a 250 mm bed.
const SLACK_MM: f64 = 1e-6;

/// The first placement that fits, or `None`.
pub(crate) fn place(
    vertices: &[[f32; 3]],
    size: [f64; 3],
    build: &BuildVolume,
) -> Option<Placement> {
    // As modelled first, then lying on a side, then on an end.
    const STANDS: [(Axis, usize, usize, usize); 3] =
        [(Axis::Z, 0, 1, 2), (Axis::Y, 0, 2, 1), (Axis::X, 1, 2, 0)];
    let stands = STANDS
        .iter()
        .filter(|&&(_, _, _, up)| size[up] <= build.z_mm + SLACK_MM);
    for &(axis, a, b, up) in stands.clone() {
        for (turn, w, d) in [(0.0, size[a], size[b]), (90.0, size[b], size[a])] {
            if w <= build.x_mm + SLACK_MM && d <= build.y_mm + SLACK_MM {
                return Some(Placement {
                    up: axis,
                    turn_deg: turn,
                    footprint_mm: [w, d],
                    height_mm: size[up],
                });
            }
        }
    }
    for &(axis, a, b, up) in stands {
        let outline = hull(
            vertices
                .iter()
                .map(|v| [f64::from(v[a]), f64::from(v[b])])
                .collect(),
        );
        if let Some((turn, footprint)) = turn_to_fit(&outline, build) {
            return Some(Placement {
                up: axis,
                turn_deg: turn,
                footprint_mm: footprint,
                height_mm: size[up],
            });
        }
    }
    None
}

/// The angle (whole degrees, or along a hull edge) at which the outline fits the bed.
fn turn_to_fit(outline: &[[f64; 2]], build: &BuildVolume) -> Option<(f64, [f64; 2])> {
    let edge_angles = outline
        .iter()
        .zip(outline.iter().cycle().skip(1))
        .map(|(p, q)| {
            (q[1] - p[1])
                .atan2(q[0] - p[0])
                .to_degrees()
                .rem_euclid(180.0)
        });
    let whole_degrees = (0..180).map(f64::from);
    whole_degrees.chain(edge_angles).find_map(|deg| {
        let (sin, cos) = deg.to_radians().sin_cos();
        let extent = |dx: f64, dy: f64| {
            let (lo, hi) =
                outline
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                        let s = p[0] * dx + p[1] * dy;
                        (lo.min(s), hi.max(s))
                    });
            hi - lo
        };
        let footprint = [extent(cos, sin), extent(-sin, cos)];
        (footprint[0] <= build.x_mm + SLACK_MM && footprint[1] <= build.y_mm + SLACK_MM)
            .then_some((deg, footprint))
    })
}

/// The convex hull of points in the plane (Andrew's monotone chain), counter-clockwise.
fn hull(mut points: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    points.sort_unstable_by(|p, q| p[0].total_cmp(&q[0]).then(p[1].total_cmp(&q[1])));
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let cross = |o: [f64; 2], a: [f64; 2], b: [f64; 2]| {
        (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    };
    let half = |points: &mut dyn Iterator<Item = [f64; 2]>| {
        let mut chain: Vec<[f64; 2]> = Vec::new();
        for p in points {
            while chain.len() >= 2
                && cross(chain[chain.len() - 2], chain[chain.len() - 1], p) <= 0.0
            {
                chain.pop();
            }
            chain.push(p);
        }
        chain.pop(); // it starts the other half
        chain
    };
    let mut lower = half(&mut points.iter().copied());
    lower.extend(half(&mut points.iter().rev().copied()));
    lower
}

#[cfg(test)]
mod tests {
    use super::*;

    const BED: BuildVolume = BuildVolume {
        x_mm: 250.0,
        y_mm: 210.0,
        z_mm: 220.0,
    };

    fn box_corners(size: [f32; 3]) -> Vec<[f32; 3]> {
        (0..8)
            .map(|i| [0, 1, 2].map(|k| if i >> k & 1 == 1 { size[k] } else { 0.0 }))
            .collect()
    }

    fn placed(size: [f32; 3]) -> Option<Placement> {
        place(&box_corners(size), size.map(f64::from), &BED)
    }

    #[test]
    fn a_small_part_is_placed_as_modelled() {
        let p = placed([10.0, 20.0, 30.0]).expect("fits");
        assert_eq!((p.up, p.turn_deg), (Axis::Z, 0.0));
        assert_eq!(p.footprint_mm, [10.0, 20.0]);
    }

    #[test]
    fn a_part_exactly_the_size_of_the_bed_fits() {
        assert!(placed([250.0, 210.0, 220.0]).is_some());
    }

    #[test]
    fn a_part_deeper_than_the_bed_is_turned_a_quarter() {
        let p = placed([200.0, 240.0, 10.0]).expect("fits");
        assert_eq!((p.up, p.turn_deg), (Axis::Z, 90.0));
        assert_eq!(p.footprint_mm, [240.0, 200.0]);
    }

    #[test]
    fn a_part_taller_than_the_machine_is_laid_down() {
        let p = placed([20.0, 30.0, 240.0]).expect("fits");
        assert_ne!(p.up, Axis::Z);
        assert!(p.height_mm <= 220.0);
    }

    #[test]
    fn a_thin_rod_longer_than_the_bed_fits_across_the_diagonal() {
        let p = placed([300.0, 5.0, 5.0]).expect("fits diagonally");
        assert!(p.turn_deg > 0.0 && p.turn_deg < 90.0, "{p:?}");
        assert!(p.footprint_mm[0] <= 250.0 && p.footprint_mm[1] <= 210.0);
    }

    #[test]
    fn a_part_larger_than_the_machine_every_way_does_not_fit() {
        assert_eq!(placed([400.0, 400.0, 400.0]), None);
    }

    #[test]
    fn the_hull_of_a_square_with_an_inner_point_is_the_square() {
        let h = hull(vec![
            [0.0, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
            [0.5, 0.5],
            [0.5, 0.0],
        ]);
        assert_eq!(h.len(), 4);
    }
}
