"""simulate(): check the scenario, trace the view, run the engine, summarise the result."""

import gc
from collections.abc import Callable
from typing import Any

from serverlab import servers, stats, vclock
from serverlab.database import Database
from serverlab.engine import Engine, Job
from serverlab.model import RequestRecord, Result, Summary, Trace
from serverlab.scenario import DB_RESERVED_CONNECTIONS, DEFAULTS, PARAMETER, validate
from serverlab.views import LabRequest, builtin_trace, trace_view


def simulate(
    server: str = DEFAULTS["server"],
    view: str | Callable = DEFAULTS["view"],
    requests: int = DEFAULTS["requests"],
    ms: float = DEFAULTS["ms"],
    workers: int = DEFAULTS["workers"],
    threads: int = DEFAULTS["threads"],
    cores: int = DEFAULTS["cores"],
    rate_rps: float | None = DEFAULTS["rate_rps"],
    dispatch: str | None = DEFAULTS["dispatch"],
    thread_start_ms: float = DEFAULTS["thread_start_ms"],
    switch_ms: float = DEFAULTS["switch_ms"],
    request_overhead_ms: float = DEFAULTS["request_overhead_ms"],
    slice_ms: float = DEFAULTS["slice_ms"],
    worker_connections: int = DEFAULTS["worker_connections"],
    db_pool: int = DEFAULTS["db_pool"],
    db_max_connections: int = DEFAULTS["db_max_connections"],
    db_pool_timeout_ms: float = DEFAULTS["db_pool_timeout_ms"],
    db_connect_ms: float = DEFAULTS["db_connect_ms"],
) -> Result:
    """Simulate `requests` requests to a Django `view` served by `server`, on virtual time.

    `view` is a built-in kind (which lasts `ms`) or a view callable taking a request.
    `rate_rps` spaces arrivals (request i at i/rate s); None sends all at time 0.
    `dispatch` says how the server's workers share connections; each server has its own
    choices and default (scenario.SERVER_TABLE; e.g. Uvicorn's "shared-accept": the first
    loop to wake takes every pending connection, as measured).
    Overheads are CPU time: per request (`request_overhead_ms`), per sync/async switch
    (`switch_ms`), per thread started for an ASGI sync view (`thread_start_ms`).
    `slice_ms` is the CPU time slice (CPython's GIL switch interval is 5 ms; 0 = run
    every CPU burst to completion). `worker_connections` is Gunicorn's
    --worker-connections (gevent's greenlets per worker; gthread's accept limit).
    The database (views sync-db, async-db): `db_pool` connections per process in Django's
    psycopg pool (0: a connection per request, costing `db_connect_ms`), PostgreSQL's
    `db_max_connections`, and how long a request waits for a pooled connection,
    `db_pool_timeout_ms`, before it fails. Limits and defaults: serverlab.scenario.PARAMETERS.
    """
    arguments = locals()  # exactly simulate()'s parameters, named as in the vocabulary
    params: dict[str, Any] = validate({name: arguments[name] for name in PARAMETER})
    if not isinstance(view, str):
        params["view"] = f"custom:{getattr(view, '__name__', 'view')}"
    traces = _traces(view, ms, requests)
    # The run allocates many small acyclic objects; cyclic GC passes would only slow it down.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        engine, jobs = _run(server, traces, params)
        return _result(server, engine, jobs, traces, params)
    finally:
        if gc_was_enabled:
            gc.enable()


def _us(ms: float) -> int:
    return round(ms * 1000)


def _traces(view: str | Callable, ms: float, requests: int) -> list[Trace]:
    if isinstance(view, str):
        return [builtin_trace(view, ms)] * requests
    with vclock.patched_time():
        return [trace_view(view, LabRequest(id=i)) for i in range(requests)]


def _run(server: str, traces: list[Trace], params: dict[str, Any]) -> tuple[Engine, list[Job]]:
    model = servers.model(server)
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
            prog = programs[id(trace)] = model.program(trace, *overheads)
        arrival = 0 if rate is None else round(i * 1_000_000 / rate)
        jobs.append(Job(i, arrival, prog))
    engine = Engine(
        model,
        model.policies[params["dispatch"]],
        workers=params["workers"],
        threads=params["threads"],
        cores=params["cores"],
        slice_us=_us(params["slice_ms"]),
        worker_connections=params["worker_connections"],
        database=Database(
            pool_size=params["db_pool"],
            available=params["db_max_connections"] - DB_RESERVED_CONNECTIONS,
            timeout_us=_us(params["db_pool_timeout_ms"]),
            connect_us=_us(params["db_connect_ms"]),
            processes=params["workers"],
        ),
    )
    engine.run(jobs)
    return engine, jobs


def _result(
    server: str, engine: Engine, jobs: list[Job], traces: list[Trace], params: dict[str, Any]
) -> Result:
    records = [
        RequestRecord(
            id=j.id,
            lane=j.lane,
            process=j.proc + 1,
            arrival_ms=j.arrival / 1000,
            start_ms=j.start / 1000,
            end_ms=j.end / 1000,
            segments=[(k, s / 1000, e / 1000) for k, s, e in j.segments],
            error=j.error,
        )
        for j in jobs
    ]
    latencies = sorted(j.end - j.arrival for j in jobs)
    makespan = max(j.end for j in jobs) - jobs[0].arrival
    starts, ends = [j.start for j in jobs], [j.end for j in jobs]
    peak = stats.peak_overlap(starts, ends)
    model = servers.model(server)
    peak_threads = model.fixed_threads(params["workers"], params["threads"])
    # Each request's helper thread (any view under ASGI, an async view under WSGI) lives
    # while the request is in service, so their peak is the peak concurrency.
    if model.helper_thread_per_request(traces[0].is_async):
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
        failed=engine.failed,
        params=params,
    )
    return Result(requests=records, lanes=_lanes(server, jobs, params), summary=summary)


def _lanes(server: str, jobs: list[Job], params: dict[str, Any]) -> list[str]:
    model = servers.model(server)
    names = model.lane_names(params["workers"], params["threads"])
    if not model.on_loop:
        return [lane for proc in names for lane in proc]
    # ASGI: each loop, then the thread slots its sync views used (slots are reused).
    used = [0] * params["workers"]
    for j in jobs:
        used[j.proc] = max(used[j.proc], j.slot)
    return [
        lane
        for p, proc in enumerate(names)
        for lane in [*proc, *(model.thread_lane(p, k) for k in range(1, used[p] + 1))]
    ]
