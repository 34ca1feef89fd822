"""Mermaid diagrams come from the site itself, and only once one is near the screen."""

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_diagram_is_drawn_by_the_self_hosted_mermaid_when_scrolled_to(
    page, site_url, requests_seen
):
    page.goto(site_url + "basics/")
    page.wait_for_load_state("networkidle")
    assert [url for url in requests_seen if "/mermaid/" in url] == []
    page.locator("pre.mermaid, div.mermaid").first.scroll_into_view_if_needed()
    expect(page.locator("div.mermaid").first).to_be_attached(timeout=PYTHON_TIMEOUT)
    mermaid = [url for url in requests_seen if "mermaid" in url and url.endswith(".mjs")]
    assert mermaid and all(url.startswith(site_url) for url in mermaid)
