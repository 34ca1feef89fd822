"""The lab's vocabulary: one table per concept, and everything else agrees with it."""

import inspect
import json

import pytest
from serverlab import VIEW_KINDS, LabError, simulate
from serverlab.scenario import (
    ALL_DISPATCHES,
    DEFAULTS,
    LANGUAGES,
    MAX_TIME_SLICES,
    PARAMETER,
    PARAMETERS,
    SEGMENT_KINDS,
    SERVER_TABLE,
    SERVERS,
    VIEW_LABELS,
    schema,
    setup_label,
    takes,
    validate,
)

from sitebuild.bundle import LAB_SCHEMA


def labels_in(data):
    """Every {vi, en} label anywhere in JSON-ready `data`."""
    if isinstance(data, dict):
        if set(data) == set(LANGUAGES):
            yield data
        else:
            for value in data.values():
                yield from labels_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from labels_in(value)


def test_the_schema_the_bundle_wrote_is_the_vocabularys_schema():
    assert LAB_SCHEMA.exists(), "run `python -m sitebuild.bundle` to write the lab schema"
    assert json.loads(LAB_SCHEMA.read_text(encoding="utf-8")) == schema()


def test_the_schema_is_json_ready_and_every_label_has_both_languages():
    data = schema()
    assert json.loads(json.dumps(data)) == data
    labels = list(labels_in(data))
    assert len(labels) > 2 * len(PARAMETERS)
    for label in labels:
        assert all(label[lang].strip() for lang in LANGUAGES), label


def test_simulate_takes_exactly_the_vocabularys_parameters_and_defaults():
    signature = inspect.signature(simulate).parameters
    assert set(signature) == set(PARAMETER)
    assert {name: p.default for name, p in signature.items()} == DEFAULTS


def test_every_server_and_view_kind_has_a_row_and_a_label():
    assert tuple(server.name for server in SERVER_TABLE) == SERVERS
    assert set(VIEW_LABELS) == set(VIEW_KINDS)
    assert [view["name"] for view in schema()["views"]] == list(VIEW_KINDS)


def test_every_kind_of_time_the_model_reports_has_a_label():
    seen = set()
    for server in SERVERS:
        threads = 2 if takes(server, "threads") else 1
        for view in VIEW_KINDS:
            result = simulate(server, view, requests=4, ms=20, workers=2, threads=threads, cores=1)
            seen |= {kind for record in result.requests for kind, _, _ in record.segments}
    assert seen == set(SEGMENT_KINDS)


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("dispatch", ALL_DISPATCHES)
def test_a_server_accepts_exactly_its_own_dispatch_choices(server, dispatch):
    choices = next(s.dispatches for s in SERVER_TABLE if s.name == server)
    if dispatch in choices:
        assert simulate(server, dispatch=dispatch, requests=2).params["dispatch"] == dispatch
    else:
        with pytest.raises(LabError) as caught:
            simulate(server, dispatch=dispatch, requests=2)
        assert caught.value.field == "dispatch"


def test_only_gunicorn_gthread_takes_threads():
    assert [server for server in SERVERS if takes(server, "threads")] == ["gunicorn-gthread"]


def test_validate_fills_in_defaults_and_the_servers_default_dispatch():
    resolved = validate({"server": "gunicorn-gthread"})
    assert resolved == {**DEFAULTS, "server": "gunicorn-gthread", "dispatch": "shared-queue"}


@pytest.mark.parametrize(
    "parameter", [p for p in PARAMETERS if p.max is not None], ids=lambda p: p.name
)
def test_each_limit_is_enforced_at_its_edge(parameter):
    small = {"server": "gunicorn-gthread", "requests": 1, "ms": 0}  # takes every number
    assert simulate(**{**small, parameter.name: parameter.max}).params[parameter.name] == (
        parameter.max
    )
    with pytest.raises(LabError) as caught:
        validate({**small, parameter.name: parameter.max + 1})
    assert caught.value.field == parameter.name


def test_a_lab_error_is_data_with_its_field_and_both_languages():
    with pytest.raises(LabError) as caught:
        simulate(workers=0)
    data = caught.value.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["field"] == "workers"
    assert data["message"] == str(caught.value) == data["messages"]["en"]
    assert "số nguyên từ 1 đến 64" in data["messages"]["vi"]


def test_a_lab_error_without_a_field_says_so():
    assert LabError("the view raised").to_dict() == {
        "message": "the view raised",
        "field": None,
        "messages": {"en": "the view raised"},
    }


def test_setup_labels_show_threads_only_where_the_server_has_a_thread_pool():
    base = {"workers": 2, "threads": 4, "view": "sync-io", "requests": 10, "ms": 100}
    assert setup_label({**base, "server": "gunicorn-gthread"}) == (
        "gunicorn-gthread 2×4 · sync-io · 10 × 100 ms"
    )
    assert setup_label({**base, "server": "uvicorn", "threads": 1}) == (
        "uvicorn 2 · sync-io · 10 × 100 ms"
    )


def test_a_cpu_run_needing_more_time_slices_than_one_run_simulates_is_refused_naming_requests():
    with pytest.raises(LabError) as error:
        simulate(server="uvicorn", view="sync-cpu", requests=100_000, ms=60_000)
    assert error.value.field == "requests"
    assert str(MAX_TIME_SLICES) in error.value.to_dict()["messages"]["vi"]


def test_the_largest_run_within_the_time_slice_budget_is_accepted():
    most = MAX_TIME_SLICES // (100 // 5)
    simulate(server="gunicorn-sync", view="sync-cpu", requests=most, ms=100, workers=4)
    with pytest.raises(LabError):
        simulate(server="gunicorn-sync", view="sync-cpu", requests=most + 1, ms=100, workers=4)


def test_without_time_slices_or_for_io_views_the_budget_does_not_apply():
    simulate(server="uvicorn", view="sync-cpu", requests=1000, ms=60_000, slice_ms=0)
    simulate(server="uvicorn", view="sync-io", requests=100_000, ms=60_000)
