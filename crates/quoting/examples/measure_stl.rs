//! Times the full analysis of an STL file and reports peak memory, as one JSON line:
//! what the benchmark script compares with trimesh and numpy-stl.
//!
//! `cargo run --release -p makrx-quoting --example measure_stl -- FILE [REPEATS]`

use std::path::Path;
use std::time::Instant;

use makrx_quoting::{Limits, PartAnalysis, TriangleSoup, stl};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("usage: measure_stl FILE [REPEATS]")?;
    let repeats: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let limits = Limits::default();
    let baseline_kb = status_kb("VmRSS");

    let mut full = f64::INFINITY;
    let mut read = f64::INFINITY;
    let mut analyse = f64::INFINITY;
    let mut copy = f64::INFINITY;
    let mut summary = String::new();
    for _ in 0..repeats.max(1) {
        let started = Instant::now();
        let bytes = stl::read_file(Path::new(&file), &limits)?;
        let after_read = Instant::now();
        let soup = TriangleSoup::parse(&bytes, &limits)?;
        let analysis = PartAnalysis::of(&soup);
        let done = Instant::now();
        full = full.min((done - started).as_secs_f64());
        read = read.min((after_read - started).as_secs_f64());
        analyse = analyse.min((done - after_read).as_secs_f64());
        let m = &analysis.measurements;
        summary = format!(
            "\"triangles\":{},\"volume_mm3\":{},\"area_mm2\":{},\"watertight\":{},\"shells\":{}",
            m.triangles, m.volume_mm3, m.area_mm2, m.watertight, m.shells
        );
        // What a plain copy of the bytes costs: memory speed on this machine.
        let started = Instant::now();
        let copied = bytes.clone();
        copy = copy.min(started.elapsed().as_secs_f64());
        drop(std::hint::black_box(copied));
    }
    let bytes = std::fs::metadata(&file)?.len();
    println!(
        "{{\"tool\":\"makrx-quoting\",\"file\":{file:?},\"bytes\":{bytes},\"seconds\":{full},\"read_seconds\":{read},\"analyse_seconds\":{analyse},\"copy_seconds\":{copy},\"peak_rss_mb\":{},\"baseline_rss_mb\":{},{summary}}}",
        status_kb("VmHWM") / 1024.0,
        baseline_kb / 1024.0
    );
    Ok(())
}

/// A figure from /proc/self/status, in kB (0 where there is no /proc).
fn status_kb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        })
        .unwrap_or(0.0)
}
