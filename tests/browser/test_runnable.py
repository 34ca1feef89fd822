"""Runnable blocks end to end in Chromium: run, stop, reset, errors, output cap, keyboard."""

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect

from harness.paths import SNIPPETS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "label"), [("basics/", "Chạy"), ("en/basics/", "Run")])
def test_run_shows_the_snippets_expected_output_in_each_language(block_on, site_url, path, label):
    block = block_on(site_url + path)
    expect(block.root.locator(".runnable-run")).to_have_text(label)
    block.run()
    block.wait_for_state("done")
    expected = (SNIPPETS / block.snippet).with_suffix(".out").read_text(encoding="utf-8")
    assert block.output().inner_text().strip() == expected.strip()


def test_no_pyodide_byte_is_fetched_before_the_reader_shows_intent(page, site_url, requests_seen):
    page.goto(site_url + "basics/")
    page.wait_for_load_state("networkidle")
    assert [url for url in requests_seen if "/pyodide/" in url] == []
    with page.context.expect_event(
        "request", lambda request: "/pyodide/" in request.url, timeout=PYTHON_TIMEOUT
    ):
        page.locator(".runnable-block").first.hover()


def test_stop_ends_a_runaway_loop_and_the_next_run_works(block_on, site_url):
    block = block_on(site_url + "basics/")
    block.run_code("while True:\n    pass\n", until="running")
    # Time Stop inside the page, from the click to the "stopped" state, so that the
    # test's own round trips to the browser do not count.
    elapsed_ms = block.root.evaluate("""root => new Promise(resolve => {
        const started = performance.now();
        new MutationObserver(() => {
            if (root.dataset.state === "stopped") resolve(performance.now() - started);
        }).observe(root, { attributes: true });
        root.querySelector(".runnable-stop").click();
    })""")
    assert elapsed_ms < 300
    block.run_code("print('alive again')\n", until="done")
    expect(block.output()).to_have_text("alive again")


def test_reset_restores_the_original_code_and_forgets_the_edit(block_on, site_url, page):
    block = block_on(site_url + "basics/")
    original = (SNIPPETS / block.snippet).read_text(encoding="utf-8")
    block.replace_code("print('edited')\n")
    page.reload()
    block = type(block)(page)
    block.root.hover()
    expect(block.editor()).to_contain_text("print('edited')", timeout=PYTHON_TIMEOUT)
    block.reset()
    assert block.code().strip() == original.strip()
    page.reload()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('snippet:'))") == []


@pytest.mark.parametrize(
    ("path", "note"),
    [
        ("basics/", "Đã sửa (lưu trong trình duyệt này)"),
        ("en/basics/", "Edited (kept in this browser)"),
    ],
)
def test_an_edit_shows_a_note_the_editor_is_described_by_until_reset(
    block_on, site_url, path, note
):
    block = block_on(site_url + path)
    edited = block.root.locator(".runnable-edited-note")
    block.replace_code("print('edited')\n")
    expect(edited).to_be_visible()
    expect(edited).to_have_text(note)
    expect(edited).to_have_attribute("aria-live", "polite")  # announced as it appears
    expect(block.editor()).to_have_accessible_description(note)
    block.reset()
    expect(edited).to_be_hidden()
    expect(block.editor()).to_have_accessible_description("")


def test_a_syntax_error_shows_a_traceback_of_the_readers_code(block_on, site_url):
    block = block_on(site_url + "en/basics/")
    block.run_code("print('never')\nif True\n    pass\n", until="error")
    expect(block.output()).to_contain_text('File "<snippet>", line 2')
    expect(block.output()).to_contain_text("SyntaxError")
    expect(block.status()).to_have_text("Error")


def test_a_print_flood_is_capped_with_a_notice_and_the_page_stays_usable(block_on, site_url, page):
    block = block_on(site_url + "en/basics/")
    block.run_code("while True:\n    print(1)\n", until="stopped")
    expect(block.output()).to_contain_text("output limit")
    assert page.evaluate("1 + 1") == 2
    block.run_code("print('still here')\n", until="done")


def test_memory_exhaustion_ends_in_a_clear_message_and_run_still_works(block_on, site_url):
    block = block_on(site_url + "en/basics/")
    block.run_code("hog = [bytearray(256 * 1024**2) for _ in range(64)]\n", until="error")
    expect(block.output()).to_contain_text("MemoryError")
    block.run_code("print('after')\n", until="done")


def test_the_whole_flow_works_by_keyboard_alone(page, site_url):
    page.goto(site_url + "en/basics/")
    run_button = page.locator(".runnable-block").first.locator(".runnable-run")
    # Start from the last link before the block, as a reader tabbing down the page would.
    page.evaluate("""() => {
        const block = document.querySelector(".runnable-block");
        const links = [...document.querySelectorAll("article a[href]")].filter(
            (a) => a.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING);
        links.at(-1).focus();
    }""")
    for _ in range(5):  # Tabbing down passes through the editor without changing it.
        page.keyboard.press("Tab")
        if run_button.evaluate("node => node === document.activeElement"):
            break
    else:
        pytest.fail("the Run button is not reachable with Tab")
    page.keyboard.press("Shift+Tab")  # Back into the editor, which mounted on focus.
    editor = page.locator(".runnable-block").first.locator(".cm-content")
    expect(editor).to_be_focused(timeout=PYTHON_TIMEOUT)
    assert "    import os" not in editor.inner_text()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text("for i in range(2):\n    print('key', i)\n")
    page.keyboard.press("Control+Enter")
    output = page.locator(".runnable-block").first.locator(".runnable-output")
    expect(output).to_have_text("key 0\nkey 1", timeout=PYTHON_TIMEOUT)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Esc then Tab leaves the editor instead of indenting.
    assert run_button.evaluate("node => node === document.activeElement")


def test_no_request_leaves_the_sites_origin_while_running_code(page, site_url, requests_seen):
    page.goto(site_url + "basics/")
    block = page.locator(".runnable-block").first
    block.locator(".runnable-run").click()
    expect(block).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    assert [url for url in requests_seen if not url.startswith(site_url)] == []


def test_hovering_starts_python_but_the_editor_waits_for_the_reader_to_reach_the_code(
    page, site_url
):
    page.goto(site_url + "en/basics/")
    block = page.locator(".runnable-block").first
    with page.context.expect_event("request", lambda r: "/pyodide/" in r.url):
        block.hover()
    assert block.locator(".cm-content").count() == 0
    block.locator(".runnable-code").click()
    expect(block.locator(".cm-content")).to_be_focused(timeout=PYTHON_TIMEOUT)
