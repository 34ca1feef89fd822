"""`make bench`: real servers against the model, the lab's speed, the browser's figures,
the site over shaped network links, and Lighthouse.

python -m benchmarks                  everything; refreshes snippets/benchmarks/results.json
python -m benchmarks --quick          a few scenarios once, to try things (site left alone)
python -m benchmarks --only servers   one part: lab, servers (also refreshes the site), browser,
                                      network (shaped links, per page kind), features (what
                                      challenges, sharing, the await tree and the Markdown
                                      copy add before intent) or lighthouse
python -m benchmarks --site DIR       measure an already built site folder (browser, network,
                                      lighthouse) instead of building one

Writes benchmarks/report/bench.json and bench.md.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks import matrix, report

REPETITIONS = 3
PARTS = ("lab", "servers", "browser", "network", "features", "lighthouse")


def measure_servers(quick: bool) -> list[dict]:
    scenarios = matrix.QUICK if quick else matrix.MATRIX
    repetitions = 1 if quick else REPETITIONS
    print(f"Real servers: {len(scenarios)} scenarios × {repetitions}", flush=True)
    return matrix.run(scenarios, repetitions, progress=lambda line: print(line, flush=True))


def measure_lab() -> list[dict]:
    from benchmarks import lab_speed

    print("Lab speed: serverlab.simulate() at 1,000 / 10,000 / 100,000 requests", flush=True)
    return lab_speed.measure()["lab_speed"]


def measure_site_part(module: str, title: str, site: Path | Exception):
    """A site part's figures, or why there are none (a missing module is not an error)."""
    if importlib.util.find_spec(module) is None:
        return report.NOT_MEASURED
    if isinstance(site, Exception):
        return f"{report.NOT_MEASURED}: the site did not build: {site}"
    print(title, flush=True)
    try:
        return importlib.import_module(module).measure(site)
    except Exception as error:  # the other parts' figures must still be written
        return f"{report.NOT_MEASURED}: {type(error).__name__}: {error}"


SITE_MEASURES = {
    "browser": ("benchmarks.browser", "Browser: runner and page figures"),
    "network": ("benchmarks.network", "Network: shaped links, per page kind (1 run each)"),
    "features": ("benchmarks.features", "Features: their bytes before intent, every page"),
    "lighthouse": ("benchmarks.lighthouse_scores", "Lighthouse: every page, both languages"),
}


@contextmanager
def built_site(given: str | None, needed: bool):
    """The folder to measure: the one given, a fresh build (or why it failed), or None."""
    if given is not None:
        yield Path(given).resolve()
    elif not needed:
        yield None
    else:
        from harness.static_site import build_site

        with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
            print("Building the site (mkdocs build --strict)", flush=True)
            try:
                site = build_site(Path(folder))
            except RuntimeError as error:  # The parts already measured must still be written.
                site = error
            yield site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a few scenarios, one repetition")
    parser.add_argument("--only", choices=PARTS, help="measure one part only")
    parser.add_argument("--site", metavar="DIR", help="measure this built site folder")
    args = parser.parse_args(argv)
    if args.site is not None and not (Path(args.site) / "index.html").is_file():
        parser.error(f"--site {args.site}: no index.html there; give a built site folder")
    parts = [args.only] if args.only else list(PARTS)
    # Only the whole matrix with its repetitions may replace the numbers the site shows.
    full = not args.quick and "servers" in parts

    started = time.monotonic()
    machine = report.machine_facts()
    results = {
        "lab_speed": measure_lab() if "lab" in parts else report.NOT_MEASURED,
        "servers": measure_servers(args.quick) if "servers" in parts else report.NOT_MEASURED,
    }
    with built_site(args.site, needed=bool(set(SITE_MEASURES) & set(parts))) as site:
        for part, (module, title) in SITE_MEASURES.items():
            if part in parts:
                results[part] = measure_site_part(module, title, site)
            else:
                results[part] = report.NOT_MEASURED
    machine["load_after"] = report.load_average()
    run = {
        "mode": "quick" if args.quick else "full" if not args.only else f"only {args.only}",
        "parts": parts,
        "repetitions": 1 if args.quick else REPETITIONS,
        "tolerance_pct": matrix.TOLERANCE * 100,
        "quiet_threshold_pct": matrix.QUIET * 100,
        "duration_s": round(time.monotonic() - started, 1),
        "site": args.site or "a fresh strict build",
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
