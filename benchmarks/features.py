"""What the challenges, the await tree, sharing and the Markdown copy cost a page before intent.

Issue 14 asks that they add nothing to what a page fetches before the reader shows intent
beyond their own small script and markup. Each page of both languages is opened cold with
the service worker blocked (its offline save is measured apart, by the network part), left
idle, and every response the server sent is attributed: a bundled file to the source
modules esbuild put in it (its metafile, sitebuild/bundle.py), a classic page script by its
name. The markup is the challenges' HTML in the built page, raw and as gzip adds it.
"""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.chromium import PYTHON_TIMEOUT_MS, launch_options
from harness.site_pages import CHAPTERS, LANGUAGES, built_page
from harness.static_site import serve_counting
from sitebuild.bundle import BUNDLE_META, RUNNABLE_ASSETS

IDLE_MS = 3_000  # as the network part's window before intent
GZIP_LEVEL = 6  # as benchmarks/shaping.py, like common static hosts
# Each feature's source modules (bundled) and classic page scripts, by the start of the name.
FEATURES = {
    "challenges": ("browser/challenge", "browser/progress.js"),
    "share and embed": ("browser/share", "assets/javascripts/embed"),
    "await tree": ("browser/await-tree",),
    "copy as Markdown": ("browser/copy-page", "assets/javascripts/copy-page"),
}


def feature_of(name: str) -> str | None:
    """The feature a source module or a served file belongs to, if any."""
    return next((f for f, starts in FEATURES.items() if name.startswith(starts)), None)


def bundled_parts(meta: dict) -> dict[str, dict[str, int]]:
    """For each bundled file (a site path), the bytes each feature put in it."""
    parts = {}
    for output, facts in meta["outputs"].items():
        path = "/" + RUNNABLE_ASSETS + Path(output).name
        shares: dict[str, int] = {}
        for source, used in facts.get("inputs", {}).items():
            if feature := feature_of(source):
                shares[feature] = shares.get(feature, 0) + used["bytesInOutput"]
        parts[path] = shares
    return parts


class ChallengeMarkup(HTMLParser):
    """The source offsets of each `<div class="challenge-wrap">`, start tag to end tag."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.spans: list[tuple[int, int]] = []
        self.depth = 0
        self.start = 0
        self.feed(text)

    def position(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        if self.depth:
            self.depth += 1
        elif "challenge-wrap" in (dict(attrs).get("class") or "").split():
            self.depth, self.start = 1, self.position()

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1
            if not self.depth:
                self.spans.append((self.start, self.position() + len("</div>")))


def markup_bytes(page: Path) -> dict:
    """The challenges' HTML in a built page: raw bytes, and what it adds to the gzipped page."""
    text = page.read_text(encoding="utf-8")
    spans = ChallengeMarkup(text).spans
    without, cursor = [], 0
    for start, end in spans:
        without.append(text[cursor:start])
        cursor = end
    without.append(text[cursor:])
    whole = len(gzip.compress(text.encode(), GZIP_LEVEL, mtime=0))
    rest = len(gzip.compress("".join(without).encode(), GZIP_LEVEL, mtime=0))
    return {
        "challenges": len(spans),
        "raw_bytes": sum(len(text[s:e].encode()) for s, e in spans),
        "gzip_bytes_added": whole - rest,
    }


def page_path(language: str, chapter: str) -> str:
    return LANGUAGES[language] + ("" if chapter == "index" else f"{chapter}/")


def before_intent(browser, url: str, sent: list) -> list[tuple[str, int]]:
    """(path, bytes) of every response the server sent for one cold, idle visit."""
    context = browser.new_context(service_workers="block")
    try:
        start = len(sent)
        page = context.new_page()
        page.set_default_timeout(PYTHON_TIMEOUT_MS)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(IDLE_MS)
        return [(path, length) for path, _status, length, _type in sent[start:]]
    finally:
        context.close()


def attribute(rows: list[tuple[str, int]], parts: dict[str, dict[str, int]]) -> dict[str, int]:
    """Bytes per feature among the responses: bundled shares, and page scripts whole."""
    features = {name: 0 for name in FEATURES}
    for path, length in rows:
        for feature, used in parts.get(path, {}).items():
            features[feature] += used
        if path not in parts and (feature := feature_of(path.lstrip("/"))):
            features[feature] += length
    return features


def measure(site: Path, progress=print) -> dict:
    """Every page of both languages, once: bytes before intent, the features' part of them."""
    parts = bundled_parts(json.loads(BUNDLE_META.read_text(encoding="utf-8")))
    pages = []
    with sync_playwright() as playwright, serve_counting(site) as (url, sent):
        browser = playwright.chromium.launch(**launch_options())
        try:
            for language in LANGUAGES:
                for chapter in CHAPTERS:
                    path = page_path(language, chapter)
                    progress(f"  /{path}")
                    rows = before_intent(browser, f"{url}/{path}", sent)
                    pages.append(
                        {
                            "page": "/" + path,
                            "requests": len(rows),
                            "bytes": sum(length for _, length in rows),
                            "python_requests": sum(p.startswith("/pyodide/") for p, _ in rows),
                            "feature_script_bytes": attribute(rows, parts),
                            "challenge_markup": markup_bytes(built_page(site, language, chapter)),
                        }
                    )
        finally:
            browser.close()
    return {
        "idle_ms_before_intent": IDLE_MS,
        "notes": "bytes = response bodies as served (identity), service worker blocked; a "
        "feature's script bytes are the minified bytes esbuild put into the files the page "
        "fetched (its metafile), and a classic page script whole; the challenge markup's gzip "
        f"bytes are the gzipped page (level {GZIP_LEVEL}) less the same page without it.",
        "pages": pages,
    }
