"""Numbers in prose come from results.json and the lab at build time, never typed."""

import json
from types import SimpleNamespace

import pytest
import serverlab
from mkdocs.exceptions import PluginError

from sitebuild import hook
from sitebuild.figures import FigureError, fill

RECORD = {
    "id": "uvicorn-1x1-sync-io-10x100ms",
    "kind": "io",
    "within_25pct": True,
    "predicted": {"makespan_ms": 1234.5, "request_overhead_ms": 0.77, "range_ms": [602.0, 2008.4]},
    "measured": {"median_ms": 1016.4},
    "diff_pct": -17.6,
}
CPU_RECORD = {"id": "cpu-one", "kind": "cpu", "within_25pct": None, "measured": None}
PRESET = {"setups": [{"server": "gunicorn-sync", "view": "sync-io", "requests": 4, "ms": 100}]}


@pytest.fixture
def snippets(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    results = {"machine": {}, "run": {"repetitions": 3}, "servers": [RECORD, CPU_RECORD]}
    (tmp_path / "benchmarks" / "results.json").write_text(json.dumps(results))
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "preset.json").write_text(json.dumps(PRESET))
    return tmp_path


def test_a_measured_figure_is_the_records_field_in_the_pages_language(snippets):
    line = "took {{ measured uvicorn-1x1-sync-io-10x100ms measured.median_ms }} ms"
    assert fill(line, "en", snippets) == "took 1,016 ms".replace(",", "\u202f")
    text = "{{ measured uvicorn-1x1-sync-io-10x100ms predicted.request_overhead_ms 2 }}"
    assert fill(text, "vi", snippets) == "0,77"
    assert fill(text, "en", snippets) == "0.77"


def test_a_measured_figure_reads_a_list_item_by_its_index(snippets):
    ends = "{{ measured uvicorn-1x1-sync-io-10x100ms predicted.range_ms.0 }} to "
    ends += "{{ measured uvicorn-1x1-sync-io-10x100ms predicted.range_ms.1 }}"
    assert fill(ends, "en", snippets) == "602 to 2\u202f008"


def test_a_lab_figure_is_what_serverlab_simulates_for_the_preset(snippets):
    expected = serverlab.simulate(**PRESET["setups"][0]).summary.makespan_ms
    assert fill("{{ lab lab/preset.json 1 makespan_ms }}", "en", snippets) == f"{expected:.0f}"


def test_bench_counts_scenarios_by_kind_and_within_the_tolerance(snippets):
    text = "{{ bench scenarios }} {{ bench scenarios io }} {{ bench within io }}"
    text += " {{ bench repetitions }}"
    assert fill(text, "en", snippets) == "2 1 1 3"


def test_a_figure_keeps_the_line_count_and_the_rest_of_the_text(snippets):
    text = "a\n{{ bench scenarios cpu }} b\n`{{ request.user }}` stays\n"
    assert fill(text, "en", snippets) == "a\n1 b\n`{{ request.user }}` stays\n"


@pytest.mark.parametrize(
    ("figure", "named"),
    [
        ("{{ measured nope measured.median_ms }}", "no benchmark record 'nope'"),
        ("{{ measured uvicorn-1x1-sync-io-10x100ms measured.p42 }}", "no field"),
        ("{{ measured uvicorn-1x1-sync-io-10x100ms predicted.range_ms.2 }}", "no field"),
        ("{{ lab lab/missing.json 1 makespan_ms }}", "missing.json"),
        ("{{ lab lab/preset.json 2 makespan_ms }}", "has 1 setups"),
        ("{{ lab lab/preset.json 1 speed }}", "unknown metric 'speed'"),
        ("{{ bench fastest }}", "bench takes"),
        ("{{ typo 1 2 }}", "unknown figure 'typo'"),
    ],
)
def test_an_unknown_figure_fails_naming_what_was_asked(snippets, figure, named):
    with pytest.raises(FigureError, match=named) as caught:
        fill(f"x {figure} y", "en", snippets)
    assert figure in str(caught.value)


def test_the_build_fails_naming_the_page_with_an_unknown_figure():
    page = SimpleNamespace(file=SimpleNamespace(abs_src_path="/docs/en/x.md", content_string=""))
    config = {"theme": {"language": "en"}}
    with pytest.raises(PluginError, match=r"/docs/en/x\.md: .*no benchmark record 'nope'"):
        hook.on_page_markdown("{{ measured nope median_ms }}", page, config)
