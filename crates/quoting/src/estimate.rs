//! Print time and material from the part's layers alone, for when no slicer is at hand.
//!
//! The FDM model does per layer what a slicer does: walls along the outline, solid
//! skin under and over flat surfaces (and throughout small sections), sparse infill
//! inside, and a minimum layer time for cooling. Its rates were fitted to PrusaSlicer
//! 2.5 with the options [`crate::slicer`] passes; the README gives the comparison.

use serde::Serialize;

use crate::materials::{Material, Process};
use crate::profile::LayerProfile;
use crate::settings::PrintSettings;

/// Where a quote's print time and material came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EstimateSource {
    /// PrusaSlicer sliced the part with the quote's settings.
    Slicer,
    /// The model in this module.
    Estimate,
}

/// Print time and material for one copy of the part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintEstimate {
    /// Which figures these are.
    pub source: EstimateSource,
    /// Machine time, seconds.
    pub print_time_s: f64,
    /// Material used, grams.
    pub material_g: f64,
    /// The model's working, when the FDM model was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelWorking>,
}

/// The volumes the FDM model extrudes, so staff can see where the grams come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelWorking {
    /// Perimeters, mm³.
    pub walls_mm3: f64,
    /// Solid layers and solid-filled small sections, mm³.
    pub solid_mm3: f64,
    /// Sparse infill, mm³.
    pub infill_mm3: f64,
    /// Layers printed.
    pub layers: u64,
    /// Layers slowed down to let them cool.
    pub cooling_limited_layers: u64,
}

/// The FDM model's rates: what the estimate was calibrated with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FdmRates {
    /// Extrusion rate of perimeters, mm³/s.
    pub wall_mm3_per_s: f64,
    /// Extrusion rate of perimeters of small sections (outline under `small_outline_mm`), mm³/s.
    pub small_wall_mm3_per_s: f64,
    /// Extrusion rate of solid infill, mm³/s.
    pub solid_mm3_per_s: f64,
    /// Extrusion rate of sparse infill, mm³/s.
    pub infill_mm3_per_s: f64,
    /// Travel, retraction and layer change, per layer, s.
    pub per_layer_s: f64,
    /// The slicer slows a layer down to last at least this long, s.
    pub min_layer_s: f64,
    /// Homing, heating, first-layer and skirt allowance, s.
    pub fixed_s: f64,
    /// Skirt and priming, mm³.
    pub fixed_mm3: f64,
    /// Outlines shorter than this print at the small-perimeter speed, mm.
    pub small_outline_mm: f64,
    /// Sections smaller than this are filled solid, mm² (PrusaSlicer's `solid_infill_below_area`).
    pub solid_below_mm2: f64,
    /// Perimeter line width, mm.
    pub line_width_mm: f64,
    /// Extra material over a down-facing surface above the bed (a bridge or overhang),
    /// in layers of it: bridges are laid thick and overhangs get extra perimeters.
    pub overhang_layers: f64,
    /// Extrusion rate over overhangs, mm³/s.
    pub overhang_mm3_per_s: f64,
}

impl Default for FdmRates {
    /// The rates fitted to PrusaSlicer 2.5's defaults with the options the slicer
    /// module passes, on twelve shapes at 10% and 50% infill
    /// (`cargo run --release -p makrx-quoting --example calibrate -- --fit`).
    fn default() -> Self {
        Self {
            wall_mm3_per_s: 3.58,
            small_wall_mm3_per_s: 1.46,
            solid_mm3_per_s: 1.72,
            infill_mm3_per_s: 4.94,
            per_layer_s: 0.75,
            min_layer_s: 5.0,
            fixed_s: 66.0,
            fixed_mm3: 59.0,
            small_outline_mm: 41.0,
            solid_below_mm2: 70.0,
            line_width_mm: 0.45,
            overhang_layers: 2.97,
            overhang_mm3_per_s: 3.52,
        }
    }
}

/// Solid skin area in each bin's layers: under every up-facing surface for the
/// top layers below it, over every down-facing one for the bottom layers above it.
fn skin_areas(layers: &LayerProfile, solid_layers: u8) -> Vec<f64> {
    let bins = layers.section_mm2.len();
    let reach = (u64::from(solid_layers)).div_ceil(layers.layers_per_bin) as usize;
    if reach == 0 {
        return vec![0.0; bins];
    }
    let prefix = |areas: &[f64]| {
        let mut sums = Vec::with_capacity(areas.len() + 1);
        sums.push(0.0);
        for a in areas {
            sums.push(sums.last().copied().unwrap_or(0.0) + a);
        }
        sums
    };
    let up = prefix(&layers.up_facing_mm2);
    let down = prefix(&layers.down_facing_mm2);
    (0..bins)
        .map(|i| {
            let below = down[i + 1] - down[(i + 1).saturating_sub(reach)];
            let above = up[(i + reach).min(bins)] - up[i];
            (below + above).min(layers.section_mm2[i])
        })
        .collect()
}

/// Resin printers expose a whole layer at once: time follows height, not volume.
const RESIN_SECONDS_PER_LAYER: f64 = 9.0;
const RESIN_FIXED_S: f64 = 600.0;
/// Supports and raft, as a share of the part's own resin.
const RESIN_SUPPORT_SHARE: f64 = 0.10;

/// Estimates one copy of a part with the calibrated rates.
pub fn estimate(
    layers: &LayerProfile,
    material: &Material,
    settings: &PrintSettings,
) -> PrintEstimate {
    estimate_with(layers, material, settings, &FdmRates::default())
}

/// Estimates one copy of a part with the given FDM rates (for calibration).
pub fn estimate_with(
    layers: &LayerProfile,
    material: &Material,
    settings: &PrintSettings,
    rates: &FdmRates,
) -> PrintEstimate {
    let h = layers.layer_height_mm;
    let per_bin = layers.layers_per_bin as f64;
    match material.process {
        Process::Resin => {
            let volume: f64 = layers.section_mm2.iter().sum::<f64>() * h * per_bin;
            PrintEstimate {
                source: EstimateSource::Estimate,
                print_time_s: RESIN_FIXED_S + layers.layers as f64 * RESIN_SECONDS_PER_LAYER,
                material_g: volume * (1.0 + RESIN_SUPPORT_SHARE) * material.density_g_cm3 / 1000.0,
                model: None,
            }
        }
        Process::Fdm => {
            let walls_count = f64::from(settings.walls());
            let sparse_share = f64::from(settings.infill_percent()) / 100.0;
            let mut working = ModelWorking {
                walls_mm3: 0.0,
                solid_mm3: 0.0,
                infill_mm3: 0.0,
                layers: layers.layers,
                cooling_limited_layers: 0,
            };
            let mut seconds = rates.fixed_s;
            let skins = skin_areas(layers, settings.top_bottom_layers());
            for (bin, ((&section, &outline), skin)) in layers
                .section_mm2
                .iter()
                .zip(&layers.outline_mm)
                .zip(skins)
                .enumerate()
            {
                // One layer of this bin.
                let slab = section * h;
                let walls = (outline * walls_count * rates.line_width_mm * h).min(slab);
                let skin = (skin * h).min(slab - walls).max(0.0);
                let inner = (slab - walls - skin).max(0.0);
                let (solid, sparse) = if section < rates.solid_below_mm2 {
                    (skin + inner, 0.0)
                } else {
                    (skin, inner * sparse_share)
                };
                let wall_rate = if outline < rates.small_outline_mm {
                    rates.small_wall_mm3_per_s
                } else {
                    rates.wall_mm3_per_s
                };
                // Down-facing surface above the first layer hangs over air.
                let overhang = if bin == 0 {
                    0.0
                } else {
                    layers.down_facing_mm2[bin] * h * rates.overhang_layers / per_bin
                };
                let busy = walls / wall_rate
                    + overhang / rates.overhang_mm3_per_s
                    + solid / rates.solid_mm3_per_s
                    + sparse / rates.infill_mm3_per_s
                    + rates.per_layer_s;
                if busy < rates.min_layer_s {
                    working.cooling_limited_layers += layers.layers_per_bin;
                }
                seconds += busy.max(rates.min_layer_s) * per_bin;
                working.walls_mm3 += walls * per_bin;
                working.solid_mm3 += (solid + overhang) * per_bin;
                working.infill_mm3 += sparse * per_bin;
            }
            let extruded =
                working.walls_mm3 + working.solid_mm3 + working.infill_mm3 + rates.fixed_mm3;
            PrintEstimate {
                source: EstimateSource::Estimate,
                print_time_s: seconds,
                material_g: extruded * material.density_g_cm3 / 1000.0,
                model: Some(working),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::Axis;
    use crate::materials::standard_materials;
    use crate::shapes;
    use crate::stl::{Limits, Triangle, TriangleSoup, to_binary_stl};

    fn material(code: &str) -> Material {
        crate::materials::find(&standard_materials(), code)
            .expect("standard")
            .clone()
    }

    fn layers(triangles: &[Triangle], layer: f64) -> LayerProfile {
        let bytes = to_binary_stl(triangles);
        let soup = TriangleSoup::parse(&bytes, &Limits::default()).expect("valid");
        crate::PartAnalysis::of(&soup).layers(Axis::Z, layer)
    }

    fn cube(side: f32) -> LayerProfile {
        layers(&shapes::cuboid([0.0; 3], [side; 3]), 0.2)
    }

    fn fdm(infill: u8) -> PrintSettings {
        PrintSettings::standard(Process::Fdm, infill).expect("valid")
    }

    fn extruded(e: &PrintEstimate) -> f64 {
        let w = e.model.expect("fdm model");
        w.walls_mm3 + w.solid_mm3 + w.infill_mm3
    }

    #[test]
    fn more_infill_costs_more_time_and_material() {
        let pla = material("PLA");
        let sparse = estimate(&cube(40.0), &pla, &fdm(10));
        let dense = estimate(&cube(40.0), &pla, &fdm(80));
        assert!(dense.material_g > sparse.material_g);
        assert!(dense.print_time_s > sparse.print_time_s);
    }

    #[test]
    fn a_solid_part_uses_its_whole_volume_once() {
        let e = estimate(&cube(40.0), &material("PLA"), &fdm(100));
        assert!((extruded(&e) - 64_000.0).abs() < 1e-6, "{}", extruded(&e));
    }

    #[test]
    fn a_part_thinner_than_its_skins_is_solid_and_not_counted_twice() {
        let plate = layers(&shapes::cuboid([0.0; 3], [100.0, 100.0, 1.0]), 0.2);
        let e = estimate(&plate, &material("PLA"), &fdm(20));
        assert!((extruded(&e) - 10_000.0).abs() < 1e-6, "{}", extruded(&e));
    }

    #[test]
    fn a_thin_rod_is_filled_solid_and_slowed_for_cooling() {
        let rod = layers(&shapes::cuboid([0.0; 3], [5.0, 5.0, 50.0]), 0.2);
        let e = estimate(&rod, &material("PLA"), &fdm(10));
        assert!((extruded(&e) - 1250.0).abs() < 1e-6);
        let w = e.model.expect("fdm model");
        assert_eq!(w.cooling_limited_layers, 250);
        assert!(e.print_time_s >= 250.0 * 5.0);
    }

    #[test]
    fn a_heavier_material_weighs_more_for_the_same_part() {
        let pla = estimate(&cube(20.0), &material("PLA"), &fdm(20));
        let abs = estimate(&cube(20.0), &material("ABS"), &fdm(20));
        assert!(pla.material_g > abs.material_g);
        assert_eq!(pla.print_time_s, abs.print_time_s);
    }

    #[test]
    fn resin_time_follows_height_not_volume() {
        let resin = material("RESIN");
        let settings = PrintSettings::standard(Process::Resin, 100).expect("valid");
        let small = estimate(
            &layers(&shapes::cuboid([0.0; 3], [10.0; 3]), 0.05),
            &resin,
            &settings,
        );
        let wide = estimate(
            &layers(&shapes::cuboid([0.0; 3], [50.0, 50.0, 10.0]), 0.05),
            &resin,
            &settings,
        );
        assert_eq!(small.print_time_s, wide.print_time_s);
        assert!(wide.material_g > small.material_g);
        assert_eq!(small.source, EstimateSource::Estimate);
    }
}
