"""Exact results of the pure model (no overheads), derived by hand from the rules."""

import json
from pathlib import Path

import pytest
from serverlab import simulate


def test_four_sync_workers_serve_ten_sleeps_in_three_rounds():
    result = simulate("gunicorn-sync", "sync-io", requests=10, ms=100, workers=4)
    assert result.summary.makespan_ms == 300


def test_one_event_loop_overlaps_ten_awaited_sleeps():
    assert simulate("uvicorn", "async-io", requests=10, ms=100).summary.makespan_ms == 100


def test_time_sleep_inside_async_def_serialises_the_loop():
    assert simulate("uvicorn", "async-blocking", requests=10, ms=100).summary.makespan_ms == 1000


def test_uvicorn_runs_each_sync_view_on_its_own_thread():
    summary = simulate("uvicorn", "sync-io", requests=10, ms=100).summary
    assert summary.makespan_ms == 100
    assert summary.peak_threads == 1 + 10  # the loop thread and ten request threads


def test_async_view_gains_nothing_under_wsgi():
    assert simulate("gunicorn-sync", "async-io", requests=10, ms=100).summary.makespan_ms == 1000


def test_four_gthreads_serve_twenty_sleeps_in_five_rounds():
    result = simulate("gunicorn-gthread", "sync-io", requests=20, ms=100, threads=4)
    assert result.summary.makespan_ms == 500


def test_the_gil_serialises_cpu_across_threads_of_one_process():
    result = simulate("gunicorn-gthread", "sync-cpu", requests=4, ms=100, threads=4)
    assert result.summary.makespan_ms == 400


def test_two_processes_on_two_cores_compute_in_parallel():
    result = simulate("gunicorn-sync", "sync-cpu", requests=4, ms=100, workers=2, cores=2)
    assert result.summary.makespan_ms == 200


def test_four_processes_cannot_beat_two_cores():
    result = simulate("gunicorn-sync", "sync-cpu", requests=4, ms=100, workers=4, cores=2)
    assert result.summary.makespan_ms == 200


def test_uvicorn_sync_cpu_views_share_one_gil():
    assert simulate("uvicorn", "sync-cpu", requests=4, ms=100).summary.makespan_ms == 400


# server, view, requests, ms, workers, threads, cores, extra, makespan, p50 (None: unchecked)
# The canonical table: each row a scenario and its hand-derived makespan and median latency
# (p50_ms null where the rule gives no single value), and failed requests where some fail;
# "why" explains the non-obvious ones.
CANONICAL = json.loads((Path(__file__).parent / "canonical.json").read_text(encoding="utf-8"))
RESULTS = ("why", "makespan_ms", "p50_ms", "failed")


def params_of(row: dict) -> dict:
    """The simulate() arguments of one CANONICAL row."""
    return {name: value for name, value in row.items() if name not in RESULTS}


def row_id(row: dict) -> str:
    return "-".join(str(value) for value in params_of(row).values())


@pytest.mark.parametrize("row", CANONICAL, ids=row_id)
def test_canonical_scenarios_give_the_hand_derived_results(row):
    result = simulate(**params_of(row))
    assert result.summary.makespan_ms == row["makespan_ms"]
    if row["p50_ms"] is not None:
        assert result.summary.p50_ms == row["p50_ms"]
    assert result.summary.failed == row.get("failed", 0)


def test_least_busy_dispatch_avoids_the_loop_a_slow_request_blocks():
    import time

    def view(request):
        time.sleep(1.0 if request.id == 0 else 0.01)

    async def blocking(request):
        view(request)

    common = {"requests": 4, "workers": 2, "rate_rps": 10}
    round_robin = simulate("uvicorn", blocking, dispatch="round-robin", **common)
    least_busy = simulate("uvicorn", blocking, dispatch="least-busy", **common)
    # Round robin sends request 2 to the stuck loop; least-busy sends it to the free one.
    assert round_robin.summary.makespan_ms == 1010
    assert [r.process for r in round_robin.requests] == [1, 2, 1, 2]
    assert least_busy.summary.makespan_ms == 1000
    assert [r.process for r in least_busy.requests] == [1, 2, 2, 2]


def test_a_burst_lands_on_one_uvicorn_worker_as_measured_on_linux():
    result = simulate("uvicorn", "async-blocking", requests=10, ms=100, workers=4)
    assert {r.process for r in result.requests} == {1}
    assert result.summary.makespan_ms == 1000


def test_shared_accept_hands_new_connections_to_a_loop_that_is_awake():
    result = simulate("uvicorn", "async-blocking", requests=4, ms=100, workers=2, rate_rps=100)
    # w1 blocks 0-100 ms, so the connection at 10 ms goes to w2; at 20 and 30 ms both loops
    # are stuck and the connections wait in the listen queue until w1 wakes at 100 ms.
    assert [r.process for r in result.requests] == [1, 2, 1, 1]
    assert result.summary.makespan_ms == 300


def test_thread_start_cost_is_paid_one_after_another_on_the_loop():
    result = simulate("uvicorn", "sync-io", requests=10, ms=100, thread_start_ms=1)
    assert result.summary.makespan_ms == 110
    assert [r.end_ms for r in result.requests] == [101 + i for i in range(10)]


def test_request_overhead_adds_to_every_request_on_one_worker():
    result = simulate("gunicorn-sync", "sync-io", requests=10, ms=100, request_overhead_ms=10)
    assert result.summary.makespan_ms == 1100


def test_switch_cost_applies_only_to_adapted_views():
    adapted = simulate("gunicorn-sync", "async-io", requests=10, ms=100, switch_ms=5)
    native = simulate("gunicorn-sync", "sync-io", requests=10, ms=100, switch_ms=5)
    assert adapted.summary.makespan_ms == 1050
    assert native.summary.makespan_ms == 1000


def test_peak_threads_counts_fixed_threads_and_per_request_helpers():
    assert simulate("gunicorn-gthread", "sync-io", workers=2, threads=4).summary.peak_threads == 8
    # async_to_sync runs each async view on a fresh event loop thread.
    assert simulate("gunicorn-sync", "async-io", workers=2).summary.peak_threads == 2 + 2
    # Under ASGI Django parks one idle thread per request in flight, async views included
    # (the ThreadSensitiveContext's executor): three loop threads plus ten.
    assert simulate("uvicorn", "async-io", workers=3, requests=10).summary.peak_threads == 3 + 10


def test_blocked_requests_on_a_stuck_loop_are_accepted_but_stalled():
    result = simulate("uvicorn", "async-blocking", requests=3, ms=100)
    last = result.requests[2]
    assert last.start_ms == 0
    assert last.segments == [("blocked", 0, 200), ("io", 200, 300)]


def test_a_request_arriving_while_the_loop_is_stuck_waits_queued():
    result = simulate("uvicorn", "async-blocking", requests=2, ms=100, rate_rps=20)
    second = result.requests[1]
    assert second.segments == [("queued", 50, 100), ("io", 100, 200)]
    assert second.start_ms == 100


def test_gthread_shared_accept_lets_one_worker_take_a_burst():
    common = {"requests": 10, "ms": 100, "workers": 2, "threads": 4}
    queue = simulate("gunicorn-gthread", "sync-io", **common)
    accept = simulate("gunicorn-gthread", "sync-io", dispatch="shared-accept", **common)
    assert queue.summary.makespan_ms == 200  # eight threads, then two more
    assert accept.summary.makespan_ms == 300  # w1's four threads serve all ten
    assert {r.process for r in accept.requests} == {1}


def test_gthread_shared_accept_spills_to_the_next_worker_when_one_is_full():
    result = simulate(
        "gunicorn-gthread",
        "sync-io",
        requests=1002,
        ms=100,
        workers=2,
        threads=1,
        dispatch="shared-accept",
    )
    assert sum(r.process == 2 for r in result.requests) == 2  # w1 holds 1000 connections
