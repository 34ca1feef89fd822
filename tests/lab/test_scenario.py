"""The lab's vocabulary: one table per concept, and everything else agrees with it."""

import inspect
import json

import pytest
from serverlab import VIEW_KINDS, LabError, simulate
from serverlab.scenario import (
    ALL_DISPATCHES,
    DEFAULTS,
    FAILURES,
    LANGUAGES,
    MAX_TIME_SLICES,
    PARAMETER,
    PARAMETERS,
    SEGMENT_KINDS,
    SERVER_OPTIONS,
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
        workers = 2 if takes(server, "workers") else 1
        for view in VIEW_KINDS:
            result = simulate(
                server, view, requests=4, ms=20, workers=workers, threads=threads, cores=1,
                db_pool=1,
            )  # fmt: skip
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


def test_the_servers_with_a_thread_pool_option_take_threads():
    assert [server for server in SERVERS if takes(server, "threads")] == [
        "gunicorn-gthread",
        "uwsgi",
        "granian-wsgi",
    ]


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


def test_the_schema_lists_every_server_with_its_own_option_names():
    servers = {server["name"]: server for server in schema()["servers"]}
    assert list(servers) == list(SERVERS)
    assert servers["uwsgi"]["options"] == {"workers": "--processes", "threads": "--threads"}
    assert servers["granian-wsgi"]["options"]["threads"] == "--blocking-threads"
    assert servers["gunicorn-gevent"]["options"] == {
        "workers": "--workers",
        "worker_connections": "--worker-connections",
    }
    assert servers["daphne"]["options"] == {}
    for server in servers.values():
        # A server takes exactly the server options it names, and runs the others fixed.
        taken = set(server["options"])
        assert taken == set(SERVER_OPTIONS) & set(server["parameters"])
        assert set(server["fixed"]) == set(SERVER_OPTIONS) - taken
        assert all(flag.startswith("--") for flag in server["options"].values())


def test_daphne_runs_one_worker_fixed_and_its_hint_says_why():
    daphne = next(server for server in schema()["servers"] if server["name"] == "daphne")
    assert daphne["fixed"]["workers"] == 1
    workers = next(p for p in schema()["parameters"] if p["name"] == "workers")
    assert (
        workers["hint"]["en"] == "The daphne server runs one process: it has no option for workers."
    )


def test_the_schema_carries_failures_the_db_wait_segment_and_the_failed_metric():
    data = schema()
    assert [f["name"] for f in data["failures"]] == list(FAILURES)
    assert {"name": "db_wait", "label": SEGMENT_KINDS["db_wait"]} in data["segment_kinds"]
    assert "failed" in [m["name"] for m in data["metrics"]]
    database = {view["name"] for view in data["views"] if view["database"]}
    assert database == {"sync-db", "async-db"}


def test_a_request_record_says_whether_and_why_it_failed():
    ok = simulate("uvicorn", "sync-db", requests=1).to_dict()
    assert ok["failed"] == 0 and ok["requests"][0]["error"] is None
    refused = simulate("uvicorn", "sync-db", requests=2, db_max_connections=4).to_dict()
    assert refused["failed"] == 1
    assert [r["error"] for r in refused["requests"]] == [None, "too_many_clients"]


def test_the_parameters_marked_database_are_exactly_the_db_settings():
    marked = [p["name"] for p in schema()["parameters"] if p["database"]]
    assert marked == ["db_pool", "db_max_connections", "db_pool_timeout_ms", "db_connect_ms"]


def test_setup_labels_show_the_pool_only_for_views_that_query_the_database():
    base = {"server": "uvicorn", "requests": 10, "ms": 100, "db_pool": 4}
    assert setup_label({**base, "view": "sync-db"}) == (
        "uvicorn 1 · sync-db · 10 × 100 ms · db_pool=4"
    )
    assert setup_label({**base, "view": "sync-io"}) == "uvicorn 1 · sync-io · 10 × 100 ms"
