"""Every page in both languages, every demo run: all succeed, and nothing leaves the site."""

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect

from harness.site_pages import CHAPTERS, LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_demo_on_the_page_runs_and_no_request_leaves_the_site(
    page, site_url, requests_seen, language, chapter
):
    path = LANGUAGES[language] + ("" if chapter == "index" else f"{chapter}/")
    page.goto(site_url + path)
    blocks = page.locator(".runnable-block")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.scroll_into_view_if_needed()
        block.locator(".runnable-run").click()
        expect(block).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    labs = page.locator(".lab")
    for index in range(labs.count()):
        lab = labs.nth(index)
        lab.scroll_into_view_if_needed()
        lab.locator(".lab-form button[type=submit]").click()
        expect(lab.locator(".lab-panel").first).to_be_visible(timeout=PYTHON_TIMEOUT)
        expect(lab.locator(".lab-error")).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert [url for url in requests_seen if not url.startswith(site_url)] == []
