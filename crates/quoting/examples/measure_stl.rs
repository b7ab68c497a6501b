//! Times what the store runs on an upload, reading the file and quoting it (parse,
//! measures, placement, layers, estimate, price; the slicer off), and reports peak
//! memory, as one JSON line: what the benchmark scripts compare with trimesh and
//! numpy-stl.
//!
//! `cargo run --release -p makrx-quoting --example measure_stl -- FILE [REPEATS] [--whole | --read-only]`
//!
//! The file is quoted with `quote_file`, which measures a binary file as it reads it;
//! with `--whole` it is read into memory with `stl::read_file` and the bytes quoted
//! with `quote`, as the store quotes the bytes of an upload (`read_seconds` is then the
//! reading alone); with `--read-only` it is only read so, which subtracted from
//! `--whole` leaves what `quote` costs on bytes in memory. With one repeat the process
//! does nothing else, so its CPU time as its parent sees it (`bench/versus_trimesh.py`
//! reads it with `wait4`) is the cost of one upload.

use std::path::Path;
use std::time::Instant;

use makrx_quoting::materials::Process;
use makrx_quoting::{
    Limits, PriceList, PrintSettings, Quantity, QuoteError, QuoteRequest, SlicerMode, Utc, quote,
    quote_file, stl,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let (read_only, whole) = (flag("--read-only"), flag("--whole"));
    args.retain(|a| !a.starts_with("--"));
    let mut args = args.into_iter();
    let file = args
        .next()
        .ok_or("usage: measure_stl FILE [REPEATS] [--whole | --read-only]")?;
    let repeats: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let limits = Limits::default();
    let prices = PriceList::standard();
    let request = QuoteRequest {
        material: "PLA".into(),
        settings: PrintSettings::standard(Process::Fdm, 20)?,
        quantity: Quantity::new(1)?,
        slicer: SlicerMode::Off,
    };
    let baseline_kb = status_kb("VmRSS");

    let mut full = f64::INFINITY;
    let mut read = f64::INFINITY;
    let mut summary = String::new();
    for _ in 0..repeats.max(1) {
        let started = Instant::now();
        let quoted = if whole || read_only {
            let bytes = stl::read_file(Path::new(&file), &limits)?;
            read = read.min(started.elapsed().as_secs_f64());
            if read_only {
                full = read;
                continue;
            }
            quote(&bytes, &request, &prices, &limits, Utc::now())
        } else {
            quote_file(Path::new(&file), &request, &prices, &limits, Utc::now())
        };
        // A part too big to print is measured all the same; only its layers are skipped.
        let part = match quoted {
            Ok(quote) => quote.part,
            Err(QuoteError::DoesNotFit(misfit)) => misfit.part,
            Err(e) => return Err(e.into()),
        };
        full = full.min(started.elapsed().as_secs_f64());
        summary = format!(
            ",\"triangles\":{},\"volume_mm3\":{},\"area_mm2\":{},\"watertight\":{},\"shells\":{}",
            part.triangles, part.volume_mm3, part.area_mm2, part.watertight, part.shells
        );
    }
    let bytes = std::fs::metadata(&file)?.len();
    let read = if whole || read_only {
        format!("\"read_seconds\":{read},")
    } else {
        String::new()
    };
    println!(
        "{{\"tool\":\"makrx-quoting\",\"file\":{file:?},\"bytes\":{bytes},\"seconds\":{full},{read}\"peak_rss_mb\":{},\"baseline_rss_mb\":{}{summary}}}",
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
