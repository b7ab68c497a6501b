#!/usr/bin/env python3
"""Compare makrx-quoting's STL analysis with trimesh and numpy-stl on the same files.

Each tool analyses each benchmark part in a fresh process: read the binary STL, then
volume, surface area, bounding box, watertightness and (where the tool has it) the
number of shells. The best of N runs is reported with the process's peak memory.

    python3 -m venv .venv && .venv/bin/pip install -r crates/quoting/bench/requirements.txt
    .venv/bin/python crates/quoting/bench/compare.py            # from the workspace root

The Rust side is the `measure_stl` example, built in release mode, which reads the file
and quotes it (the measures, placement, layers and estimate; slicer off); the parts are
those the criterion bench uses (`bench/data`, written by the `bench_parts` example).
For CPU time against trimesh on the sphere, see `versus_trimesh.py`.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE.parent.parent.parent
PARTS = ["torus_10k.stl", "torus_100k.stl", "torus_1m.stl", "sphere_998k.stl"]
TOOLS = ["makrx-quoting", "trimesh", "numpy-stl", "numpy-stl-no-closed-check"]


def status_mb(field):
    """A figure from /proc/self/status, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def analyse_trimesh(path):
    import trimesh

    mesh = trimesh.load_mesh(path)  # process=True: merges vertices, as welding does
    return {
        "triangles": len(mesh.faces),
        "volume_mm3": float(abs(mesh.volume)),
        "area_mm2": float(mesh.area),
        "bbox_mm": [float(x) for x in mesh.extents],
        "watertight": bool(mesh.is_watertight),
        "shells": int(mesh.body_count),
    }


def analyse_numpy_stl(path, closed_check=True):
    """numpy-stl's figures; without `closed_check`, only its vectorised ones (its exact closed
    check is a Python loop)."""
    from stl import mesh as stl_mesh

    mesh = stl_mesh.Mesh.from_file(path)
    volume, _, _ = mesh.get_mass_properties()
    mesh.update_areas()
    mesh.update_min()
    mesh.update_max()
    return {
        "triangles": len(mesh.data),
        "volume_mm3": float(abs(volume)),
        "area_mm2": float(mesh.areas.sum()),
        "bbox_mm": [float(x) for x in mesh.max_ - mesh.min_],
        "watertight": bool(mesh.is_closed(exact=True)) if closed_check else None,
        "shells": None,  # numpy-stl has no connectivity analysis
    }


def worker(tool, path, repeat):
    """Runs in its own process: prints one JSON line."""
    analyse = {
        "trimesh": analyse_trimesh,
        "numpy-stl": analyse_numpy_stl,
        "numpy-stl-no-closed-check": lambda path: analyse_numpy_stl(path, closed_check=False),
    }[tool]
    if tool == "trimesh":
        import trimesh  # noqa: F401  (import cost is not part of the timing)
    else:
        import stl  # noqa: F401
    baseline = status_mb("VmRSS")
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = analyse(path)
        best = min(best, time.perf_counter() - started)
        if best > 5:  # slow enough that one run says it
            break
    print(json.dumps({
        "tool": tool,
        "file": str(path),
        "bytes": os.path.getsize(path),
        "seconds": best,
        "peak_rss_mb": status_mb("VmHWM"),
        "baseline_rss_mb": baseline,
        **result,
    }))


def cargo(*args):
    subprocess.run(["cargo", *args], cwd=WORKSPACE, check=True)


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", WORKSPACE / "target"))


def run(command, timeout):
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=HERE / "data", help="where the parts are (written if missing)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per tool and file; the best is kept")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ", ".join(TOOLS))
    parser.add_argument("--no-build", action="store_true", help="use the already built Rust example")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON lines too")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), args.repeat)
        return

    tools = [t for t in args.tools.split(",") if t]
    if not args.no_build:
        cargo("build", "--release", "-p", "makrx-quoting", "--example", "measure_stl", "--example", "bench_parts")
    examples = target_dir() / "release" / "examples"
    subprocess.run([examples / "bench_parts", args.dir], check=True, capture_output=True)

    rows = []
    for name in PARTS:
        path = args.dir / name
        results = {}
        for tool in tools:
            if tool == "makrx-quoting":
                command = [examples / "measure_stl", path, str(args.repeat)]
            else:
                command = [sys.executable, __file__, "--repeat", str(args.repeat), "--worker", tool, path]
            results[tool] = run([str(c) for c in command], timeout=1800)
            if args.json:
                print(json.dumps(results[tool]))
        rows.append((name, results))

    print(f"\nload average before: {os.getloadavg()[0]:.2f} (2 cores); best of {args.repeat} runs each\n")
    print("| part | triangles | file MB | tool | time ms | MB/s | peak RSS MB | RSS growth MB | time vs makrx | volume mm3 | watertight | shells |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for name, results in rows:
        reference = results.get("makrx-quoting", {}).get("seconds")
        for tool, r in results.items():
            mb = r["bytes"] / 1e6
            ratio = f"{r['seconds'] / reference:.1f}x" if reference else "-"
            shells = "n/a" if r["shells"] is None else r["shells"]
            watertight = "n/a" if r["watertight"] is None else r["watertight"]
            print(
                f"| {name} | {r['triangles']:,} | {mb:.1f} | {tool} | {r['seconds'] * 1000:.1f} | {mb / r['seconds']:.0f} "
                f"| {r['peak_rss_mb']:.0f} | {r['peak_rss_mb'] - r['baseline_rss_mb']:.0f} | {ratio} "
                f"| {r['volume_mm3']:.1f} | {watertight} | {shells} |"
            )
        rust = results.get("makrx-quoting")
        if rust and "read_seconds" in rust:
            print(
                f"| {name} | | | (read only) | {rust['read_seconds'] * 1000:.1f} "
                f"| {rust['bytes'] / 1e6 / rust['read_seconds']:.0f} | | | | | | |"
            )

if __name__ == "__main__":
    main()
