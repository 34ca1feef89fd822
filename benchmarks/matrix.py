"""The scenario matrix of `make bench`: each scenario measured on a real server, several times.

The matrix covers the lab's three servers plus Gunicorn with Uvicorn's worker, every view
kind, 1/2/4 workers (and threads for gthread), bursts of 10 and 50 requests and I/O waits
of 100-300 ms. It is a chosen subset, not the full product: every scenario answers one
question the site asks (does a second worker, a thread pool or `async def` help here?)
and the 96 runs take about 7 minutes on an idle 2-core machine. CPU scenarios use 10 requests of
100 ms and pair with an I/O scenario of the same shape, for the I/O vs CPU comparison.

Two known differences between the pure model and this machine are modelled, not
tolerated: (1) each request costs the server some CPU (HTTP parsing, Django's handler, the
client on the same cores), measured once per server by a calibration burst of requests
that wait 0 ms and passed to the model as `request_overhead_ms`; (2) with several workers
of a server whose accept is a race (RACY_DISPATCH), the prediction is the range between
the model's two dispatch rules (see serverlab/dispatch.py), and a measurement counts as
matching when it lies within 25 % of that range. Rows with a database view run against
one throwaway PostgreSQL, migrated and seeded once, and their failed requests (500s) must
match the model's count too.

Repetitions are interleaved (every scenario once, then every scenario again) so that a
passing burst of load on the machine spreads over many scenarios instead of spoiling one.
Each run starts a fresh server, once the CPUs are mostly idle (or a time limit has passed:
how busy they were is recorded with the run).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import serverlab
from serverlab.scenario import PARAMETER, PERCENTILES, uses_database, view_work

from harness.postgres import migrate_and_seed, start_postgres
from harness.scenarios import run_scenario, simulate_kwargs
from harness.server_commands import WSGI_KINDS
from harness.servers import ServerError

TOLERANCE = 0.25
IO_VIEWS = tuple(kind for kind in serverlab.VIEW_KINDS if view_work(kind) == "io")
DB_VIEWS = tuple(kind for kind in serverlab.VIEW_KINDS if uses_database(kind))
# Where the accepting worker is a race, two dispatch rules bound what can happen: an even
# spread and one worker taking the whole burst (see serverlab/dispatch.py).
_LOOP_RACE = ("round-robin", "shared-accept")
RACY_DISPATCH = {
    "uvicorn": _LOOP_RACE,
    "gunicorn-uvicorn": _LOOP_RACE,
    "gunicorn-asgi": _LOOP_RACE,
    "hypercorn": _LOOP_RACE,
    "gunicorn-gthread": ("shared-queue", "shared-accept"),
    # gevent's hubs each accept one connection per wake-up (max_accept = 1 with several
    # workers) and Granian's Rust runtimes accept eagerly: who takes a burst is a race.
    "gunicorn-gevent": ("least-busy", "shared-accept"),
    "granian-wsgi": ("round-robin", "shared-accept"),
    "granian-asgi": ("round-robin", "shared-accept"),
}
CALIBRATION_REQUESTS = 50
CALIBRATION_POOL = 10  # connections for a database view's calibration burst
QUIET = 0.25  # a run waits until at most this share of the CPUs is busy
PATIENCE_S = (60.0, 600.0)  # the longest wait for quiet: per run, and over the whole matrix
# A row's parameters beyond the matrix's columns, in this order in its id.
EXTRAS = tuple(name for name in PARAMETER if name not in ("server", "view", "workers",
               "threads", "requests", "ms"))  # fmt: skip


def scenario(
    server: str, view: str, workers: int, requests: int, ms: int, threads: int = 1, **extra
):
    """One setup in the lab's vocabulary (and harness.scenarios.run_scenario's)."""
    unknown = set(extra) - set(EXTRAS)
    if unknown:
        raise ValueError(f"unknown scenario parameters: {', '.join(sorted(unknown))}")
    return {
        "server": server,
        "view": view,
        "workers": workers,
        "threads": threads,
        "requests": requests,
        "ms": ms,
        **extra,
    }


def _table(rows: list[list], columns: list[str]) -> list[dict]:
    """Rows of the matrix file: values in column order, then optionally a dict of extras."""
    setups = []
    for row in rows:
        extra = row[-1] if row and isinstance(row[-1], dict) else {}
        values = row[: len(row) - bool(extra)]
        setups.append(scenario(**dict(zip(columns, values, strict=True)), **extra))
    return setups


# The scenarios, grouped by the question each group answers: benchmarks/matrix.json.
_MATRIX_FILE = json.loads((Path(__file__).parent / "matrix.json").read_text(encoding="utf-8"))
MATRIX = [
    setup
    for group in _MATRIX_FILE["groups"]
    for setup in _table(group["rows"], _MATRIX_FILE["columns"])
]
QUICK = _table(_MATRIX_FILE["quick"], _MATRIX_FILE["columns"])


def scenario_id(setup: dict) -> str:
    """A readable unique name: server, workers×threads, view, requests × ms, then extras."""
    base = "{server}-{workers}x{threads}-{view}-{requests}x{ms}ms".format(**setup)
    return base + "".join(f"-{name}{setup[name]}" for name in EXTRAS if name in setup)


def kind(setup: dict) -> str:
    """ "io" when the view waits (on a sleep or the database), "cpu" when it computes."""
    return "io" if setup["view"] in IO_VIEWS else "cpu"


def model_cores() -> int:
    """The cores this process may use, which the server and the client share."""
    return min(len(os.sched_getaffinity(0)), PARAMETER["cores"].max)


def predict(setup: dict, cores: int, overhead_ms: float = 0) -> dict:
    """The model's numbers for the setup: makespan, percentiles, failures, the racy range."""
    params = simulate_kwargs(setup)
    params.update(cores=cores, request_overhead_ms=overhead_ms)
    summary = serverlab.simulate(**params).to_dict()
    predicted = {key: summary[key] for key in ("makespan_ms", *PERCENTILES, "failed")}
    predicted["request_overhead_ms"] = overhead_ms
    if span := racy_range(params, setup["workers"]):
        predicted["range_ms"] = span
    return predicted


def racy_range(params: dict, workers: int) -> list[float] | None:
    """Both ends of a racy accept, [lowest, highest] makespan, or None where none is racy."""
    rules = RACY_DISPATCH.get(params["server"])
    if not rules or workers <= 1:
        return None
    spans = [serverlab.simulate(**params, dispatch=rule).summary.makespan_ms for rule in rules]
    return [min(spans), max(spans)]


def calibration_setup(setup: dict) -> dict:
    """A burst of requests that wait 0 ms on one worker: what remains is the server's cost.

    For a database view the burst runs that view on a pool large enough not to queue, so
    the cost also holds Django's ORM work and the query's round trip.
    """
    server, view = setup["server"], setup["view"]
    if view in DB_VIEWS:
        return scenario(server, view, 1, CALIBRATION_REQUESTS, 0, db_pool=CALIBRATION_POOL)
    view = "sync-io" if server in WSGI_KINDS else "async-io"
    return scenario(server, view, 1, CALIBRATION_REQUESTS, 0)


def calibration_key(setup: dict) -> tuple[str, str]:
    """Scenarios that share a calibration: a server, and the database view if there is one."""
    return setup["server"], setup["view"] if setup["view"] in DB_VIEWS else ""


def calibrate(
    scenarios: list[dict],
    repetitions: int,
    database_urls: dict[int, str],
    progress: Callable[[str], None],
) -> dict:
    """Per-request cost in ms, per calibration key: median makespan of the burst / requests."""
    overheads = {}
    for key in sorted({calibration_key(s) for s in scenarios}):
        setup = calibration_setup(dict(zip(("server", "view"), key, strict=True)))
        url = database_for(setup, database_urls)
        runs = [measure_once(setup, PATIENCE_S[0], url) for _ in range(repetitions)]
        spans = [r["makespan_ms"] for r in runs if _good(r, setup)]
        overheads[key] = round(statistics.median(spans) / setup["requests"], 3) if spans else 0
        progress(f"calibration {scenario_id(setup)}: {overheads[key]} ms per request")
    return overheads


def _cpu_times() -> tuple[int, int] | None:
    """(idle, total) jiffies of all CPUs since boot, from /proc/stat (Linux only)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return fields[3] + fields[4], sum(fields[:8])  # idle + iowait; user..steal


def busy_share(window_s: float = 1.0) -> float | None:
    """The share of all CPUs busy during the next `window_s` seconds (None off Linux)."""
    before = _cpu_times()
    time.sleep(window_s)
    after = _cpu_times()
    if before is None or after is None or after[1] == before[1]:
        return None
    return 1 - (after[0] - before[0]) / (after[1] - before[1])


def wait_for_quiet(patience_s: float, threshold: float = QUIET) -> float | None:
    """Wait until other programs leave the CPUs mostly idle; return the last busy share.

    The client and the server share this machine with whatever else runs on it, so a run
    starts only when the CPUs are quiet, or after `patience_s` (the share is recorded).
    """
    deadline = time.monotonic() + patience_s
    while True:
        busy = busy_share()
        if busy is None or busy <= threshold or time.monotonic() >= deadline:
            return busy


def measure_once(setup: dict, patience_s: float, database_url: str | None = None) -> dict:
    """One run on a fresh server; a server that fails is recorded, not fatal to the matrix."""
    started = time.monotonic()
    busy = wait_for_quiet(patience_s)
    waited = {
        "busy_before_pct": None if busy is None else round(busy * 100, 1),
        "waited_s": round(time.monotonic() - started, 1),
    }
    try:
        return {**run_scenario(setup, database_url=database_url), **waited}
    except (ServerError, TimeoutError, OSError) as error:
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0]}", **waited}


def max_connections(setup: dict) -> int:
    """The PostgreSQL `max_connections` a scenario runs against."""
    return setup.get("db_max_connections", PARAMETER["db_max_connections"].default)


@contextmanager
def databases_for(scenarios: list[dict]) -> Iterator[dict[int, str]]:
    """A throwaway PostgreSQL, migrated and seeded, per `max_connections` the scenarios use.

    A limit is a server setting, so scenarios that test a small one get their own server
    while the others share one; no database view, no PostgreSQL started.
    """
    limits = sorted({max_connections(s) for s in scenarios if s["view"] in DB_VIEWS})
    with ExitStack() as stack:
        urls = {}
        for limit in limits:
            database = stack.enter_context(start_postgres(max_connections=limit))
            migrate_and_seed(database.url)
            urls[limit] = database.url
        yield urls


def database_for(setup: dict, database_urls: dict[int, str]) -> str | None:
    """The URL of the PostgreSQL a scenario's view queries, or None for a view without one."""
    return database_urls.get(max_connections(setup)) if setup["view"] in DB_VIEWS else None


def run(
    scenarios: list[dict],
    repetitions: int,
    progress: Callable[[str], None] = print,
) -> list[dict]:
    """Calibrate, measure every scenario `repetitions` times (interleaved), summarise each."""
    cores = model_cores()
    runs: list[list[dict]] = [[] for _ in scenarios]
    total = len(scenarios) * repetitions
    calibrations = [calibration_setup(s) for s in scenarios]
    with databases_for(scenarios + calibrations) as database_urls:
        overheads = calibrate(scenarios, repetitions, database_urls, progress)
        started = time.monotonic()
        waited = 0.0
        for rep in range(repetitions):
            for index, setup in enumerate(scenarios):
                patience = min(PATIENCE_S[0], max(0.0, PATIENCE_S[1] - waited))
                result = measure_once(setup, patience, database_for(setup, database_urls))
                waited += result["waited_s"]
                runs[index].append(result)
                done = rep * len(scenarios) + index + 1
                shown = result.get("makespan_ms", result.get("error"))
                elapsed = time.monotonic() - started
                progress(f"[{done}/{total} {elapsed:5.0f} s] {scenario_id(setup)}: {shown}")
    return [
        summarise(setup, predict(setup, cores, overheads[calibration_key(setup)]), runs[i])
        for i, setup in enumerate(scenarios)
    ]


def failed_count(run_result: dict) -> int:
    """Requests the server answered with 500: a pool timeout or a refused connection."""
    return run_result["statuses"].get("500", 0)


def _good(run_result: dict, setup: dict, may_fail: bool = False) -> bool:
    """Every request answered, with 200, or also with 500 where requests may fail."""
    if "error" in run_result:
        return False
    statuses = run_result["statuses"]
    allowed = {"200", "500"} if may_fail else {"200"}
    return set(statuses) <= allowed and sum(statuses.values()) == setup["requests"]


def _problem(run_result: dict) -> str:
    return run_result.get("error") or f"statuses {run_result['statuses']}"


def failures_match(predicted: int, measured: float) -> bool:
    """The same number of failed requests, give or take a quarter of the prediction (or one)."""
    return abs(measured - predicted) <= max(1, TOLERANCE * predicted)


def summarise(setup: dict, predicted: dict, runs: list[dict]) -> dict:
    """One record: the setup, the model's numbers, every run's makespan, median and spread."""
    # A database view can fail however the model sees it; another view where the model says so.
    may_fail = setup["view"] in DB_VIEWS or predicted["failed"] > 0
    good = [r for r in runs if _good(r, setup, may_fail)]
    record = {
        "id": scenario_id(setup),
        **setup,
        "kind": kind(setup),
        "predicted": predicted,
        "repetitions": len(runs),
        "failed_runs": len(runs) - len(good),
        "errors": sorted({_problem(r) for r in runs if r not in good}),
    }
    if not good:
        within = False if record["kind"] == "io" else None
        return {**record, "measured": None, "diff_pct": None, "within_25pct": within}
    makespans = [r["makespan_ms"] for r in good]
    median = statistics.median(makespans)
    failed = statistics.median(failed_count(r) for r in good)
    measured = {
        "makespans_ms": makespans,
        "median_ms": round(median, 1),
        "min_ms": min(makespans),
        "max_ms": max(makespans),
        "spread_pct": round((max(makespans) - min(makespans)) / median * 100, 1),
        **{p: round(statistics.median(r[p] for r in good), 1) for p in PERCENTILES},
        "failed": failed,
        "processes_used": sorted({r["processes_used"] for r in good}),
        "threads_used": sorted({r["threads_used"] for r in good}),
        "busy_before_pct": [r["busy_before_pct"] for r in good],
    }
    # Against the racy range, the difference is to its nearest end (0 inside it).
    low, high = predicted.get("range_ms", [predicted["makespan_ms"]] * 2)
    nearest = min(max(median, low), high)
    diff = (median - nearest) / nearest * 100
    within = None
    if record["kind"] == "io":
        within = abs(diff) <= TOLERANCE * 100 and failures_match(predicted["failed"], failed)
    return {**record, "measured": measured, "diff_pct": round(diff, 1), "within_25pct": within}
