"""Each language's llms.txt (https://llmstxt.org/): the site, then its pages' Markdown copies.

Written at the language's root: `/llms.txt` for Vietnamese, `/en/llms.txt`. The name and
summary are mkdocs.yml's (the i18n plugin sets them per language); pages come in nav order,
grouped by nav section, each linked to its copy with the copy's first paragraph. Links are
relative to the file, as every link of the site is, so it works from any sub-path.
"""

import posixpath
import re
from pathlib import Path

from sitebuild.markdown_copies import COPY, Copy, nav_pages

NAME = "llms.txt"
DESCRIPTION_CHARS = 200
MARKUP = re.compile(r"`|\*")
LINK_TEXT = re.compile(r"\[([^\]]*)\]\([^)]*\)")

WORDS = {
    "vi": {"start": "Bắt đầu", "languages": "Ngôn ngữ khác"},
    "en": {"start": "Start here", "languages": "Other languages"},
}


def description(markdown: str) -> str:
    """The copy's first paragraph of prose, as plain text, cut at a word near 200 characters."""
    paragraph: list[str] = []
    for line in markdown.split("\n"):
        if not line.strip():
            if paragraph:
                break
            continue
        if paragraph or not re.match(r"\s|#|!!!|\?\?\?|```|~~~|[-*+] |\d+\. |\||<|=== ", line):
            paragraph.append(line.strip())
    text = MARKUP.sub("", LINK_TEXT.sub(r"\1", " ".join(paragraph)))
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def root(pages: list) -> str:
    """The language's root URL: the folder every page of the language lives under."""
    common = posixpath.commonprefix([page.url for page in pages])
    return common[: common.rfind("/") + 1]


def _relative(url: str, base: str) -> str:
    return posixpath.relpath("/" + url, "/" + base.rstrip("/")) if url != base else "."


def text(site: Path, copies: list[Copy], config) -> str:
    """The llms.txt of one language's build, read from the copies in `site`.

    From the files, not this build's list: a dirty rebuild (`mkdocs serve --dirtyreload`)
    records only the pages it rebuilt.
    """
    language = config["theme"]["language"]
    words = WORDS[language if language in WORDS else "en"]
    pages = nav_pages(copies[0].page)
    base = root(pages)
    lines = [f"# {config['site_name']}", "", f"> {config['site_description']}"]
    section = None
    for page in pages:
        title = page.parent.title if page.parent else words["start"]
        if title != section:
            section = title
            lines += ["", f"## {title}", ""]
        link = posixpath.join(_relative(page.url, base), COPY).removeprefix("./")
        copy = (site / page.url / COPY).read_text(encoding="utf-8")
        lines.append(f"- [{page.title}]({link}): {description(copy)}")
    others = [alt for alt in config["extra"].get("alternate", []) if alt["lang"] != language]
    if others:
        lines += ["", f"## {words['languages']}", ""]
        for alt in others:
            folder = alt["link"].lstrip("./").lstrip("/")
            link = posixpath.join(_relative(folder, base), NAME).removeprefix("./")
            lines.append(f"- [{alt['name']}]({link})")
    return "\n".join(lines) + "\n"


def write(site: Path, copies: list[Copy], config) -> None:
    """Write llms.txt at the root of the language this build made."""
    if copies:
        folder = site / root(nav_pages(copies[0].page))
        (folder / NAME).write_text(text(site, copies, config), encoding="utf-8")
