"""The build's lab pictures: there before Python, without JavaScript, equal to the live chart."""

import json

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect

from harness.paths import SNIPPETS

pytestmark = pytest.mark.browser

PAGES = {"vi": "", "en": "en/"}
# A picture as data to compare: every element's tag, sorted attributes and own text, with
# its pattern ids' prefix (the build's `labpic-...`, the browser's `labN`) written as P, and
# without the mark that keeps the build's copy out of the search index.
NORMALISED = """(panel) => {
    const prefix = panel.querySelector("pattern").id.replace(/-hatch$/, "");
    const plain = (text) => text.split(prefix).join("P");
    const parts = [panel.querySelector("svg[role=img]"), panel.querySelector(".lab-legend")];
    return parts.flatMap((part) => [part, ...part.querySelectorAll("*")]).map((node) => [
        node.tagName,
        [...node.attributes].filter((a) => a.name !== "data-search-exclude")
            .map((a) => [a.name, plain(a.value)]).sort(),
        [...node.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE)
            .map((c) => c.data).join(""),
    ]);
}"""

# The chapter's own labs: those in a challenge's answer stay hidden until "Show answer".
CHAPTER_LABS = ".lab[data-lab]:not(.challenge-answer .lab)"


def setups_of(preset):
    return json.loads((SNIPPETS / "lab" / preset).read_text(encoding="utf-8"))["setups"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_labs_timeline_is_visible_before_any_python_is_downloaded(
    page, site_url, requests_seen, language
):
    page.goto(site_url + PAGES[language] + "django/")
    labs = page.locator(CHAPTER_LABS)
    assert labs.count() > 1
    for lab in labs.all():
        lab.scroll_into_view_if_needed()
        preset = lab.get_attribute("data-preset")
        pictures = lab.locator(".lab-static .lab-picture svg[role=img]")
        expect(pictures).to_have_count(len(setups_of(preset)))
        for picture in pictures.all():
            expect(picture).to_be_visible()
            assert picture.bounding_box()["height"] > 20
    assert [url for url in requests_seen if "/pyodide/" in url] == []


def test_a_reader_without_javascript_sees_the_timeline_its_name_and_the_table(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "en/concurrency/")
        lab = page.locator('.lab[data-preset="concurrency-lab.json"]')
        lab.scroll_into_view_if_needed()
        picture = lab.locator(".lab-static .lab-picture").first
        chart = picture.locator("svg[role=img]")
        expect(chart).to_be_visible()
        # Named by its setup and its numbers, as the live chart is.
        assert picture.get_attribute("aria-label") in chart.get_attribute("aria-label")
        assert "ms" in chart.get_attribute("aria-label")
        expect(picture.locator(".lab-legend")).to_be_visible()
        expect(lab.locator(".lab-static table")).to_be_visible()
        assert lab.locator(".lab-form").count() == 0
    finally:
        context.close()


# Presets whose live chart is compared with the build's: plain, aggregated, with failures.
COMPARED = [
    ("en", "concurrency/", "concurrency-lab.json"),
    ("vi", "concurrency/", "concurrency-lab.json"),
    ("en", "deploy/", "deploy-connections.json"),
    ("vi", "django/", "django-db-pool-too-small.json"),
]


@pytest.mark.parametrize(("language", "path", "preset"), COMPARED)
def test_simulate_with_the_presets_parameters_draws_exactly_the_builds_picture(
    page, site_url, language, path, preset
):
    page.goto(site_url + PAGES[language] + path)
    lab = page.locator(f'.lab[data-preset="{preset}"]')
    lab.scroll_into_view_if_needed()
    static = lab.locator(".lab-static .lab-picture")
    expect(static).to_have_count(len(setups_of(preset)))
    built = [panel.evaluate(NORMALISED) for panel in static.all()]
    lab.locator(".lab-form button[type=submit]").click()
    live = lab.locator(".lab-panels .lab-panel")
    expect(live).to_have_count(len(built), timeout=PYTHON_TIMEOUT)
    expect(lab.locator(".lab-static")).to_be_hidden()
    drawn = [panel.evaluate(NORMALISED) for panel in live.all()]
    assert len(drawn[0]) > 40, "a timeline of bars, axis and legend"
    assert first_difference(drawn, built) is None


def first_difference(live, built):
    """The first element that differs, as (setup, live, built), to name it when one does."""
    for setup, (ours, theirs) in enumerate(zip(live, built, strict=True)):
        # zip stops at the shorter: a length apart is named after the common part.
        for a, b in zip(ours, theirs, strict=False):
            if a != b:
                return setup, a, b
        if len(ours) != len(theirs):
            return setup, len(ours), len(theirs)
    return None


def test_a_labs_form_is_built_only_when_the_lab_comes_near_the_screen(page, site_url):
    page.goto(site_url + "en/django/")
    labs = page.locator(CHAPTER_LABS)
    first, last = labs.first, labs.last
    first.scroll_into_view_if_needed()
    # Once one lab is built, the observer has had its first word on every lab of the page.
    expect(first.locator(".lab-form")).to_have_count(1)
    below = last.bounding_box()["y"] - page.viewport_size["height"]
    assert below > 1000, "the last lab is well away from the screen"
    assert last.get_attribute("data-mounted") is None
    expect(last.locator(".lab-form")).to_have_count(0)
    expect(last.locator(".lab-static svg[role=img]").first).to_be_attached()
    last.scroll_into_view_if_needed()
    expect(last.locator(".lab-form button[type=submit]")).to_be_visible()
