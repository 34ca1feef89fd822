"""Lighthouse (pinned in benchmarks/lighthouse/) over every page in both languages, mobile.

The site is served by the shaping server unshaped (127.0.0.1, gzip as hosts do):
Lighthouse's mobile profile already simulates a slow 4G link and a 4× slower CPU from
its own trace, so shaping the link as well would count the network twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from benchmarks.shaping import LOOPBACK, serve_shaped
from harness import started
from harness.chromium import CHROMIUM
from harness.paths import ROOT
from harness.site_pages import CHAPTERS, LANGUAGES

FOLDER = ROOT / "benchmarks" / "lighthouse"
CLI = FOLDER / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "seo", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "seo": 100, "best-practices": 100}
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)
PASS = 0.9  # Lighthouse's own line between a passed and a failed audit.
NOT_JUDGED = {"notApplicable", "informative", "manual", "error"}
PAGE_TIMEOUT_S = 240
# Runs per page: one run's total blocking time moved by up to 150 ms between identical
# builds here, enough to move a heavy page's performance score across 95. The row is the
# run with the median performance score, as Lighthouse's docs advise for variance.
# https://github.com/GoogleChrome/lighthouse/blob/main/docs/variability.md
RUNS = 3


def page_path(language: str, chapter: str) -> str:
    return "/" + LANGUAGES[language] + ("" if chapter == "index" else chapter + "/")


def run_lighthouse(url: str, output: Path) -> dict:
    """One mobile run of `url`; its JSON report, or raises with Lighthouse's stderr."""
    command = [
        "node",
        str(CLI),
        url,
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    environment = {**os.environ, "CHROME_PATH": CHROMIUM}
    process, start = started.spawn(
        "lighthouse", command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _, stderr = process.communicate(timeout=PAGE_TIMEOUT_S)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # Its Chromium may run in a group of its own; it carries the start's mark all the same.
        started.end(started.left_behind([start]))
    if process.returncode:
        raise RuntimeError(f"lighthouse exited {process.returncode}: {stderr.decode()[-600:]}")
    return json.loads(output.read_text(encoding="utf-8"))


def scores(report: dict) -> dict:
    """The four scores (0-100), the metrics, and the failing audits' ids."""
    failing, scored = set(), set()
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit["scoreDisplayMode"] in NOT_JUDGED or audit["score"] is None:
                continue
            if audit["score"] < PASS:
                failing.add(ref["id"])
                if ref.get("weight"):
                    scored.add(ref["id"])
    return {
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics_ms": {m: round(report["audits"][m]["numericValue"], 3) for m in METRICS},
        "failing_audits_that_weigh_on_the_score": sorted(scored),
        "failing_audits": sorted(failing),
        "warnings": report.get("runWarnings", []),
    }


def median_run(runs: list[dict]) -> dict:
    """Of a page's runs (scores() rows), the one with the median performance score."""
    ordered = sorted(runs, key=lambda run: run["scores"]["performance"])
    row = dict(ordered[(len(ordered) - 1) // 2])
    row["performance_runs"] = [run["scores"]["performance"] for run in runs]
    return row


def measure(site: Path, progress=print) -> dict:
    """Every chapter in both languages, RUNS times each."""
    if not CLI.is_file():
        raise FileNotFoundError(f"{CLI} is missing: run `make bench` (npm ci in {FOLDER})")
    version = json.loads((CLI.parent.parent / "package.json").read_text())["version"]
    pages = []
    with (
        tempfile.TemporaryDirectory(prefix="lighthouse-") as folder,
        serve_shaped(site, LOOPBACK) as shaped,
    ):
        for language in LANGUAGES:
            for chapter in CHAPTERS:
                path = page_path(language, chapter)
                progress(f"  lighthouse {path}")
                row = {"page": path, "language": language}
                runs, errors = [], []
                for _ in range(RUNS):
                    try:
                        report = run_lighthouse(shaped.url + path, Path(folder) / "report.json")
                        runs.append(scores(report))
                    except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as error:
                        errors.append(f"{type(error).__name__}: {error}")  # The others go on.
                if runs:
                    row.update(median_run(runs))
                    if errors:
                        row["failed_runs"] = errors
                else:
                    row["error"] = errors[0]
                pages.append(row)
    return {
        "lighthouse": version,
        "form_factor": "mobile (Lighthouse's default: simulated slow 4G, 4× CPU)",
        "served_from": "127.0.0.1 through the shaping server unshaped (gzip, no pacing)",
        "repetitions": RUNS,
        "targets": TARGETS,
        "pages": pages,
        "pages_meeting_targets": sum(
            1
            for row in pages
            if "scores" in row and all(row["scores"][c] >= TARGETS[c] for c in CATEGORIES)
        ),
    }
