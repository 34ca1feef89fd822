"""The strict build: both language trees, the right <html lang>, nothing from elsewhere."""

import re

import pytest

from harness.paths import DOCS
from harness.site_pages import CHAPTERS, LANGUAGES, built_page

LANGUAGE_OF = {"vi": "vi", "en": "en"}


def test_both_languages_have_every_chapter_in_the_sources():
    for language in LANGUAGES:
        names = {path.stem for path in (DOCS / language).glob("*.md")}
        assert set(CHAPTERS) <= names, f"docs/{language} lacks {set(CHAPTERS) - names}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_is_built_with_its_html_lang(built_site, language, chapter):
    html = built_page(built_site, language, chapter).read_text(encoding="utf-8")
    assert re.search(r'<html lang="([^"]+)"', html)[1] == LANGUAGE_OF[language]


def test_pyodide_is_copied_into_the_site_once_not_once_per_language(built_site):
    assert (built_site / "pyodide" / "pyodide.asm.wasm").is_file()
    assert not (built_site / "en" / "pyodide").exists()
    assert len(list(built_site.rglob("pyodide.asm.wasm"))) == 1


def test_no_page_loads_anything_from_another_origin(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", html):
            if re.search(r'\brel="(?:canonical|alternate|sitemap)"', tag):
                continue  # Metadata about this site's own pages, not something loaded.
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{page}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_language_links_are_relative_so_the_site_works_from_any_sub_path(built_site):
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a href="([^"]*)" hreflang=', html):
            assert not href.startswith(("/", "http")), f"{page}: {href}"


def test_no_page_head_has_an_hreflang_link_for_material_to_fetch_a_sitemap_beside(built_site):
    for page in built_site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert not re.search(r"<link[^>]*\bhreflang=", head), page


def test_the_sitemap_names_every_page_and_its_twin_with_absolute_urls(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    entries = re.findall(r"<url>(.*?)</url>", sitemap, re.S)
    for chapter in CHAPTERS:
        urls = {
            language: "https://wsgi-hay-asgi.github.io/"
            + prefix
            + ("" if chapter == "index" else f"{chapter}/")
            for language, prefix in LANGUAGES.items()
        }
        entry = next(e for e in entries if f"<loc>{urls['vi']}</loc>" in e)
        for language, url in urls.items():
            assert f'hreflang="{language}" href="{url}"' in entry, (chapter, language)
