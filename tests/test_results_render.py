"""The benchmarks page renders `make bench` results as tables and a chart in its language."""

import json
import re

import pytest
from serverlab.scenario import PARAMETER

from sitebuild.pages import pair_errors, read_page
from sitebuild.results import ResultsError, options, render, render_results

NBSP = "\u202f"


def record(server, view, kind, workers, threads, requests, ms, predicted, runs, within):
    median = sorted(runs)[len(runs) // 2]
    return {
        "id": f"{server}-{workers}x{threads}-{view}-{requests}x{ms}ms",
        "server": server,
        "view": view,
        "kind": kind,
        "workers": workers,
        "threads": threads,
        "requests": requests,
        "ms": ms,
        "predicted": {"makespan_ms": predicted, "p50_ms": 300.0, "p95_ms": 500.0, "p99_ms": 500.0},
        "measured": {
            "makespans_ms": runs,
            "median_ms": median,
            "min_ms": min(runs),
            "max_ms": max(runs),
            "spread_pct": 1.0,
            "p50_ms": 304.1,
            "p95_ms": 507.4,
            "p99_ms": 507.4,
            "processes_used": [2],
            "threads_used": [2],
        },
        "diff_pct": round((median - predicted) / predicted * 100, 1),
        "within_25pct": within,
    }


RESULTS = {
    "machine": {
        "date_utc": "2026-01-02T03:04:05Z",
        "cpu_count": 2,
        "cpu_affinity": 2,
        "cpu_model": "Test CPU",
        "os": "Linux 6.1 (x86_64)",
        "python": "CPython 3.13.0",
        "packages": {"django": "6.1.3", "httptools": None},
        "load_before": [0.1, 0.2, 0.3],
        "load_after": [0.4, 0.5, 0.6],
    },
    "run": {"mode": "full", "repetitions": 3, "tolerance_pct": 25.0, "duration_s": 321.0},
    "servers": [
        record(
            "gunicorn-sync", "sync-io", "io", 2, 1, 10, 100, 500.0, [507.4, 512.0, 1014.3], True
        ),
        record(
            "gunicorn-sync", "sync-cpu", "cpu", 2, 1, 10, 100, 500.0, [517.3, 698.0, 720.5], None
        ),
        record("uvicorn", "async-blocking", "io", 2, 1, 10, 100, 1000.0, [1031.2], True),
    ],
}


def db_record(server, view, requests, ms, failed, **settings):
    """A database-view record; `failed` is (measured, predicted) requests answered 500."""
    measured_failed, predicted_failed = failed
    base = record(server, view, "io", 1, 1, requests, ms, 600.0, [610.0, 620.0, 630.0], True)
    base["predicted"]["failed"] = predicted_failed
    base["measured"]["failed"] = measured_failed
    return {**base, **settings, "id": base["id"] + "".join(f"-{k}{v}" for k, v in settings.items())}


# Today's records, a second server with a CPU scenario and its I/O twin, and database views.
WITH_DATABASE = {
    **RESULTS,
    "servers": [
        *RESULTS["servers"],
        record("granian-wsgi", "sync-io", "io", 1, 4, 10, 100, 300.0, [310.0], True),
        record("granian-wsgi", "sync-cpu", "cpu", 1, 4, 10, 100, 1000.0, [1010.0], None),
        record("hypercorn", "async-io", "io", 1, 1, 10, 100, 120.0, [125.0], True),
        db_record("gunicorn-gthread", "sync-db", 10, 200, (0, 0)),
        db_record("uvicorn", "async-db", 6, 300, (3, 2), db_pool=2, db_pool_timeout_ms=500),
        db_record("uvicorn", "sync-db", 12, 300, (5, 5), db_max_connections=10),
    ],
}


@pytest.fixture
def results_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(RESULTS), encoding="utf-8")
    return path


def headers(html):
    return re.findall(r"<th>(.*?)</th>", html)


def column(html, header):
    """The cells under one header, top to bottom."""
    index = headers(html).index(header)
    rows = re.findall(r"<tr>(<td.*?)</tr>", html)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row)[index] for row in rows]


MAKESPAN_HEADERS = [
    "Server",
    "View kind",
    "Workers × threads",
    "Requests × ms",
    "Predicted (ms)",
    "Measured, median (ms)",
    "Spread min–max (ms)",
    "Difference",
    "Within ±25 %",
    "Processes that answered",
]


def test_the_makespan_table_speaks_vietnamese_with_decimal_commas():
    html = render(RESULTS, "vi", "makespan")
    assert "Dự đoán (ms)" in headers(html)
    assert "Đo được, trung vị (ms)" in headers(html)
    assert "Dao động min–max (ms)" in headers(html)
    assert "Trong ±25 %" in headers(html)
    assert "+2,4 %" in html  # (512 - 500) / 500
    assert f"507–1{NBSP}014" in html
    assert "không áp dụng (CPU)" in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_server_and_view_columns_use_the_labs_labels(language):
    html = render(RESULTS, language, "makespan")
    labels = [PARAMETER[name].label[language] for name in ("server", "view")]
    assert headers(html)[:2] == labels


def test_the_makespan_table_speaks_english_with_decimal_points():
    html = render(RESULTS, "en", "makespan")
    assert headers(html)[2] == "Workers × threads"
    assert "Measured, median (ms)" in headers(html)
    assert "+2.4 %" in html
    assert f"1{NBSP}031" in html
    assert "n/a (CPU)" in html


def test_a_kind_keeps_only_those_scenarios():
    html = render(RESULTS, "en", "makespan", kind="cpu")
    assert "sync-cpu" in html
    assert "sync-io" not in html
    assert "(CPU scenarios)" in html


def test_a_server_filter_keeps_only_the_named_servers():
    html = render(WITH_DATABASE, "en", "makespan", server="granian-wsgi hypercorn")
    assert sorted(column(html, "Server")) == ["granian-wsgi", "granian-wsgi", "hypercorn"]


def test_a_view_filter_keeps_only_the_named_views():
    html = render(WITH_DATABASE, "en", "latency", view="sync-db async-io")
    assert sorted(column(html, "View kind")) == ["async-io", "sync-db", "sync-db"]


def test_the_filters_and_the_kind_all_apply_at_once():
    html = render(WITH_DATABASE, "en", "chart", kind="io", server="uvicorn", view="sync-db")
    label = re.search(r'aria-label="([^"]*)"', html)[1]
    assert "for 1 scenario (I/O scenarios)" in label


@pytest.mark.parametrize(
    ("language", "words"), [("en", "for {n} scenarios."), ("vi", "cho {n} kịch bản.")]
)
def test_the_charts_label_counts_its_scenarios_in_the_pages_language(language, words):
    html = render(WITH_DATABASE, language, "chart")
    label = re.search(r'aria-label="([^"]*)"', html)[1]
    assert words.format(n=html.count('text-anchor="end"')) in label, label


@pytest.mark.parametrize("parameter", ["server", "view"])
def test_an_unknown_name_in_a_filter_is_refused_naming_it_and_the_choices(parameter):
    with pytest.raises(ResultsError, match=f"data-{parameter}") as error:
        render(WITH_DATABASE, "en", "makespan", **{parameter: "uvicorn nginx"})
    assert "'nginx'" in str(error.value)
    assert ", ".join(PARAMETER[parameter].choices) in str(error.value)


def test_a_filter_that_leaves_no_record_is_refused():
    with pytest.raises(ResultsError, match=r"no benchmark record matches.*server daphne"):
        render(WITH_DATABASE, "en", "makespan", kind="cpu", server="daphne")


def test_the_io_cpu_table_keeps_the_pairs_of_the_named_servers():
    assert len(column(render(WITH_DATABASE, "en", "io-cpu"), "Server")) == 2
    html = render(WITH_DATABASE, "en", "io-cpu", server="granian-wsgi uvicorn")
    assert column(html, "Server") == ["granian-wsgi"]


def test_the_fence_filters_reach_the_table(results_file):
    info = '{ .results data-table="makespan" data-server="uvicorn" data-view="async-blocking" }'
    assert options(info) == {"table": "makespan", "server": "uvicorn", "view": "async-blocking"}
    html = render_results(results_file, "en", **options(info))
    assert column(html, "Server") == ["uvicorn"]


def test_a_table_without_a_database_view_keeps_its_columns():
    assert headers(render(RESULTS, "en", "makespan")) == MAKESPAN_HEADERS
    no_database = render(WITH_DATABASE, "en", "makespan", view="sync-io sync-cpu async-io")
    assert headers(no_database) == MAKESPAN_HEADERS


def test_a_database_view_adds_its_setup_and_failed_requests_columns():
    html = render(WITH_DATABASE, "en", "makespan", server="gunicorn-sync uvicorn")
    assert headers(html) == [
        *MAKESPAN_HEADERS[:4],
        "Database",
        *MAKESPAN_HEADERS[4:8],
        "Failed requests: measured (predicted)",
        *MAKESPAN_HEADERS[8:],
    ]
    rows = list(zip(column(html, "View kind"), column(html, "Database"), strict=True))
    assert rows == [
        ("sync-io", "—"),
        ("sync-cpu", "—"),
        ("async-blocking", "—"),
        ("async-db", "pool 2, 0.5 s timeout"),
        ("sync-db", "no pool, max_connections 10"),
    ]


def test_the_database_setup_reads_in_vietnamese_with_a_decimal_comma():
    html = render(WITH_DATABASE, "vi", "makespan", view="sync-db async-db")
    assert "Request lỗi: đo được (dự đoán)" in headers(html)
    assert column(html, "Database") == [
        "không có pool",
        "pool 2, chờ tối đa 0,5 s",
        "không có pool, max_connections 10",
    ]


def test_the_failed_column_shows_the_measured_then_the_predicted_count():
    html = render(WITH_DATABASE, "en", "makespan", kind="io", server="uvicorn gunicorn-gthread")
    failed = column(html, "Failed requests: measured (predicted)")
    assert failed == ["—", "0 (0)", "3 (2)", "5 (5)"]


def test_the_latency_table_shows_measured_and_predicted_percentiles():
    vi = render(RESULTS, "vi", "latency")
    en = render(RESULTS, "en", "latency")
    assert "p95: đo / dự đoán (ms)" in headers(vi)
    assert "p95: measured / predicted (ms)" in headers(en)
    assert "507 / 500" in en


def test_the_io_cpu_table_pairs_a_cpu_scenario_with_its_io_twin():
    html = render(RESULTS, "en", "io-cpu")
    row = re.findall(r"<tr><td[^>]*>.*?</tr>", html)
    assert len(row) == 1
    assert "sync-io" in row[0]
    assert "512 (500)" in row[0]
    assert "698 (500)" in row[0]
    assert "517–720" in row[0]


def test_the_machine_table_names_the_facts_in_each_language():
    expected = {
        "vi": ("Hệ điều hành", "httptools không cài", "0,10 · 0,20 · 0,30"),
        "en": ("Test CPU", "httptools not installed"),
    }
    for language, texts in expected.items():
        html = render(RESULTS, language, "machine")
        assert [text for text in texts if text not in html] == []


def test_the_chart_is_an_image_with_a_text_alternative_in_each_language():
    for language, words in (("vi", "Biểu đồ cột"), ("en", "Bar chart")):
        html = render(RESULTS, language, "chart", kind="io")
        svg = re.search(r"<svg [^>]*>", html)[0]
        assert 'role="img"' in svg
        label = re.search(r'aria-label="([^"]*)"', svg)[1]
        assert label.startswith(words)
        assert "2" in label  # two I/O scenarios
        assert "<figcaption>" in html


def test_the_chart_tells_bars_apart_by_pattern_and_uses_theme_colours():
    html = render(RESULTS, "en", "chart")
    expected = (
        "<pattern id=",
        "url(#bench-hatch-all)",
        "var(--md-primary-fg-color)",
        "Predicted (model)",
        "Measured (median)",
    )
    assert [text for text in expected if text not in html] == []


def test_a_missing_results_file_fails_with_a_message_naming_it(tmp_path):
    missing = tmp_path / "benchmarks" / "results.json"
    with pytest.raises(ResultsError, match=re.escape(str(missing))) as error:
        render_results(missing, "vi", "makespan")
    assert "make bench" in str(error.value)


def test_an_unknown_table_is_refused_with_the_choices(results_file):
    with pytest.raises(ResultsError, match="machine, makespan, latency, io-cpu, chart"):
        render_results(results_file, "en", "speed")


def test_the_fence_attributes_choose_the_table_and_kind():
    info = '{ .results data-table="chart" data-kind="io" }'
    assert options(info) == {"table": "chart", "kind": "io"}


def test_results_blocks_must_match_between_the_two_languages(tmp_path):
    def page(name, table):
        path = tmp_path / name
        path.write_text(
            f'# T {{ #top }}\n\n```json {{ .results data-table="{table}" }}\n'
            '--8<-- "benchmarks/results.json"\n```\n',
            encoding="utf-8",
        )
        return read_page(path)

    assert pair_errors(page("vi.md", "makespan"), page("en.md", "makespan")) == []
    errors = pair_errors(page("vi.md", "makespan"), page("en.md", "chart"))
    assert any("results blocks differ" in e for e in errors)
