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
import mimetypes
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import sync_playwright

from harness.chromium import PYTHON_TIMEOUT_MS, launch_options
from harness.site_pages import CHAPTERS, LANGUAGES
from harness.static_site import build_site, serve_counting

RUNNER_PAGES = {"vi": "basics/", "en": "en/basics/"}
REPETITIONS = 3  # Per language and kind of Run: 6 first Runs of each kind in all.
WARM_RUNS = 2  # Extra Runs in every page that already ran once.
TARGETS = {"cold_ms": 1500, "warm_ms": 150, "page_bytes": 400_000}
COMPRESSIBLE = ("text/", "javascript", "json", "xml", "svg", "wasm")  # What hosts gzip.

# Installed before any page script: long tasks, long animation frames (their script
# attribution is the best Chromium offers) and the worker's "ready" message, heard by
# wrapping Worker so that the product needs no hook for benchmarks.
INSTRUMENT = """
(() => {
  const bench = (window.__bench = { longTasks: [], frames: [], ready: null, bootMs: null });
  bench.whenReady = new Promise((resolve) => (bench.markReady = resolve));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({
      start: e.startTime, duration: e.duration,
      attribution: e.attribution.map((a) =>
        [a.name, a.containerType, a.containerSrc || a.containerName].filter(Boolean).join(" ")),
    });
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.frames.push({
      start: e.startTime,
      scripts: e.scripts.map((s) => ({ source: s.sourceURL, invoker: s.invoker,
        duration: s.duration })),
    });
  }).observe({ type: "long-animation-frame", buffered: true });
  // The worker's first message hands the page a private port (browser/protocol.js, "hello");
  // its replies, "ready" among them, come through that port. Listening before the page
  // does keeps this observer first, and the page's own onmessage starts the port.
  const onReady = ({ data }) => {
    if (data && data.type === "ready" && bench.ready === null) {
      bench.ready = performance.now();
      bench.bootMs = data.ms;
      bench.markReady();
    }
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data, ports }) => {
        const port = data && data.type === "hello" && ports[0];
        if (port) port.addEventListener("message", onReady);
      });
    }
  };
})();
"""

# Arms observers on a block (the first, unless a selector says which): the click on Run,
# its first output, its end state.
FIRST_BLOCK = ".runnable-block"
ARM = """
(selector) => {
  const block = document.querySelector(selector);
  const output = block.querySelector(".runnable-output");
  const bench = window.__bench;
  bench.clicked = null;
  const watch = (target, options, test) => new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const value = bench.clicked !== null && test();
      if (value !== false) {
        observer.disconnect();
        resolve(value);
      }
    });
    observer.observe(target, options);
  });
  bench.firstOutput = watch(output, { childList: true, characterData: true, subtree: true },
    () => output.textContent.length > 0 && performance.now() - bench.clicked);
  bench.finished = watch(block, { attributes: true, attributeFilter: ["data-state"] },
    () => ["done", "error", "stopped"].includes(block.dataset.state) && block.dataset.state);
  block.querySelector(".runnable-run").addEventListener("click",
    () => { bench.clicked = performance.now(); }, { once: true, capture: true });
  block.addEventListener("pointerenter", () => { bench.intent ??= performance.now(); },
    { once: true });
}
"""

SETTLE = """
([expression, ms]) => Promise.race([
  (0, eval)(expression),
  new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`${expression} did not settle in ${ms} ms`)), ms)),
])
"""

SERVICE_WORKER_READY = """
async (ms) => {
  const registration = await navigator.serviceWorker?.getRegistration();
  if (!registration) return "none";
  const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), ms));
  return Promise.race([navigator.serviceWorker.ready.then(() => "active"), timeout]);
}
"""


def stats(values: list[float], target: float | None = None) -> dict:
    """Median, min and max (and the target, if any, with whether they meet it)."""
    figures = {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }
    if target is not None:
        figures["target"] = target
        figures["median_meets_target"] = figures["median"] <= target
        figures["max_meets_target"] = figures["max"] <= target
    return figures


def gzip_size(body: bytes, content_type: str) -> int:
    """What a host that gzips text (level 6, as nginx and most CDNs) would send."""
    if any(kind in content_type for kind in COMPRESSIBLE):
        return len(gzip.compress(body, 6))
    return len(body)


class Recorder:
    """Every request of a browser context (workers included): finished, failed, timings."""

    def __init__(self, context):
        self.finished = []
        self.failed = []
        context.on("requestfinished", lambda request: self.finished.append(request))
        context.on("requestfailed", lambda request: self.failed.append(request.url))

    def timeline(self, origin_ms: float, site: Path) -> list[dict]:
        """When each request started and finished, in ms after `origin_ms` (epoch)."""
        rows = []
        for request in self.finished:
            if request.service_worker:  # Its network copy; the page's row is the arrival.
                continue
            timing = request.timing
            path = unquote(urlsplit(request.url).path)
            file = site / path.lstrip("/")
            rows.append(
                {
                    "file": Path(path).name or path,
                    "path": path,
                    "bytes": file.stat().st_size if file.is_file() else None,
                    "started_ms": round(timing["startTime"] - origin_ms),
                    "finished_ms": round(timing["startTime"] + timing["responseEnd"] - origin_ms),
                }
            )
        return rows


def open_page(context, url: str, prepare=None):
    """Load `url` and wait until the network is idle and the site's service worker (if
    any) has finished installing: its precache would otherwise compete with what we time."""
    page = context.new_page()
    page.set_default_timeout(PYTHON_TIMEOUT_MS)
    if prepare is not None:  # What must hold from the first byte, such as a CPU slowdown.
        prepare(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.evaluate(SERVICE_WORKER_READY, PYTHON_TIMEOUT_MS) == "active":
        page.wait_for_load_state("networkidle")
    return page


def runner_session(browser, url: str, site: Path, preload: bool, workers="allow") -> dict:
    """One fresh context: a first Run (cold, or after hover and ready), then warm Runs."""
    context = browser.new_context(service_workers=workers)
    try:
        context.add_init_script(INSTRUMENT)
        recorder = Recorder(context)
        page = open_page(context, url)
        block = page.locator(".runnable-block").first
        if preload:
            page.evaluate(ARM, FIRST_BLOCK)
            block.hover()
            settle(page, "window.__bench.whenReady")
        first = run_once(page, block)
        marks = page.evaluate(
            "({ origin: performance.timeOrigin, intent: window.__bench.intent,"
            " clicked: window.__bench.clicked, ready: window.__bench.ready,"
            " bootMs: window.__bench.bootMs, isolated: window.crossOriginIsolated })"
        )
        warm = [run_once(page, block) for _ in range(WARM_RUNS)]
        bench = page.evaluate(
            "({ tasks: window.__bench.longTasks, frames: window.__bench.frames })"
        )
        origin = marks["origin"] + (marks["intent"] if preload else marks["clicked"])
        timeline = recorder.timeline(origin, site)
        revisit = None
        if not preload:
            # The reader's next page: same browser cache (and service worker), new worker.
            page.close()
            page = open_page(context, url)
            revisit = run_once(page, page.locator(".runnable-block").first)
        return {
            "first_output_ms": first,
            "warm_ms": warm,
            "revisit_ms": revisit,
            "marks": marks,
            "long_tasks": bench["tasks"],
            "frames": bench["frames"],
            "timeline": timeline,
            "failed": recorder.failed,
        }
    finally:
        context.close()


def run_once(page, block, selector: str = FIRST_BLOCK, ms: float = PYTHON_TIMEOUT_MS) -> float:
    """Click Run on `block` (found by `selector`); ms from the click to its first output."""
    page.evaluate(ARM, selector)
    # A dispatched click: a mouse click can miss Run when the editor mounts under the
    # pointer and shifts the toolbar; intent then starts at the click, the slowest case.
    block.locator(".runnable-run").dispatch_event("click")
    state = settle(page, "window.__bench.finished", ms)
    if state != "done":
        raise RuntimeError(f"{selector} ended in state {state!r} on {page.url}")
    return settle(page, "window.__bench.firstOutput", ms)


def settle(page, promise: str, ms: float = PYTHON_TIMEOUT_MS):
    """The value of an in-page promise, or a clear error instead of waiting forever."""
    return page.evaluate(SETTLE, [promise, ms])


def runner_figures(browser, base: str, site: Path) -> tuple[dict, dict, dict]:
    """Cold, preloaded and warm times to first output; long tasks of the preloaded loads."""
    kinds = {
        "cold": {"preload": False},
        "preload": {"preload": True},
        # The same cold Run without the site's service worker, which sits between the
        # worker and every Pyodide file: the difference is what it costs.
        "cold_no_sw": {"preload": False, "workers": "block"},
    }
    sessions = {kind: [] for kind in kinds}
    for _ in range(REPETITIONS):  # Interleaved, so a burst of load spreads over every kind.
        for language, path in RUNNER_PAGES.items():
            for kind, options in kinds.items():
                result = runner_session(browser, base + path, site, **options)
                result["language"] = language
                sessions[kind].append(result)
    cold, preloaded = sessions["cold"], sessions["preload"]
    runner = {
        "pages": ["/" + path for path in RUNNER_PAGES.values()],
        "cold_first_output_ms": stats([s["first_output_ms"] for s in cold], TARGETS["cold_ms"]),
        "cold_first_output_ms_by_language": by_language(cold),
        "cold_first_output_ms_service_worker_blocked": stats(
            [s["first_output_ms"] for s in sessions["cold_no_sw"]], TARGETS["cold_ms"]
        ),
        "revisit_first_output_ms": stats([s["revisit_ms"] for s in cold], TARGETS["cold_ms"]),
        "revisit_first_output_ms_service_worker_blocked": stats(
            [s["revisit_ms"] for s in sessions["cold_no_sw"]], TARGETS["cold_ms"]
        ),
        "preloaded_first_output_ms": stats(
            [s["first_output_ms"] for s in preloaded], TARGETS["warm_ms"]
        ),
        "hover_to_python_ready_ms": stats(
            [s["marks"]["ready"] - s["marks"]["intent"] for s in preloaded]
        ),
        "worker_boot_ms": stats([s["marks"]["bootMs"] for s in preloaded]),
        "warm_first_output_ms": stats(
            [ms for runs in sessions.values() for s in runs for ms in s["warm_ms"]],
            TARGETS["warm_ms"],
        ),
        "cold_timeline_ms_after_click": median_timeline(cold),
        "cold_download": download(cold[0], site),
        "failed_requests": sorted(
            {url for runs in sessions.values() for s in runs for url in s["failed"]}
        ),
    }
    environment = {"cross_origin_isolated": cold[0]["marks"]["isolated"]}
    return runner, long_task_summary(preloaded), environment


def by_language(sessions: list[dict]) -> dict:
    """First-output times per language of the page."""
    return {
        language: stats([s["first_output_ms"] for s in sessions if s["language"] == language])
        for language in RUNNER_PAGES
    }


def median_timeline(sessions: list[dict]) -> list[dict]:
    """When each file of a cold Run started and finished (median over runs)."""
    files: dict[str, list[dict]] = {}
    for session in sessions:
        for row in session["timeline"]:
            if row["started_ms"] >= -100:  # Caused by the pointer reaching Run, not the load.
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


def download(session: dict, site: Path) -> dict:
    """Bytes a cold Run fetches, and what they would weigh gzipped on a real host."""
    paths = {row["path"] for row in session["timeline"] if row["started_ms"] >= -100}
    files = [site / path.lstrip("/") for path in paths if (site / path.lstrip("/")).is_file()]
    return {
        "files": len(files),
        "bytes": sum(file.stat().st_size for file in files),
        "gzip_bytes": sum(
            gzip_size(file.read_bytes(), mimetypes.guess_type(file.name)[0] or "") for file in files
        ),
    }


def long_task_summary(sessions: list[dict]) -> dict:
    """Main-thread long tasks: during page load, and from hover (intent) until Python ready."""
    windows = {
        "page_load_before_intent": lambda marks: (0, marks["intent"]),
        "intent_to_python_ready": lambda marks: (marks["intent"], marks["ready"]),
    }
    summary = {"threshold_ms": 50, "loads": len(sessions), "page": "/basics/ and /en/basics/"}
    for name, bounds in windows.items():
        tasks, scripts = [], {}
        for session in sessions:
            start, end = bounds(session["marks"])
            tasks.append([t for t in session["long_tasks"] if start <= t["start"] < end])
            for frame in session["frames"]:
                if start <= frame["start"] < end:
                    for script in frame["scripts"]:
                        file = Path(urlsplit(script["source"]).path).name or "(no source)"
                        key = f"{file} <- {script['invoker']}"
                        scripts[key] = scripts.get(key, 0) + script["duration"] / len(sessions)
        summary[name] = {
            "count_per_load": stats([len(found) for found in tasks]),
            "total_ms_per_load": stats([sum(t["duration"] for t in found) for found in tasks]),
            "durations_ms": sorted(round(t["duration"]) for found in tasks for t in found),
            "longtask_attribution": sorted(
                {a for found in tasks for t in found for a in t["attribution"]}
            ),
            "scripts_in_long_animation_frames_ms_per_load": {
                key: round(ms)
                for key, ms in sorted(scripts.items(), key=lambda kv: -kv[1])
                if ms >= 1
            },
        }
    return summary


def kind_of(content_type: str, path: str) -> str:
    """The page-weight bucket of a response."""
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


class GzipSizes:
    """Gzipped sizes of the site's files, each compressed once."""

    def __init__(self, site: Path):
        self.site = site
        self.known: dict[str, int] = {}

    def of(self, path: str, status: int, length: int, content_type: str) -> int:
        file = self.site / path.lstrip("/")
        file = file / "index.html" if path.endswith("/") else file
        if status != 200 or not file.is_file():
            return length
        if path not in self.known:
            self.known[path] = gzip_size(file.read_bytes(), content_type)
        return self.known[path]


def page_weight(browser, base: str, sent: list, sizes: GzipSizes, language: str, chapter: str):
    """Bytes one page fetches with an empty cache and no intent (no hover, no focus)."""
    path = "/" + LANGUAGES[language] + ("" if chapter == "index" else chapter + "/")
    context = browser.new_context()
    try:
        recorder = Recorder(context)
        first = len(sent)
        open_page(context, base + path)
        responses = sent[first:]
        # What the page itself asked the network for; the rest is its service worker's.
        by_page = {
            urlsplit(request.url).path
            for request in recorder.finished
            if not request.service_worker and not request.response().from_service_worker
        }
        empty = {"requests": 0, "bytes": 0, "gzip_bytes": 0}
        kinds = ("html", "css", "js", "fonts", "images", "other")
        by_type = {kind: dict(empty) for kind in kinds}
        by_fetcher = {"page": dict(empty), "service_worker": dict(empty)}
        resources, errors = [], []
        for url_path, status, length, content_type in responses:
            gzipped = sizes.of(url_path, status, length, content_type)
            fetcher = "page" if url_path in by_page else "service_worker"
            for row in (by_type[kind_of(content_type, url_path)], by_fetcher[fetcher]):
                row["requests"] += 1
                row["bytes"] += length
                row["gzip_bytes"] += gzipped
            resources.append(
                {"url": url_path, "by": fetcher, "bytes": length, "gzip_bytes": gzipped}
            )
            if status >= 400:
                errors.append(f"{status} {url_path}")
        total = sum(row["bytes"] for row in by_type.values())
        gzipped = sum(row["gzip_bytes"] for row in by_type.values())
        host = urlsplit(base).netloc
        urls = [request.url for request in recorder.finished] + recorder.failed
        return {
            "page": path,
            "lang": language,
            "requests": len(responses),
            "bytes": total,
            "gzip_bytes": gzipped,
            "target_bytes": TARGETS["page_bytes"],
            "meets_target_uncompressed": total <= TARGETS["page_bytes"],
            "meets_target_gzip": gzipped <= TARGETS["page_bytes"],
            "by_type": by_type,
            "by_fetcher": by_fetcher,
            "largest": sorted(resources, key=lambda r: -r["bytes"])[:5],
            "pyodide_requests": sorted(
                {r[0] for r in responses if r[0].startswith("/pyodide/")}
                | {u for u in urls if "/pyodide/" in urlsplit(u).path}
            ),
            "third_party_requests": sorted({u for u in urls if urlsplit(u).netloc != host}),
            "responses_by_status": dict(Counter(str(r[1]) for r in responses)),
            "error_responses": errors,
            "failed_requests": recorder.failed,
        }
    finally:
        context.close()


def measure(site: Path) -> dict:
    """Serve the built `site` and measure; about two minutes on a quiet 2-core machine."""
    options = launch_options()
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    with serve_counting(site) as (base, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        try:
            sizes = GzipSizes(site)
            weights = [
                page_weight(browser, base, sent, sizes, language, chapter)
                for language in LANGUAGES
                for chapter in CHAPTERS
            ]
            runner, long_tasks, environment = runner_figures(browser, base + "/", site)
            version = browser.version
        finally:
            browser.close()
    return {
        "environment": {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "chromium": version,
            **environment,
            "served_from": "127.0.0.1 (Python's http.server: no compression, no latency)",
            "cpu_count": os.cpu_count(),
            "load_average_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "seconds": round(time.monotonic() - started, 1),
        },
        "notes": {
            "runner": "ms from the click on Run to the first output text, measured in the page; "
            "cold = fresh context (empty cache); preloaded = hover, wait for the worker's "
            "ready message, then Run; warm = later Runs in the same page; "
            "revisit = the first Run on a new page after a cold one (browser cache warm, new "
            "worker); service_worker_blocked = the same with the site's service worker off",
            "page_weight": "what the server sent for one page with an empty cache, until the "
            "network is idle and the service worker (if any) is active; no hover or focus. "
            "bytes = uncompressed bodies (this server does not compress), gzip_bytes = text "
            "types gzipped at level 6 (what a compressing host would send); by_fetcher splits "
            "the page's own requests from its service worker's",
            "long_tasks": "Chromium attributes long tasks only to 'window'; the script names "
            "come from long-animation-frame entries overlapping the same window",
        },
        "runner": runner,
        "long_tasks": long_tasks,
        "page_weight": weights,
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        print(json.dumps(measure(build_site(Path(folder))), indent=2, ensure_ascii=False))
