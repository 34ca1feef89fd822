"""Properties that must hold in every scenario, checked over seeded random scenarios."""

import itertools
import json
import random

import pytest
from serverlab import SERVERS, VIEW_KINDS, simulate
from serverlab.scenario import SERVER


def _scenarios(count: int, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        server = rng.choice(SERVERS)
        params = {
            "server": server,
            "view": rng.choice(VIEW_KINDS),
            "requests": rng.randint(1, 40),
            "ms": rng.choice([1, 7, 50, 100, 333]),
            "workers": rng.randint(1, 5),
            "threads": rng.randint(1, 6) if server == "gunicorn-gthread" else 1,
            "cores": rng.randint(1, 4),
            "rate_rps": rng.choice([None, None, 5, 40, 1000]),
            "slice_ms": rng.choice([0, 5, 5, 13]),
        }
        # None leaves dispatch out, so the server's default is covered as well.
        dispatch = rng.choice((None, *SERVER[server].dispatches))
        if dispatch is not None:
            params["dispatch"] = dispatch
        out.append(params)
    return out


SCENARIOS = _scenarios(150)


@pytest.mark.parametrize("server", SERVERS)
def test_the_scenarios_cover_every_dispatch_of_each_server_and_its_default(server):
    mine = [p for p in SCENARIOS if p["server"] == server]
    covered = {p.get("dispatch") for p in mine}
    assert covered == {None, *SERVER[server].dispatches}


def _lanes(p: dict) -> int | None:
    """How many requests can be in service at once, or None when unbounded."""
    if p["server"] == "gunicorn-sync":
        return p["workers"]
    if p["server"] == "gunicorn-gthread":
        return p["workers"] * p["threads"]
    return p["workers"] if p["view"] in ("async-blocking", "async-cpu") else None


@pytest.mark.parametrize("p", SCENARIOS)
def test_segments_tile_each_request_from_arrival_to_end(p):
    for r in simulate(**p).requests:
        assert r.start_ms >= r.arrival_ms
        t = r.arrival_ms
        for kind, start, end in r.segments:
            assert kind in ("queued", "cpu", "io", "blocked")
            assert start == t and end > start
            t = end
        assert t == r.end_ms
        kinds = [k for k, _, _ in r.segments]
        assert all(a != b for a, b in itertools.pairwise(kinds)), "unmerged segments"
        assert "queued" not in kinds[1:], "queued only before the request starts"


@pytest.mark.parametrize("p", SCENARIOS)
def test_latency_is_never_shorter_than_the_view(p):
    for r in simulate(**p).requests:
        assert r.latency_ms >= p["ms"]


@pytest.mark.parametrize("p", SCENARIOS)
def test_makespan_is_at_least_total_work_over_capacity(p):
    summary = simulate(**p).summary
    n, ms = p["requests"], p["ms"]
    first_to_last_arrival = 0 if p["rate_rps"] is None else (n - 1) * 1000 / p["rate_rps"]
    assert summary.makespan_ms >= first_to_last_arrival + ms - 1e-6
    if p["view"].endswith("cpu"):
        capacity = min(p["cores"], p["workers"])  # one GIL per process
        assert summary.makespan_ms >= n * ms / capacity - 1e-6
    lanes = _lanes(p)
    if lanes is not None:
        assert summary.makespan_ms >= n * ms / lanes - 1e-6
    if p["server"] != "uvicorn":  # uvicorn accepts eagerly: stalled requests count too
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
