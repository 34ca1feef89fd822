"""What a first visit and a first Run fetch, counted by the server: each file once,
Python only after intent, and the offline save out of a Run's way."""

from collections import Counter

import pytest
from conftest import PYTHON_TIMEOUT, Block, wait_until_saved
from playwright.sync_api import expect

from harness.static_site import serve_counting
from sitebuild.pyodide import twins

pytestmark = pytest.mark.browser

RUNTIME = "/pyodide/"


@pytest.fixture
def counted(built_site):
    """The built site on its own server, with the paths of the responses it sent, in order."""
    with serve_counting(built_site) as (url, sent):
        yield url + "/", sent


def paths_of(sent):
    return [path for path, *_ in sent]


def runtime_paths(sent):
    return [path for path in paths_of(sent) if path.startswith(RUNTIME)]


def repeated(paths):
    """The paths sent more than once (the service worker's own script is checked each visit)."""
    counts = Counter(path for path in paths if path != "/sw.js")
    return {path: n for path, n in counts.items() if n > 1}


def assert_twins_only(paths):
    plain = [p for p in paths if p.startswith(RUNTIME) and twins.has_twin(p.removeprefix(RUNTIME))]
    assert not plain, f"fetched without its zstd twin: {plain}"


def test_a_first_run_fetches_each_file_once_and_python_only_after_intent(page, counted):
    url, sent = counted
    page.goto(url + "en/basics/")
    wait_until_saved(page)
    assert runtime_paths(sent) == [], "Python was fetched before the reader asked for it"
    before = len(sent)
    # The page, its workers and the offline save: one response per file (a query string
    # on a worker's URL, say, makes the save's fetch miss the HTTP cache).
    twice = repeated(paths_of(sent))
    assert not twice, f"fetched more than once before the Run: {twice}"
    block = Block(page)
    block.run()
    block.wait_for_state("done")
    run = [path for path in paths_of(sent[before:]) if path != "/sw.js"]
    assert RUNTIME + "pyodide.asm.wasm" + twins.SUFFIX in run
    assert_twins_only(run)
    assert not repeated(run), f"fetched more than once in one Run: {repeated(run)}"
    again = set(run) & set(paths_of(sent[:before]))
    assert not again, f"fetched before the Run and again for it: {again}"


def test_saving_python_after_a_run_fetches_only_what_the_run_did_not(page, counted):
    url, sent = counted
    page.goto(url + "basics/")
    wait_until_saved(page)
    Block(page).run()
    Block(page).wait_for_state("done")
    ran = Counter(runtime_paths(sent))
    page.reload()
    status = wait_until_saved(page)
    status.locator(".offline-save-python").click()
    expect(status).to_have_attribute("data-python", "ready", timeout=PYTHON_TIMEOUT)
    saved = Counter(runtime_paths(sent)) - ran
    assert not set(saved) & set(ran), f"fetched again to save Python: {set(saved) & set(ran)}"
    page.context.set_offline(True)
    page.goto(url + "en/asgi/")
    offline = Block(page)
    offline.run()
    offline.wait_for_state("done")
    page.context.set_offline(False)


def test_saving_the_site_pauses_while_a_run_loads_python(page, counted):
    url, sent = counted
    page.goto(url + "en/basics/")
    # Run at once: a step of the save may already be under way, the next ones must wait.
    Block(page).run()
    Block(page).wait_for_state("done")
    wait_until_saved(page)
    paths = paths_of(sent)
    loading = [i for i, path in enumerate(paths) if path.startswith(RUNTIME)]
    during = paths[loading[0] : loading[-1]]
    saved_meanwhile = [path for path in during if path.endswith("/")]
    assert not saved_meanwhile, "\n".join(paths)


def test_a_django_demo_fetches_each_wheel_as_its_zstd_twin(page, counted):
    url, sent = counted
    page.goto(url + "en/django/")
    demo = page.locator('.runnable-block[data-snippet="django/handlers.py"]')
    demo.locator(".runnable-run").click()
    expect(demo).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    fetched = runtime_paths(sent)
    assert any(path.startswith(RUNTIME + "django-") for path in fetched), fetched
    assert_twins_only(fetched)


def test_a_wheel_that_does_not_match_the_lock_file_fails_the_run_and_names_it(page, site_url):
    # A well-formed twin of other bytes: only the hash check can catch it.
    forged = twins.compress(b"PK\x05\x06" + bytes(18))
    page.context.route("**/pyodide/django-*.whl.zst", lambda route: route.fulfill(body=forged))
    page.goto(site_url + "en/django/")
    demo = page.locator('.runnable-block[data-snippet="django/handlers.py"]')
    demo.locator(".runnable-run").click()
    expect(demo).to_have_attribute("data-state", "error", timeout=PYTHON_TIMEOUT)
    expect(demo.locator(".runnable-output")).to_contain_text("does not match its integrity hash")
    assert "django-" in demo.locator(".runnable-output").inner_text()
