//! Compares the print estimate with PrusaSlicer on a few shapes and infills.
//!
//! `cargo run --release -p makrx-quoting --example calibrate` prints the README's
//! Markdown table for the rates in `FdmRates::default()`.
//!
//! `-- --fit` first fits the rates to the slicer's runs at 10% and 50% infill, so the
//! 20% rows check the fit on runs it did not see; `-- --fit-first 8` fits on the first
//! eight shapes only, so the last four check it on shapes it did not see.

use std::time::Duration;

use makrx_quoting::estimate::{self, FdmRates};
use makrx_quoting::materials::{Material, Process};
use makrx_quoting::{
    LayerProfile, Limits, PartAnalysis, PriceList, PrintSettings, SlicedPrint, SlicerConfig,
    Triangle, TriangleSoup, shapes, slicer, stl,
};

const INFILLS: [u8; 3] = [10, 20, 50];

/// The calibration parts: simple prisms, curved and sloped walls, overhangs, thin walls, a cavity.
fn parts() -> Vec<(&'static str, Vec<Triangle>)> {
    vec![
        ("cube 20 mm", shapes::cuboid([0.0; 3], [20.0; 3])),
        ("cube 40 mm", shapes::cuboid([0.0; 3], [40.0; 3])),
        ("cylinder Ø30 x 40", shapes::cylinder(15.0, 40.0, 96)),
        (
            "thin plate 100x60x2",
            shapes::cuboid([0.0; 3], [100.0, 60.0, 2.0]),
        ),
        (
            "tall bar 10x10x100",
            shapes::cuboid([0.0; 3], [10.0, 10.0, 100.0]),
        ),
        (
            "mushroom (overhang)",
            shapes::mushroom(5.0, 20.0, 20.0, 5.0),
        ),
        ("tetrahedron 50 mm", shapes::tetrahedron_of(50.0)),
        ("torus R30 r10", shapes::torus(30.0, 10.0, 200, 100)),
        (
            "cone Ø40 x 30",
            shapes::revolve(&[(0.0, 0.0), (20.0, 0.0), (0.0, 30.0)], 96),
        ),
        (
            "tube Ø30/24 x 30",
            shapes::revolve(
                &[
                    (12.0, 0.0),
                    (15.0, 0.0),
                    (15.0, 30.0),
                    (12.0, 30.0),
                    (12.0, 0.0),
                ],
                96,
            ),
        ),
        ("sphere Ø30", sphere(15.0)),
        ("box 60x30x15 with cavity", hollow_box()),
    ]
}

fn sphere(radius: f32) -> Vec<Triangle> {
    let steps = 48;
    let profile: Vec<(f32, f32)> = (0..=steps)
        .map(|i| {
            let a = std::f32::consts::PI * i as f32 / steps as f32;
            if i == 0 || i == steps {
                (0.0, radius - radius * a.cos())
            } else {
                (radius * a.sin(), radius - radius * a.cos())
            }
        })
        .collect();
    shapes::revolve(&profile, 96)
}

fn hollow_box() -> Vec<Triangle> {
    let mut part = shapes::cuboid([0.0; 3], [60.0, 30.0, 15.0]);
    part.extend(shapes::inside_out(shapes::cuboid(
        [5.0, 5.0, 3.0],
        [55.0, 25.0, 12.0],
    )));
    part
}

/// One part at one infill, as the estimate sees it and as the slicer sliced it.
struct Case {
    fitted: bool,
    part: &'static str,
    infill: u8,
    layers: LayerProfile,
    settings: PrintSettings,
    sliced: SlicedPrint,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let fit_first = match args.iter().position(|a| a == "--fit-first") {
        Some(i) => Some(
            args.get(i + 1)
                .ok_or("--fit-first needs a count")?
                .parse::<usize>()?,
        ),
        None => args.iter().any(|a| a == "--fit").then_some(usize::MAX),
    };
    let prices = PriceList::standard();
    let pla = prices.material("PLA")?;
    let machine = &prices.machines[0];
    let config = SlicerConfig {
        timeout: Duration::from_secs(120),
        ..SlicerConfig::default()
    };
    let mut cases = Vec::new();
    for (index, (part, triangles)) in parts().into_iter().enumerate() {
        let bytes = stl::to_binary_stl(&triangles);
        let soup = TriangleSoup::parse(&bytes, &Limits::default())?;
        let analysis = PartAnalysis::of(&soup);
        let placement = analysis.fit(&machine.build_volume).ok_or("does not fit")?;
        for infill in INFILLS {
            let settings = PrintSettings::standard(Process::Fdm, infill)?;
            let layers = analysis.layers(placement.up, settings.layer_height_mm());
            let sliced = slicer::slice(&soup, &placement, machine, pla, &settings, &config)?;
            cases.push(Case {
                // The default rates were fitted on every shape at 10% and 50%.
                fitted: fit_first.is_none_or(|n| index < n) && infill != 20,
                part,
                infill,
                layers,
                settings,
                sliced,
            });
        }
    }

    let rates = if fit_first.is_some() {
        let training: Vec<&Case> = cases.iter().filter(|c| c.fitted).collect();
        let rates = fit_rates(&training, pla);
        println!("fitted: {rates:#?}\n");
        rates
    } else {
        FdmRates::default()
    };
    table(&cases, pla, &rates);
    Ok(())
}

fn table(cases: &[Case], pla: &Material, rates: &FdmRates) {
    println!(
        "| part | infill | in fit | estimate time | slicer time | time diff | estimate g | slicer g | grams diff |"
    );
    println!("|---|---:|:---:|---:|---:|---:|---:|---:|---:|");
    let mut time_errors = Vec::new();
    let mut gram_errors = Vec::new();
    let mut held_out = (Vec::new(), Vec::new());
    for case in cases {
        let guess = estimate::estimate_with(&case.layers, pla, &case.settings, rates);
        let dt = guess.print_time_s / case.sliced.print_time_s - 1.0;
        let dg = guess.material_g / case.sliced.material_g - 1.0;
        time_errors.push(dt.abs());
        gram_errors.push(dg.abs());
        if !case.fitted {
            held_out.0.push(dt.abs());
            held_out.1.push(dg.abs());
        }
        println!(
            "| {} | {}% | {} | {} | {} | {:+.0}% | {:.1} | {:.1} | {:+.0}% |",
            case.part,
            case.infill,
            if case.fitted { "yes" } else { "no" },
            minutes(guess.print_time_s),
            minutes(case.sliced.print_time_s),
            dt * 100.0,
            guess.material_g,
            case.sliced.material_g,
            dg * 100.0
        );
    }
    println!(
        "\nmean absolute difference: time {:.0}%, grams {:.0}%; worst: time {:.0}%, grams {:.0}%",
        mean(&time_errors) * 100.0,
        mean(&gram_errors) * 100.0,
        worst(&time_errors) * 100.0,
        worst(&gram_errors) * 100.0
    );
    println!(
        "rows not in the fit: mean time {:.0}%, grams {:.0}%; worst time {:.0}%, grams {:.0}%",
        mean(&held_out.0) * 100.0,
        mean(&held_out.1) * 100.0,
        worst(&held_out.0) * 100.0,
        worst(&held_out.1) * 100.0
    );
}

/// Coordinate descent on the mean absolute relative error of time (rates) and grams
/// (the fixed material allowance), with multiplicative steps that shrink as it settles.
fn fit_rates(cases: &[&Case], pla: &Material) -> FdmRates {
    let error = |rates: &FdmRates| {
        let mut sum = 0.0;
        for case in cases {
            let guess = estimate::estimate_with(&case.layers, pla, &case.settings, rates);
            sum += (guess.print_time_s / case.sliced.print_time_s - 1.0).abs()
                + (guess.material_g / case.sliced.material_g - 1.0).abs();
        }
        sum / cases.len() as f64
    };
    type Knob = fn(&mut FdmRates) -> &mut f64;
    let knobs: [Knob; 9] = [
        |r| &mut r.overhang_layers,
        |r| &mut r.overhang_mm3_per_s,
        |r| &mut r.wall_mm3_per_s,
        |r| &mut r.small_wall_mm3_per_s,
        |r| &mut r.solid_mm3_per_s,
        |r| &mut r.infill_mm3_per_s,
        |r| &mut r.per_layer_s,
        |r| &mut r.fixed_s,
        |r| &mut r.fixed_mm3,
    ];
    let mut best = FdmRates::default();
    let mut best_error = error(&best);
    let mut step = 1.5f64;
    while step > 1.001 {
        let mut improved = false;
        for knob in knobs {
            for factor in [step, 1.0 / step] {
                let mut trial = best;
                let value = knob(&mut trial);
                *value = (*value * factor).max(1e-3);
                let e = error(&trial);
                if e < best_error {
                    best = trial;
                    best_error = e;
                    improved = true;
                }
            }
        }
        if !improved {
            step = step.sqrt();
        }
    }
    best
}

fn minutes(seconds: f64) -> String {
    let m = (seconds / 60.0).round() as u64;
    format!("{}h {:02}m", m / 60, m % 60)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn worst(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}
