"""Browser-side figures for `make bench`: runner speed, main-thread long tasks, page weight.

The site is built strictly into a temporary folder, served from 127.0.0.1 and driven in
Debian's chromium. Every figure says its unit (ms, bytes) and the issue's target next to it.
Times are taken inside the page (performance.now() in event listeners and observers), so
Playwright's own round trips do not count.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_pages import CHAPTERS, LANGUAGES  # noqa: E402
from static_server import serve_directory  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUNNER_PAGES = {"vi": "basics/", "en": "en/basics/"}
REPETITIONS = 3  # Per language and scenario: 6 cold and 6 preloaded loads in all.
WARM_RUNS = 2  # Extra runs in every page that already ran once.
TIMEOUT_MS = 60_000  # Pyodide's cold load on a busy 2-core machine takes seconds, not minutes.
TARGETS = {"cold_ms": 1500, "warm_ms": 150, "page_bytes": 400_000, "pyodide_bytes": 0}
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg", "wasm")  # What hosts compress.

# Installed before any page script: long tasks, long animation frames (their script
# attribution is the best Chromium offers) and the worker's "ready" message, heard by
# wrapping Worker so the product needs no hook for benchmarks.
INSTRUMENT = """
(() => {
  const bench = (window.__bench = { longTasks: [], frames: [], ready: null, bootMs: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({
      start: e.startTime, duration: e.duration,
      attribution: e.attribution.map((a) => [a.containerType, a.containerSrc || a.containerName]
        .filter(Boolean).join(" ") || a.name),
    });
  }).observe({ type: "longtask", buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.frames.push({
        start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
        scripts: e.scripts.map((s) => ({ source: s.sourceURL, invoker: s.invoker,
          duration: s.duration })),
      });
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {}
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data }) => {
        if (data && data.type === "ready" && bench.ready === null) {
          bench.ready = performance.now();
          bench.bootMs = data.ms;
        }
      });
    }
  };
})();
"""

# Arms a MutationObserver on the first block's output, then notes the click on Run.
ARM = """
() => {
  const block = document.querySelector(".runnable-block");
  const output = block.querySelector(".runnable-output");
  const run = block.querySelector(".runnable-run");
  const bench = window.__bench;
  bench.clicked = null;
  bench.intent = bench.intent ?? null;
  bench.firstOutput = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (bench.clicked !== null && output.textContent.length > 0) {
        observer.disconnect();
        resolve(performance.now() - bench.clicked);
      }
    });
    observer.observe(output, { childList: true, characterData: true, subtree: true });
  });
  run.addEventListener("click", () => { bench.clicked = performance.now(); },
    { once: true, capture: true });
  block.addEventListener("pointerenter", () => { bench.intent ??= performance.now(); },
    { once: true });
}
"""


def build_site(target: Path) -> Path:
    """A strict MkDocs build, like the tests' `built_site`; a broken page stops the bench."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode:
        raise SystemExit(f"mkdocs build --strict failed:\n{result.stderr}")
    return target


def stats(values: list[float], target: float | None = None) -> dict:
    figures = {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }
    if target is not None:
        figures["target"] = target
        figures["median_meets_target"] = figures["median"] <= target
    return figures


class Recorder:
    """Every finished request of a browser context, with its finish time and transfer size."""

    def __init__(self, context):
        self.finished = []
        self.failed = []
        context.on("requestfinished", lambda request: self.finished.append(request))
        context.on("requestfailed", lambda request: self.failed.append(request.url))

    def timeline(self, origin_ms: float) -> list[dict]:
        """When each request finished, in ms after `origin_ms` (epoch), for files we name."""
        rows = []
        for request in self.finished:
            timing = request.timing
            end = timing["startTime"] + max(timing["responseEnd"], 0)
            rows.append(
                {
                    "file": Path(urlsplit(request.url).path).name or urlsplit(request.url).path,
                    "started_ms": round(timing["startTime"] - origin_ms),
                    "finished_ms": round(end - origin_ms),
                    "bytes": request.sizes()["responseBodySize"],
                }
            )
        return sorted(rows, key=lambda row: row["finished_ms"])


def runner_session(browser, url: str, preload: bool) -> dict:
    """One fresh context: a first Run (cold, or after hover and ready), then warm Runs."""
    context = browser.new_context()
    try:
        context.add_init_script(INSTRUMENT)
        recorder = Recorder(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate(ARM)
        block = page.locator(".runnable-block").first
        if preload:
            block.hover()
            page.wait_for_function("window.__bench.ready !== null", polling=50)
            block.locator(".cm-content").wait_for()
            page.evaluate(ARM)  # Re-armed: the hover already used the pointerenter listener.
        block.locator(".runnable-run").click()
        first = page.evaluate("window.__bench.firstOutput")
        wait_done(page)
        marks = page.evaluate(
            "({ origin: performance.timeOrigin, intent: window.__bench.intent,"
            " clicked: window.__bench.clicked, ready: window.__bench.ready,"
            " bootMs: window.__bench.bootMs, isolated: window.crossOriginIsolated })"
        )
        warm = []
        for _ in range(WARM_RUNS):
            page.evaluate(ARM)
            block.locator(".runnable-run").click()
            warm.append(page.evaluate("window.__bench.firstOutput"))
            wait_done(page)
        bench = page.evaluate("({ tasks: window.__bench.longTasks, frames: window.__bench.frames })")
        origin = marks["origin"] + (marks["intent"] if preload else marks["clicked"])
        return {
            "first_output_ms": first,
            "warm_ms": warm,
            "marks": marks,
            "long_tasks": bench["tasks"],
            "frames": bench["frames"],
            "timeline": recorder.timeline(origin),
            "failed": recorder.failed,
        }
    finally:
        context.close()


def wait_done(page) -> None:
    page.wait_for_function(
        "['done', 'error', 'stopped'].includes("
        "document.querySelector('.runnable-block').dataset.state)",
        polling=50,
    )
    state = page.locator(".runnable-block").first.get_attribute("data-state")
    if state != "done":
        raise SystemExit(f"the first runnable block ended in state {state!r} on {page.url}")


def long_task_summary(sessions: list[dict]) -> dict:
    """Long tasks on the main thread: during page load, and from intent until Python ready."""

    def window(session, start, end):
        tasks = [t for t in session["long_tasks"] if start <= t["start"] < end]
        return tasks

    load, loading = [], []
    for session in sessions:
        marks = session["marks"]
        load.append(window(session, 0, marks["intent"]))
        loading.append(window(session, marks["intent"], marks["ready"]))
    scripts: dict[str, float] = {}
    for session in sessions:
        marks = session["marks"]
        for frame in session["frames"]:
            if marks["intent"] <= frame["start"] < marks["ready"]:
                for script in frame["scripts"]:
                    name = Path(urlsplit(script["source"]).path).name or "?"
                    key = f"{name} ({script['invoker']})"
                    scripts[key] = scripts.get(key, 0) + script["duration"] / len(sessions)

    def describe(windows):
        counts = [len(tasks) for tasks in windows]
        totals = [sum(t["duration"] for t in tasks) for tasks in windows]
        durations = sorted(round(t["duration"]) for tasks in windows for t in tasks)
        attribution = sorted({a for tasks in windows for t in tasks for a in t["attribution"]})
        return {
            "count_per_load": stats(counts),
            "total_ms_per_load": stats(totals),
            "all_durations_ms": durations,
            "longtask_attribution": attribution,
        }

    return {
        "threshold_ms": 50,
        "runs": len(sessions),
        "page_load_before_intent": describe(load),
        "intent_to_python_ready": describe(loading),
        "scripts_in_long_frames_intent_to_ready_ms_per_load": {
            key: round(value) for key, value in sorted(scripts.items(), key=lambda kv: -kv[1])
        },
    }


def runner_figures(browser, base: str) -> tuple[dict, dict, dict]:
    """Cold, preloaded and warm times to first output, per language and overall."""
    sessions = {"cold": [], "preload": []}
    for _ in range(REPETITIONS):  # Interleaved, so a burst of load spreads over both kinds.
        for language, path in RUNNER_PAGES.items():
            for kind in sessions:
                result = runner_session(browser, base + path, preload=kind == "preload")
                result["language"] = language
                sessions[kind].append(result)
    cold = [s["first_output_ms"] for s in sessions["cold"]]
    preloaded = [s["first_output_ms"] for s in sessions["preload"]]
    warm = [ms for kind in sessions.values() for s in kind for ms in s["warm_ms"]]
    ready = [s["marks"]["ready"] - s["marks"]["intent"] for s in sessions["preload"]]
    boot = [s["marks"]["bootMs"] for s in sessions["preload"]]
    runner = {
        "pages": {language: "/" + path for language, path in RUNNER_PAGES.items()},
        "cold_first_output_ms": stats(cold, TARGETS["cold_ms"]),
        "cold_first_output_ms_by_language": by_language(sessions["cold"]),
        "preloaded_first_output_ms": stats(preloaded, TARGETS["warm_ms"]),
        "hover_to_python_ready_ms": stats(ready),
        "worker_boot_ms": stats(boot),
        "warm_first_output_ms": stats(warm, TARGETS["warm_ms"]),
        "cold_timeline_ms_after_click": median_timeline(sessions["cold"]),
        "failed_requests": sorted(
            {url for kind in sessions.values() for s in kind for url in s["failed"]}
        ),
    }
    environment = {"cross_origin_isolated": sessions["cold"][0]["marks"]["isolated"]}
    return runner, long_task_summary(sessions["preload"]), environment


def by_language(sessions: list[dict]) -> dict:
    languages = sorted({s["language"] for s in sessions})
    return {
        language: stats([s["first_output_ms"] for s in sessions if s["language"] == language])
        for language in languages
    }


def median_timeline(sessions: list[dict]) -> list[dict]:
    """When each file of a cold Run finished, median over runs; explains where time goes."""
    files: dict[str, list[dict]] = {}
    for session in sessions:
        for row in session["timeline"]:
            if row["started_ms"] >= -50:  # Requests caused by the click, not by the page load.
                files.setdefault(row["file"], []).append(row)
    rows = [
        {
            "file": name,
            "bytes": rows[0]["bytes"],
            "started_ms": round(statistics.median(r["started_ms"] for r in rows)),
            "finished_ms": round(statistics.median(r["finished_ms"] for r in rows)),
        }
        for name, rows in files.items()
    ]
    first_output = statistics.median(s["first_output_ms"] for s in sessions)
    rows.append({"file": "(first output)", "finished_ms": round(first_output)})
    return sorted(rows, key=lambda row: row["finished_ms"])


def kind_of(content_type: str, path: str) -> str:
    if "html" in content_type:
        return "html"
    if "css" in content_type:
        return "css"
    if "javascript" in content_type or path.endswith((".js", ".mjs")):
        return "js"
    if content_type.startswith("font/") or path.endswith((".woff", ".woff2", ".ttf")):
        return "fonts"
    if content_type.startswith("image/"):
        return "images"
    return "other"


def page_weight(browser, base: str, language: str, chapter: str) -> dict:
    """Bytes one page fetches with an empty cache and no intent (no hover, no focus)."""
    path = "/" + LANGUAGES[language] + ("" if chapter == "index" else chapter + "/")
    context = browser.new_context()
    try:
        recorder = Recorder(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        by_type: dict[str, dict] = {}
        resources = []
        for request in recorder.finished:
            response = request.response()
            body = response.body() if response else b""
            content_type = (response.headers.get("content-type", "") if response else "").lower()
            url_path = urlsplit(request.url).path
            kind = kind_of(content_type, url_path)
            sent = request.sizes()["responseBodySize"]
            compressed = (
                len(gzip.compress(body, 6)) if any(t in content_type for t in TEXT_TYPES) else sent
            )
            row = by_type.setdefault(kind, {"requests": 0, "bytes": 0, "gzip_bytes": 0})
            row["requests"] += 1
            row["bytes"] += sent
            row["gzip_bytes"] += compressed
            resources.append({"url": url_path, "bytes": sent, "gzip_bytes": compressed})
        total = sum(row["bytes"] for row in by_type.values())
        gzipped = sum(row["gzip_bytes"] for row in by_type.values())
        host = urlsplit(base).netloc
        urls = [r.url for r in recorder.finished] + recorder.failed
        return {
            "page": path,
            "lang": language,
            "requests": len(recorder.finished),
            "bytes": total,
            "gzip_bytes": gzipped,
            "target_bytes": TARGETS["page_bytes"],
            "meets_target_uncompressed": total <= TARGETS["page_bytes"],
            "meets_target_gzip": gzipped <= TARGETS["page_bytes"],
            "by_type": dict(sorted(by_type.items())),
            "largest": sorted(resources, key=lambda r: -r["bytes"])[:4],
            "pyodide_requests": [u for u in urls if "/pyodide/" in urlsplit(u).path],
            "third_party_requests": [u for u in urls if urlsplit(u).netloc != host],
            "failed_requests": recorder.failed,
        }
    finally:
        context.close()


def measure() -> dict:
    """Build, serve and measure; about two minutes on an idle 2-core machine."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
        )
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="bench-site-") as folder,
        serve_directory(build_site(Path(folder))) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            weights = [
                page_weight(browser, base, language, chapter)
                for language in LANGUAGES
                for chapter in CHAPTERS
            ]
            runner, long_tasks, environment = runner_figures(browser, base + "/")
            version = browser.version
        finally:
            browser.close()
    return {
        "environment": {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "chromium": version,
            "served_from": "127.0.0.1, no compression, no HTTP cache headers beyond Python's",
            "cpu_count": os.cpu_count(),
            **environment,
        },
        "runner": runner,
        "long_tasks": long_tasks,
        "page_weight_target_bytes": TARGETS["page_bytes"],
        "page_weight_pyodide_target_bytes": TARGETS["pyodide_bytes"],
        "page_weight": weights,
        "seconds": round(time.monotonic() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2, ensure_ascii=False))
