"""The await tree panel in Chromium, in both languages: live tasks, a frozen loop, the end."""

import re

import pytest
from conftest import PYTHON_TIMEOUT, Block
from playwright.sync_api import expect

from harness.paths import SNIPPETS

pytestmark = pytest.mark.browser

# What the panel says, per page: its label, a frozen loop, the gap after it, the end.
LANGUAGES = {
    "vi": (
        "concurrency/",
        "Cây await",
        "không phản hồi:",
        "đã không phản hồi suốt",
        "Đã chạy xong",
    ),
    "en": ("en/concurrency/", "Await tree", "not answering:", "did not answer for", "Finished"),
}


def demo(page, site_url, language, snippet):
    """The runnable block of `snippet` on the concurrency page in `language`, and its panel."""
    page.goto(site_url + LANGUAGES[language][0])
    block = Block(page)
    block.root = page.locator(f'.runnable-block[data-snippet="concurrency/{snippet}"]')
    return block, page.get_by_role("region", name=LANGUAGES[language][1])


def record(block):
    """Have the page note, at each change of the block, its state, the panel's status and
    the texts of the tasks that await no other task: what lasts a few hundred ms is then
    checked afterwards, not caught by polling."""
    block.root.evaluate("""root => {
        window.seen = [];
        new MutationObserver(() => {
            const panel = root.querySelector(".await-tree-panel");
            if (!panel) return;
            const leaves = panel.querySelectorAll(".await-tree-task:not(:has(.await-tree-task))");
            window.seen.push({
                state: root.dataset.state,
                status: panel.querySelector(".await-tree-status").textContent,
                leaves: [...leaves].map((leaf) => leaf.textContent),
            });
        }).observe(root, { subtree: true, childList: true, characterData: true });
    }""")
    return lambda: block.root.page.evaluate("seen")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gather_demo_shows_three_tasks_awaiting_sleep_then_all_done(page, site_url, language):
    block, panel = demo(page, site_url, language, "gather_views.py")
    seen = record(block)
    block.run()
    block.wait_for_state("done")
    views = [("profile", 0.3), ("orders", 0.5), ("recommendations", 0.7)]
    waiting = [re.compile(rf"^{name} view\(\).*sleep\({re.escape(str(s))}\)$") for name, s in views]
    assert any(
        moment["state"] == "running"
        and len(moment["leaves"]) == 3
        and all(map(re.match, waiting, moment["leaves"]))
        for moment in seen()
    ), seen()
    expect(panel.get_by_role("status")).to_contain_text(LANGUAGES[language][4])
    expect(panel.locator('.await-tree-task[data-state="done"]')).to_have_count(4)
    expect(panel.locator('.await-tree-task:not([data-state="done"])')).to_have_count(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_blocking_demo_says_the_loop_is_not_answering_then_how_long(page, site_url, language):
    _, _, frozen, gap, finished = LANGUAGES[language]
    block, panel = demo(page, site_url, language, "blocking_view.py")
    seen = record(block)
    block.run()
    expect(panel.locator(".await-tree-note")).to_contain_text(gap, timeout=PYTHON_TIMEOUT)
    block.wait_for_state("done")
    assert any(m["state"] == "running" and frozen in m["status"] for m in seen()), seen()
    expect(panel.get_by_role("status")).to_contain_text(finished)
    expect(panel.locator(".await-tree-list")).to_have_attribute("aria-live", "off")


def test_a_block_without_the_class_shows_no_await_tree(page, site_url):
    page.goto(site_url + "en/concurrency/")
    block = Block(page)
    block.root = page.locator('.runnable-block[data-snippet="concurrency/fanout.py"]')
    block.run()
    block.wait_for_state("done")
    expect(block.root.locator(".await-tree-panel")).to_have_count(0)


@pytest.mark.parametrize(("path", "cancelled"), [("asgi/", "đã hủy"), ("en/asgi/", "cancelled")])
def test_the_fan_out_demo_ends_with_the_late_call_cancelled(page, site_url, path, cancelled):
    page.goto(site_url + path)
    block = Block(page)
    block.root = page.locator('.runnable-block[data-snippet="asgi/fanout_timeout.py"]')
    block.run()
    block.wait_for_state("done")
    expected = (SNIPPETS / "asgi" / "fanout_timeout.out").read_text(encoding="utf-8")
    assert block.output().inner_text().strip() == expected.strip()
    late = block.root.locator('.await-tree-task[data-state="cancelled"]')
    expect(late).to_have_text(re.compile(rf"^search call\(\).*{cancelled}$"))
