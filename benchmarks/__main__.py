"""`make bench`: real servers against the model, the lab's speed, the browser's figures.

python -m benchmarks                  everything; refreshes snippets/benchmarks/results.json
python -m benchmarks --quick          a few scenarios once, to try things (site left alone)
python -m benchmarks --only servers   one part: lab, servers (also refreshes the site) or browser

Writes benchmarks/report/bench.json and bench.md.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import time

from benchmarks import matrix, report

REPETITIONS = 3
PARTS = ("lab", "servers", "browser")


def measure_servers(quick: bool) -> list[dict]:
    scenarios = matrix.QUICK if quick else matrix.MATRIX
    repetitions = 1 if quick else REPETITIONS
    print(f"Real servers: {len(scenarios)} scenarios × {repetitions}", flush=True)
    return matrix.run(scenarios, repetitions, progress=lambda line: print(line, flush=True))


def measure_lab() -> list[dict]:
    from benchmarks import lab_speed

    print("Lab speed: serverlab.simulate() at 1,000 / 10,000 / 100,000 requests", flush=True)
    return lab_speed.measure()["lab_speed"]


def measure_browser():
    """benchmarks/browser.py's figures, or why there are none (its absence is not an error)."""
    if importlib.util.find_spec("benchmarks.browser") is None:
        return report.NOT_MEASURED
    print("Browser: runner and page figures", flush=True)
    try:
        return importlib.import_module("benchmarks.browser").measure()
    except Exception as error:  # the other parts' figures must still be written
        return f"{report.NOT_MEASURED}: {type(error).__name__}: {error}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a few scenarios, one repetition")
    parser.add_argument("--only", choices=PARTS, help="measure one part only")
    args = parser.parse_args(argv)
    parts = [args.only] if args.only else list(PARTS)
    # Only the whole matrix with its repetitions may replace the numbers the site shows.
    full = not args.quick and "servers" in parts

    started = time.monotonic()
    machine = report.machine_facts()
    results = {
        "lab_speed": measure_lab() if "lab" in parts else report.NOT_MEASURED,
        "servers": measure_servers(args.quick) if "servers" in parts else report.NOT_MEASURED,
        "browser": measure_browser() if "browser" in parts else report.NOT_MEASURED,
    }
    machine["load_after"] = report.load_average()
    run = {
        "mode": "quick" if args.quick else "full" if not args.only else f"only {args.only}",
        "parts": parts,
        "repetitions": 1 if args.quick else REPETITIONS,
        "tolerance_pct": matrix.TOLERANCE * 100,
        "quiet_threshold_pct": matrix.QUIET * 100,
        "duration_s": round(time.monotonic() - started, 1),
    }
    written = report.write({"machine": machine, "run": run, **results}, refresh_site=full)
    for path in written:
        print(f"wrote {os.path.relpath(path)}")
    return _verdict(results["servers"])


def _verdict(servers) -> int:
    """Say which I/O scenarios missed the model by more than the tolerance (exit 1 if any)."""
    if not isinstance(servers, list):
        return 0
    missed = [r for r in servers if r["kind"] == "io" and not r["within_25pct"]]
    for r in missed:
        diff = "failed" if r["diff_pct"] is None else f"{r['diff_pct']:+.1f} %"
        print(f"outside ±{matrix.TOLERANCE:.0%}: {r['id']}: {diff}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
