"""The servers beyond Gunicorn sync/gthread and Uvicorn: gevent, uWSGI, Granian, Daphne."""

import time

import pytest
from serverlab import LabError, simulate


def test_gevent_overlaps_sync_io_views_up_to_worker_connections():
    common = {"requests": 10, "ms": 100}
    unbounded = simulate("gunicorn-gevent", "sync-io", **common)
    bounded = simulate("gunicorn-gevent", "sync-io", worker_connections=4, **common)
    assert unbounded.summary.makespan_ms == 100
    assert bounded.summary.makespan_ms == 300  # four greenlets at a time
    assert sorted(r.start_ms for r in bounded.requests) == [0] * 4 + [100] * 4 + [200] * 2


def test_gevent_runs_cpu_greenlets_one_after_another_without_time_slices():
    result = simulate("gunicorn-gevent", "sync-cpu", requests=4, ms=100)
    assert [r.end_ms for r in result.requests] == [100, 200, 300, 400]
    gthread = simulate("gunicorn-gthread", "sync-cpu", requests=4, ms=100, threads=4)
    assert [r.end_ms for r in gthread.requests] == [385, 390, 395, 400]


def test_gevent_fails_async_views_that_start_while_another_ones_loop_runs():
    result = simulate("gunicorn-gevent", "async-io", requests=10, ms=200)
    assert [r.error for r in result.requests] == [None] + ["loop_running"] * 9
    assert [r.end_ms for r in result.requests] == [200] + [0] * 9
    assert result.summary.failed == 9


def test_gevent_runs_async_views_that_arrive_after_the_previous_loop_ended():
    result = simulate("gunicorn-gevent", "async-io", requests=3, ms=100, rate_rps=5)
    assert [r.error for r in result.requests] == [None] * 3


def test_gevent_gives_each_hub_its_own_running_loop():
    result = simulate("gunicorn-gevent", "async-io", requests=4, workers=2, dispatch="least-busy")
    assert [r.error is None for r in result.requests] == [True, True, False, False]


def test_gevent_patches_time_sleep_so_a_blocking_async_view_waits_without_holding_the_hub():
    result = simulate("gunicorn-gevent", "async-blocking", requests=4, ms=150)
    assert result.requests[0].segments == [("io", 0, 150)]
    assert result.summary.failed == 3
    assert simulate("uvicorn", "async-blocking", requests=4, ms=150).summary.makespan_ms == 600


def test_a_gevent_async_query_that_times_out_ends_its_loop():
    # PostgreSQL grants the app one connection: w1's pool takes it, w2's pool has none.
    database = {"db_pool": 1, "db_max_connections": 4, "db_pool_timeout_ms": 50}
    common = {"requests": 3, "ms": 200, "workers": 2, "worker_connections": 1, **database}
    result = simulate("gunicorn-gevent", "async-db", rate_rps=12.5, **common)
    # Requests 1 (at 80 ms) and 2 (at 160 ms, w1 still busy) both go to w2; 1 times out at
    # 130 ms, leaving its asyncio.run(), so 2 starts a loop of its own and times out too.
    assert [r.process for r in result.requests] == [1, 2, 2]
    assert [r.error for r in result.requests] == [None, "pool_timeout", "pool_timeout"]


def test_a_gevent_hub_stuck_in_cpu_accepts_nothing():
    result = simulate("gunicorn-gevent", "sync-cpu", requests=3, ms=100, workers=2, rate_rps=100)
    # w1 computes from 0 ms, so the connection at 10 ms goes to w2; at 20 ms both hubs are
    # stuck and the connection waits in the listen queue until w1 is free at 100 ms.
    assert [r.process for r in result.requests] == [1, 2, 1]
    assert result.requests[2].segments == [("queued", 20, 100), ("cpu", 100, 200)]


def test_gevent_greenlets_are_not_os_threads():
    result = simulate("gunicorn-gevent", "async-io", requests=10, workers=2)
    assert result.summary.peak_threads == 2
    assert set(result.lanes) == {"w1/hub", "w2/hub"}


def test_uwsgi_hands_each_connection_to_any_free_thread():
    def view(request):
        time.sleep(1.0 if request.id == 0 else 0.01)

    common = {"requests": 4, "workers": 2, "threads": 1, "rate_rps": 1000}
    uwsgi = simulate("uwsgi", view, **common)
    granian = simulate("granian-wsgi", view, **common)
    # Granian's round robin queues request 2 (at 2 ms) behind the slow request 0 on worker
    # 1; uWSGI gives it to worker 2's thread once request 1 is done there, at 11 ms.
    assert [r.process for r in granian.requests] == [1, 2, 1, 2]
    assert granian.requests[2].end_ms == 1010
    assert uwsgi.requests[2].process == 2
    assert uwsgi.requests[2].end_ms == 11 + 10


def test_granian_asgi_accepts_while_its_loop_is_stuck():
    common = {"requests": 2, "ms": 100, "rate_rps": 20}
    uvicorn = simulate("uvicorn", "async-blocking", **common).requests[1]
    granian = simulate("granian-asgi", "async-blocking", **common).requests[1]
    assert uvicorn.segments == [("queued", 50, 100), ("io", 100, 200)]
    assert granian.segments == [("blocked", 50, 100), ("io", 100, 200)]
    assert granian.start_ms == 50


@pytest.mark.parametrize("server", ["gunicorn-asgi", "gunicorn-uvicorn", "hypercorn", "daphne"])
def test_every_asyncio_server_runs_each_sync_view_on_a_thread_of_its_own(server):
    summary = simulate(server, "sync-io", requests=10, ms=100).summary
    assert summary.makespan_ms == 100
    assert summary.peak_threads == 1 + 10


def test_daphne_refuses_more_than_one_worker_in_both_languages():
    with pytest.raises(LabError) as caught:
        simulate("daphne", workers=2)
    data = caught.value.to_dict()
    assert data["field"] == "workers"
    assert "workers must be 1 for daphne: it runs one process" in data["messages"]["en"]
    assert "workers phải là 1 với daphne: server này chạy một process" in data["messages"]["vi"]


def test_daphne_has_no_dispatch_because_it_has_one_process():
    with pytest.raises(LabError, match="it runs one process") as caught:
        simulate("daphne", dispatch="round-robin")
    assert caught.value.field == "dispatch"


@pytest.mark.parametrize("server", ["gunicorn-sync", "uvicorn", "uwsgi", "granian-wsgi"])
def test_worker_connections_is_refused_where_the_server_has_no_such_option(server):
    with pytest.raises(LabError) as caught:
        simulate(server, worker_connections=10)
    data = caught.value.to_dict()
    assert data["field"] == "worker_connections"
    assert "gunicorn-gthread, gunicorn-gevent" in data["messages"]["en"]
    assert "không có tùy chọn đó" in data["messages"]["vi"]


def test_gthread_shared_accept_holds_up_to_worker_connections_per_worker():
    result = simulate(
        "gunicorn-gthread",
        "sync-io",
        requests=12,
        ms=100,
        workers=2,
        threads=1,
        worker_connections=5,
        dispatch="shared-accept",
    )
    # Each worker accepts five; the last two wait in the shared queue for a free thread.
    assert [r.process for r in result.requests[:10]] == [1] * 5 + [2] * 5
    assert [r.start_ms for r in result.requests[10:]] == [500, 500]
    assert result.summary.makespan_ms == 600


def test_granian_shared_accept_lets_the_first_worker_take_the_burst():
    common = {"requests": 10, "ms": 200, "workers": 2}
    even = simulate("granian-wsgi", "sync-io", dispatch="round-robin", **common)
    eager = simulate("granian-wsgi", "sync-io", dispatch="shared-accept", **common)
    assert even.summary.makespan_ms == 1000
    assert eager.summary.makespan_ms == 2000
    assert {r.process for r in eager.requests} == {1}


def test_granian_shared_accept_holds_up_to_its_backpressure_per_worker():
    # --backpressure defaults to backlog // workers: 1024 // 2 = 512 per worker.
    result = simulate("granian-asgi", "async-io", requests=513, workers=2, dispatch="shared-accept")
    assert [r.process for r in result.requests].count(2) == 1
