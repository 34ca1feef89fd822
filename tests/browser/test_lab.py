"""The server lab in the browser: chart, numbers and transcript match the model."""

import json

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect
from serverlab import simulate

from harness.snippet_files import SNIPPETS

pytestmark = pytest.mark.browser

SUMMARY_LABELS = {
    "vi": ("Thời gian hoàn tất (makespan)", "Số thread tối đa"),
    "en": ("Makespan", "Peak threads"),
}


def full_lab(page, url):
    page.goto(url)
    lab = page.locator('.lab[data-preset="concurrency-lab.json"]')
    expect(lab.locator(".lab-form")).to_be_visible()
    return lab


def summary_value(panel, label):
    term = panel.locator(".lab-summary dt", has_text=label)
    return term.locator("xpath=following-sibling::dd[1]").inner_text()


def set_field(lab, index, name, value):
    field = lab.locator("fieldset").nth(index).locator(f"[name={name}]")
    if field.evaluate("node => node.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(str(value))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_lab_draws_a_chart_and_a_transcript_that_match_the_model(page, site_url, language):
    lab = full_lab(page, site_url + ("concurrency/" if language == "vi" else "en/concurrency/"))
    setup = {"server": "gunicorn-sync", "workers": 4, "view": "sync-io", "requests": 10, "ms": 100}
    for name, value in setup.items():
        set_field(lab, 0, name, value)
    lab.locator(".lab-form button[type=submit]").click()
    panel = lab.locator(".lab-panel").first
    expect(panel).to_be_visible(timeout=PYTHON_TIMEOUT)
    model = simulate(**setup).to_dict()
    makespan_label, threads_label = SUMMARY_LABELS[language]
    assert summary_value(panel, makespan_label).replace(",", ".") == f"{model['makespan_ms']:g} ms"
    assert summary_value(panel, threads_label) == str(model["peak_threads"])
    chart = panel.locator(".lab-chart svg")
    assert chart.get_attribute("role") == "img"
    assert f"{model['makespan_ms']:g}" in chart.get_attribute("aria-label")
    bars = chart.locator("rect.lab-bar")
    assert bars.count() == sum(len(r["segments"]) for r in model["requests"])
    panel.locator(".lab-transcript summary").click()
    rows = panel.locator(".lab-transcript tr")
    expect(rows).to_have_count(1 + len(model["requests"]))
    first = model["requests"][0]
    assert rows.nth(1).locator("td").all_inner_texts()[:2] == [str(first["id"]), first["lane"]]


def test_side_by_side_compares_two_setups_on_the_same_load(page, site_url):
    lab = full_lab(page, site_url + "en/concurrency/")
    set_field(lab, 0, "server", "gunicorn-sync")
    set_field(lab, 1, "server", "uvicorn")
    for index in (0, 1):
        set_field(lab, index, "view", "async-io")
        set_field(lab, index, "requests", 10)
        set_field(lab, index, "ms", 100)
        set_field(lab, index, "workers", 1)
    lab.locator(".lab-form button[type=submit]").click()
    panels = lab.locator(".lab-panel")
    expect(panels).to_have_count(2, timeout=PYTHON_TIMEOUT)
    assert summary_value(panels.nth(0), "Makespan") == "1,000 ms"
    assert summary_value(panels.nth(1), "Makespan") == "100 ms"


def test_absurd_parameters_get_a_clear_message_and_the_lab_keeps_working(page, site_url):
    lab = full_lab(page, site_url + "en/concurrency/")
    set_field(lab, 0, "workers", 0)
    lab.locator(".lab-form button[type=submit]").click()
    alert = lab.locator(".lab-error")
    expect(alert).to_have_text("Workers: enter a whole number from 1 to 64.")
    expect(lab.locator("fieldset").nth(0).locator("[name=workers]")).to_be_focused()
    set_field(lab, 0, "workers", 2)
    lab.locator(".lab-form button[type=submit]").click()
    expect(lab.locator(".lab-panel")).to_have_count(2, timeout=PYTHON_TIMEOUT)
    expect(alert).to_be_hidden()


def test_ten_thousand_requests_render_without_freezing_the_page(page, site_url):
    lab = full_lab(page, site_url + "en/concurrency/")
    set_field(lab, 0, "server", "uvicorn")
    set_field(lab, 0, "view", "sync-io")
    set_field(lab, 0, "requests", 10_000)
    lab.locator(".lab-form button[type=submit]").click()
    # While the worker simulates, the page still answers.
    assert page.evaluate("1 + 1") == 2
    panel = lab.locator(".lab-panel").first
    expect(panel).to_be_visible(timeout=PYTHON_TIMEOUT)
    assert panel.locator("rect.lab-bar").count() < 10_000  # aggregated lanes
    expect(panel.locator(".lab-transcript")).to_contain_text("9,950 more requests")


def test_a_setup_the_model_refuses_is_explained_in_the_pages_language(page, site_url):
    lab = full_lab(page, site_url + "concurrency/")
    set_field(lab, 0, "requests", 200_000)
    lab.locator(".lab-form button[type=submit]").click()
    expect(lab.locator(".lab-error")).to_have_text(
        "Số request: hãy nhập một số nguyên từ 1 đến 100000."
    )


def test_a_snippet_can_draw_the_labs_chart_under_its_output(page, site_url):
    page.goto(site_url + "en/concurrency/")
    block = page.locator('.runnable-block[data-snippet="concurrency/own_view.py"]')
    block.locator(".runnable-run").click()
    expect(block).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    expect(block.locator(".runnable-output")).to_contain_text("Makespan: 100 ms.")
    chart = block.locator(".runnable-charts .lab-panel svg[role=img]")
    expect(chart).to_be_visible()


def test_the_static_table_shows_the_models_numbers_without_javascript(built_site):
    html = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    preset = json.loads((SNIPPETS / "lab" / "index-sync-view.json").read_text(encoding="utf-8"))
    static = html[html.index('data-preset="index-sync-view.json"') :]
    static = static[: static.index("</table>")]
    for setup in preset["setups"]:
        params = {k: v for k, v in setup.items() if k != "label"}
        assert f"{simulate(**params).summary.makespan_ms:g} ms" in static


def simulated_panel(page, url):
    lab = full_lab(page, url)
    lab.locator(".lab-form button[type=submit]").click()
    panel = lab.locator(".lab-panel").first
    expect(panel).to_be_visible(timeout=PYTHON_TIMEOUT)
    return panel


def test_playback_replays_the_run_on_the_clock_then_shows_the_whole_chart(page, site_url):
    panel = simulated_panel(page, site_url + "en/concurrency/")
    panel.locator(".lab-playback button").click()
    expect(panel.locator(".lab-playback .runnable-status")).to_have_text("0.3× real time.")
    assert panel.locator(".lab-bars").get_attribute("clip-path")
    expect(panel.locator(".lab-playback button")).to_have_text("▶ Play back in time", timeout=5_000)
    assert panel.locator(".lab-bars").get_attribute("clip-path") is None


def test_playback_respects_a_request_for_reduced_motion(page, site_url):
    page.emulate_media(reduced_motion="reduce")
    panel = simulated_panel(page, site_url + "concurrency/")
    panel.locator(".lab-playback button").click()
    expect(panel.locator(".lab-playback .runnable-status")).to_contain_text("giảm chuyển động")
    assert panel.locator(".lab-bars").get_attribute("clip-path") is None
