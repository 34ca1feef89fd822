"""Write the service worker of a built site: this build's version and the files to cache.

Nothing is fetched for offline use while a page loads: the page asks the worker to save
the site once it is idle (not with Save-Data on), and Python only when a demo runs or the
reader asks. That keeps the first visit light.
"""

import hashlib
import json
from pathlib import Path

from sitebuild.bundle import BROWSER, DJANGO_WHEELS, PAGE_SCRIPT_ASSETS, RUNNABLE_ASSETS
from sitebuild.pyodide import twins

SERVICE_WORKER = BROWSER / "service-worker.js"
MANIFEST_LINE = "const MANIFEST = "
# Loaded by every demo; Django's wheels only by the demos that import Django.
PYTHON_EXTRA = tuple(f"{name}-" for name in DJANGO_WHEELS)
# What reading every page offline needs besides the pages: the theme, the site's own small
# scripts, search for the two languages. Heavier parts (Mermaid's diagram chunks, the
# editor, Python) are cached when a page first uses them, or with Python on request.
CORE = (
    "assets/stylesheets/",
    "assets/javascripts/bundle.",
    "assets/javascripts/workers/",
    "assets/javascripts/lunr/min/lunr.stemmer.support.",
    "assets/javascripts/lunr/min/lunr.multi.",
    "assets/javascripts/lunr/min/lunr.vi.",
    "assets/images/",
    "search/search_index.json",
)
SITE_SCRIPTS = PAGE_SCRIPT_ASSETS
RUNNABLE = RUNNABLE_ASSETS
EDITOR = RUNNABLE_ASSETS + "editor-"


def _url(site: Path, path: Path) -> str:
    """The URL a reader uses for a file: directory URLs for pages."""
    relative = path.relative_to(site).as_posix()
    if relative == "index.html":
        return "./"
    return relative[: -len("index.html")] if relative.endswith("/index.html") else relative


def _is_core(url: str) -> bool:
    own_script = url.startswith(SITE_SCRIPTS) and url.count("/") == 2
    return (
        url.startswith(CORE)
        or own_script
        or (url.startswith(RUNNABLE) and not url.startswith(EDITOR))
    )


def manifest(site: Path) -> dict:
    """Pages, core assets and Python runtime files of the built site, with a content version."""
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.name != "sw.js")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(site).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    pages, core, python, extra = [], [], [], []
    for path in files:
        url = _url(site, path)
        if url.endswith(".map"):
            continue
        if url.startswith("pyodide/"):
            if twins.has_twin(path.name):
                continue  # the browser fetches its zstd twin, listed instead
            (extra if path.name.startswith(PYTHON_EXTRA) else python).append(url)
        elif url.startswith(EDITOR):
            python.append(url)  # editing code offline matters only with Python saved
        elif path.suffix == ".html" and path.name != "404.html":
            pages.append(url)
        elif _is_core(url):
            core.append(url)
    return {
        "version": digest.hexdigest()[:16],
        "pages": pages,
        "core": core,
        "python": python,
        "pythonExtra": extra,
    }


def write_service_worker(site: Path) -> None:
    """Write site/sw.js from the template with this build's manifest."""
    lines = SERVICE_WORKER.read_text(encoding="utf-8").splitlines()
    data = json.dumps(manifest(site))
    lines = [
        f"{MANIFEST_LINE}{data};" if line.startswith(MANIFEST_LINE) else line for line in lines
    ]
    (site / "sw.js").write_text("\n".join(lines) + "\n", encoding="utf-8")
