"""The language selector lands on the twin page at the same section, and back."""

import shutil

import pytest
from playwright.sync_api import expect

from harness.static_site import serve_directory

pytestmark = pytest.mark.browser


def switch_language(page, language):
    page.locator(".md-header__option .md-select").hover()
    page.locator(f"a.md-select__link[hreflang={language}]").click()


def test_the_language_switch_keeps_the_page_and_the_section(page, site_url):
    page.goto(f"{site_url}wsgi/#websocket")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/wsgi/#websocket")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#websocket")).to_be_in_viewport()
    switch_language(page, "vi")
    expect(page).to_have_url(f"{site_url}wsgi/#websocket")
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_the_home_page_switches_language_too(page, site_url):
    page.goto(site_url)
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/")
    switch_language(page, "vi")
    expect(page).to_have_url(site_url)


def test_the_site_works_from_a_sub_path_as_on_a_project_site(page, built_site, tmp_path):
    shutil.copytree(built_site, tmp_path / "wsgi-hay-asgi")
    failed = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "sitemap" not in r.url else None,
    )
    with serve_directory(tmp_path) as url:
        base = f"{url}/wsgi-hay-asgi/"
        page.goto(f"{base}asgi/#events")
        expect(page.locator(".md-header__title")).to_contain_text("WSGI hay ASGI?")
        switch_language(page, "en")
        expect(page).to_have_url(f"{base}en/asgi/#events")
        page.goto(base)
        switch_language(page, "en")
        expect(page).to_have_url(f"{base}en/")
    assert failed == []
