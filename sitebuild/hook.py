"""MkDocs hook: enforce page parity, render each kind of fenced block, ship the browser bundle.

Loaded through `hooks:` in mkdocs.yml. It runs at build time only; nothing here runs in
the reader's browser. Fenced blocks are read by sitebuild/fences.py and handed, by kind, to
one small function each, as Material's own hooks dispatch their shortcodes.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from sitebuild import bundle, challenges, fences, llms, markdown_copies
from sitebuild.alternates import without_head_alternates
from sitebuild.csp import with_policy
from sitebuild.fences import Block, Kind, body_line, parse
from sitebuild.figures import FigureError, fill
from sitebuild.freshness import lagging_pages, page_notice
from sitebuild.labs import render_lab
from sitebuild.offline import write_service_worker
from sitebuild.pages import site_errors, snippet_error
from sitebuild.results import ResultsError, options, render_results
from sitebuild.runnable import runnable_markdown

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"


_lagging: dict[str, str] = {}


def on_config(config):
    """Fail the build, naming the files, when the two languages drift apart."""
    docs = Path(config["docs_dir"])
    _lagging.clear()
    _lagging.update(lagging_pages(docs))
    errors = site_errors(docs, SNIPPETS)
    if errors:
        raise PluginError("The pages break the site's rules:\n  " + "\n  ".join(errors))
    if not bundle.is_built():
        raise PluginError(
            f"The browser bundle is missing from {bundle.OUT}: run `make build` or `make serve`, "
            "which build it with `python -m sitebuild.bundle`."
        )
    return config


@dataclass(frozen=True)
class Place:
    """Where a block is, for its renderer and its error messages: `page.md:12`."""

    path: Path
    line: int
    language: str
    config: dict
    page: fences.Document  # the whole page, as the hook parsed it: its other blocks, headings

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def _runnable_block(block: Block, where: Place) -> str:
    """The block as written, its fence tagged with the snippet the browser runs, wrapped."""
    tag = f' data-snippet="{block.includes[0]}" }}'
    fence = [re.sub(r"\}\s*$", tag, block.text[0].rstrip(), count=1), *block.text[1:]]
    return "\n".join(runnable_markdown(block.includes[0], fence))


def _lab_block(block: Block, where: Place) -> str:
    """The lab's preset for the browser and its simulated results as a static table."""
    try:
        return render_lab(SNIPPETS / block.includes[0], where.language)
    except (OSError, ValueError, KeyError) as error:  # an unreadable or incomplete preset
        raise PluginError(f"{where}: lab preset {block.includes[0]}: {error!r}") from error


def _results_block(block: Block, where: Place) -> str:
    """The `make bench` table or chart the fence's attributes choose."""
    try:
        return render_results(SNIPPETS / block.includes[0], where.language, **options(block.info))
    except ResultsError as error:
        raise PluginError(f"{where}: {error}") from None


def _challenge_block(block: Block, where: Place) -> str:
    """The challenge's form and its collapsed answer, numbered in page order."""
    number = challenges.page_challenges(where.page).index(Path(block.includes[0]).stem) + 1
    sections = challenges.section_titles(where.page)
    try:
        return challenges.render(
            SNIPPETS / block.includes[0], where.language, SNIPPETS, sections, number
        )
    except challenges.ChallengeError as error:
        raise PluginError(f"{where}: {error}") from None


def _progress_block(block: Block, where: Place) -> str:
    """The home page's list of chapters with their challenges, in the order of the nav."""
    docs = where.path.parent
    chapters = []
    for name in challenges.nav_pages(where.config["nav"]):
        page = fences.read(docs / name)
        if slugs := challenges.page_challenges(page):
            chapters.append((name, challenges.page_title(page), slugs))
    return challenges.render_progress(where.language, chapters)


RENDERERS: dict[Kind, Callable[[Block, Place], str]] = {
    Kind.RUNNABLE: _runnable_block,
    Kind.LAB: _lab_block,
    Kind.RESULTS: _results_block,
    Kind.CHALLENGE: _challenge_block,
    Kind.PROGRESS: _progress_block,
}


def render_block(block: Block, page, config, document: fences.Document) -> str:
    """What one block of `document` (the parsed `page`) becomes in the page's Markdown."""
    language = config["theme"]["language"]
    where = Place(Path(page.file.abs_src_path), block.line, language, config, document)
    render = RENDERERS.get(block.kind)
    if render is None:
        raise PluginError(f"{where}: no renderer for a '{block.kind}' block")
    if error := snippet_error(block):
        raise PluginError(f"{where}: {error}")
    return render(block, where)


def on_page_markdown(markdown, page, config, **_):
    """Fill in quoted figures, then replace every block that has a kind with its rendering."""
    try:  # Figures keep the line count, so block line numbers stay those of the source.
        markdown = fill(markdown, config["theme"]["language"], SNIPPETS)
    except FigureError as error:
        raise PluginError(f"{page.file.abs_src_path}: {error}") from None
    document = parse(markdown, body_line(page.file.content_string, markdown))
    lines = markdown.split("\n")
    output, cursor = [], 0
    for block in document.blocks:
        if block.kind is None:
            continue
        output += lines[cursor : block.line - document.first_line]
        output.append(render_block(block, page, config, document))
        cursor = block.end - document.first_line + 1
    # After the blocks: a broken block fails the build with its own message first.
    markdown_copies.record(page, markdown, document.first_line, config)
    return "\n".join(output + lines[cursor:])


def on_page_content(html, page, **_):
    """Warn readers of a page whose translation is older than its twin."""
    return page_notice(page, _lagging) + html


def on_post_page(output, page, config):
    """Give every page its Content-Security-Policy; hreflang in the sitemap only (alternates.py)."""
    return with_policy(without_head_alternates(output))


def on_post_template(output_content, template_name, config):
    """The same rules for pages rendered from a template alone, such as 404.html."""
    if not template_name.endswith(".html"):
        return output_content
    return with_policy(without_head_alternates(output_content))


def on_post_build(config):
    """Copy the bundle and Pyodide in, write the Markdown copies and llms.txt, then sw.js."""
    site = Path(config["site_dir"])
    bundle.copy_into(site)
    llms.write(site, markdown_copies.write(site), config)  # this language's copies, its llms.txt
    # Last, so its manifest lists every file of both languages once the second build ends.
    write_service_worker(site)
