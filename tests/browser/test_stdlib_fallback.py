"""In Chromium, a plain demo fetches only the core stdlib; a left-out module comes on import."""

import pytest

from sitebuild.pyodide import stdlib_archives, twins

pytestmark = pytest.mark.browser

# The worker fetches each archive as its zstd twin.
CORE = "pyodide/" + stdlib_archives.CORE + twins.SUFFIX
EXTRA = "pyodide/" + stdlib_archives.EXTRA + twins.SUFFIX
IMPORT_LEFT_OUT = "import tomllib\nprint(tomllib.loads('a = 1'))"


def fetches_of(urls, path):
    return [url for url in urls if url.split("?")[0].endswith(path)]


def test_a_plain_demo_fetches_only_the_core_and_a_left_out_import_fetches_the_rest_once(
    block_on, site_url, requests_seen
):
    block = block_on(site_url + "en/basics/")
    block.run()
    block.wait_for_state("done")
    assert fetches_of(requests_seen, CORE)
    assert fetches_of(requests_seen, EXTRA) == []
    block.run_code(IMPORT_LEFT_OUT, "done")
    assert "{'a': 1}" in block.output().inner_text()
    fetched = fetches_of(requests_seen, EXTRA)
    block.run_code("import xml.dom.minidom\nprint('more')", "done")
    assert fetched and fetches_of(requests_seen, EXTRA) == fetched  # fetched once, kept


NOTICE = {"vi": ("", "không tải được"), "en": ("en/", "could not be fetched now")}


@pytest.mark.parametrize("language", NOTICE)
def test_offline_a_left_out_import_ends_with_a_notice_in_the_page_language(
    block_on, site_url, page, language
):
    prefix, notice = NOTICE[language]
    block = block_on(site_url + prefix + "basics/")
    block.run()
    block.wait_for_state("done")
    block.replace_code(IMPORT_LEFT_OUT)  # the editor itself is not saved for offline yet
    page.context.set_offline(True)
    try:
        block.run()
        block.wait_for_state("error")
        assert "StdlibUnavailable" in block.output().inner_text()
        assert notice in block.root.locator(".runnable-notice").inner_text()
    finally:
        page.context.set_offline(False)
