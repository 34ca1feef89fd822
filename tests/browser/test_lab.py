"""The server lab in the browser: chart, numbers and transcript match the model."""

import json

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect
from serverlab import simulate
from serverlab.scenario import (
    FAILURES,
    LABELS,
    METRICS,
    PARAMETER,
    PARAMETERS,
    SEGMENT_KINDS,
    SERVER,
    WHOLE,
    schema,
    setup_label,
    uses_database,
)
from serverlab.views import VIEW_KINDS

from harness.paths import SNIPPETS

pytestmark = pytest.mark.browser

PAGES = {"vi": "concurrency/", "en": "en/concurrency/"}
DATABASE_VIEWS = [kind for kind in VIEW_KINDS if uses_database(kind)]
# How the form words a number outside its limits; the limits and the label are the schema's.
OUT_OF_RANGE = {
    "vi": "{label}: hãy nhập một số nguyên từ {min} đến {max}.",
    "en": "{label}: enter a whole number from {min} to {max}.",
}


def out_of_range(name, language):
    parameter = PARAMETER[name]
    label = parameter.label[language]
    return OUT_OF_RANGE[language].format(label=label, min=parameter.min, max=parameter.max)


def full_lab(page, url):
    page.goto(url)
    lab = page.locator('.lab[data-preset="concurrency-lab.json"]')
    lab.scroll_into_view_if_needed()  # its form is built once it comes near the screen
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
    setup = {"server": "gunicorn-sync", "workers": 4, "view": "sync-io", "requests": 10, "ms": 100}
    panel = simulated_panel(page, site_url + PAGES[language], setup)
    model = simulate(**setup).to_dict()
    makespan_label, threads_label = (
        METRICS[m][0][language] for m in ("makespan_ms", "peak_threads")
    )
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
    expect(alert).to_have_text(out_of_range("workers", "en"))
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
    set_field(lab, 0, "requests", PARAMETER["requests"].max * 2)
    lab.locator(".lab-form button[type=submit]").click()
    expect(lab.locator(".lab-error")).to_have_text(out_of_range("requests", "vi"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_control_of_the_form_is_the_vocabularys_in_the_pages_language(
    page, site_url, language
):
    lab = full_lab(page, site_url + PAGES[language])
    fieldset = lab.locator("fieldset").first
    expect(fieldset.locator("legend")).to_have_text(LABELS["setup_n"][language].format(n=1))
    controls = [p for p in PARAMETERS if p.control]
    names = fieldset.locator("[name]").evaluate_all("nodes => nodes.map(n => n.name)")
    assert names == [p.name for p in controls]
    for parameter in controls:
        control = fieldset.locator(f"[name={parameter.name}]")
        label = fieldset.locator(f"label[for='{control.get_attribute('id')}']")
        assert label.inner_text().startswith(parameter.label[language])
        if parameter.choices:
            values = control.locator("option").evaluate_all("nodes => nodes.map(n => n.value)")
            assert values == list(parameter.choices)
        else:
            limits = [control.get_attribute(a) for a in ("min", "max", "step")]
            step = "1" if parameter.type == WHOLE else "any"
            assert limits == [str(parameter.min), str(parameter.max), step]


def test_a_refusal_by_the_model_names_its_field_in_the_pages_language(page, site_url):
    lab = full_lab(page, site_url + PAGES["vi"])
    workers = lab.locator("fieldset").first.locator("[name=workers]")
    # Loosen the form's own limit, so that only the model can refuse the number.
    workers.evaluate("node => node.setAttribute('max', '1000')")
    too_many = PARAMETER["workers"].max + 1
    set_field(lab, 0, "workers", too_many)
    lab.locator(".lab-form button[type=submit]").click()
    alert = lab.locator(".lab-error")
    expect(alert).to_contain_text("workers phải là một số nguyên từ", timeout=PYTHON_TIMEOUT)
    expect(alert).to_contain_text(f"đến {PARAMETER['workers'].max}")
    expect(workers).to_have_attribute("aria-invalid", "true")
    expect(workers).to_be_focused()


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
        params = {k: v for k, v in setup.items() if k in PARAMETER}
        assert setup_label(params) in static
        assert f"{simulate(**params).summary.makespan_ms:g} ms" in static


def simulated_panel(page, url, setup=None):
    """The first lab of the page simulated, after filling its first setup with `setup`."""
    lab = full_lab(page, url)
    for name, value in (setup or {}).items():
        set_field(lab, 0, name, value)
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


def test_the_browser_names_each_setup_exactly_as_the_build_does(page, site_url):
    lab = full_lab(page, site_url + "en/concurrency/")
    lab.locator(".lab-form button[type=submit]").click()
    titles = lab.locator(".lab-panel-title")
    expect(titles).to_have_count(2, timeout=PYTHON_TIMEOUT)
    preset = json.loads((SNIPPETS / "lab" / "concurrency-lab.json").read_text(encoding="utf-8"))
    setups = [{k: v for k, v in s.items() if k in PARAMETER} for s in preset["setups"]]
    expected = [setup_label(setup) for setup in setups]
    assert titles.all_inner_texts() == expected


def field_label(lab, name):
    """The text of the label of the first setup's field `name`."""
    control = lab.locator("fieldset").first.locator(f"[name={name}]")
    return lab.locator(f"label[for='{control.get_attribute('id')}']")


def field_note(lab, name):
    """The note under the first setup's field `name` (why it is fixed, where it acts)."""
    control = lab.locator("fieldset").first.locator(f"[name={name}]")
    return lab.locator(f"#{control.get_attribute('aria-describedby')}")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("server", "name"), [("uwsgi", "workers"), ("granian-wsgi", "threads")])
def test_a_field_the_server_names_its_own_way_shows_the_servers_option(
    page, site_url, language, server, name
):
    lab = full_lab(page, site_url + PAGES[language])
    set_field(lab, 0, "server", server)
    option = SERVER[server].options[name]
    expect(field_label(lab, name)).to_have_text(f"{PARAMETER[name].label[language]} ({option})")
    set_field(lab, 0, "server", "gunicorn-gthread")
    gunicorn = SERVER["gunicorn-gthread"].options[name]
    expect(field_label(lab, name)).to_have_text(f"{PARAMETER[name].label[language]} ({gunicorn})")


def test_a_server_without_an_option_runs_with_its_fixed_value_and_keeps_the_readers(page, site_url):
    lab = full_lab(page, site_url + PAGES["en"])
    workers = lab.locator("fieldset").first.locator("[name=workers]")
    set_field(lab, 0, "server", "uvicorn")
    set_field(lab, 0, "workers", 3)
    set_field(lab, 0, "server", "daphne")
    expect(workers).to_be_disabled()
    daphne = next(server for server in schema()["servers"] if server["name"] == "daphne")
    expect(workers).to_have_value(str(daphne["fixed"]["workers"]))
    hint = next(p["hint"] for p in schema()["parameters"] if p["name"] == "workers")
    expect(field_note(lab, "workers")).to_have_text(hint["en"])
    set_field(lab, 0, "server", "hypercorn")
    expect(workers).to_be_enabled()
    expect(workers).to_have_value("3")
    expect(field_note(lab, "workers")).to_be_hidden()


def test_the_database_fields_say_they_act_only_on_database_views_and_keep_their_values(
    page, site_url
):
    lab = full_lab(page, site_url + PAGES["vi"])
    set_field(lab, 0, "view", "sync-io")
    set_field(lab, 0, "db_pool", 7)
    note = field_note(lab, "db_pool")
    expect(note).to_be_visible()
    for view in DATABASE_VIEWS:
        expect(note).to_contain_text(view)
    set_field(lab, 0, "view", DATABASE_VIEWS[0])
    expect(note).to_be_hidden()
    expect(lab.locator("fieldset").first.locator("[name=db_pool]")).to_have_value("7")


# A pool of one connection for five threads that each hold it for 4 s: the third request
# waits 8 s, the last two give up after the pool's 10 s timeout (psycopg_pool.PoolTimeout).
SMALL_POOL = {
    "server": "gunicorn-gthread",
    "workers": 1,
    "threads": 5,
    "view": "sync-db",
    "requests": 5,
    "ms": 4000,
    "db_pool": 1,
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_pool_too_small_draws_db_waits_and_marks_the_failed_requests(page, site_url, language):
    panel = simulated_panel(page, site_url + PAGES[language], SMALL_POOL)
    expect(panel.locator(".lab-panel-title")).to_have_text(setup_label(SMALL_POOL))
    model = simulate(**SMALL_POOL).to_dict()
    failed = [r for r in model["requests"] if r["error"]]
    assert failed, "the setup must make requests fail"
    waits = [s for r in model["requests"] for s in r["segments"] if s[0] == "db_wait"]
    db_wait = SEGMENT_KINDS["db_wait"][language]
    expect(panel.locator("rect.lab-bar", has_text=db_wait)).to_have_count(len(waits))
    assert summary_value(panel, METRICS["failed"][0][language]) == str(len(failed))
    marks = panel.locator(".lab-chart .lab-failure")
    expect(marks).to_have_count(len(failed))
    for mark, request in zip(marks.all(), failed, strict=True):
        expect(mark).to_have_text(f"#{request['id']} {FAILURES[request['error']][language]}")
    legend = panel.locator(".lab-legend")
    expect(legend.locator("[data-kind=db_wait]")).to_have_text(db_wait)
    expect(legend.locator("[data-kind=failed]")).to_have_text(METRICS["failed"][0][language])
    panel.locator(".lab-transcript summary").click()
    first_failed = panel.locator(".lab-transcript tr").nth(1 + failed[0]["id"])
    expect(first_failed).to_contain_text(FAILURES[failed[0]["error"]][language])


def test_the_aggregated_chart_marks_where_requests_failed(page, site_url):
    setup = {**SMALL_POOL, "threads": 100, "requests": 2000, "ms": 200}
    panel = simulated_panel(page, site_url + PAGES["en"], setup)
    model = simulate(**setup).to_dict()
    assert model["failed"], "the setup must make requests fail"
    expect(panel.locator(".lab-transcript")).to_contain_text("grouped by process")
    marks = panel.locator(".lab-chart .lab-failure").all_text_contents()
    counts = [int(text.split(" × ")[0].replace(",", "")) for text in marks]
    assert sum(counts) == model["failed"]
    assert all(FAILURES["pool_timeout"]["en"] in text for text in marks)
