"""Every page loads without a failing request or an error in the console, in both languages."""

import pytest

from harness.site_pages import CHAPTERS, LANGUAGES

pytestmark = pytest.mark.browser

PAGES = [(language, chapter) for language in LANGUAGES for chapter in CHAPTERS]


@pytest.mark.parametrize(("language", "chapter"), PAGES, ids=["-".join(p) for p in PAGES])
def test_a_page_loads_without_a_failing_request_or_a_console_error(
    page, site_url, language, chapter
):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda r: problems.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.url}: {r.status}"))
    path = LANGUAGES[language] + ("" if chapter == "index" else f"{chapter}/")
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert not problems, problems
