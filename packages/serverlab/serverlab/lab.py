"""simulate(): check the scenario, trace the view, run the engine, summarise the result."""

import gc
import math
from collections.abc import Callable
from typing import Any

from serverlab import servers, stats, vclock
from serverlab.engine import Engine, Job
from serverlab.errors import LabError
from serverlab.model import RequestRecord, Result, Summary, Trace
from serverlab.views import VIEW_KINDS, LabRequest, builtin_trace, trace_view

MAX_RATE_RPS = 1_000_000
MAX_OVERHEAD_MS = 10_000


def simulate(
    server: str = "uvicorn",
    view: str | Callable = "async-io",
    requests: int = 10,
    ms: float = 100,
    workers: int = 1,
    threads: int = 1,
    cores: int = 2,
    rate_rps: float | None = None,
    dispatch: str | None = None,
    thread_start_ms: float = 0,
    switch_ms: float = 0,
    request_overhead_ms: float = 0,
    slice_ms: float = 5,
) -> Result:
    """Simulate `requests` requests to a Django `view` served by `server`, on virtual time.

    `view` is a built-in kind (which lasts `ms`) or a view callable taking a request.
    `rate_rps` spaces arrivals (request i at i/rate s); None sends all at time 0.
    `dispatch` spreads Uvicorn connections: "shared-accept" (default: the first loop to
    wake takes every pending connection, as measured), "round-robin" or "least-busy"; and
    gthread connections: "shared-queue" (default) or "shared-accept" (see servers.py).
    Overheads are CPU time: per request (`request_overhead_ms`), per sync/async switch
    (`switch_ms`), per thread started for an ASGI sync view (`thread_start_ms`).
    `slice_ms` is the CPU time slice (CPython's GIL switch interval is 5 ms; 0 = run
    every CPU burst to completion).
    """
    if server not in servers.SERVERS:
        raise LabError(f"server must be one of {', '.join(servers.SERVERS)}; got {server!r}")
    if not callable(view) and view not in VIEW_KINDS:
        raise LabError(
            f"view must be a view function or one of {', '.join(VIEW_KINDS)}; got {view!r}"
        )
    _whole("requests", requests, 1, 100_000)
    _number("ms", ms, 0, 60_000)
    _whole("workers", workers, 1, 64)
    _whole("threads", threads, 1, 256)
    _whole("cores", cores, 1, 64)
    if threads != 1 and server != "gunicorn-gthread":
        raise LabError(
            f"threads must be 1 for {server}: only gunicorn-gthread has a thread pool"
            " (real Gunicorn switches sync workers to gthread when threads > 1)"
        )
    if rate_rps is not None:
        _number("rate_rps", rate_rps, 0, MAX_RATE_RPS, what="None (all at once) or a number")
        if rate_rps == 0:
            raise LabError(f"rate_rps must be above 0 and at most {MAX_RATE_RPS}, or None")
    choices = {"uvicorn": servers.DISPATCHES, "gunicorn-gthread": servers.GTHREAD_DISPATCHES}
    if server in choices:
        dispatch = choices[server][0] if dispatch is None else dispatch
        if dispatch not in choices[server]:
            raise LabError(
                f"dispatch for {server} must be one of {', '.join(choices[server])};"
                f" got {dispatch!r}"
            )
    elif dispatch is not None:
        raise LabError(
            f"dispatch does not apply to {server}: a busy sync worker accepts nothing,"
            " so its workers share one accept queue"
        )
    for name, value in (
        ("thread_start_ms", thread_start_ms),
        ("switch_ms", switch_ms),
        ("request_overhead_ms", request_overhead_ms),
    ):
        _number(name, value, 0, MAX_OVERHEAD_MS)
    _number("slice_ms", slice_ms, 0, 1000)

    params: dict[str, Any] = {
        "server": server,
        "view": view if isinstance(view, str) else f"custom:{getattr(view, '__name__', 'view')}",
        "requests": requests,
        "ms": ms,
        "workers": workers,
        "threads": threads,
        "cores": cores,
        "rate_rps": rate_rps,
        "dispatch": dispatch,
        "thread_start_ms": thread_start_ms,
        "switch_ms": switch_ms,
        "request_overhead_ms": request_overhead_ms,
        "slice_ms": slice_ms,
    }
    traces = _traces(view, ms, requests)
    # The run allocates many small acyclic objects; cyclic GC passes would only slow it down.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        jobs = _run(server, traces, params)
        return _result(server, jobs, traces, params)
    finally:
        if gc_was_enabled:
            gc.enable()


def _whole(name: str, value: Any, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise LabError(f"{name} must be a whole number from {lo} to {hi}; got {value!r}")


def _number(name: str, value: Any, lo: float, hi: float, what: str = "a number") -> None:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and lo <= value <= hi
    )
    if not ok:
        raise LabError(f"{name} must be {what} from {lo} to {hi}; got {value!r}")


def _us(ms: float) -> int:
    return round(ms * 1000)


def _traces(view: str | Callable, ms: float, requests: int) -> list[Trace]:
    if isinstance(view, str):
        return [builtin_trace(view, ms)] * requests
    with vclock.patched_time():
        return [trace_view(view, LabRequest(id=i)) for i in range(requests)]


def _run(server: str, traces: list[Trace], params: dict[str, Any]) -> list[Job]:
    workers, threads = params["workers"], params["threads"]
    rate = params["rate_rps"]
    overheads = (
        _us(params["request_overhead_ms"]),
        _us(params["switch_ms"]),
        _us(params["thread_start_ms"]),
    )
    programs: dict[int, tuple] = {}  # by id(trace): built-in kinds share one trace object
    jobs = []
    for i, trace in enumerate(traces):
        prog = programs.get(id(trace))
        if prog is None:
            prog = programs[id(trace)] = servers.program(server, trace, *overheads)
        arrival = 0 if rate is None else round(i * 1_000_000 / rate)
        jobs.append(Job(i, arrival, prog))
    engine = Engine(
        family=servers.family(server),
        workers=workers,
        threads=threads,
        cores=params["cores"],
        slice_us=_us(params["slice_ms"]),
        dispatch=params["dispatch"] or "",
        lane_names=servers.lane_names(server, workers, threads),
    )
    engine.run(jobs)
    return jobs


def _result(server: str, jobs: list[Job], traces: list[Trace], params: dict[str, Any]) -> Result:
    records = [
        RequestRecord(
            id=j.id,
            lane=j.lane,
            process=j.proc + 1,
            arrival_ms=j.arrival / 1000,
            start_ms=j.start / 1000,
            end_ms=j.end / 1000,
            segments=[(k, s / 1000, e / 1000) for k, s, e in j.segments],
        )
        for j in jobs
    ]
    latencies = sorted(j.end - j.arrival for j in jobs)
    makespan = max(j.end for j in jobs) - jobs[0].arrival
    starts, ends = [j.start for j in jobs], [j.end for j in jobs]
    peak = stats.peak_overlap(starts, ends)
    peak_threads = servers.fixed_threads(server, params["workers"], params["threads"])
    # Each request's helper thread (any view under ASGI, an async view under WSGI) lives
    # while the request is in service, so their peak is the peak concurrency.
    if servers.helper_thread_per_request(server, traces[0].is_async):
        peak_threads += peak
    summary = Summary(
        makespan_ms=makespan / 1000,
        throughput_rps=len(jobs) / (makespan / 1_000_000) if makespan else None,
        mean_ms=sum(latencies) / len(latencies) / 1000,
        p50_ms=stats.nearest_rank(latencies, 50) / 1000,
        p95_ms=stats.nearest_rank(latencies, 95) / 1000,
        p99_ms=stats.nearest_rank(latencies, 99) / 1000,
        peak_concurrency=peak,
        peak_threads=peak_threads,
        params=params,
    )
    return Result(requests=records, lanes=_lanes(server, jobs, params), summary=summary)


def _lanes(server: str, jobs: list[Job], params: dict[str, Any]) -> list[str]:
    names = servers.lane_names(server, params["workers"], params["threads"])
    if server != "uvicorn":
        return [lane for proc in names for lane in proc]
    # Uvicorn: each loop, then the thread slots its sync views used (slots are reused).
    used = [0] * params["workers"]
    for j in jobs:
        used[j.proc] = max(used[j.proc], j.slot)
    return [
        lane
        for p, proc in enumerate(names)
        for lane in [*proc, *(f"w{p + 1}/thread{k}" for k in range(1, used[p] + 1))]
    ]
