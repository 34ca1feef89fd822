"""Every page in both languages, every demo, lab and diagram: all work, nothing leaves the site,
and the page's Content-Security-Policy (sitebuild/csp.py) blocks nothing they need."""

import pytest
from conftest import PYTHON_TIMEOUT, show_every_challenge_answer
from playwright.sync_api import expect

from harness.paths import SNIPPETS
from harness.site_pages import CHAPTERS, LANGUAGES
from harness.snippet_files import expected_output

pytestmark = pytest.mark.browser

# Runs before the page's own scripts; Playwright injects it outside the page's policy.
RECORD_VIOLATIONS = """
window.__policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__policyViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def policy_violations(page):
    """What the Content-Security-Policy blocked on the page, read after the page ran."""
    page.add_init_script(RECORD_VIOLATIONS)
    return lambda: page.evaluate("window.__policyViolations")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_demo_on_the_page_runs_and_no_request_leaves_the_site(
    page, site_url, requests_seen, policy_violations, language, chapter
):
    path = LANGUAGES[language] + ("" if chapter == "index" else f"{chapter}/")
    page.goto(site_url + path)
    show_every_challenge_answer(page)
    blocks = page.locator(".runnable-block")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.scroll_into_view_if_needed()
        block.locator(".runnable-run").click()
        expect(block).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
        # What CPython prints (the .out the CPython and Node tests hold it to), in Chromium
        # too: the browser's Pyodide can differ from Node's (JSPI, say).
        printed = block.locator(".runnable-output").inner_text()
        assert printed.rstrip("\n") == expected_output(
            SNIPPETS / block.get_attribute("data-snippet")
        ).rstrip("\n")
    labs = page.locator(".lab")
    for index in range(labs.count()):
        lab = labs.nth(index)
        lab.scroll_into_view_if_needed()
        lab.locator(".lab-form button[type=submit]").click()
        expect(lab.locator(".lab-panel").first).to_be_visible(timeout=PYTHON_TIMEOUT)
        expect(lab.locator(".lab-error")).to_be_hidden()
    # Material swaps each pre.mermaid for a div.mermaid once the diagram is drawn.
    diagrams = page.locator("pre.mermaid, div.mermaid")
    for index in range(count := diagrams.count()):
        diagrams.nth(index).scroll_into_view_if_needed()
    expect(page.locator("div.mermaid")).to_have_count(count, timeout=PYTHON_TIMEOUT)
    page.wait_for_load_state("networkidle")
    assert [url for url in requests_seen if not url.startswith(site_url)] == []
    assert policy_violations() == []
