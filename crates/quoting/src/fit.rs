//! Does the part fit a machine? Tried the way a person would: as modelled, laid on
//! its side or end, turned a quarter, and finally turned at any angle on the bed
//! (a long part may fit across the diagonal).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::Measurements;
use crate::materials::Process;

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

impl Axis {
    /// `x`, `y` or `z`, as a dimension is named in a sentence.
    fn name(self) -> &'static str {
        match self {
            Self::X => "x",
            Self::Y => "y",
            Self::Z => "z",
        }
    }

    /// What a machine's extent along this axis is called.
    fn machine_dimension(self) -> &'static str {
        match self {
            Self::X => "width",
            Self::Y => "depth",
            Self::Z => "height",
        }
    }
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

/// The six ways to stand a box in a machine, as [`place`] tries them: the part's axis
/// that points up, and which of the part's axes lies along the machine's X, Y and Z.
const ORIENTATIONS: [(Axis, [usize; 3]); 6] = [
    (Axis::Z, [0, 1, 2]),
    (Axis::Z, [1, 0, 2]),
    (Axis::Y, [0, 2, 1]),
    (Axis::Y, [2, 0, 1]),
    (Axis::X, [1, 2, 0]),
    (Axis::X, [2, 1, 0]),
];

const AXES: [Axis; 3] = [Axis::X, Axis::Y, Axis::Z];

/// A part that fits no machine of its material's process: its measures, and for each
/// machine what is too large for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Misfit {
    /// The part's measures, as a quote would carry them.
    #[serde(flatten)]
    pub part: Measurements,
    /// The process the material needs.
    pub process: Process,
    /// Every machine of that process, in price-list order, with why it refuses the part.
    pub machines: Vec<MachineMisfit>,
}

impl Misfit {
    /// The misfit as pretty-printed JSON: the part's measures (the keys of a quote), the
    /// process, each machine with its `excesses` and a `reason` sentence, and `error`,
    /// the whole sentence.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        let mut json = serde_json::to_value(self).unwrap_or_default();
        if let Some(machines) = json.get_mut("machines").and_then(|m| m.as_array_mut()) {
            for (value, machine) in machines.iter_mut().zip(&self.machines) {
                value["reason"] = machine.to_string().into();
            }
        }
        json["error"] = self.to_string().into();
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }
}

impl fmt::Display for Misfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [x, y, z] = self.part.bbox_mm;
        write!(
            f,
            "the part ({x:.1} x {y:.1} x {z:.1} mm) fits no {} machine in any orientation tried",
            self.process
        )?;
        for (i, machine) in self.machines.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{machine}")?;
        }
        Ok(())
    }
}

/// Why a part does not fit one machine: its dimensions that exceed the machine's, with
/// the part stood the way that comes closest to fitting (fewest dimensions too large,
/// then least excess; as modelled when that is as close as any other way).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineMisfit {
    /// The machine's name.
    pub machine: String,
    /// Its printable volume.
    pub build_volume: BuildVolume,
    /// The part's axis that points up in the closest placement.
    pub up: Axis,
    /// The part's dimensions that exceed the machine's in that placement; not empty.
    pub excesses: Vec<Excess>,
}

/// One of the part's dimensions that exceeds the machine's it lies along.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Excess {
    /// The part's axis, as modelled.
    pub part_axis: Axis,
    /// The part's extent along it, mm.
    pub part_mm: f64,
    /// The machine's axis it lies along: X its width, Y its depth, Z its height.
    pub machine_axis: Axis,
    /// The machine's extent along that axis, mm.
    pub machine_mm: f64,
}

impl MachineMisfit {
    /// Why a part of `size` (width, depth, height as modelled) does not fit `build`.
    ///
    /// The six axis-aligned ways to stand a box are exactly those [`place`] tries first,
    /// so a part it could not place exceeds the machine in each of them; the turn at an
    /// angle it then tries only helps parts that fit this test, so the sizes say why.
    pub(crate) fn new(machine: &str, build: &BuildVolume, size: [f64; 3]) -> Self {
        let machine_mm = [build.x_mm, build.y_mm, build.z_mm];
        let excesses = |along: [usize; 3]| -> Vec<Excess> {
            (0..3)
                .filter(|&k| size[along[k]] > machine_mm[k] + SLACK_MM)
                .map(|k| Excess {
                    part_axis: AXES[along[k]],
                    part_mm: size[along[k]],
                    machine_axis: AXES[k],
                    machine_mm: machine_mm[k],
                })
                .collect()
        };
        let closeness = |e: &[Excess]| {
            (
                e.len(),
                e.iter().map(|e| e.part_mm - e.machine_mm).sum::<f64>(),
            )
        };
        let (up, excesses) = ORIENTATIONS
            .iter()
            .map(|&(up, along)| (up, excesses(along)))
            // `min_by` keeps the first of equals: as modelled wins a tie.
            .min_by(|(_, a), (_, b)| {
                let (a, b) = (closeness(a), closeness(b));
                a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
            })
            .unwrap_or((Axis::Z, Vec::new()));
        Self {
            machine: machine.to_owned(),
            build_volume: *build,
            up,
            excesses,
        }
    }
}

impl fmt::Display for MachineMisfit {
    /// `400.0 mm in z exceeds the Prusa MK4's 220 mm height`, every excess named.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.excesses.is_empty() {
            return write!(f, "it does not fit the {} at any angle", self.machine);
        }
        let last = self.excesses.len() - 1;
        for (i, e) in self.excesses.iter().enumerate() {
            let (part, whose) = (e.part_axis.name(), e.machine_axis.machine_dimension());
            match i {
                0 => write!(
                    f,
                    "{:.1} mm in {part} exceeds the {}'s",
                    e.part_mm, self.machine
                )?,
                _ if i == last => write!(f, " and {:.1} mm in {part} its", e.part_mm)?,
                _ => write!(f, ", {:.1} mm in {part} its", e.part_mm)?,
            }
            write!(f, " {} mm {whose}", e.machine_mm)?;
        }
        if self.up != Axis::Z {
            write!(
                f,
                " (stood with its {} axis up, the closest it comes)",
                self.up.name()
            )?;
        }
        Ok(())
    }
}

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

    fn misfit(size: [f64; 3]) -> MachineMisfit {
        MachineMisfit::new("Prusa MK4", &BED, size)
    }

    #[test]
    fn a_cube_too_big_every_way_exceeds_each_dimension_as_modelled() {
        let m = misfit([400.0; 3]);
        assert_eq!(m.up, Axis::Z);
        assert_eq!(m.excesses.len(), 3);
        assert_eq!(
            m.to_string(),
            "400.0 mm in x exceeds the Prusa MK4's 250 mm width, \
             400.0 mm in y its 210 mm depth and 400.0 mm in z its 220 mm height"
        );
    }

    #[test]
    fn a_rod_is_reported_laid_down_where_it_comes_closest() {
        // Too long even for the bed's diagonal (326 mm); laid along the width it is 150 mm
        // over, against 180 mm standing.
        let m = misfit([20.0, 30.0, 400.0]);
        assert_eq!(m.up, Axis::Y, "{m}");
        assert_eq!(
            m.to_string(),
            "400.0 mm in z exceeds the Prusa MK4's 250 mm width \
             (stood with its y axis up, the closest it comes)"
        );
    }

    #[test]
    fn a_part_too_tall_as_modelled_says_so_when_nothing_is_closer() {
        let m = misfit([240.0, 240.0, 240.0]);
        // Every way the same two sides exceed: as modelled wins the tie.
        assert_eq!(m.up, Axis::Z);
        assert_eq!(m.excesses.len(), 2, "{m}");
        assert_eq!(m.excesses[1].part_axis, Axis::Z);
        assert!(
            m.to_string().contains("240.0 mm in z its 220 mm height"),
            "{m}"
        );
    }

    #[test]
    fn the_misfit_explains_every_placement_place_refuses() {
        for size in [
            [400.0, 5.0, 5.0],
            [300.0, 260.0, 1.0],
            [230.0, 230.0, 230.0],
        ] {
            let corners = box_corners(size.map(|x| x as f32));
            assert_eq!(place(&corners, size, &BED), None, "{size:?}");
            assert!(!misfit(size).excesses.is_empty(), "{size:?}");
        }
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
