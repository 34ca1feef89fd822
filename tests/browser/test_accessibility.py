"""axe-core finds no serious or critical problem on any page, language or palette, demos shown."""

import pytest
from conftest import PYTHON_TIMEOUT, show_every_challenge_answer
from playwright.sync_api import expect

from harness.paths import ROOT
from harness.site_pages import CHAPTERS, LANGUAGES

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("default", "slate")  # Material's light and dark palettes.
BLOCKING = {"serious", "critical"}
# True once every finite CSS transition and animation has finished.
SETTLED = """() => document.getAnimations().every((animation) =>
  animation.playState !== "running" || animation.effect.getTiming().iterations === Infinity)"""
# Light first, then dark: one click on the palette toggle switches the whole run.
CASES = [
    (scheme, language, chapter)
    for scheme in SCHEMES
    for language in LANGUAGES
    for chapter in CHAPTERS
]


@pytest.fixture(scope="module")
def reader(browser):
    """One tab reused for every page: a single browser context keeps the run short."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (axe-core comes from npm)")
    context = browser.new_context()
    # An init script, not a <script> tag: the page's Content-Security-Policy blocks inline ones.
    context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


def use_palette(page, scheme):
    """Switch Material's palette the way a reader does, with the toggle in the header."""
    # The choice is kept in localStorage, so after the first switch pages open in it.
    if page.evaluate("document.body.dataset.mdColorScheme") != scheme:
        page.locator("form[data-palette] label:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)


def render_demos(page):
    """Mount every editor, run every lab and open its transcript, as a curious reader would.

    Every challenge's answer is shown first, as "Show answer" shows it, for its lab and code.
    """
    show_every_challenge_answer(page)
    blocks = page.locator(".runnable-block")
    for block in blocks.all():
        block.locator(".runnable-code").click()
    expect(page.locator(".runnable-block .cm-content")).to_have_count(blocks.count())
    for lab in page.locator(".lab[data-lab]").all():
        lab.scroll_into_view_if_needed()  # its form is built when it nears the screen
        lab.locator(".lab-form button[type=submit]").click()
        expect(lab.locator(".lab-panel").first).to_be_visible(timeout=PYTHON_TIMEOUT)
        for summary in lab.locator(".lab-transcript summary").all():
            summary.click()


def guide_states(page):
    """Yield once on a question past the first, once on a recommendation."""
    answers = page.locator(".dg-answer")
    answers.first.click()
    yield "second question"
    while page.locator(".dg-question").is_visible():
        answers.first.click()
    expect(page.locator(".dg-result .decision-outcome:visible")).to_have_count(1)
    yield "recommendation"


def axe_problems(page, where):
    # Colours are checked as they end up: a button still fading in fails color-contrast.
    page.wait_for_function(SETTLED)
    violations = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    return [
        f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n"
        + "".join(f"    at {' '.join(map(str, node['target']))}\n" for node in v["nodes"][:10])
        + (f"    ... and {len(v['nodes']) - 10} more\n" if len(v["nodes"]) > 10 else "")
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(("scheme", "language", "chapter"), CASES, ids=["-".join(c) for c in CASES])
def test_axe_finds_no_serious_problem(reader, site_url, scheme, language, chapter):
    path = LANGUAGES[language] + ("" if chapter == "index" else f"{chapter}/")
    reader.goto(site_url + path)
    use_palette(reader, scheme)
    render_demos(reader)
    where = f"/{path} ({scheme})"
    if reader.locator(".dg-stepper").count():
        problems = [
            p for state in guide_states(reader) for p in axe_problems(reader, f"{where} {state}")
        ]
    else:
        problems = axe_problems(reader, where)
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_serious_problem_as_a_page_first_loads(reader, site_url, language):
    # Nothing scrolled or clicked: diagrams still show their source, editors are not mounted.
    path = LANGUAGES[language] + "basics/"
    reader.goto(site_url + path)
    problems = axe_problems(reader, f"/{path} (first load)")
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)
