#!/usr/bin/env python3
"""makrx-quoting against trimesh on one part, by CPU time, wall time and peak memory.

Each round runs both tools, one after the other, each in a fresh process that reads
the file and analyses it once, as an upload is handled:

- makrx-quoting: the `measure_stl` example with one repeat, which quotes the file with
  `quote_file` (parse, measures, placement, layers, estimate, price; slicer off),
  measuring a binary file as it reads it;
- makrx-quoting, whole: the same with `--whole`, which reads the file into memory and
  quotes the bytes with `quote`, as the store quotes an upload it holds.
- trimesh: `trimesh.load_mesh` (which merges vertices), then volume, area, bounds,
  `is_watertight` and `body_count`.

CPU time (user + system, every thread) is what `wait4` reports for the whole process,
less the median of the same process doing nothing (`measure_stl` on a 12-triangle
cube; Python importing trimesh and exiting): so both figures include freeing what the
work allocated, and neither includes starting up. trimesh's own count of the work
alone (getrusage around it, in the process) is shown too. CPU time is the figure to
compare: it is what the work costs whatever the other cores are doing, where wall
time depends on whether our second thread found a free core.

The default part is the 998,000-triangle sphere (50 MB) the store's figures came from.

    python3 -m venv ~/.cache/makrx/bench-venv
    ~/.cache/makrx/bench-venv/bin/pip install -r crates/quoting/bench/requirements.txt
    ~/.cache/makrx/bench-venv/bin/python crates/quoting/bench/versus_trimesh.py   # from the workspace root
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE.parent.parent.parent


def status_mb(field):
    """A figure from /proc/self/status, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def trimesh_worker(path):
    """Runs in its own process: analyses `path` once (or, without one, only imports
    trimesh) and prints one JSON line."""
    import trimesh

    if path is None:
        print("{}")
        return

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    cpu_before, started = cpu(), time.perf_counter()
    mesh = trimesh.load_mesh(path)  # process=True: merges vertices, as welding does
    result = {
        "triangles": len(mesh.faces),
        "volume_mm3": float(abs(mesh.volume)),
        "area_mm2": float(mesh.area),
        "watertight": bool(mesh.is_watertight),
        "shells": int(mesh.body_count),
    }
    wall, cpu_seconds = time.perf_counter() - started, cpu() - cpu_before
    print(json.dumps({"wall": wall, "cpu_inside": cpu_seconds, **result}))


def run(command):
    """Runs `command`, returning its last line of output as JSON and its rusage."""
    child = subprocess.Popen([str(c) for c in command], stdout=subprocess.PIPE, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise RuntimeError(f"{command[0]} failed with status {status}")
    report = json.loads(out.strip().splitlines()[-1])
    report["cpu"] = usage.ru_utime + usage.ru_stime
    report["user"] = usage.ru_utime
    report["sys"] = usage.ru_stime
    report["peak_rss_mb"] = usage.ru_maxrss / 1024
    return report


def run_ours(example, path, *flags):
    report = run([example, path, "1", *flags])
    report["wall"] = report["seconds"]
    return report


def run_trimesh(path):
    return run([sys.executable, __file__, "--trimesh-worker", path])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", nargs="?", type=Path, help="a binary STL (default: the benchmark sphere)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of one run each; medians and bests are shown")
    parser.add_argument("--no-build", action="store_true", help="use the already built examples")
    parser.add_argument("--trimesh-worker", nargs="?", const="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.trimesh_worker is not None:
        trimesh_worker(args.trimesh_worker or None)
        return

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", "makrx-quoting",
                        "--example", "measure_stl", "--example", "bench_parts"], cwd=WORKSPACE, check=True)
    examples = Path(os.environ.get("CARGO_TARGET_DIR", WORKSPACE / "target")) / "release" / "examples"
    data = HERE / "data"
    subprocess.run([examples / "bench_parts", data], check=True, capture_output=True)
    path = args.part or data / "sphere_998k.stl"
    size_mb = path.stat().st_size / 2**20
    # The smallest part there is, for the cost of starting and stopping the process.
    cube = data / "cube_12.stl"
    if not cube.exists():
        import trimesh

        trimesh.creation.box(extents=[10, 10, 10]).export(cube)

    ours, whole, theirs, our_idle, their_idle = [], [], [], [], []
    load = os.getloadavg()[0]
    for _ in range(args.rounds):
        ours.append(run_ours(examples / "measure_stl", path))
        theirs.append(run_trimesh(path))
        whole.append(run_ours(examples / "measure_stl", path, "--whole"))
        our_idle.append(run([examples / "measure_stl", cube, "1"])["cpu"])
        their_idle.append(run([sys.executable, __file__, "--trimesh-worker"])["cpu"])
    for runs, idle in ((ours, our_idle), (whole, our_idle), (theirs, their_idle)):
        for r in runs:
            r["cpu"] -= statistics.median(idle)

    for key in ("triangles", "watertight", "shells"):
        if ours[0][key] != theirs[0][key]:
            print(f"warning: {key} differs: makrx-quoting {ours[0][key]}, trimesh {theirs[0][key]}")
    for key in ("volume_mm3", "area_mm2"):
        if abs(ours[0][key] - theirs[0][key]) > 1e-9 * abs(theirs[0][key]):
            print(f"warning: {key} differs: makrx-quoting {ours[0][key]}, trimesh {theirs[0][key]}")

    def figures(runs, key, scale=1000):
        values = [r[key] * scale for r in runs]
        return statistics.median(values), min(values)

    print(f"\n{path.name}: {ours[0]['triangles']:,} triangles, {size_mb:.1f} MiB; {args.rounds} rounds, "
          f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} cores)")
    print(f"volume {ours[0]['volume_mm3']:.3f} mm3 (trimesh {theirs[0]['volume_mm3']:.3f}), "
          f"area {ours[0]['area_mm2']:.3f} mm2, watertight {ours[0]['watertight']}, shells {ours[0]['shells']}\n")
    print("| tool | CPU ms (median / best) | wall ms (median / best) | peak RSS MiB | peak RSS / file |")
    print("|---|---:|---:|---:|---:|")
    for name, runs in (("makrx-quoting", ours), ("makrx-quoting, whole", whole), ("trimesh", theirs)):
        cpu, wall = figures(runs, "cpu"), figures(runs, "wall")
        peak = max(r["peak_rss_mb"] for r in runs)
        print(f"| {name} | {cpu[0]:.0f} / {cpu[1]:.0f} | {wall[0]:.0f} / {wall[1]:.0f} | {peak:.0f} | {peak / size_mb:.2f} |")
    print()
    for name, runs in (("makrx-quoting", ours), ("makrx-quoting, whole", whole)):
        cpu_ratio = statistics.median(t["cpu"] / o["cpu"] for o, t in zip(runs, theirs))
        inside_ratio = statistics.median(t["cpu_inside"] / o["cpu"] for o, t in zip(runs, theirs))
        wall_ratio = statistics.median(t["wall"] / o["wall"] for o, t in zip(runs, theirs))
        user = statistics.median(r["user"] for r in runs) * 1000
        system = statistics.median(r["sys"] for r in runs) * 1000
        print(f"trimesh / {name}, median of the rounds' ratios: CPU {cpu_ratio:.1f}x, wall {wall_ratio:.1f}x "
              f"(trimesh's CPU counted inside its process, without freeing its memory: {inside_ratio:.1f}x); "
              f"CPU split: user {user:.0f} ms, system {system:.0f} ms")
    print(f"start-up subtracted: {statistics.median(our_idle) * 1000:.0f} ms ours, "
          f"{statistics.median(their_idle) * 1000:.0f} ms Python with trimesh")


if __name__ == "__main__":
    main()
