"""Properties that must hold in every scenario, checked over seeded random scenarios."""

import itertools
import json
import random

import pytest
from serverlab import SERVERS, VIEW_KINDS, servers, simulate
from serverlab.scenario import FAILURES, SEGMENT_KINDS, SERVER, takes, uses_database


def _scenarios(count: int, seed: int = 2026) -> list[dict]:
    """Seeded scenarios, the servers in turn and each server's dispatches in turn."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        server = SERVERS[i % len(SERVERS)]
        params = {
            "server": server,
            "view": rng.choice(VIEW_KINDS),
            "requests": rng.randint(1, 40),
            "ms": rng.choice([1, 7, 50, 100, 333]),
            "workers": rng.randint(1, 5) if takes(server, "workers") else 1,
            "threads": rng.randint(1, 6) if takes(server, "threads") else 1,
            "cores": rng.randint(1, 4),
            "rate_rps": rng.choice([None, None, 5, 40, 1000]),
            "slice_ms": rng.choice([0, 5, 5, 13]),
            "db_pool": rng.choice([0, 0, 1, 3, 50]),
            "db_max_connections": rng.choice([100, 100, 8]),
            "db_pool_timeout_ms": rng.choice([10_000, 10_000, 60]),
        }
        if takes(server, "worker_connections"):
            params["worker_connections"] = rng.choice([1000, 1000, 2, 7])
        # None leaves dispatch out, so the server's default is covered as well.
        choices = (None, *SERVER[server].dispatches)
        dispatch = choices[i // len(SERVERS) % len(choices)]
        if dispatch is not None:
            params["dispatch"] = dispatch
        out.append(params)
    return out


SCENARIOS = _scenarios(220)


@pytest.mark.parametrize("server", SERVERS)
def test_the_scenarios_cover_every_dispatch_of_each_server_and_its_default(server):
    mine = [p for p in SCENARIOS if p["server"] == server]
    covered = {p.get("dispatch") for p in mine}
    assert covered == {None, *SERVER[server].dispatches}


def _lanes(p: dict) -> int | None:
    """How many requests can be in service at once, or None when unbounded."""
    model = servers.model(p["server"])
    if not model.on_loop:
        return p["workers"] * p["threads"]
    if p["server"] == "gunicorn-gevent":  # a blocking sleep is patched into a wait
        return p["workers"] if p["view"] == "async-cpu" else None
    return p["workers"] if p["view"] in ("async-blocking", "async-cpu") else None


@pytest.mark.parametrize("p", SCENARIOS)
def test_segments_tile_each_request_from_arrival_to_end(p):
    for r in simulate(**p).requests:
        assert r.start_ms >= r.arrival_ms
        t = r.arrival_ms
        for kind, start, end in r.segments:
            assert kind in SEGMENT_KINDS
            assert start == t and end > start
            t = end
        assert t == r.end_ms
        kinds = [k for k, _, _ in r.segments]
        assert all(a != b for a, b in itertools.pairwise(kinds)), "unmerged segments"
        assert "queued" not in kinds[1:], "queued only before the request starts"


@pytest.mark.parametrize("p", SCENARIOS)
def test_latency_is_never_shorter_than_the_view_unless_the_request_failed(p):
    for r in simulate(**p).requests:
        assert r.latency_ms >= p["ms"] or r.error in FAILURES


@pytest.mark.parametrize("p", SCENARIOS)
def test_makespan_is_at_least_total_work_over_capacity(p):
    summary = simulate(**p).summary
    if summary.failed:
        return  # failed requests end early; test_failed_counts_the_requests_with_an_error
    n, ms = p["requests"], p["ms"]
    first_to_last_arrival = 0 if p["rate_rps"] is None else (n - 1) * 1000 / p["rate_rps"]
    assert summary.makespan_ms >= first_to_last_arrival + ms - 1e-6
    if p["view"].endswith("cpu"):
        capacity = min(p["cores"], p["workers"])  # one GIL per process
        assert summary.makespan_ms >= n * ms / capacity - 1e-6
    lanes = _lanes(p)
    if lanes is not None:
        assert summary.makespan_ms >= n * ms / lanes - 1e-6
    if not servers.model(p["server"]).on_loop:  # loops accept eagerly: stalled ones count
        assert summary.peak_concurrency <= lanes


@pytest.mark.parametrize("p", SCENARIOS)
def test_cpu_work_is_conserved_and_respects_gil_and_cores(p):
    result = simulate(**p)
    cpu = [(r.process, s, e) for r in result.requests for k, s, e in r.segments if k == "cpu"]
    expected = p["ms"] * p["requests"] if p["view"].endswith("cpu") else 0
    assert sum(e - s for _, s, e in cpu) == pytest.approx(expected)
    # Sweep: at no instant two CPU segments in one process, or more than `cores` overall.
    events = sorted([(e, -1, proc) for proc, _, e in cpu] + [(s, 1, proc) for proc, s, _ in cpu])
    running: dict[int, int] = {}
    for _, delta, proc in events:
        running[proc] = running.get(proc, 0) + delta
        assert running[proc] <= 1
        assert sum(running.values()) <= p["cores"]


@pytest.mark.parametrize("p", SCENARIOS)
def test_failed_counts_the_requests_with_an_error(p):
    result = simulate(**p)
    assert result.summary.failed == sum(r.error is not None for r in result.requests)
    errors = {r.error for r in result.requests} - {None}
    if not uses_database(result.params["view"]):
        assert errors <= {"loop_running"}
    if "loop_running" in errors:  # only async_to_sync's asyncio.run() on a gevent hub
        assert p["server"] == "gunicorn-gevent" and p["view"].startswith("async")


def test_the_scenarios_include_failed_requests_of_every_kind():
    errors = {r.error for p in SCENARIOS for r in simulate(**p).requests}
    assert errors == {None, *FAILURES}


@pytest.mark.parametrize("p", SCENARIOS[:40])
def test_two_runs_give_identical_results(p):
    assert json.dumps(simulate(**p).to_dict()) == json.dumps(simulate(**p).to_dict())


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_blocking_call_in_an_async_view_serialises_its_worker(workers):
    result = simulate(
        "uvicorn", "async-blocking", requests=12, ms=40, workers=workers, dispatch="round-robin"
    )
    for proc in range(1, workers + 1):
        mine = [r for r in result.requests if r.process == proc]
        busy = sorted((s, e) for r in mine for k, s, e in r.segments if k == "io")
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(busy))
        assert max(r.end_ms for r in mine) == 40 * len(mine)
