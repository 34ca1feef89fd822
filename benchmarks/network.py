"""Bytes and times per page kind through the shaping server: a plain demo, Django, a lab.

Each run is a fresh browser context (cold cache, the service worker allowed as a reader
has it): load the page, stay idle without hover, then (lab pages) wait for the lab's
timeline picture, clicking Simulate if it is not there, then click Run on the kind's block.
The shaping server's log is the truth on bytes: it sees the Python worker's and the
service worker's requests, and what really crossed the wire (gzipped where hosts gzip).
"""

from __future__ import annotations

import ast
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.browser import FIRST_BLOCK, INSTRUMENT, Recorder, open_page, run_once, settle
from benchmarks.shaping import FAST, LOOPBACK, SLOW, Profile, Sent, repeats, serve_shaped
from harness.chromium import PYTHON_TIMEOUT_MS, launch_options
from harness.paths import SNIPPETS
from harness.site_pages import LANGUAGES, built_page
from harness.waiting import wait_until

KINDS = {"plain": "basics", "django": "django", "lab": "concurrency"}  # Kind: its chapter.
IDLE_MS = 3_000  # The window "before intent" is this long after load: the measurement itself.
QUIET_S = 3.0  # The runs end once the server has sent nothing for this long.
QUIET_DEADLINE_S = 600  # A first Run at 1.6 Mbit/s moves tens of MB today.
PYTHON_PREFIX = "/pyodide/"
HEAVIEST_RUN_BYTES = 30_000_000  # The Django page's first Run with the double fetch, and more.
TARGETS = {  # The (10): bytes in 10^6, times in ms.
    "first_run_wire_bytes": 4_500_000,
    "django_extra_wire_bytes": 1_500_000,
    "click_to_first_output_ms": {"fast": 3_000, "loopback": 1_000},
    "lab_picture_python_bytes": 0,
}

# The first frame in which a lab's timeline (an svg bigger than a legend swatch) is laid
# out: a requestAnimationFrame callback runs just before that frame is painted.
LAB_PICTURE = """
(() => {
  const picture = (window.__picture = { seenMs: null, fcpMs: null, inViewport: null });
  picture.seen = new Promise((resolve) => (picture.markSeen = resolve));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.name === "first-contentful-paint") picture.fcpMs = e.startTime;
  }).observe({ type: "paint", buffered: true });
  const look = () => {
    const svg = [...document.querySelectorAll(".lab svg")].find((s) => {
      const box = s.getBoundingClientRect();
      return box.width > 40 && box.height > 40;
    });
    if (!svg) return requestAnimationFrame(look);
    const box = svg.getBoundingClientRect();
    picture.seenMs = performance.now();
    picture.inViewport = box.top < innerHeight && box.bottom > 0;
    picture.markSeen(picture.seenMs);
  };
  requestAnimationFrame(look);
})();
"""


@dataclass(frozen=True)
class Condition:
    """A network profile, a CPU slowdown and the page languages run under it."""

    name: str
    profile: Profile
    cpu_slowdown: float
    languages: tuple[str, ...]
    target: str | None  # Which click-to-output target applies ("fast", "loopback").

    @property
    def timeout_ms(self) -> float:
        """Python's usual time to load, plus what today's heaviest Run moves over this link."""
        rate = self.profile.bytes_per_s
        return PYTHON_TIMEOUT_MS + (0 if rate is None else HEAVIEST_RUN_BYTES / rate * 1000)


# The slow profile and the slowed CPU run English only: each of their runs takes minutes.
CONDITIONS = (
    Condition("loopback", LOOPBACK, 1, ("en", "vi"), "loopback"),
    Condition("10mbit", FAST, 1, ("en", "vi"), "fast"),
    Condition("10mbit_cpu4x", FAST, 4, ("en",), None),
    Condition("1.6mbit", SLOW, 1, ("en",), None),
)


def page_path(kind: str, language: str) -> str:
    return "/" + LANGUAGES[language] + KINDS[kind] + "/"


def first_django_block(site: Path) -> str:
    """The selector of the Django chapter's first runnable block whose snippet imports Django."""
    html = built_page(site, "en", KINDS["django"]).read_text(encoding="utf-8")
    for name in re.findall(r'class="runnable[^"]*" data-snippet="([^"]+)"', html):
        if imports_django(SNIPPETS / name):
            return f'.runnable-block[data-snippet="{name}"]'
    raise RuntimeError("no runnable block on the Django chapter imports django")


def imports_django(snippet: Path) -> bool:
    tree = ast.parse(snippet.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(name.split(".")[0] == "django" for name in names):
            return True
    return False


def wire(rows: list[Sent]) -> dict:
    """Requests and bytes on the wire (headers included), and the Python runtime's part."""
    python = [row for row in rows if row.path.startswith(PYTHON_PREFIX)]
    return {
        "requests": len(rows),
        "wire_bytes": sum(row.wire_bytes for row in rows),
        "python_wire_bytes": sum(row.wire_bytes for row in python),
        "python_requests": len(python),
    }


def largest(rows: list[Sent], count: int = 8) -> list[dict]:
    """The biggest responses: path, status, encoding and wire bytes."""
    top = sorted(rows, key=lambda row: -row.wire_bytes)[:count]
    return [
        {"path": r.path, "status": r.status, "encoding": r.encoding, "wire_bytes": r.wire_bytes}
        for r in top
    ]


def slow_cpu(rate: float):
    """A prepare step for open_page: Chromium's CPU slowed `rate` times on the page."""
    sessions = []  # Kept alive with the page, or the emulation would end with it.

    def prepare(page):
        if rate != 1:
            session = page.context.new_cdp_session(page)
            session.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            sessions.append(session)

    return prepare


def wait_quiet(shaped) -> None:
    """Until the server has nothing in flight and has sent nothing for QUIET_S."""
    wait_until(lambda: shaped.traffic.quiet_for(QUIET_S), QUIET_DEADLINE_S)


def lab_picture(page, shaped, mark: int, timeout_ms: float) -> dict:
    """When the lab's timeline was first laid out, and how much Python came before it."""
    picture = page.evaluate("({ ...window.__picture })")
    simulated = picture["seenMs"] is None
    clicked_ms = None
    if simulated:  # No picture without Python yet: the reader has to ask for one.
        button = page.locator(".lab .lab-form button[type=submit]").first
        clicked_ms = page.evaluate("performance.now()")
        button.click()
        settle(page, "window.__picture.seen", timeout_ms)
        picture = page.evaluate("({ ...window.__picture })")
    before = shaped.log[mark:]  # Read once it was seen: an upper bound.
    seen, fcp = picture["seenMs"], picture["fcpMs"]
    return {
        "navigation_to_picture_ms": round(seen),
        "first_contentful_paint_ms": None if fcp is None else round(fcp),
        "at_first_paint": fcp is not None and seen <= fcp + 1,
        "in_viewport": picture["inViewport"],
        "needed_simulate": simulated,
        "click_to_picture_ms": None if clicked_ms is None else round(seen - clicked_ms),
        "python_wire_bytes_before_picture": wire(before)["python_wire_bytes"],
    }


def session(browser, shaped, condition: Condition, kind: str, language: str, blocks: dict):
    """One cold visit: load, idle, (lab picture), first Run; the bytes of each phase."""
    context = browser.new_context(service_workers="allow")
    try:
        context.add_init_script(INSTRUMENT)  # ARM's observers live in its window.__bench.
        context.add_init_script(LAB_PICTURE)
        recorder = Recorder(context)
        start = len(shaped.log)
        page = open_page(
            context, shaped.url + page_path(kind, language), slow_cpu(condition.cpu_slowdown)
        )
        page.set_default_timeout(condition.timeout_ms)
        page.wait_for_timeout(IDLE_MS)
        wait_quiet(shaped)
        intent = len(shaped.log)
        picture = lab_picture(page, shaped, start, condition.timeout_ms) if kind == "lab" else None
        selector = blocks[kind]
        block = page.locator(selector).first
        block.scroll_into_view_if_needed()
        first_output_ms = run_once(page, block, selector, condition.timeout_ms)
        wait_quiet(shaped)
        visit = shaped.log[start:]
        # The browser's own fetches (the service worker's answers to the page are not):
        # a repeat served by the HTTP cache costs no bytes, but is still a second fetch.
        fetched = {}
        for request in recorder.finished:
            response = request.response()
            if response is not None and not response.from_service_worker:
                fetched[request.url] = fetched.get(request.url, 0) + 1
        return {
            "condition": condition.name,
            "kind": kind,
            "language": language,
            "page": page_path(kind, language),
            "block": selector,
            "before_intent": wire(shaped.log[start:intent]),
            "first_run": wire(shaped.log[intent:]),
            "first_run_largest": largest(shaped.log[intent:]),
            "click_to_first_output_ms": round(first_output_ms),
            "lab_picture": picture,
            "fetched_twice_on_wire": repeats(visit),
            "fetched_twice_by_browser": {
                url.removeprefix(shaped.url): n for url, n in sorted(fetched.items()) if n > 1
            },
            "failed_requests": recorder.failed,
        }
    finally:
        context.close()


def attempt(browser, shaped, condition: Condition, kind: str, language: str, blocks: dict):
    """A session, or what stopped it as data: the other sessions' figures still count."""
    try:
        return session(browser, shaped, condition, kind, language, blocks)
    except Exception as error:
        wait_quiet(shaped)  # Whatever it left in flight must not count for the next one.
        return {
            "condition": condition.name,
            "kind": kind,
            "language": language,
            "page": page_path(kind, language),
            "error": f"{type(error).__name__}: {error}".splitlines()[0],
        }


def median_of(values) -> float | None:
    """The median of the values that exist, or None when there are none."""
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def summary(sessions: list[dict]) -> list[dict]:
    """One row per condition and kind (medians over languages), with the targets."""
    rows = []
    measured = [s for s in sessions if "error" not in s]
    for condition in CONDITIONS:
        plain = [s for s in measured if s["condition"] == condition.name and s["kind"] == "plain"]
        for kind in KINDS:
            runs = [s for s in measured if s["condition"] == condition.name and s["kind"] == kind]
            if not runs:
                continue
            first_run = statistics.median(s["first_run"]["wire_bytes"] for s in runs)
            output_target = TARGETS["click_to_first_output_ms"].get(condition.target)
            output_ms = statistics.median(s["click_to_first_output_ms"] for s in runs)
            row = {
                "condition": condition.name,
                "profile": condition.profile.name,
                "cpu_slowdown": condition.cpu_slowdown,
                "kind": kind,
                "runs": len(runs),
                "before_intent_wire_bytes": statistics.median(
                    s["before_intent"]["wire_bytes"] for s in runs
                ),
                "before_intent_python_wire_bytes": max(
                    s["before_intent"]["python_wire_bytes"] for s in runs
                ),
                "first_run_wire_bytes": first_run,
                "first_run_target": TARGETS["first_run_wire_bytes"] if kind == "plain" else None,
                "urls_fetched_twice_on_wire": sorted(
                    {u for s in runs for u in s["fetched_twice_on_wire"]}
                ),
                "urls_fetched_twice_by_browser": sorted(
                    {u for s in runs for u in s["fetched_twice_by_browser"]}
                ),
                "click_to_first_output_ms": output_ms,
                "click_to_first_output_target_ms": output_target,
            }
            if kind == "django" and plain:
                extra = first_run - statistics.median(s["first_run"]["wire_bytes"] for s in plain)
                row["django_extra_wire_bytes"] = extra
                row["django_extra_target"] = TARGETS["django_extra_wire_bytes"]
            if kind == "lab":
                pictures = [s["lab_picture"] for s in runs]
                row["lab_picture"] = {
                    "navigation_to_picture_ms": statistics.median(
                        p["navigation_to_picture_ms"] for p in pictures
                    ),
                    "needed_simulate": any(p["needed_simulate"] for p in pictures),
                    "click_to_picture_ms": median_of(p["click_to_picture_ms"] for p in pictures),
                    "at_first_paint": all(p["at_first_paint"] for p in pictures),
                    "python_wire_bytes_before_picture": max(
                        p["python_wire_bytes_before_picture"] for p in pictures
                    ),
                    "target_python_bytes": TARGETS["lab_picture_python_bytes"],
                }
            rows.append(row)
    return rows


def measure(site: Path, progress=print) -> dict:
    """Every condition, kind and language once; the sessions and their summary."""
    options = launch_options()
    blocks = {"plain": FIRST_BLOCK, "django": first_django_block(site), "lab": FIRST_BLOCK}
    sessions = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        try:
            for condition in CONDITIONS:
                with serve_shaped(site, condition.profile) as shaped:
                    for kind in KINDS:
                        for language in condition.languages:
                            progress(f"  {condition.name} {kind} {language}")
                            sessions.append(
                                attempt(browser, shaped, condition, kind, language, blocks)
                            )
            version = browser.version
        finally:
            browser.close()
    return {
        "chromium": version,
        "repetitions": 1,
        "idle_ms_before_intent": IDLE_MS,
        "notes": "wire bytes = status line, headers and body as the shaping server sent them "
        "(gzip for text, JS, JSON, XML, SVG and wasm; one token bucket per profile shared by "
        "every request, the workers' included, plus one round trip before each response). "
        "before_intent = load, network idle, service worker active, then "
        f"{IDLE_MS} ms idle without hover; first_run = from then until the server is quiet "
        f"for {QUIET_S:g} s after the Run ended (the offline cache's fills included). "
        "The CPU slowdown is CDP Emulation.setCPUThrottlingRate on the page; it does not "
        "reach the workers. The lab picture is the first animation frame in which a .lab svg "
        "larger than a legend swatch is laid out, from navigation start; when none appears "
        "while idle, Simulate is clicked and the time includes that wait.",
        "timeout_ms": PYTHON_TIMEOUT_MS,
        "summary": summary(sessions),
        "errors": [f"{s['condition']} {s['page']}: {s['error']}" for s in sessions if "error" in s],
        "sessions": sessions,
    }
