"""Site search in Chromium: results stay in the page's language, Vietnamese ignores diacritics."""

import unicodedata
from urllib.parse import urlparse

import pytest
from conftest import wait_until_saved
from playwright.sync_api import expect

from harness.paths import DOCS

pytestmark = pytest.mark.browser

VI_DOCS = DOCS / "vi"


def search(page, url, query):
    """Open `url`, open search with the "/" key, enter `query` and wait for its results."""
    page.goto(url)
    page.keyboard.press("/")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    # Typed at once, then a key Material listens to (keyup): only the whole query is sent.
    box.fill(query)
    box.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def result_paths(page):
    links = page.locator(".md-search-result__link").evaluate_all("a => a.map(l => l.href)")
    return [urlparse(link).path for link in links]


def marked_words(page):
    marks = page.locator(".md-search-result__item mark").all_text_contents()
    return {word.lower() for word in marks}


def vi_pages_with(text):
    """Site paths of the Vietnamese pages whose source contains `text`."""
    return {
        "/" if doc.stem == "index" else f"/{doc.stem}/"
        for doc in VI_DOCS.glob("*.md")
        if text in doc.read_text(encoding="utf-8").lower()
    }


# The last one is how some Vietnamese keyboards type it: capitals, tone marks as combining marks.
@pytest.mark.parametrize(
    "query",
    ["dong bo", "đồng bộ", "dong bô", unicodedata.normalize("NFD", "ĐỒNG BỘ")],
    ids=["dong bo", "đồng bộ", "dong bô", "ĐỒNG BỘ decomposed"],
)
def test_vietnamese_search_finds_dong_bo_with_or_without_diacritics(page, site_url, query):
    search(page, site_url + "basics/", query)
    paths = result_paths(page)
    assert paths[0] in vi_pages_with("đồng bộ")
    assert {"đồng", "bộ"} <= marked_words(page)
    assert not [path for path in paths if path.startswith("/en/")]


def test_luong_without_diacritics_finds_luong_thread(page, site_url):
    search(page, site_url, "luong")
    assert "luồng" in marked_words(page)
    assert set(result_paths(page)) & vi_pages_with("luồng")
    assert not [path for path in result_paths(page) if path.startswith("/en/")]


def test_an_english_term_searched_on_a_vietnamese_page_finds_vietnamese_pages_only(page, site_url):
    search(page, site_url + "wsgi/", "worker")
    paths = result_paths(page)
    assert paths
    assert not [path for path in paths if path.startswith("/en/")]


@pytest.mark.parametrize(
    ("query", "words"), [("worker", {"worker"}), ("event loop", {"event", "loop"})]
)
def test_english_search_still_works_and_finds_english_pages_only(page, site_url, query, words):
    search(page, site_url + "en/wsgi/", query)
    paths = result_paths(page)
    assert paths
    assert [path for path in paths if not path.startswith("/en/")] == []
    assert words <= marked_words(page)


def test_enter_opens_the_best_result_with_the_accented_words_highlighted(page, site_url):
    search(page, site_url + "basics/", "dong bo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    highlighted = page.locator("mark[data-md-highlight]")
    expect(highlighted.first).to_be_visible()
    assert "đồng" in {word.lower() for word in highlighted.all_text_contents()}


def test_search_works_offline_in_the_page_language_after_a_first_visit(page, site_url):
    # Offline the search worker's script comes from the service worker's copy, which has
    # no URL of its own: the worker must still read its settings from the fragment.
    page.goto(site_url + "en/basics/")
    wait_until_saved(page)
    page.context.set_offline(True)
    try:
        search(page, site_url + "en/asgi/", "event loop")
        paths = result_paths(page)
        assert paths and all(path.startswith("/en/") for path in paths)
    finally:
        page.context.set_offline(False)
