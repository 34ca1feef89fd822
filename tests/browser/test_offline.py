"""After a first visit the site and its Python work offline; a new build replaces the cache."""

import shutil

import pytest
from conftest import PYTHON_TIMEOUT, wait_until_saved
from playwright.sync_api import expect

from harness.static_site import serve_directory
from sitebuild.offline import write_service_worker

pytestmark = pytest.mark.browser


def cache_names(page):
    return page.evaluate("caches.keys()")


def test_pages_and_python_keep_working_offline_after_a_first_visit(page, site_url):
    page.goto(site_url + "basics/")
    status = wait_until_saved(page)
    expect(status).to_contain_text("đọc được cả khi offline")
    status.locator(".offline-save-python").click()
    expect(status).to_have_attribute("data-python", "ready", timeout=PYTHON_TIMEOUT)
    page.context.set_offline(True)
    page.goto(site_url + "en/asgi/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    block = page.locator(".runnable-block").first
    block.locator(".runnable-run").click()
    expect(block).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    page.goto(site_url + "django/")
    django = page.locator('.runnable-block[data-snippet="django/handlers.py"]')
    django.locator(".runnable-run").click()
    expect(django).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    page.context.set_offline(False)


def test_a_new_build_replaces_the_cache_cleanly(page, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    with serve_directory(site) as url:
        page.goto(f"{url}/en/")
        wait_until_saved(page)
        (first,) = cache_names(page)
        index = site / "en" / "index.html"
        index.write_text(
            index.read_text(encoding="utf-8").replace(
                "</article>", "<p id=rebuilt>New</p></article>"
            )
        )
        write_service_worker(site)  # what the next `mkdocs build` does
        page.reload()
        only_a_new_cache = (
            "async (old) => { const k = await caches.keys(); "
            "return k.length === 1 && k[0] !== old; }"
        )
        page.wait_for_function(only_a_new_cache, arg=first, timeout=PYTHON_TIMEOUT)
        page.reload()
        expect(page.locator("#rebuilt")).to_have_text("New")
        wait_until_saved(page)
        page.wait_for_function(only_a_new_cache, arg=first, timeout=PYTHON_TIMEOUT)
