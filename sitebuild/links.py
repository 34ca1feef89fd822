"""Links in the built site: internal ones resolved to files and anchors, external ones listed."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class LinkParser(HTMLParser):
    """Collect the ids of a page and the hrefs of its links."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def parse(page: Path) -> LinkParser:
    """The ids and link targets of one built page."""
    parser = LinkParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def target_file(site: Path, page: Path, href: str) -> Path:
    """The file a relative link from `page` points to (directory URLs end in index.html)."""
    path = unquote(urlsplit(href).path)
    # Root-absolute links appear only on 404.html, which MkDocs makes absolute on purpose
    # (it is served from any path); site_url's path is "/", the root of the built site.
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path else page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    """Every internal link whose file or #anchor does not exist, as 'page: href'."""
    parsed = {page: parse(page) for page in site.rglob("*.html")}
    broken = []
    for page, links in parsed.items():
        for href in links.hrefs:
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue  # external, mailto:, javascript: ...
            target = target_file(site, page, href)
            fragment = urldefrag(href).fragment
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} (no file)")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no #{fragment})")
    return sorted(broken)


def external_links(site: Path) -> dict[str, list[str]]:
    """External link -> the pages that use it (theme links included)."""
    found: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        for href in parse(page).hrefs:
            if href.startswith(("http://", "https://")):
                found.setdefault(urldefrag(href).url, set()).add(str(page.relative_to(site)))
    return {url: sorted(pages) for url, pages in sorted(found.items())}
