"""Reader-written views run on virtual time: sleeps, awaits, clocks, cpu() and misbehaviour."""

import asyncio
import time

import pytest
from serverlab import VIEW_KINDS, LabError, cpu, simulate, view_source
from serverlab.model import DB
from serverlab.scenario import uses_database
from serverlab.vclock import patched_time
from serverlab.views import LabRequest, builtin_trace, trace_view


def test_a_sync_view_sleeping_is_io_on_its_worker():
    def view(request):
        time.sleep(0.1)

    result = simulate("gunicorn-sync", view, requests=2)
    assert result.summary.makespan_ms == 200
    assert result.requests[0].segments == [("io", 0, 100)]


def test_gathered_awaits_take_as_long_as_the_longest():
    async def view(request):
        await asyncio.gather(asyncio.sleep(0.1), asyncio.sleep(0.25), asyncio.sleep(0.05))

    assert simulate("uvicorn", view, requests=10).summary.makespan_ms == 250


def test_views_read_virtual_clocks_that_agree_with_their_sleeps():
    seen = []

    def view(request):
        t0, m0 = time.time(), time.perf_counter()
        time.sleep(0.123)
        seen.append((round(time.time() - t0, 6), round(time.perf_counter() - m0, 6)))

    started = time.perf_counter()
    simulate("gunicorn-sync", view, requests=3)
    assert seen == [(0.123, 0.123)] * 3
    assert time.perf_counter() - started < 0.3, "virtual sleeps must not take real time"


def test_cpu_inside_a_view_holds_the_gil():
    def view(request):
        cpu(30)
        time.sleep(0.01)

    result = simulate("gunicorn-gthread", view, requests=2, threads=2, slice_ms=0)
    assert [r.segments for r in result.requests] == [
        [("cpu", 0, 30), ("io", 30, 40)],
        [("blocked", 0, 30), ("cpu", 30, 60), ("io", 60, 70)],
    ]


def test_views_receive_numbered_requests():
    ids = []

    def view(request):
        ids.append((request.id, request.path, request.method))

    simulate("gunicorn-sync", view, requests=3, ms=0)
    assert ids == [(0, "/", "GET"), (1, "/", "GET"), (2, "/", "GET")]


def test_the_time_module_is_restored_after_a_run_and_after_an_error():
    real = (time.sleep, time.time, time.monotonic, time.perf_counter)

    def broken(request):
        raise RuntimeError("boom")

    simulate("gunicorn-sync", lambda request: time.sleep(0.01), requests=2)
    with pytest.raises(LabError):
        simulate("gunicorn-sync", broken)
    assert (time.sleep, time.time, time.monotonic, time.perf_counter) == real


def test_an_exception_in_the_view_becomes_a_lab_error_naming_it():
    def view(request):
        return 1 / 0

    with pytest.raises(LabError, match=r"view\(\) raised ZeroDivisionError") as caught:
        simulate("uvicorn", view, requests=1)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sleep-forever", "virtual minutes"),
        ("spin-awaits", "without virtual time moving"),
        ("busy-wait", "virtual time never moves"),
        ("never-done", "never finishes"),
        ("many-steps", "more than 10000"),
        ("to-thread", "not modelled"),
    ],
)
def test_runaway_views_end_with_a_clear_lab_error(body, message):
    async def view(request):
        if body == "sleep-forever":
            while True:
                await asyncio.sleep(1)
        elif body == "spin-awaits":
            while True:
                await asyncio.sleep(0)
        elif body == "busy-wait":
            deadline = time.time() + 1
            while time.time() < deadline:
                pass
        elif body == "never-done":
            await asyncio.get_running_loop().create_future()
        elif body == "many-steps":
            for _ in range(20_000):
                cpu(0.01)
                await asyncio.sleep(0.001)
        else:
            await asyncio.to_thread(time.sleep, 1)

    with pytest.raises(LabError, match=message):
        simulate("uvicorn", view, requests=1)


def test_a_sync_view_sleeping_forever_is_stopped():
    def view(request):
        while True:
            time.sleep(1)

    with pytest.raises(LabError, match="virtual minutes"):
        simulate("gunicorn-sync", view)


def test_a_sync_view_returning_a_coroutine_is_refused():
    async def inner():
        pass

    with pytest.raises(LabError, match="async def"):
        simulate("uvicorn", lambda request: inner())


def test_simulate_works_inside_a_running_event_loop():
    async def view(request):
        await asyncio.sleep(0.1)

    async def main():
        await asyncio.sleep(0)
        return simulate("uvicorn", view, requests=5).summary.makespan_ms

    assert asyncio.run(main()) == 100


def test_background_tasks_left_by_a_view_are_cancelled_quietly():
    async def view(request):
        asyncio.get_running_loop().create_task(asyncio.sleep(10))
        await asyncio.sleep(0.01)

    assert simulate("uvicorn", view, requests=2).summary.makespan_ms == 10


@pytest.mark.parametrize("kind", [kind for kind in VIEW_KINDS if not uses_database(kind)])
def test_each_built_in_kind_matches_running_its_source(kind):
    namespace = {"time": time, "asyncio": asyncio, "cpu": cpu}
    exec(view_source(kind, 42), namespace)
    with patched_time():
        traced = trace_view(namespace["view"], LabRequest(id=0))
    assert traced == builtin_trace(kind, 42)


def test_cpu_outside_the_lab_really_computes():
    started = time.perf_counter()
    cpu(20)
    assert time.perf_counter() - started >= 0.02


@pytest.mark.parametrize("bad", [-1, 60_001, float("nan"), "5", True])
def test_cpu_refuses_impossible_durations(bad):
    with pytest.raises(LabError, match="cpu"):
        cpu(bad)


@pytest.mark.parametrize("kind", [kind for kind in VIEW_KINDS if uses_database(kind)])
def test_each_database_kind_is_a_query_holding_its_connection_for_ms(kind):
    source = view_source(kind, 42)
    trace = builtin_trace(kind, 42)
    assert 'cursor.execute("SELECT pg_sleep(%s)", [0.042])' in source
    assert trace.is_async == source.startswith("async def")
    assert trace.steps == ((DB, 42_000),)
