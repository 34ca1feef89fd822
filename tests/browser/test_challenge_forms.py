"""Challenges answered by keyboard, right and wrong, in both languages; progress kept."""

import re

import pytest
from conftest import PYTHON_TIMEOUT, Block
from playwright.sync_api import expect

from harness.paths import SNIPPETS
from sitebuild import challenges

pytestmark = pytest.mark.browser

PAGES = {"vi": "concurrency/", "en": "en/concurrency/"}
WORDS = {
    "vi": {
        "check": "Kiểm tra",
        "right": "Đúng rồi!",
        "wrong": "Chưa đúng.",
        "show": "Xem đáp án",
        "higher": "cao hơn",
    },
    "en": {
        "check": "Check",
        "right": "Right!",
        "wrong": "Not quite.",
        "show": "Show answer",
        "higher": "higher",
    },
}
PICK = "#challenge-concurrency-spot-blocking"
PREDICT = "#challenge-concurrency-sync-rounds"
FIX = "#challenge-concurrency-fix"
NUMBER = "django-threads-under-asgi"  # a prediction typed as a number


def choose_by_keyboard(page, form, value):
    """Focus the first choice, then move with the arrow keys to the choice `value`."""
    radios = form.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Space")
    values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
    for _ in range(values.index(value)):
        page.keyboard.press("ArrowDown")
    expect(form.locator(f"input[value={value}]")).to_be_checked()


def press_check(page, form):
    form.locator(".challenge-check").focus()
    page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_wrong_choice_says_why_without_the_answer_and_a_right_one_explains(
    page, site_url, language
):
    words = WORDS[language]
    page.goto(site_url + PAGES[language] + "#challenges")
    form = page.locator(PICK)
    answer = page.locator(f"{PICK}-answer")
    expect(form.locator(".challenge-check")).to_have_text(words["check"])
    expect(answer).to_be_hidden()
    expect(form.locator(".challenge-show")).to_be_hidden()

    choose_by_keyboard(page, form, "a")
    press_check(page, form)
    feedback = form.locator(".challenge-feedback")
    expect(feedback).to_contain_text(words["wrong"])
    expect(feedback).to_contain_text("asyncio.sleep")
    expect(feedback.locator("a[href='#event-loop']")).to_have_count(1)
    expect(answer).to_be_hidden()
    expect(form.locator(".challenge-show")).to_be_visible()
    assert form.get_attribute("data-verdict") == "wrong"

    choose_by_keyboard(page, form, "b")
    press_check(page, form)
    expect(feedback).to_contain_text(words["right"])
    expect(feedback).to_contain_text("time.sleep")
    expect(form.locator(".challenge-solved")).to_be_visible()

    form.locator(".challenge-show").focus()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    expect(answer.locator("summary")).to_be_focused()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_choice_of_figures_is_judged_against_the_model(page, site_url, language):
    words = WORDS[language]
    page.goto(site_url + PAGES[language] + "#challenges")
    form = page.locator(PREDICT)
    choose_by_keyboard(page, form, "c")
    press_check(page, form)
    expect(form.locator(".challenge-feedback")).to_contain_text(words["wrong"])
    choose_by_keyboard(page, form, "b")
    press_check(page, form)
    expect(form.locator(".challenge-feedback")).to_contain_text(words["right"])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_typed_figure_says_higher_or_lower_until_it_is_near_the_model(page, site_url, language):
    words = WORDS[language]
    challenge = challenges.load(SNIPPETS / "challenges" / f"{NUMBER}.toml", SNIPPETS)
    page.goto(site_url + PAGES[language].replace("concurrency", "django") + "#challenges")
    form = page.locator(f"#challenge-{NUMBER}")
    field = form.locator("input[type=number]")
    field.focus()
    page.keyboard.type(str(float(challenge.answer) * 3))
    page.keyboard.press("Enter")
    feedback = form.locator(".challenge-feedback")
    expect(feedback).to_contain_text(words["wrong"])
    expect(feedback).to_contain_text(words["higher"])
    assert challenge.answer not in feedback.inner_text()
    field.fill(challenge.answer)
    field.press("Enter")
    expect(feedback).to_contain_text(words["right"])


def test_checking_with_nothing_chosen_asks_for_an_answer_first(page, site_url):
    page.goto(site_url + PAGES["en"] + "#challenges")
    form = page.locator(PICK)
    press_check(page, form)
    expect(form.locator(".challenge-feedback")).to_have_text("Choose an answer first.")
    expect(form.locator("input[type=radio]").first).to_be_focused()


def test_progress_is_kept_across_pages_and_languages_and_summed_on_the_home_page(page, site_url):
    page.goto(site_url + PAGES["en"] + "#challenges")
    form = page.locator(PICK)
    choose_by_keyboard(page, form, "b")
    press_check(page, form)
    expect(form.locator(".challenge-solved")).to_be_visible()

    page.goto(site_url + PAGES["vi"] + "#challenges")
    expect(page.locator(f"{PICK} .challenge-solved")).to_have_text("Bạn đã giải thử thách này.")
    page.goto(site_url)
    item = page.locator(".challenge-progress li", has=page.locator("a[href='concurrency/']"))
    expect(item).to_contain_text(re.compile(r"bạn đã giải 1/\d"))
    expect(page.locator(".challenge-progress-total")).to_contain_text("Bạn đã giải 1 trên")


def test_the_page_still_works_when_storage_is_refused(page, site_url):
    refuse = "get() { throw new DOMException('refused', 'SecurityError'); }"
    page.add_init_script(f"Object.defineProperty(window, 'localStorage', {{{refuse}}})")
    page.goto(site_url + PAGES["en"] + "#challenges")
    form = page.locator(PICK)
    choose_by_keyboard(page, form, "b")
    press_check(page, form)
    expect(form.locator(".challenge-feedback")).to_contain_text("Right!")
    page.goto(site_url + "en/")
    expect(page.locator(".challenge-progress-total")).to_contain_text("local storage")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_fixing_the_view_is_checked_by_running_it_in_the_worker(page, site_url, language):
    words = WORDS[language]
    page.goto(site_url + PAGES[language] + "#challenges")
    form = page.locator(FIX)
    press_check(page, form)
    feedback = form.locator(".challenge-feedback")
    expect(feedback).to_contain_text(words["wrong"], timeout=PYTHON_TIMEOUT)
    expect(feedback).to_contain_text("1" if language == "en" else "tối đa 1")

    index = page.locator(".runnable-block").evaluate_all(
        "(blocks, form) => blocks.indexOf(document.querySelector(form + ' .runnable-block'))", FIX
    )
    solution = SNIPPETS / "challenges" / "concurrency-fix-dashboard-solution.py"
    Block(page, index).replace_code(solution.read_text(encoding="utf-8"))
    press_check(page, form)
    expect(feedback).to_contain_text(words["right"], timeout=PYTHON_TIMEOUT)


def test_without_javascript_the_question_and_a_closed_answer_are_there(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PAGES["en"])
        answer = page.locator(f"{PICK}-answer")
        expect(page.locator(f"{PICK} legend")).to_contain_text("blocks the event loop")
        expect(answer).to_be_visible()
        assert answer.get_attribute("open") is None
        expect(answer.locator("summary")).to_have_text("Answer and explanation")
        answer.locator("summary").click()
        expect(answer).to_contain_text("(B)")
    finally:
        context.close()


def test_a_blocking_starter_fails_its_check_in_the_browsers_python_as_in_cpython(page, site_url):
    # Where the browser has JSPI, Pyodide's own time.sleep lets other tasks run: the
    # worker must put CPython's back, or every "don't block the loop" check would pass.
    page.goto(site_url + "en/pitfalls/#challenges")
    form = page.locator("#challenge-pitfalls-fix")
    press_check(page, form)
    feedback = form.locator(".challenge-feedback")
    expect(feedback).to_contain_text("Not quite.", timeout=PYTHON_TIMEOUT)
    expect(feedback).to_contain_text("blocked")
