"""Write the service worker of a built site: this build's version and the files to cache."""

import hashlib
import json
from pathlib import Path

SERVICE_WORKER = Path(__file__).resolve().parent / "browser" / "service-worker.js"
MANIFEST_LINE = "const MANIFEST = "
# Loaded by every demo; Django's wheels only by the demos that import Django.
PYTHON_EXTRA = ("django-", "asgiref-", "sqlparse-")


def _url(site: Path, path: Path) -> str:
    """The URL a reader uses for a file: directory URLs for pages."""
    relative = path.relative_to(site).as_posix()
    if relative == "index.html":
        return "./"
    return relative[: -len("index.html")] if relative.endswith("/index.html") else relative


def manifest(site: Path) -> dict:
    """Pages, assets and Python runtime files of the built site, with a content version."""
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.name != "sw.js")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(site).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    pages, assets, python, extra = [], [], [], []
    for path in files:
        url = _url(site, path)
        if url.startswith("pyodide/"):
            (extra if path.name.startswith(PYTHON_EXTRA) else python).append(url)
        elif path.suffix == ".html":
            pages.append(url)
        elif not path.name.endswith((".map", ".gz")) and "sitemap" not in path.name:
            assets.append(url)
    return {
        "version": digest.hexdigest()[:16],
        "pages": pages,
        "assets": assets,
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
