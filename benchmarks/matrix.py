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
that wait 0 ms and passed to the model as `request_overhead_ms`; (2) with several Uvicorn
or gthread workers, which worker accepts a burst is a race, so the prediction is the range
between the model's two dispatch rules (see serverlab/dispatch.py), and a measurement
counts as matching when it lies within 25 % of that range.

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
from collections.abc import Callable
from pathlib import Path

import serverlab
from serverlab.scenario import PARAMETER, PERCENTILES, view_work

from harness.scenarios import run_scenario, simulate_kwargs
from harness.servers import ServerError

TOLERANCE = 0.25
IO_VIEWS = tuple(kind for kind in serverlab.VIEW_KINDS if view_work(kind) == "io")
# Gunicorn running Uvicorn's worker behaves like Uvicorn: its workers share one listening
# socket too, so it is measured against the uvicorn model.
MODEL_SERVER = {"gunicorn-uvicorn": "uvicorn"}
# Where the accepting worker is a race, the two dispatch rules bound what can happen.
RACY_DISPATCH = {
    "uvicorn": ("round-robin", "shared-accept"),
    "gunicorn-gthread": ("shared-queue", "shared-accept"),
}
CALIBRATION_REQUESTS = 50
QUIET = 0.25  # a run waits until at most this share of the CPUs is busy
PATIENCE_S = (60.0, 600.0)  # the longest wait for quiet: per run, and over the whole matrix


def scenario(server: str, view: str, workers: int, requests: int, ms: int, threads: int = 1):
    """One setup in the lab's vocabulary (and harness.scenarios.run_scenario's)."""
    return {
        "server": server,
        "view": view,
        "workers": workers,
        "threads": threads,
        "requests": requests,
        "ms": ms,
    }


def _table(rows: list[list], columns: list[str]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


# The scenarios, grouped by the question each group answers: benchmarks/matrix.json.
_MATRIX_FILE = json.loads((Path(__file__).parent / "matrix.json").read_text(encoding="utf-8"))
MATRIX = [
    setup
    for group in _MATRIX_FILE["groups"]
    for setup in _table(group["rows"], _MATRIX_FILE["columns"])
]
QUICK = _table(_MATRIX_FILE["quick"], _MATRIX_FILE["columns"])


def scenario_id(setup: dict) -> str:
    """A readable unique name: server, workers×threads, view, requests × ms."""
    return "{server}-{workers}x{threads}-{view}-{requests}x{ms}ms".format(**setup)


def kind(setup: dict) -> str:
    """ "io" when the view waits, "cpu" when it computes."""
    return "io" if setup["view"] in IO_VIEWS else "cpu"


def model_cores() -> int:
    """The cores this process may use, which the server and the client share."""
    return min(len(os.sched_getaffinity(0)), PARAMETER["cores"].max)


def predict(setup: dict, cores: int, overhead_ms: float = 0) -> dict:
    """The model's numbers for the setup: makespan, percentiles, and the racy range."""
    params = simulate_kwargs(setup)
    params["server"] = MODEL_SERVER.get(params["server"], params["server"])
    params.update(cores=cores, request_overhead_ms=overhead_ms)
    summary = serverlab.simulate(**params).to_dict()
    predicted = {key: summary[key] for key in ("makespan_ms", *PERCENTILES)}
    predicted["request_overhead_ms"] = overhead_ms
    rules = RACY_DISPATCH.get(params["server"])
    if rules and setup["workers"] > 1:
        spans = [serverlab.simulate(**params, dispatch=rule).summary.makespan_ms for rule in rules]
        predicted["range_ms"] = [min(spans), max(spans)]
    return predicted


def calibration_setup(server: str) -> dict:
    """A burst of requests that wait 0 ms on one worker: what remains is the server's cost."""
    view = (
        "sync-io" if server.startswith("gunicorn-") and server != "gunicorn-uvicorn" else "async-io"
    )
    return scenario(server, view, 1, CALIBRATION_REQUESTS, 0)


def calibrate(servers: list[str], repetitions: int, progress: Callable[[str], None]) -> dict:
    """Per-request server cost in ms, per server: median makespan of the burst / requests."""
    overheads = {}
    for server in servers:
        setup = calibration_setup(server)
        runs = [measure_once(setup, PATIENCE_S[0]) for _ in range(repetitions)]
        spans = [r["makespan_ms"] for r in runs if _good(r, setup["requests"])]
        overheads[server] = round(statistics.median(spans) / setup["requests"], 3) if spans else 0
        progress(f"calibration {server}: {overheads[server]} ms per request")
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


def measure_once(setup: dict, patience_s: float) -> dict:
    """One run on a fresh server; a server that fails is recorded, not fatal to the matrix."""
    started = time.monotonic()
    busy = wait_for_quiet(patience_s)
    waited = {
        "busy_before_pct": None if busy is None else round(busy * 100, 1),
        "waited_s": round(time.monotonic() - started, 1),
    }
    try:
        return {**run_scenario(setup), **waited}
    except (ServerError, TimeoutError, OSError) as error:
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0]}", **waited}


def run(
    scenarios: list[dict],
    repetitions: int,
    progress: Callable[[str], None] = print,
) -> list[dict]:
    """Calibrate, measure every scenario `repetitions` times (interleaved), summarise each."""
    cores = model_cores()
    overheads = calibrate(sorted({s["server"] for s in scenarios}), repetitions, progress)
    runs: list[list[dict]] = [[] for _ in scenarios]
    total = len(scenarios) * repetitions
    started = time.monotonic()
    waited = 0.0
    for rep in range(repetitions):
        for index, setup in enumerate(scenarios):
            result = measure_once(setup, min(PATIENCE_S[0], max(0.0, PATIENCE_S[1] - waited)))
            waited += result["waited_s"]
            runs[index].append(result)
            done = rep * len(scenarios) + index + 1
            shown = result.get("makespan_ms", result.get("error"))
            elapsed = time.monotonic() - started
            progress(f"[{done}/{total} {elapsed:5.0f} s] {scenario_id(setup)}: {shown}")
    return [
        summarise(setup, predict(setup, cores, overheads[setup["server"]]), runs[i])
        for i, setup in enumerate(scenarios)
    ]


def _good(run_result: dict, requests: int) -> bool:
    return "error" not in run_result and run_result["statuses"] == {"200": requests}


def _problem(run_result: dict) -> str:
    return run_result.get("error") or f"statuses {run_result['statuses']}"


def summarise(setup: dict, predicted: dict, runs: list[dict]) -> dict:
    """One record: the setup, the model's numbers, every run's makespan, median and spread."""
    good = [r for r in runs if _good(r, setup["requests"])]
    record = {
        "id": scenario_id(setup),
        **setup,
        "model_server": MODEL_SERVER.get(setup["server"], setup["server"]),
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
    measured = {
        "makespans_ms": makespans,
        "median_ms": round(median, 1),
        "min_ms": min(makespans),
        "max_ms": max(makespans),
        "spread_pct": round((max(makespans) - min(makespans)) / median * 100, 1),
        **{p: round(statistics.median(r[p] for r in good), 1) for p in PERCENTILES},
        "processes_used": sorted({r["processes_used"] for r in good}),
        "threads_used": sorted({r["threads_used"] for r in good}),
        "busy_before_pct": [r["busy_before_pct"] for r in good],
    }
    # Against the racy range, the difference is to its nearest end (0 inside it).
    low, high = predicted.get("range_ms", [predicted["makespan_ms"]] * 2)
    nearest = min(max(median, low), high)
    diff = (median - nearest) / nearest * 100
    within = abs(diff) <= TOLERANCE * 100 if record["kind"] == "io" else None
    return {**record, "measured": measured, "diff_pct": round(diff, 1), "within_25pct": within}
