"""The "Copy page as Markdown" control in both languages: by keyboard, announced, lazy."""

import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {"vi": "concurrency/", "en": "en/concurrency/"}
LABELS = {"vi": "Sao chép trang dạng Markdown", "en": "Copy page as Markdown"}


def copy_requests(urls):
    return [url for url in urls if url.endswith("/index.md")]


@pytest.mark.parametrize("language", PAGES)
def test_pressing_the_control_by_keyboard_copies_the_served_markdown_and_says_so(
    page, site_url, requests_seen, language
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url[:-1])
    page.goto(site_url + PAGES[language])
    page.wait_for_load_state("networkidle")
    control = page.get_by_role("link", name=LABELS[language])
    assert copy_requests(requests_seen) == [], "the copy was fetched before the click"

    control.focus()
    page.keyboard.press("Enter")
    status = page.locator(".copy-page__status")
    expect(status).to_have_text(control.get_attribute("data-copied"))
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")

    with urllib.request.urlopen(site_url + PAGES[language] + "index.md") as response:
        served = response.read().decode("utf-8")
    assert page.evaluate("navigator.clipboard.readText()") == served
    # The service worker passes the page's fetch on, and both are seen: one URL, after the click.
    assert set(copy_requests(requests_seen)) == {site_url + PAGES[language] + "index.md"}
    assert page.url == site_url + PAGES[language], "the link was followed instead of copied"


@pytest.mark.parametrize("language", PAGES)
def test_offline_the_control_says_that_the_copy_is_not_saved(page, site_url, language):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url[:-1])
    page.goto(site_url + PAGES[language])
    control = page.get_by_role("link", name=LABELS[language])
    page.context.set_offline(True)
    control.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".copy-page__status")).to_have_text(
        control.get_attribute("data-unavailable")
    )


def test_without_javascript_the_control_is_a_plain_link_to_the_copy(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PAGES["en"])
        control = page.get_by_role("link", name=LABELS["en"])
        assert control.get_attribute("href") == "index.md"
        control.click()
        expect(page).to_have_url(site_url + PAGES["en"] + "index.md")
        assert page.locator("body").inner_text().startswith("# Concurrency")
    finally:
        context.close()
