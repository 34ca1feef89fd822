"""The chapter list and helpers to read built pages."""

import re
from html.parser import HTMLParser
from pathlib import Path

# Other work, links and checks refer to these file names: keep them.
CHAPTERS = (
    "index",
    "basics",
    "wsgi",
    "asgi",
    "concurrency",
    "django",
    "servers",
    "pitfalls",
    "decide",
    "benchmarks",
    "deploy",
    "migrate",
    "glossary",
)
LANGUAGES = {"vi": "", "en": "en/"}


def built_page(site: Path, language: str, chapter: str) -> Path:
    """Where a chapter lands in the built site (directory URLs; vi at the root)."""
    folder = site / LANGUAGES[language]
    return folder / "index.html" if chapter == "index" else folder / chapter / "index.html"


class ProseParser(HTMLParser):
    """Collect the prose of a page's article, leaving code, UI and foreign-language spans out.

    A span marked `lang="..."` is a deliberate quote in the other language (the glossary
    puts both side by side), so it is not counted as prose of the page's language.
    """

    SKIP = frozenset({"code", "pre", "script", "style", "svg", "kbd", "button", "nav"})
    BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "dd", "dt", "figcaption"})
    VOID = frozenset({"br", "img", "input", "hr", "meta", "link", "wbr", "source", "col"})

    def __init__(self):
        super().__init__()
        self.language = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.current: list[str] | None = None
        self.paragraphs: list[str] = []

    def _inside(self, tag: str) -> bool:
        return any(open_tag == tag for open_tag, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        language = dict(attrs).get("lang")
        if tag == "html":
            self.language = language or ""
        skipped = tag in self.SKIP or language not in (None, self.language)
        self.stack.append((tag, skipped))
        if tag in self.BLOCKS and self._inside("article"):
            self._close()
            self.current = []

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in self.BLOCKS:
            self._close()

    def handle_data(self, data):
        skipping = any(skipped for _, skipped in self.stack)
        if self.current is not None and not skipping and self._inside("article"):
            self.current.append(data)

    def _close(self):
        if self.current is not None:
            text = re.sub(r"\s+", " ", "".join(self.current)).strip()
            if text:
                self.paragraphs.append(text)
        self.current = None


def prose(html: str) -> list[str]:
    parser = ProseParser()
    parser.feed(html)
    return parser.paragraphs
