"""Nothing a reader types can hang a page: each hostile input ends in a clear message, the
page keeps answering, Python answers `1 + 1` again, and other blocks and stored edits live."""

import json
import re

import pytest
from conftest import PYTHON_TIMEOUT, Block
from playwright.sync_api import expect
from serverlab.scenario import PARAMETER

from harness.paths import SNIPPETS
from harness.site_pages import LANGUAGES

pytestmark = pytest.mark.browser

PAGE = "basics/"  # three runnable blocks: the hostile one, the answering one, the edited one
ANSWER_MS = 1000  # a fresh Run of `print(1 + 1)` shows 2 this soon after any case
NOTICED_MS = 1000  # the page tells of a worker's end this soon after it
RESPONSIVE_MS = 100  # the longest the page's main thread may be busy while a run goes on
KEPT_EDIT = "print('my own edit')  # kept"
STORAGE = "wsgi-hay-asgi:snippet:"

# Runs a block and resolves once it reaches `target`: the time from "running" (or from the
# click, if the run never got there) to `target`, and the longest gap between the page's
# timer ticks meanwhile (a busy main thread delays them).
RUN_AND_PROBE = """(root, target) => new Promise((resolve) => {
    let last = performance.now(), gap = 0, runningAt = null, ticking = true;
    const tick = () => {
        const now = performance.now();
        gap = Math.max(gap, now - last);
        last = now;
        if (ticking) setTimeout(tick, 5);
    };
    tick();
    const clicked = performance.now();
    const observer = new MutationObserver(() => {
        const state = root.dataset.state;
        if (state === "running" && runningAt === null) runningAt = performance.now();
        if (state !== target) return;
        observer.disconnect();
        ticking = false;
        resolve({ms: performance.now() - (runningAt ?? clicked), gap});
    });
    observer.observe(root, {attributes: true, attributeFilter: ["data-state"]});
    root.querySelector(".runnable-run").click();
})"""

CRASHED = {
    "exited": {
        "vi": "Python đã thoát hẳn (Exit: Program terminated with exit(1)) nên worker chạy nó "
        "cũng dừng theo. Python đã được khởi động lại",
        "en": "Python exited (Exit: Program terminated with exit(1)), which ended the worker "
        "running it. Python was restarted",
    },
    "vanished": {
        "vi": "Worker chạy Python đã kết thúc đột ngột (chẳng hạn code đã gọi js.close()). "
        "Python đã được khởi động lại",
        "en": "The worker running Python ended suddenly (the code called js.close(), say). "
        "Python was restarted",
    },
    "failed": {
        "vi": "Python gặp lỗi không thể phục hồi (RangeError: Maximum call stack size exceeded)"
        ", có thể do đệ quy quá sâu hoặc hết bộ nhớ. Python đã được khởi động lại",
        "en": "Python hit an error it cannot recover from (RangeError: Maximum call stack size "
        "exceeded), perhaps recursion too deep or memory exhausted. Python was restarted",
    },
}
RESTARTED = {"vi": "Python đã được khởi động lại", "en": "Python restarted"}
OUTPUT_CUT = {
    "vi": "Đầu ra bị cắt ở 200.000 ký tự (giới hạn đầu ra)",
    "en": "Output cut at 200,000 characters (output limit)",
}
NO_INPUT = {
    "vi": "input() không dùng được ở đây: code chạy trong trang không đọc được bàn phím.",
    "en": "input() is not available here: code running in the page cannot read the keyboard.",
}
LOAD_FAILED = {"vi": "Không tải được Python", "en": "Python could not be loaded"}
DEEP_RECURSION = "import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)\n"


class Reader:
    """One page of PAGE in one language, with a stored edit in its third block."""

    def __init__(self, page, url):
        self.page, self.errors = page, []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(url)
        self.hostile, self.answering, self.edited = (Block(page, i) for i in range(3))
        self.edited.replace_code(KEPT_EDIT)

    def run(self, code, until, block=None):
        """Run `code` in the hostile block until the state `until`: {ms, gap} (RUN_AND_PROBE)."""
        block = block or self.hostile
        block.replace_code(code)
        return block.root.evaluate(RUN_AND_PROBE, until)

    def assert_intact(self):
        """Python answers at once in another block; the stored edit and the page live on."""
        assert self.page.evaluate("1 + 1") == 2
        self.answering.replace_code("print(1 + 1)\n")
        self.answering.run()
        self.answering.wait_for_state("done", timeout=ANSWER_MS + PYTHON_TIMEOUT // 20)
        expect(self.answering.output()).to_have_text("2")
        assert self.edited.code() == KEPT_EDIT
        stored = self.page.evaluate(
            f"localStorage.getItem({json.dumps(STORAGE)} + {json.dumps(self.edited.snippet)})"
        )
        assert stored == KEPT_EDIT


@pytest.fixture(scope="module")
def readers(browser, site_url):
    """One Reader per language, made on first use and shared by the cases of this module."""
    made, contexts = {}, []

    def reader(language):
        if language not in made:
            contexts.append(context := browser.new_context())
            made[language] = Reader(context.new_page(), site_url + LANGUAGES[language] + PAGE)
        return made[language]

    yield reader
    for context in contexts:
        context.close()


def python_ready(reader):
    """Wait until the hostile block's Python answers (so a case starts from a loaded worker)."""
    reader.run("pass\n", "done")


# Runaway code: Stop ends it at once and the next run works.


@pytest.mark.parametrize(
    "code",
    [
        "while True:\n    pass\n",
        "import asyncio\nawait asyncio.sleep(10**6)\n",
        "import time\ntime.sleep(30)\n",
    ],
    ids=["busy loop", "asyncio.sleep forever", "time.sleep(30)"],
)
def test_stop_ends_code_that_never_returns(readers, code):
    reader = readers("en")
    reader.hostile.replace_code(code)
    reader.hostile.run()
    reader.hostile.wait_for_state("running")
    assert reader.page.evaluate("1 + 1") == 2  # the page answers during the run
    reader.hostile.stop()
    reader.hostile.wait_for_state("stopped", timeout=ANSWER_MS)
    expect(reader.hostile.status()).to_have_text("Stopped")
    reader.assert_intact()


def test_stop_pressed_twice_stops_once_and_the_next_run_works(readers):
    reader = readers("en")
    reader.hostile.replace_code("while True:\n    pass\n")
    reader.hostile.run()
    reader.hostile.wait_for_state("running")
    reader.hostile.root.evaluate(
        "root => { const stop = root.querySelector('.runnable-stop'); stop.click(); stop.click(); }"
    )
    reader.hostile.wait_for_state("stopped")
    reader.assert_intact()


def test_reset_while_running_ends_the_run_and_restores_the_code(readers):
    reader = readers("en")
    original = (SNIPPETS / reader.hostile.snippet).read_text(encoding="utf-8").strip()
    reader.hostile.replace_code("while True:\n    pass\n")
    reader.hostile.run()
    reader.hostile.wait_for_state("running")
    reader.hostile.reset()
    reader.hostile.wait_for_state("idle")
    expect(reader.hostile.output()).to_be_hidden()
    assert reader.hostile.code().strip() == original
    reader.assert_intact()


def test_twenty_fast_runs_and_ctrl_enter_spam_run_one_at_a_time(readers):
    reader = readers("en")
    block = reader.hostile
    block.replace_code("print(1 + 1)\n")
    twenty = block.root.evaluate("""async (root) => {
        const states = [];
        for (let i = 0; i < 20; i++) {
            await new Promise((resolve) => {
                const observer = new MutationObserver(() => {
                    if (root.dataset.state !== "done") return;
                    observer.disconnect();
                    resolve();
                });
                observer.observe(root, {attributes: true, attributeFilter: ["data-state"]});
                root.querySelector(".runnable-run").click();
            });
            states.push(root.querySelector(".runnable-output").textContent);
        }
        return states;
    }""")
    assert twenty == ["2\n"] * 20
    block.editor().click()
    for _ in range(20):
        block.page.keyboard.press("Control+Enter")
    block.wait_for_state("done")
    expect(block.output()).to_have_text("2")
    reader.assert_intact()


# Output: capped in the worker however it is written, the page answering throughout.


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "code",
    [
        "while True:\n    print(1)\n",
        "print('x' * 50_000_000)\n",
        "import sys\nwhile True:\n    sys.stderr.write('e' * 999)\n    print('o' * 5000, end='')\n",
    ],
    ids=["print flood", "one giant print", "stdout and stderr together"],
)
def test_output_is_cut_at_the_cap_with_a_notice_and_the_page_stays_responsive(
    readers, language, code
):
    reader = readers(language)
    python_ready(reader)
    probe = reader.run(code, "stopped")
    assert probe["gap"] < RESPONSIVE_MS
    expect(reader.hostile.output()).to_contain_text(OUTPUT_CUT[language])
    printed = reader.hostile.output().evaluate(
        "out => [...out.querySelectorAll('[data-stream]')]"
        ".reduce((n, s) => n + s.textContent.length, 0)"
    )
    assert printed == 200_000
    reader.assert_intact()


def test_markup_ansi_bidi_control_characters_and_nul_are_shown_as_text(readers):
    reader = readers("en")
    text = "<img src=x onerror=alert(1)><b>bold</b>\x1b[31mred\x1b[0m \u202eevil\u202c \x07\x00end"
    reader.run(f"print({text!r})\n", "done")
    output = reader.hostile.output()
    assert output.evaluate("out => out.querySelectorAll('img, b').length") == 0
    assert output.evaluate("out => out.textContent") == text + "\n"
    reader.assert_intact()


def test_messages_forged_through_the_workers_postmessage_are_ignored(readers):
    reader = readers("en")
    forge = (
        "import js, json\n"
        "for id in range(200):\n"
        "    out = {'type': 'output', 'id': id, 'stream': 'stdout', 'text': '<b>FORGED</b>'}\n"
        "    for fake in (out,\n"
        "                 {'type': 'done', 'id': id, 'status': 'ok', 'error': ''},\n"
        "                 {'type': 'fatal', 'cause': 'failed', 'error': 'FORGED'},\n"
        "                 {'type': 'ready', 'ms': 0}):\n"
        "        js.postMessage(js.JSON.parse(json.dumps(fake)))\n"
        "print('honest')\n"
    )
    reader.run(forge, "done")
    expect(reader.hostile.output()).to_have_text("honest")
    assert reader.page.locator(".runnable-output", has_text="FORGED").count() == 0
    reader.assert_intact()


# Python ending itself: a clear message at once, a fresh worker, the other blocks untouched.


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("cause", "code"),
    [("exited", "import os\nos._exit(1)\n"), ("vanished", "import js\njs.close()\n")],
    ids=["os._exit", "js.close"],
)
def test_python_ending_its_own_worker_is_told_at_once_and_python_restarts(
    readers, language, cause, code
):
    reader = readers(language)
    python_ready(reader)
    probe = reader.run(code, "error")
    assert probe["ms"] < NOTICED_MS
    expect(reader.hostile.output()).to_contain_text(CRASHED[cause][language])
    expect(reader.hostile.status()).to_have_text(RESTARTED[language])
    reader.assert_intact()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_stack_overflow_past_a_raised_recursion_limit_restarts_python_with_a_message(
    readers, language
):
    reader = readers(language)
    reader.run(DEEP_RECURSION, "error")
    expect(reader.hostile.output()).to_contain_text(CRASHED["failed"][language])
    reader.assert_intact()


def test_deep_recursion_at_the_default_limit_shows_a_short_traceback(readers):
    reader = readers("en")
    probe = reader.run("def f(n):\n    return f(n + 1)\nf(0)\n", "error")
    output = reader.hostile.output()
    expect(output).to_contain_text("RecursionError: maximum recursion depth exceeded")
    expect(output).to_contain_text(re.compile(r"\[\.\.\. \d+ more frames \.\.\.\]"))
    assert len(output.inner_text()) < 20_000
    assert probe["gap"] < RESPONSIVE_MS
    reader.assert_intact()


def test_memory_exhaustion_ends_in_a_memory_error(readers):
    reader = readers("en")
    reader.run("hog = [bytearray(256 * 1024**2) for _ in range(64)]\n", "error")
    expect(reader.hostile.output()).to_contain_text("MemoryError")
    reader.assert_intact()


@pytest.mark.parametrize(
    ("code", "state", "shown"),
    [
        ("import sys\nsys.exit(0)\n", "done", None),
        ("raise SystemExit(3)\n", "error", "SystemExit: 3"),
        ("import threading\nthreading.Thread(target=print).start()\n", "error", "thread"),
    ],
    ids=["sys.exit(0)", "SystemExit(3)", "a thread"],
)
def test_system_exit_and_threads_end_the_run_not_python(readers, code, state, shown):
    reader = readers("en")
    reader.run(code, state)
    if shown:
        expect(reader.hostile.output()).to_contain_text(shown)
    reader.assert_intact()


@pytest.mark.parametrize("language", LANGUAGES)
def test_input_says_it_is_not_available_here_instead_of_hanging(readers, language):
    reader = readers(language)
    reader.run("name = input('Your name? ')\nprint(name)\n", "error")
    expect(reader.hostile.output()).to_contain_text(NO_INPUT[language])
    reader.assert_intact()


def test_one_worker_keeps_its_memory_bounded_over_a_hundred_runs(readers):
    reader = readers("en")
    heap = "import pyodide_js\nprint(pyodide_js._module.HEAPU8.length)\n"
    reader.run(heap, "done")
    before = int(reader.hostile.output().inner_text())
    block = reader.answering
    block.replace_code("data = [bytearray(1024 * 1024) for _ in range(8)]\nprint(len(data))\n")
    outputs = block.root.evaluate("""async (root) => {
        const outputs = new Set();
        for (let i = 0; i < 100; i++) {
            await new Promise((resolve) => {
                const observer = new MutationObserver(() => {
                    if (!["done", "error"].includes(root.dataset.state)) return;
                    observer.disconnect();
                    resolve();
                });
                observer.observe(root, {attributes: true, attributeFilter: ["data-state"]});
                root.querySelector(".runnable-run").click();
            });
            outputs.add(root.querySelector(".runnable-output").textContent);
        }
        return [...outputs];
    }""")
    assert outputs == ["8\n"]
    reader.run(heap, "done")
    after = int(reader.hostile.output().inner_text())
    # 100 runs allocate 800 MB in all: freed each time, the heap grows by far less.
    assert after - before < 256 * 1024**2
    reader.assert_intact()


# Storage: corrupt, full or forbidden, the blocks still run and nothing throws.

FORBIDDEN_STORAGE = """
Object.defineProperty(window, "localStorage", {
    get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""


def test_blocks_run_and_edit_when_local_storage_throws_as_in_private_mode(page, site_url):
    page.add_init_script(FORBIDDEN_STORAGE)
    page.goto(site_url + "en/" + PAGE)
    block = Block(page)
    block.replace_code("print(1 + 1)\n")
    expect(block.root.locator(".runnable-edited-note")).to_have_text(
        "Edited (kept in this browser)"
    )
    block.run()
    block.wait_for_state("done")
    expect(block.output()).to_have_text("2")


def test_a_corrupt_stored_edit_is_shown_as_code_and_reset_restores_the_original(page, site_url):
    page.goto(site_url + "en/" + PAGE)
    snippet = Block(page).snippet
    corrupt = "\x00\ufffd<script>alert(1)</script>" + "x" * 100_000
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [STORAGE + snippet, corrupt]
    )
    page.reload()
    block = Block(page)
    expect(block.editor()).to_contain_text("<script>alert(1)</script>", timeout=PYTHON_TIMEOUT)
    block.run()
    block.wait_for_state("error")
    block.reset()
    block.run()
    block.wait_for_state("done")


def test_a_full_local_storage_keeps_the_edit_in_the_page_and_runs_it(page, site_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + "en/" + PAGE)
    page.evaluate("""() => {
        const chunk = "x".repeat(1024 * 1024);
        try { for (let i = 0; i < 20; i++) localStorage.setItem("filler-" + i, chunk); } catch {}
    }""")
    block = Block(page)
    block.replace_code("print('too big to keep')\n" + "#" * 100_000 + "\n")
    block.run()
    block.wait_for_state("done")
    expect(block.output()).to_have_text("too big to keep")
    assert errors == []


# The lab and search: absurd input gets a message, the largest accepted run completes.

LAB_PAGE = {"vi": "concurrency/", "en": "en/concurrency/"}


@pytest.mark.parametrize("value", ["0", "-5", "1e309", "99999999999", "abc", "", "🙂"], ids=repr)
def test_absurd_lab_input_gets_a_message_not_a_simulation(page, site_url, value):
    page.goto(site_url + LAB_PAGE["en"])
    lab = page.locator('.lab[data-preset="concurrency-lab.json"]')
    lab.scroll_into_view_if_needed()  # its form is built when it nears the screen
    field = lab.locator("fieldset").first.locator("[name=requests]")
    field.evaluate("(input, value) => { input.value = value; }", value)
    lab.locator(".lab-form button[type=submit]").click()
    expect(lab.locator(".lab-error")).to_be_visible()
    expect(lab.locator(".lab-error")).to_contain_text(PARAMETER["requests"].label["en"])
    assert page.evaluate("1 + 1") == 2


def test_the_largest_accepted_lab_run_completes_and_the_page_answers(page, site_url):
    page.goto(site_url + LAB_PAGE["en"])
    lab = page.locator('.lab[data-preset="concurrency-lab.json"]')
    lab.scroll_into_view_if_needed()  # its form is built when it nears the screen
    fieldset = lab.locator("fieldset").first
    fieldset.locator("[name=server]").select_option("gunicorn-gthread")
    fieldset.locator("[name=view]").select_option("sync-io")
    for name in ("workers", "threads", "cores", "requests", "ms"):
        fieldset.locator(f"[name={name}]").fill(str(PARAMETER[name].max))
    lab.locator(".lab-form button[type=submit]").click()
    expect(lab.locator(".lab-panel").first).to_be_visible(timeout=2 * PYTHON_TIMEOUT)
    expect(lab.locator(".lab-error")).to_be_hidden()
    assert page.evaluate("1 + 1") == 2


def test_a_ten_thousand_character_search_with_regex_characters_answers(page, site_url):
    page.goto(site_url + "en/")
    page.keyboard.press("/")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    query = ("(a+)+$ [^\\] .* \\d{1,99999} | ? ( " * 400)[:10_000]
    box.fill(query)
    box.press("End")
    expect(page.locator(".md-search-result__meta")).to_be_visible()
    assert page.evaluate("1 + 1") == 2
    assert box.input_value() == query


# Offline: a reload after a visit shows the page, and a Run without Python saved says so.


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_offline_reload_shows_the_page_and_a_run_says_python_could_not_load(
    page, site_url, language
):
    url = site_url + LANGUAGES[language] + PAGE
    page.goto(url)
    status = page.locator(".offline-status")
    expect(status).to_have_attribute("data-site", "ready", timeout=PYTHON_TIMEOUT)
    page.context.set_offline(True)
    try:
        page.reload()
        block = Block(page)
        block.run()
        block.wait_for_state("error")
        expect(block.output()).to_contain_text(LOAD_FAILED[language])
        assert page.evaluate("1 + 1") == 2
    finally:
        page.context.set_offline(False)


# A load that hangs: the watchdog gives it up with a message instead of "Loading…" for good.

LOAD_STALLED = {
    "vi": "Tải Python không tiến triển gì suốt",
    "en": "Loading Python made no progress for",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_load_that_makes_no_progress_is_given_up_with_a_message(browser, site_url, language):
    # No service worker: its own fetches would escape the routes that hold Python's files.
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.clock.install()
        held = []
        context.route(
            re.compile(r"pyodide\.asm\.wasm|python_stdlib\.zip"), lambda route: held.append(route)
        )
        page.goto(site_url + LANGUAGES[language] + PAGE)
        block = Block(page)
        with context.expect_event("request", lambda request: "pyodide.asm.wasm" in request.url):
            block.run()
        page.clock.run_for(60_000)  # the page's clock only: far past any stall limit
        block.wait_for_state("error")
        expect(block.output()).to_contain_text(LOAD_STALLED[language])
        assert page.evaluate("1 + 1") == 2
    finally:
        context.close()
