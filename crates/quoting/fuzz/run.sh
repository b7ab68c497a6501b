#!/bin/sh
# Fuzzes the STL reader for a bounded time (default 60 s), starting from the seed parts.
#   crates/quoting/fuzz/run.sh [SECONDS]
# Needs cargo-fuzz 0.13 (`cargo install cargo-fuzz --version 0.13.2 --locked`); runs on the
# pinned stable toolchain through RUSTC_BOOTSTRAP, as cargo-fuzz needs nightly flags.
set -eu
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/stl_reader
RUSTC_BOOTSTRAP=1 exec cargo fuzz run stl_reader fuzz/corpus/stl_reader fuzz/seeds -- \
    -max_total_time="${1:-60}" -max_len=4096 -timeout=10 -rss_limit_mb=2048
