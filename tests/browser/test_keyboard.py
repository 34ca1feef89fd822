"""The lab and the decision guide by keyboard alone, with a visible focus; no motion if asked."""

import pytest
from conftest import PYTHON_TIMEOUT, Block
from playwright.sync_api import expect
from serverlab import simulate

pytestmark = pytest.mark.browser

# Visible focus: the focused element matches :focus-visible and draws an outline or a shadow.
FOCUS = """() => {
    const node = document.activeElement;
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = outline || style.boxShadow !== "none";
    return {visible: node.matches(":focus-visible") && ring, html: node.outerHTML.slice(0, 120)};
}"""
# Every running or declared CSS transition and animation inside `root`.
MOTION = """(root) => [root, ...root.querySelectorAll("*")].flatMap((node) => {
    const style = getComputedStyle(node);
    const seconds = (value) => value.split(",").map(parseFloat);
    const moving = [...seconds(style.transitionDuration), ...seconds(style.animationDuration)]
        .some((duration) => duration > 0) || style.animationName !== "none";
    return moving ? [node.getAttribute("class") || node.tagName] : [];
}).concat(document.getAnimations().filter((a) => root.contains(a.effect?.target)).map(String))"""


def assert_focus_is_visible(page):
    focus = page.evaluate(FOCUS)
    assert focus["visible"], f"no visible focus indicator on {focus['html']}"


def tab_to(page, target, limit=40):
    """Press Tab until `target` has the focus, checking on the way that every stop shows it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_is_visible(page)
        if target.evaluate("node => node === document.activeElement"):
            return
    pytest.fail(f"{limit} presses of Tab never reached {target}")


def test_the_lab_is_set_run_and_read_by_keyboard_alone(page, site_url):
    # A reader who follows the table of contents to the lab starts tabbing from there.
    page.goto(site_url + "en/concurrency/#lab")
    lab = page.locator('.lab[data-preset="concurrency-lab.json"]')
    first = lab.locator("fieldset").first
    tab_to(page, first.locator("[name=server]"))
    requests = first.locator("[name=requests]")
    tab_to(page, requests)
    count = int(requests.input_value()) + 2
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(requests).to_have_value(str(count))
    page.keyboard.press("Enter")

    panel = lab.locator(".lab-panel").first
    expect(panel).to_be_visible(timeout=PYTHON_TIMEOUT)
    expect(panel).to_have_attribute("aria-label", f"gunicorn-sync 4 · sync-io · {count} × 100 ms")
    model = simulate(server="gunicorn-sync", workers=4, view="sync-io", requests=count, ms=100)
    chart_label = panel.locator(".lab-chart svg[role=img]").get_attribute("aria-label")
    assert f"Makespan {model.summary.makespan_ms:g} ms" in chart_label

    # The transcript, the chart's text alternative, opens and scrolls from the keyboard too.
    summary = panel.locator(".lab-transcript summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(panel.locator(".lab-transcript tr")).to_have_count(1 + count)
    tab_to(page, panel.locator(".lab-transcript table"), limit=5)


def test_run_hands_the_focus_to_stop_and_back_so_the_keyboard_never_loses_it(page, site_url):
    page.goto(site_url + "en/basics/")
    block = Block(page)
    block.replace_code("while True:\n    pass\n")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Esc then Tab leaves the editor for the Run button.
    expect(block.root.locator(".runnable-run")).to_be_focused()
    page.keyboard.press("Enter")
    expect(block.root.locator(".runnable-stop")).to_be_focused()
    assert_focus_is_visible(page)
    block.wait_for_state("running")
    page.keyboard.press("Enter")
    block.wait_for_state("stopped")
    expect(block.root.locator(".runnable-run")).to_be_focused()
    assert_focus_is_visible(page)


def test_the_decision_guide_reaches_a_recommendation_by_keyboard_alone(page, site_url):
    page.goto(site_url + "decide/#questions")
    guide = page.locator(".dg-stepper")
    tab_to(page, guide.locator(".dg-answer").first)
    for _ in range(10):
        if not guide.locator(".dg-question").is_visible():
            break
        # Each answer moves the focus to the next question's first answer.
        expect(guide.locator(".dg-answer").first).to_be_focused()
        assert_focus_is_visible(page)
        page.keyboard.press("Enter")
    result = guide.locator(".dg-result")
    expect(result).to_be_focused()
    assert_focus_is_visible(page)
    expect(result.locator(".decision-outcome:visible")).to_have_count(1)

    tab_to(page, guide.locator(".dg-restart"))
    page.keyboard.press("Enter")
    expect(guide.locator(".dg-progress")).to_have_text("Câu hỏi 1")
    expect(guide.locator(".dg-answer").first).to_be_focused()


def test_the_lab_chart_does_not_move_when_the_reader_asks_for_reduced_motion(page, site_url):
    page.goto(site_url + "en/")
    lab = page.locator(".lab[data-lab]").first
    lab.scroll_into_view_if_needed()  # its form is built when it nears the screen
    lab.locator(".lab-form button[type=submit]").click()
    chart = lab.locator(".lab-chart").first
    expect(chart.locator("rect.lab-bar").first).to_be_attached(timeout=PYTHON_TIMEOUT)
    # Without the preference the bars do fade, so the check below can see a transition.
    assert chart.evaluate(MOTION)
    page.emulate_media(reduced_motion="reduce")
    chart.locator("rect.lab-bar").first.hover()
    assert lab.evaluate(MOTION) == []
