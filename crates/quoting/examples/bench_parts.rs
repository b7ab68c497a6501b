//! Writes the benchmark parts (closed tori of 10k, 100k and 1M triangles and a sphere of
//! 998k, binary STL) into a directory, default `bench/data`, and prints their paths.
//!
//! `cargo run --release -p makrx-quoting --example bench_parts -- [DIR]`

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/data"),
        PathBuf::from,
    );
    for path in makrx_quoting::shapes::write_benchmark_parts(&dir)? {
        println!("{}", path.display());
    }
    Ok(())
}
