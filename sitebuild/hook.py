"""MkDocs hook: enforce page parity, mark runnable blocks, ship the browser bundle.

Loaded through `hooks:` in mkdocs.yml. It runs at build time only; nothing here runs in
the reader's browser.
"""

import re
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from sitebuild.freshness import lagging_pages, notice_html
from sitebuild.labs import render_lab
from sitebuild.offline import write_service_worker
from sitebuild.pages import FENCE, INCLUDE, LAB_CLASS, RESULTS_CLASS, RUNNABLE_CLASS, site_errors
from sitebuild.results import ResultsError, options, render_results

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
BUNDLE = ROOT / "build" / "site"


_lagging: dict[str, str] = {}


def on_config(config):
    """Fail the build, naming the files, when the two languages drift apart."""
    docs = Path(config["docs_dir"])
    _lagging.clear()
    _lagging.update(lagging_pages(docs))
    errors = site_errors(docs, SNIPPETS)
    if errors:
        raise PluginError("The pages break the site's rules:\n  " + "\n  ".join(errors))
    if not (BUNDLE / "assets" / "runnable" / "runnable.js").is_file():
        raise PluginError(
            f"The browser bundle is missing from {BUNDLE}: run `make build` or `make serve`, "
            "which build it with `python -m sitebuild.bundle`."
        )
    return config


def on_page_markdown(markdown, page, config, **_):
    """Tag runnable blocks with their snippet; turn lab blocks into labs with static results."""
    lines = markdown.split("\n")
    output = []
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        kind = fence and (
            "runnable"
            if RUNNABLE_CLASS.search(fence["info"])
            else "lab"
            if LAB_CLASS.search(fence["info"])
            else "results"
            if RESULTS_CLASS.search(fence["info"])
            else None
        )
        if not kind:
            output.append(line)
            index += 1
            continue
        include = INCLUDE.match(lines[index + 1]) if index + 1 < len(lines) else None
        if not include:
            raise PluginError(
                f"{page.file.abs_src_path}:{index + 1}: a {kind} block must hold one snippet "
                "include, for example '--8<-- \"wsgi/hello.py\"'"
            )
        if kind == "runnable":
            output.append(
                re.sub(r"\}\s*$", f' data-snippet="{include["path"]}" }}', line.rstrip(), count=1)
            )
            index += 1
            continue
        if kind == "results":
            language = config["theme"]["language"]
            try:
                output.append(
                    render_results(SNIPPETS / include["path"], language, **options(fence["info"]))
                )
            except ResultsError as error:
                raise PluginError(f"{page.file.abs_src_path}:{index + 1}: {error}") from None
            index += 3
            continue
        output.append(render_lab(SNIPPETS / include["path"], config["theme"]["language"]))
        index += 3  # The fence, its include line and the closing fence.
    return "\n".join(output)


def on_page_content(html, page, **_):
    """Warn readers of a page whose translation is older than its twin."""
    other = _lagging.get(page.file.src_uri)
    twin = getattr(page.file, "alternates", {}).get(other)
    if not other or twin is None:
        return html
    return notice_html(page.file.src_uri.split("/")[0], get_relative_url(twin.url, page.url)) + html


def on_post_build(config):
    """Copy the browser bundle and Pyodide into the site, once per changed file.

    The i18n plugin builds every language into the same site_dir and calls this for each,
    so the copy must be idempotent and cheap when nothing changed.
    """
    site = Path(config["site_dir"])
    for source in BUNDLE.rglob("*"):
        if source.is_dir() or source.name == ".stamp":
            continue
        target = site / source.relative_to(BUNDLE)
        if (
            target.exists()
            and target.stat().st_size == source.stat().st_size
            and target.stat().st_mtime >= source.stat().st_mtime
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    # Last, so its manifest lists every file of both languages once the second build ends.
    write_service_worker(site)
