"""A short plain-language transcript of a run, in English or Vietnamese."""

from serverlab.errors import LabError
from serverlab.model import Result
from serverlab.scenario import LANGUAGES, uses_database

# Which sentence of _TEXT opens the transcript of each server (scenario.SERVERS).
_SHAPE = {
    "gunicorn-sync": "setup_processes",
    "gunicorn-gthread": "setup_threads",
    "gunicorn-gevent": "setup_greenlets",
    "gunicorn-asgi": "setup_loops",
    "gunicorn-uvicorn": "setup_loops",
    "uvicorn": "setup_loops",
    "uwsgi": "setup_threads",
    "granian-wsgi": "setup_threads_dispatch",
    "granian-asgi": "setup_loops",
    "hypercorn": "setup_loops",
    "daphne": "setup_one_loop",
}

_TEXT = {
    "en": {
        "setup_processes": "{server}: {workers} worker, {cores} CPU cores.",
        "setup_threads": "{server}: {workers} worker × {threads} thread, {cores} CPU cores.",
        "setup_threads_dispatch": "{server}: {workers} worker × {threads} thread,"
        " {cores} CPU cores, dispatch {dispatch}.",
        "setup_greenlets": "{server}: {workers} worker × up to {worker_connections} greenlets,"
        " {cores} CPU cores, dispatch {dispatch}.",
        "setup_loops": "{server}: {workers} worker (one event loop each), {cores} CPU cores,"
        " dispatch {dispatch}.",
        "setup_one_loop": "{server}: one process with one event loop, {cores} CPU cores.",
        "database": "Database: {pool}, PostgreSQL max_connections {max}.",
        "pool": "a pool of {n} connections per process",
        "no_pool": "no pool (a connection per request)",
        "failed": "Failed requests: {v} (HTTP 500).",
        "load_burst": "{n} requests to the {view} view, all arriving at once.",
        "load_rate": "{n} requests to the {view} view, arriving at {rate} requests/s.",
        "makespan": "Makespan: {v} ms.",
        "throughput": "Throughput: {v} requests/s.",
        "no_throughput": "Throughput: not defined (every request took 0 ms).",
        "latency": "Latency p50: {p50} ms, p95: {p95} ms, p99: {p99} ms.",
        "concurrency": "Peak concurrency: {v} requests in service at once.",
        "threads": "Peak threads: {v} OS threads serving requests.",
        "blocked": "Time requests spent blocked (waiting for the event loop, GIL or a core):"
        " {v} ms in total.",
    },
    "vi": {
        "setup_processes": "{server}: {workers} worker, {cores} lõi CPU.",
        "setup_threads": "{server}: {workers} worker × {threads} thread, {cores} lõi CPU.",
        "setup_threads_dispatch": "{server}: {workers} worker × {threads} thread,"
        " {cores} lõi CPU, dispatch {dispatch}.",
        "setup_greenlets": "{server}: {workers} worker × tối đa {worker_connections} greenlet,"
        " {cores} lõi CPU, dispatch {dispatch}.",
        "setup_loops": "{server}: {workers} worker (mỗi worker một event loop), {cores} lõi CPU,"
        " dispatch {dispatch}.",
        "setup_one_loop": "{server}: một process với một event loop, {cores} lõi CPU.",
        "database": "Database: {pool}, max_connections của PostgreSQL là {max}.",
        "pool": "pool {n} kết nối mỗi process",
        "no_pool": "không có pool (mỗi request một kết nối)",
        "failed": "Số request thất bại: {v} (HTTP 500).",
        "load_burst": "{n} request tới view {view}, tất cả đến cùng lúc.",
        "load_rate": "{n} request tới view {view}, đến với tốc độ {rate} request/giây.",
        "makespan": "Thời gian hoàn tất (makespan): {v} ms.",
        "throughput": "Thông lượng (throughput): {v} request/giây.",
        "no_throughput": "Thông lượng (throughput): không xác định (mọi request đều mất 0 ms).",
        "latency": "Độ trễ (latency) p50: {p50} ms, p95: {p95} ms, p99: {p99} ms.",
        "concurrency": "Số request được xử lý cùng lúc nhiều nhất (peak concurrency): {v}.",
        "threads": "Số thread hệ điều hành phục vụ request nhiều nhất (peak threads): {v}.",
        "blocked": "Tổng thời gian các request bị chặn (blocked) chờ event loop, GIL hoặc"
        " lõi CPU: {v} ms.",
    },
}


def number(x: float, lang: str = "en") -> str:
    """At most one decimal, none when whole; Vietnamese uses a decimal comma."""
    text = f"{x:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "vi" else text


def describe(result: Result, lang: str = "en") -> str:
    """The summary of `result` as a few plain sentences, one per line."""
    if lang not in LANGUAGES:
        raise LabError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}", "lang")
    t, s, p = _TEXT[lang], result.summary, result.params

    def n(x: float) -> str:
        return number(x, lang)

    custom = p["view"].startswith("custom:")
    view = f"{p['view'].removeprefix('custom:')}()" if custom else f"{p['view']} ({n(p['ms'])} ms)"
    if p["rate_rps"] is None:
        load = t["load_burst"].format(n=p["requests"], view=view)
    else:
        load = t["load_rate"].format(n=p["requests"], view=view, rate=n(p["rate_rps"]))
    lines = [t[_SHAPE[p["server"]]].format(**p), load]
    if not custom and uses_database(p["view"]):
        pool = t["pool"].format(n=p["db_pool"]) if p["db_pool"] else t["no_pool"]
        lines.append(t["database"].format(pool=pool, max=p["db_max_connections"]))
    lines += [
        t["makespan"].format(v=n(s.makespan_ms)),
        t["throughput"].format(v=n(s.throughput_rps))
        if s.throughput_rps is not None
        else t["no_throughput"],
        t["latency"].format(p50=n(s.p50_ms), p95=n(s.p95_ms), p99=n(s.p99_ms)),
        t["concurrency"].format(v=s.peak_concurrency),
        t["threads"].format(v=s.peak_threads),
    ]
    if s.failed:
        lines.append(t["failed"].format(v=s.failed))
    blocked = sum(e - b for r in result.requests for k, b, e in r.segments if k == "blocked")
    if blocked > 0:
        lines.append(t["blocked"].format(v=n(blocked)))
    return "\n".join(lines)
