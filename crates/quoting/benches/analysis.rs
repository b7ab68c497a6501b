//! Reading and measuring binary STL parts of 10k, 100k and 1M triangles.
//!
//! `cargo bench -p makrx-quoting --bench analysis`; the parts are written to
//! `$MAKRX_BENCH_DIR` (default `crates/quoting/bench/data`), the same files
//! `bench/compare.py` gives to trimesh and numpy-stl.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use makrx_quoting::{Limits, PartAnalysis, TriangleSoup, shapes, stl};

fn bench_dir() -> PathBuf {
    std::env::var_os("MAKRX_BENCH_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/data"),
        PathBuf::from,
    )
}

fn analysis(c: &mut Criterion) {
    let limits = Limits::default();
    let paths = match shapes::write_benchmark_parts(&bench_dir()) {
        Ok(paths) => paths,
        Err(e) => panic!("cannot write the benchmark parts: {e}"),
    };
    let mut group = c.benchmark_group("stl");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    for path in &paths {
        let name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let bytes = match stl::read_file(path, &limits) {
            Ok(bytes) => bytes,
            Err(e) => panic!("{e}"),
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("read_file", &name), path, |b, path| {
            b.iter(|| stl::read_file(path, &limits).map(|bytes| bytes.len()))
        });
        group.bench_with_input(
            BenchmarkId::new("analyse_bytes", &name),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    TriangleSoup::parse(bytes, &limits)
                        .map(|soup| PartAnalysis::of(&soup).measurements)
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("read_and_analyse", &name),
            path,
            |b, path| {
                b.iter(|| {
                    let bytes = stl::read_file(path, &limits)?;
                    TriangleSoup::parse(&bytes, &limits)
                        .map(|soup| PartAnalysis::of(&soup).measurements)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
