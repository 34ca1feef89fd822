"""The database in the lab: pools per process, PostgreSQL's limit, waits and failures."""

import pytest
from serverlab import LabError, simulate
from serverlab.scenario import DB_RESERVED_CONNECTIONS, FAILURES


def test_a_pool_smaller_than_the_burst_shows_db_wait_segments():
    result = simulate("uvicorn", "sync-db", requests=10, ms=100, db_pool=4)
    assert result.summary.makespan_ms == 300
    assert result.requests[0].segments == [("io", 0, 100)]
    assert result.requests[9].segments == [("db_wait", 0, 200), ("io", 200, 300)]
    assert result.summary.failed == 0


def test_a_request_that_waits_longer_than_the_pool_timeout_fails_with_pool_timeout():
    result = simulate(
        "gunicorn-gthread",
        "sync-db",
        requests=6,
        ms=100,
        threads=6,
        db_pool=2,
        db_pool_timeout_ms=150,
    )
    assert [r.error for r in result.requests] == [None] * 4 + ["pool_timeout"] * 2
    failed = result.requests[5]
    assert failed.end_ms == 150  # the 500 goes out when the timeout fires
    assert failed.segments == [("db_wait", 0, 150)]
    assert result.summary.failed == 2
    assert result.to_dict()["requests"][5]["error"] == "pool_timeout"


def test_a_timed_out_sync_view_under_asgi_answers_from_the_loop():
    result = simulate("uvicorn", "sync-db", requests=3, ms=100, db_pool=1, db_pool_timeout_ms=50)
    failed = result.requests[1]
    assert failed.error == "pool_timeout"
    assert failed.lane == "w1/thread2"
    assert failed.end_ms == 50


def test_without_a_pool_requests_beyond_max_connections_fail_with_too_many_clients():
    result = simulate(
        "gunicorn-gthread",
        "sync-db",
        requests=5,
        ms=100,
        threads=5,
        db_max_connections=DB_RESERVED_CONNECTIONS + 2,
        db_connect_ms=3,
    )
    assert [r.error for r in result.requests] == [None, None] + ["too_many_clients"] * 3
    assert [r.end_ms for r in result.requests] == [103, 103, 0, 0, 0]  # refused at once


def test_without_a_pool_each_request_pays_the_connect_cost_and_closes_at_its_end():
    result = simulate(
        "gunicorn-sync",
        "sync-db",
        requests=3,
        ms=100,
        db_max_connections=DB_RESERVED_CONNECTIONS + 1,
        db_connect_ms=5,
    )
    # One connection for the app, used in turn: each request opens it again.
    assert [r.end_ms for r in result.requests] == [105, 210, 315]
    assert result.summary.failed == 0


def test_pools_open_in_process_order_until_postgres_has_no_connections_left():
    result = simulate(
        "uvicorn",
        "sync-db",
        requests=30,
        ms=100,
        workers=3,
        dispatch="round-robin",
        db_pool=10,
        db_max_connections=DB_RESERVED_CONNECTIONS + 20,
        db_pool_timeout_ms=1000,
    )
    by_process = {p: [r.error for r in result.requests if r.process == p] for p in (1, 2, 3)}
    assert by_process[1] == by_process[2] == [None] * 10
    assert by_process[3] == ["pool_timeout"] * 10  # its pool got no connection at all


def test_a_pool_larger_than_max_connections_is_allowed_and_shows_as_failures():
    result = simulate(
        "uvicorn", "sync-db", requests=6, ms=100, workers=2, dispatch="round-robin",
        db_pool=3, db_max_connections=DB_RESERVED_CONNECTIONS + 4, db_pool_timeout_ms=50,
    )  # fmt: skip
    # w1's pool opens 3 connections, w2's only the 1 left: two of w2's requests time out.
    assert result.summary.failed == 2
    assert {r.process for r in result.requests if r.error} == {2}


def test_an_async_query_under_asgi_hops_to_a_thread_and_back():
    result = simulate(
        "uvicorn", "async-db", requests=1, ms=100, db_pool=1, switch_ms=1, thread_start_ms=2
    )
    assert result.summary.makespan_ms == 103
    assert result.requests[0].lane == "w1/thread1"  # shown where its query ran
    assert result.lanes == ["w1/loop", "w1/thread1"]


def test_an_async_query_under_wsgi_holds_the_workers_thread_after_one_switch():
    adapted = simulate("gunicorn-sync", "async-db", requests=2, ms=100, db_pool=1, switch_ms=1)
    native = simulate("gunicorn-sync", "sync-db", requests=2, ms=100, db_pool=1, switch_ms=1)
    assert adapted.summary.makespan_ms == 202
    assert native.summary.makespan_ms == 200


def test_sync_db_waits_under_gevent_do_not_hold_the_hub():
    result = simulate("gunicorn-gevent", "sync-db", requests=10, ms=100, db_pool=5)
    assert result.summary.makespan_ms == 200
    assert result.requests[9].segments == [("db_wait", 0, 100), ("io", 100, 200)]


@pytest.mark.parametrize("view", ["sync-io", "async-io", "sync-cpu"])
def test_database_parameters_have_no_effect_on_views_without_a_query(view):
    plain = simulate("gunicorn-gthread", view, requests=8, threads=4).to_dict()
    db = {"db_pool": 1, "db_max_connections": 4, "db_pool_timeout_ms": 0, "db_connect_ms": 50}
    tuned = simulate("gunicorn-gthread", view, requests=8, threads=4, **db).to_dict()
    assert {**plain, "params": None} == {**tuned, "params": None}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"db_pool": -1}, "db_pool"),
        ({"db_pool": 1001}, "db_pool"),
        ({"db_max_connections": DB_RESERVED_CONNECTIONS}, "db_max_connections"),
        ({"db_pool_timeout_ms": -5}, "db_pool_timeout_ms"),
        ({"db_connect_ms": float("inf")}, "db_connect_ms"),
    ],
)
def test_nonsense_database_settings_are_refused_in_both_languages(kwargs, field):
    with pytest.raises(LabError) as caught:
        simulate(view="sync-db", **kwargs)
    data = caught.value.to_dict()
    assert data["field"] == field
    assert set(data["messages"]) == {"vi", "en"}


def test_every_failure_has_a_label_in_both_languages_naming_the_500():
    for label in FAILURES.values():
        assert "500" in label["en"] and "500" in label["vi"]
