"""Browser helpers: record every request a page makes, drive runnable blocks."""

import re

import pytest
from playwright.sync_api import expect

from harness.chromium import PYTHON_TIMEOUT_MS as PYTHON_TIMEOUT


@pytest.fixture
def requests_seen(page):
    """Every URL the page (and its workers) asks for, in order."""
    urls = []
    page.context.on("request", lambda request: urls.append(request.url))
    return urls


def wait_until_saved(page):
    """The footer's offline status, once it says the site is saved for offline reading."""
    status = page.locator(".offline-status")
    expect(status).to_have_attribute("data-site", "ready", timeout=PYTHON_TIMEOUT)
    return status


def show_every_challenge_answer(page):
    """Show each challenge's answer, as its "Show answer" does, for the lab and code inside."""
    forms = page.locator("form.challenge")
    expect(page.locator("form.challenge[data-mounted]")).to_have_count(forms.count())
    show = "(answer) => { answer.hidden = false; answer.open = true; }"
    page.evaluate(f"document.querySelectorAll('.challenge-answer').forEach({show})")


class Block:
    """One runnable block on a page, driven the way a reader would."""

    def __init__(self, page, index=0):
        self.page = page
        self.root = page.locator(".runnable-block").nth(index)

    @property
    def snippet(self):
        return self.root.get_attribute("data-snippet")

    def state(self):
        return self.root.get_attribute("data-state")

    def wait_for_state(self, *states, timeout=PYTHON_TIMEOUT):
        expect(self.root).to_have_attribute("data-state", _one_of(states), timeout=timeout)

    def run(self):
        self.root.locator(".runnable-run").click()

    def stop(self):
        self.root.locator(".runnable-stop").click()

    def reset(self):
        self.root.locator(".runnable-reset").click()

    def editor(self):
        return self.root.locator(".cm-content")

    def replace_code(self, code):
        self.root.locator(".runnable-code").click()  # the editor mounts when the code is reached
        editor = self.editor()
        expect(editor).to_be_visible(timeout=PYTHON_TIMEOUT)
        editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.insert_text(code)

    def run_code(self, code, until):
        """Replace the code, Run it and wait until the block reaches the state `until`."""
        self.replace_code(code)
        self.run()
        self.wait_for_state(until)

    def code(self):
        """The editor's text as the reader sees it, one line per rendered line."""
        lines = self.editor().locator(".cm-line").all_inner_texts()
        return "\n".join(line.rstrip("\n") for line in lines)

    def output(self):
        return self.root.locator(".runnable-output")

    def status(self):
        return self.root.locator(".runnable-status")


def _one_of(states):
    return re.compile("^(" + "|".join(map(re.escape, states)) + ")$")


@pytest.fixture
def block_on(page):
    """Open a page and return a driver for one of its runnable blocks."""

    def open_block(url, index=0):
        page.goto(url)
        return Block(page, index)

    return open_block
