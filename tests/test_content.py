"""The tutorial's promises: every chapter, the two commands, a demo per chapter, same links."""

import re

import pytest

from harness.paths import DOCS, SNIPPETS
from harness.site_pages import CHAPTERS
from sitebuild.pages import read_page

# The answer the site gives first, exactly as readers will paste it.
COMMANDS = (
    "gunicorn config.wsgi:application --workers 4 --bind 127.0.0.1:8000",
    "uvicorn config.asgi:application --workers 4 --host 127.0.0.1 --port 8000",
)
EXTERNAL_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def shown_text(language, chapter):
    """A page's own text plus every snippet it includes, as a reader sees it."""
    page = DOCS / language / f"{chapter}.md"
    included = (SNIPPETS / path for path in read_page(page).includes)
    return page.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in included
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_home_page_gives_both_commands(language):
    text = shown_text(language, "index")
    for command in COMMANDS:
        assert command in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_home_page_maps_every_chapter(language):
    text = (DOCS / language / "index.md").read_text(encoding="utf-8")
    for chapter in CHAPTERS[1:]:
        assert f"({chapter}.md" in text, f"docs/{language}/index.md does not link {chapter}.md"


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c != "glossary"])
def test_every_chapter_but_the_glossary_has_a_demo_or_a_lab(chapter):
    page = read_page(DOCS / "vi" / f"{chapter}.md")
    assert page.runnable_snippets or page.labs


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_both_languages_cite_the_same_external_sources(chapter):
    links = {
        language: set(EXTERNAL_LINK.findall((DOCS / language / f"{chapter}.md").read_text("utf-8")))
        for language in ("vi", "en")
    }
    assert links["vi"] == links["en"]
