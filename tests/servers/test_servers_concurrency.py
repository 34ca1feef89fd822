"""The core claims, measured: who waits for whom on each server (ms=200, margins 40 %).

A run slower than its margin is retried (harness.scenarios.fastest_run): the CPU-bound
cases need free cores, and other work on the machine can take them.
"""

import os

import pytest

from harness.scenarios import fastest_run

pytestmark = pytest.mark.servers

MS = 200
MARGIN = 0.4


def measure(server, view, requests, expected_ms, workers=1, threads=1):
    """Run the scenario and check its makespan is expected_ms ± 40 %."""
    scenario = {"server": server, "view": view, "workers": workers, "threads": threads,
                "requests": requests, "ms": MS}  # fmt: skip
    result = fastest_run(scenario, upper_ms=expected_ms * (1 + MARGIN))
    assert result["warm_up"]["processes_seen"] == workers, result
    assert expected_ms * (1 - MARGIN) <= result["makespan_ms"] <= expected_ms * (1 + MARGIN), result
    return result


def test_one_gunicorn_sync_worker_serves_four_sync_requests_one_after_another():
    result = measure("gunicorn-sync", "sync-io", requests=4, expected_ms=4 * MS)
    assert result["threads_used"] == 1


def test_async_views_under_one_gunicorn_sync_worker_still_wait_in_turn():
    result = measure("gunicorn-sync", "async-io", requests=4, expected_ms=4 * MS)
    assert result["threads_used"] == 4  # each one on a one-off event loop in a new thread


def test_gthread_with_four_threads_serves_eight_sync_waits_in_two_rounds():
    result = measure("gunicorn-gthread", "sync-io", requests=8, threads=4, expected_ms=2 * MS)
    assert result["threads_used"] == 4


def test_one_uvicorn_worker_overlaps_ten_awaited_waits_on_one_thread():
    result = measure("uvicorn", "async-io", requests=10, expected_ms=MS)
    assert result["threads_used"] == 1


def test_time_sleep_in_an_async_view_makes_one_uvicorn_worker_serve_one_at_a_time():
    result = measure("uvicorn", "async-blocking", requests=5, expected_ms=5 * MS)
    assert result["threads_used"] == 1  # all of them on the event loop's thread


def test_one_uvicorn_worker_runs_ten_sync_views_at_once_on_ten_threads():
    result = measure("uvicorn", "sync-io", requests=10, expected_ms=MS)
    assert result["threads_used"] == 10


def test_four_threads_share_one_gil_so_cpu_work_takes_turns():
    result = measure("gunicorn-gthread", "sync-cpu", requests=4, threads=4, expected_ms=4 * MS)
    assert result["threads_used"] == 4  # four threads ran, but one at a time


def test_one_gevent_worker_overlaps_ten_sync_sleeps_because_time_sleep_is_patched():
    result = measure("gunicorn-gevent", "sync-io", requests=10, expected_ms=MS)
    assert result["threads_used"] == 10  # one greenlet a request, all on one OS thread


def test_one_uwsgi_process_with_four_threads_serves_eight_sync_waits_in_two_rounds():
    result = measure("uwsgi", "sync-io", requests=8, threads=4, expected_ms=2 * MS)
    assert result["threads_used"] == 4


def test_granian_wsgi_with_four_blocking_threads_serves_eight_sync_waits_in_two_rounds():
    result = measure("granian-wsgi", "sync-io", requests=8, threads=4, expected_ms=2 * MS)
    assert result["threads_used"] == 4


def test_one_granian_asgi_worker_overlaps_ten_awaited_waits_on_one_thread():
    result = measure("granian-asgi", "async-io", requests=10, expected_ms=MS)
    assert result["threads_used"] == 1


def test_waitress_with_four_threads_serves_eight_sync_waits_in_two_rounds():
    result = measure("waitress", "sync-io", requests=8, threads=4, expected_ms=2 * MS)
    assert result["threads_used"] == 4


def test_mod_wsgi_with_two_processes_of_four_threads_serves_sixteen_sync_waits_in_two_rounds():
    result = measure("mod_wsgi", "sync-io", requests=16, workers=2, threads=4, expected_ms=2 * MS)
    assert result["threads_used"] == 8


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs")
def test_two_sync_workers_compute_on_two_cores_at_once():
    result = measure("gunicorn-sync", "sync-cpu", requests=4, workers=2, expected_ms=2 * MS)
    assert result["per_process"] == [2, 2]
