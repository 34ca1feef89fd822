"""The lab's vocabulary: every parameter, server, view and segment kind, with their labels.

Each concept is one table here; simulate() validates against it, the CLI is generated from
it, the build renders its tables with its labels, and the browser form reads it as the
JSON schema() that the bundle writes. A name, limit, default or label is written only here.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from serverlab.errors import LabError
from serverlab.model import CPU, DB
from serverlab.views import VIEW_KINDS, builtin_trace

LANGUAGES = ("vi", "en")
Label = dict[str, str]  # one text per language in LANGUAGES

# Parameter types.
WHOLE, NUMBER, CHOICE, OPTIONAL_NUMBER = "whole", "number", "choice", "optional number"

SERVERS = (
    "gunicorn-sync",
    "gunicorn-gthread",
    "gunicorn-gevent",
    "gunicorn-asgi",
    "gunicorn-uvicorn",
    "uvicorn",
    "uwsgi",
    "granian-wsgi",
    "granian-asgi",
    "hypercorn",
    "daphne",
)
# How event-loop workers share connections. "shared-accept" is what was measured on Linux
# for Uvicorn: the workers share one listening socket and the first loop to wake accepts
# every pending connection at once (asyncio accepts up to `backlog` per wake-up), so a
# burst lands on one worker. The other two are idealised alternatives for comparison.
DISPATCHES = ("shared-accept", "round-robin", "least-busy")
# How Gunicorn gthread workers share connections: "shared-queue" (idealised: any free
# thread of any worker takes the next connection) or "shared-accept" (each worker's main
# thread accepts eagerly into its own queue, up to worker_connections, so a burst can land
# on one worker, as measured). Which worker wakes first is a race: reality lies between.
GTHREAD_DISPATCHES = ("shared-queue", "shared-accept")
# gevent: each worker's hub accepts while it is awake and has fewer than worker_connections
# greenlets. With several workers every hub watches the shared socket and accepts one
# connection per wake-up (gunicorn sets wsgi.multiprocess, so pywsgi.WSGIServer sets
# max_accept = 1: gevent/pywsgi.py), so who takes a burst is a race (measured 6/4 of 10 for
# sleeps, 10/0 for CPU): "shared-accept" (the first awake hub takes what is pending) and the
# even "least-busy" bound it.
GEVENT_DISPATCHES = ("shared-accept", "least-busy")
# Granian: each worker's Rust runtime accepts on the shared socket as fast as it can, up
# to --backpressure requests in flight, never held up by Python; which worker wins a burst
# is a race (measured 5/5, 7/3, 8/2 splits of 10): "round-robin" is the even end,
# "shared-accept" the other (the first worker takes the burst), "least-busy" is idealised.
GRANIAN_DISPATCHES = ("round-robin", "shared-accept", "least-busy")
# Every dispatch name once, in order of first mention: what the CLI offers (simulate()
# then checks the name against the server's own choices).
ALL_DISPATCHES = tuple(dict.fromkeys(DISPATCHES + GTHREAD_DISPATCHES + GEVENT_DISPATCHES))

# The parameters a server may or may not take, each under its own option name; a server
# without an option for one runs with the parameter's default (Daphne: one process).
SERVER_OPTIONS = ("workers", "threads", "worker_connections")


@dataclass(frozen=True, slots=True)
class Server:
    """A server model: its label, its own option for each parameter it takes, its dispatches."""

    name: str
    label: Label
    options: dict[str, str]  # lab parameter (of SERVER_OPTIONS) -> the server's own flag
    dispatches: tuple[str, ...]  # the first is the default; none: dispatch does not apply


_GUNICORN = {"workers": "--workers"}
SERVER_TABLE = (
    Server(
        SERVERS[0],
        {
            "vi": "Gunicorn, worker sync (mỗi worker một request một lúc)",
            "en": "Gunicorn, sync worker (one request at a time per worker)",
        },
        _GUNICORN,
        dispatches=(),
    ),
    Server(
        SERVERS[1],
        {
            "vi": "Gunicorn, worker gthread (mỗi worker một thread pool)",
            "en": "Gunicorn, gthread worker (a thread pool per worker)",
        },
        {**_GUNICORN, "threads": "--threads", "worker_connections": "--worker-connections"},
        dispatches=GTHREAD_DISPATCHES,
    ),
    Server(
        SERVERS[2],
        {
            "vi": "Gunicorn, worker gevent (greenlet, tối đa --worker-connections mỗi worker)",
            "en": "Gunicorn, gevent worker (greenlets, up to --worker-connections per worker)",
        },
        {**_GUNICORN, "worker_connections": "--worker-connections"},
        dispatches=GEVENT_DISPATCHES,
    ),
    Server(
        SERVERS[3],
        {
            "vi": "Gunicorn, worker asgi (mỗi worker một event loop)",
            "en": "Gunicorn, asgi worker (an event loop per worker)",
        },
        _GUNICORN,
        dispatches=DISPATCHES,
    ),
    Server(
        SERVERS[4],
        {
            "vi": "Gunicorn với UvicornWorker (mỗi worker một event loop)",
            "en": "Gunicorn with UvicornWorker (an event loop per worker)",
        },
        _GUNICORN,
        dispatches=DISPATCHES,
    ),
    Server(
        SERVERS[5],
        {
            "vi": "Uvicorn (mỗi worker một event loop)",
            "en": "Uvicorn (an event loop per worker)",
        },
        {"workers": "--workers"},
        dispatches=DISPATCHES,
    ),
    Server(
        SERVERS[6],
        {
            "vi": "uWSGI (process × thread, thread nào rảnh thì nhận kết nối)",
            "en": "uWSGI (processes × threads, any free thread accepts)",
        },
        {"workers": "--processes", "threads": "--threads"},
        dispatches=(),
    ),
    Server(
        SERVERS[7],
        {
            "vi": "Granian WSGI (Rust nhận kết nối, view chạy trên --blocking-threads)",
            "en": "Granian WSGI (Rust accepts, views run on --blocking-threads)",
        },
        {"workers": "--workers", "threads": "--blocking-threads"},
        dispatches=GRANIAN_DISPATCHES,
    ),
    Server(
        SERVERS[8],
        {
            "vi": "Granian ASGI (Rust nhận kết nối, mỗi worker một event loop)",
            "en": "Granian ASGI (Rust accepts, an event loop per worker)",
        },
        {"workers": "--workers"},
        dispatches=GRANIAN_DISPATCHES,
    ),
    Server(
        SERVERS[9],
        {
            "vi": "Hypercorn (mỗi worker một event loop)",
            "en": "Hypercorn (an event loop per worker)",
        },
        {"workers": "--workers"},
        dispatches=DISPATCHES,
    ),
    Server(
        SERVERS[10],
        {
            "vi": "Daphne (một process, một event loop Twisted)",
            "en": "Daphne (one process, one Twisted event loop)",
        },
        {},
        dispatches=(),
    ),
)
SERVER = {server.name: server for server in SERVER_TABLE}


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of simulate(): its flag, type, default, limits and labels."""

    name: str
    flag: str
    type: str
    default: Any
    label: Label
    help: Label  # "{servers}" stands for the servers that take the parameter
    min: float | None = None
    max: float | None = None
    min_excluded: bool = False  # the value must be above `min`, not equal to it
    unit: str = ""
    choices: tuple[str, ...] = ()
    control: bool = False  # the lab's form has a control for it
    hint: Label | None = None  # why a server does not take it; "{servers}" as in help
    database: bool = False  # it acts only on views that query the database


# PostgreSQL's default superuser_reserved_connections: the app's ordinary role cannot use
# them, so it gets max_connections minus these.
# https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SUPERUSER-RESERVED-CONNECTIONS
DB_RESERVED_CONNECTIONS = 3

# In the order of the lab's form, then the model's finer settings.
PARAMETERS = (
    Parameter(
        "server",
        "--server",
        CHOICE,
        "uvicorn",
        {"vi": "Server", "en": "Server"},
        {"vi": "server chạy app Django", "en": "the server that runs the Django app"},
        choices=SERVERS,
        control=True,
    ),
    Parameter(
        "view",
        "--view",
        CHOICE,
        "async-io",
        {"vi": "Loại view", "en": "View kind"},
        {
            "vi": "một loại view có sẵn (simulate() nhận cả một hàm view tùy ý)",
            "en": "a built-in view kind (simulate() also takes any view function)",
        },
        choices=VIEW_KINDS,
        control=True,
    ),
    Parameter(
        "workers",
        "--workers",
        WHOLE,
        1,
        {"vi": "Số worker", "en": "Workers"},
        {"vi": "số process worker", "en": "worker processes"},
        min=1,
        max=64,
        control=True,
        hint={
            "vi": "Server {others} chỉ chạy một process: không có tùy chọn số worker.",
            "en": "The {others} server runs one process: it has no option for workers.",
        },
    ),
    Parameter(
        "threads",
        "--threads",
        WHOLE,
        1,
        {"vi": "Thread mỗi worker", "en": "Threads per worker"},
        {
            "vi": "số thread mỗi worker (chỉ {servers})",
            "en": "threads per worker ({servers} only)",
        },
        min=1,
        max=256,
        control=True,
        hint={
            "vi": "Chỉ các server sau có nhiều thread mỗi worker: {servers}.",
            "en": "Only these servers have several threads per worker: {servers}.",
        },
    ),
    Parameter(
        "worker_connections",
        "--worker-connections",
        WHOLE,
        1000,
        {"vi": "Kết nối tối đa mỗi worker", "en": "Connections per worker"},
        {
            "vi": "số kết nối tối đa một worker giữ cùng lúc: số greenlet của worker gevent,"
            " giới hạn nhận kết nối của gthread ({servers})",
            "en": "most connections one worker holds at once: a gevent worker's greenlets,"
            " gthread's accept limit ({servers})",
        },
        min=1,
        max=100_000,
        control=True,
        hint={
            "vi": "Chỉ các server sau có tùy chọn này: {servers}.",
            "en": "Only these servers have this option: {servers}.",
        },
    ),
    Parameter(
        "cores",
        "--cores",
        WHOLE,
        2,
        {"vi": "Số lõi CPU", "en": "CPU cores"},
        {"vi": "số lõi CPU của máy", "en": "CPU cores of the machine"},
        min=1,
        max=64,
        control=True,
    ),
    Parameter(
        "requests",
        "--requests",
        WHOLE,
        10,
        {"vi": "Số request", "en": "Requests"},
        {"vi": "số request gửi tới view", "en": "requests sent to the view"},
        min=1,
        max=100_000,
        control=True,
    ),
    Parameter(
        "ms",
        "--ms",
        NUMBER,
        100,
        {"vi": "Thời lượng (ms)", "en": "Duration (ms)"},
        {
            "vi": "thời lượng của view có sẵn, tính bằng mili giây",
            "en": "how long the built-in view takes, in milliseconds",
        },
        min=0,
        max=60_000,
        unit="ms",
        control=True,
    ),
    Parameter(
        "db_pool",
        "--db-pool",
        WHOLE,
        0,
        {"vi": "Pool kết nối database mỗi process", "en": "Database pool per process"},
        {
            "vi": "số kết nối trong pool psycopg của Django ở mỗi process (min_size = max_size);"
            " 0: không có pool, mỗi request mở một kết nối (CONN_MAX_AGE=0)",
            "en": "connections in Django's psycopg pool per process (min_size = max_size);"
            " 0: no pool, each request opens a connection (CONN_MAX_AGE=0)",
        },
        min=0,
        max=1000,
        control=True,
        database=True,
    ),
    Parameter(
        "db_max_connections",
        "--db-max-connections",
        WHOLE,
        100,
        {"vi": "max_connections của PostgreSQL", "en": "PostgreSQL max_connections"},
        {
            "vi": f"max_connections của PostgreSQL; {DB_RESERVED_CONNECTIONS} kết nối dành cho"
            " superuser (superuser_reserved_connections), app kết nối bằng role thường",
            "en": f"PostgreSQL's max_connections; {DB_RESERVED_CONNECTIONS} of them are reserved"
            " for superusers (superuser_reserved_connections), the app connects as an ordinary"
            " role",
        },
        min=DB_RESERVED_CONNECTIONS + 1,
        max=10_000,
        control=True,
        database=True,
    ),
    Parameter(
        "rate_rps",
        "--rate",
        OPTIONAL_NUMBER,
        None,
        {"vi": "Tốc độ đến (request/giây)", "en": "Arrival rate (requests/s)"},
        {
            "vi": "số request đến mỗi giây; bỏ trống: tất cả đến cùng lúc",
            "en": "arrivals per second; left out: all arrive at once",
        },
        min=0,
        max=1_000_000,
        min_excluded=True,
        unit="request/s",
    ),
    Parameter(
        "dispatch",
        "--dispatch",
        CHOICE,
        None,
        {"vi": "Cách chia kết nối (dispatch)", "en": "Dispatch"},
        {
            "vi": "cách các worker chia nhau kết nối ({servers}; mặc định tùy server)",
            "en": "how workers share connections ({servers}; the default depends on the server)",
        },
        choices=ALL_DISPATCHES,
    ),
    Parameter(
        "thread_start_ms",
        "--thread-start-ms",
        NUMBER,
        0,
        {"vi": "Chi phí tạo thread (ms)", "en": "Thread start cost (ms)"},
        {
            "vi": "thời gian CPU để tạo thread cho một view sync dưới ASGI",
            "en": "CPU time to start the thread of a sync view under ASGI",
        },
        min=0,
        max=10_000,
        unit="ms",
    ),
    Parameter(
        "switch_ms",
        "--switch-ms",
        NUMBER,
        0,
        {"vi": "Chi phí chuyển sync/async (ms)", "en": "Sync/async switch cost (ms)"},
        {
            "vi": "thời gian CPU cho mỗi lần chuyển giữa sync và async",
            "en": "CPU time of each switch between sync and async",
        },
        min=0,
        max=10_000,
        unit="ms",
    ),
    Parameter(
        "request_overhead_ms",
        "--request-overhead-ms",
        NUMBER,
        0,
        {"vi": "Chi phí mỗi request (ms)", "en": "Per-request cost (ms)"},
        {
            "vi": "thời gian CPU server tốn cho mỗi request",
            "en": "CPU time the server spends on each request",
        },
        min=0,
        max=10_000,
        unit="ms",
    ),
    Parameter(
        "slice_ms",
        "--slice-ms",
        NUMBER,
        5,
        {"vi": "Lát thời gian CPU (ms)", "en": "CPU time slice (ms)"},
        {
            "vi": "khoảng chuyển GIL của CPython là 5 ms; 0: mỗi đợt CPU chạy một mạch tới hết",
            "en": "CPython's GIL switch interval is 5 ms; 0 runs each CPU burst to completion",
        },
        min=0,
        max=1000,
        unit="ms",
    ),
    Parameter(
        "db_pool_timeout_ms",
        "--db-pool-timeout-ms",
        NUMBER,
        10_000,
        {"vi": "Thời gian chờ pool (ms)", "en": "Pool timeout (ms)"},
        {
            "vi": "request chờ kết nối từ pool tối đa bao lâu rồi báo lỗi PoolTimeout"
            " (timeout của psycopg_pool; project demo dùng 10 s)",
            "en": "how long a request waits for a pooled connection before PoolTimeout"
            " (psycopg_pool's timeout; the demo project uses 10 s)",
        },
        min=0,
        max=600_000,
        unit="ms",
        database=True,
    ),
    Parameter(
        "db_connect_ms",
        "--db-connect-ms",
        NUMBER,
        # Connect, SELECT 1 and close on a loopback PostgreSQL took a median of 5.9 ms here
        # (psycopg 3, PostgreSQL 15, 2 cores); the matrix's database rows check the rest.
        6,
        {"vi": "Chi phí mở kết nối database (ms)", "en": "Database connect cost (ms)"},
        {
            "vi": "thời gian chờ để mở một kết nối PostgreSQL mới (khi không có pool)",
            "en": "time spent waiting to open a new PostgreSQL connection (without a pool)",
        },
        min=0,
        max=10_000,
        unit="ms",
        database=True,
    ),
)
PARAMETER = {parameter.name: parameter for parameter in PARAMETERS}
DEFAULTS = {parameter.name: parameter.default for parameter in PARAMETERS}


def takes(server: str, name: str) -> bool:
    """Whether `server` takes the parameter `name` (SERVER_OPTIONS and dispatch are per server)."""
    model = SERVER.get(server)
    if name in SERVER_OPTIONS:
        return model is not None and name in model.options
    if name == "dispatch":
        return model is not None and bool(model.dispatches)
    return True


def servers_taking(name: str) -> tuple[str, ...]:
    """The servers that take the parameter `name`."""
    return tuple(server for server in SERVERS if takes(server, name))


VIEW_LABELS = {
    "sync-io": {"vi": "def, chờ I/O (time.sleep)", "en": "def, waits on I/O (time.sleep)"},
    "async-io": {
        "vi": "async def, chờ I/O (await asyncio.sleep)",
        "en": "async def, waits on I/O (await asyncio.sleep)",
    },
    "async-blocking": {
        "vi": "async def gọi time.sleep (chặn event loop)",
        "en": "async def calling time.sleep (blocks the event loop)",
    },
    "sync-cpu": {"vi": "def, tính toán trên CPU", "en": "def, computes on the CPU"},
    "async-cpu": {
        "vi": "async def, tính toán trên CPU (giữ event loop)",
        "en": "async def, computes on the CPU (holds the event loop)",
    },
    "sync-db": {
        "vi": "def, truy vấn ORM giữ kết nối database",
        "en": "def, an ORM query holding a database connection",
    },
    "async-db": {
        "vi": "async def, truy vấn ORM async (mỗi truy vấn một lần chuyển sang thread)",
        "en": "async def, an async ORM query (each query a hop to a thread)",
    },
}


def view_work(kind: str) -> str:
    """ "cpu" for a built-in kind that computes, "io" for one that waits (database included)."""
    steps = builtin_trace(kind, 1).steps
    return "cpu" if steps[0][0] == CPU else "io"


def uses_database(kind: str) -> bool:
    """Whether a built-in kind queries the database (the db_* parameters act on it)."""
    return any(step == DB for step, _ in builtin_trace(kind, 1).steps)


# The kinds of time a request's segments report, in the order charts stack them.
SEGMENT_KINDS = {
    "queued": {"vi": "chờ trong hàng đợi", "en": "queued"},
    "cpu": {"vi": "đang tính (CPU)", "en": "working (CPU)"},
    "io": {"vi": "chờ I/O", "en": "waiting on I/O"},
    "blocked": {"vi": "bị chặn", "en": "blocked"},
    "db_wait": {"vi": "chờ kết nối database", "en": "waiting for a database connection"},
}

# Why a request failed (RequestRecord.error); each one ends the request with Django's 500.
FAILURES = {
    "pool_timeout": {
        "vi": "hết thời gian chờ pool: không có kết nối rảnh trong db_pool_timeout_ms"
        " (Django raise OperationalError từ psycopg_pool.PoolTimeout và trả 500)",
        "en": "pool timeout: no free connection within db_pool_timeout_ms"
        " (Django raises OperationalError from psycopg_pool.PoolTimeout and answers 500)",
    },
    # The app connects as an ordinary role, so PostgreSQL refuses it once only the
    # superuser_reserved_connections are left (SQLSTATE 53300, too_many_connections); the
    # wording is PostgreSQL 15's, 16+ ends "...for roles with the SUPERUSER attribute".
    # https://www.postgresql.org/docs/current/errcodes-appendix.html
    "too_many_clients": {
        "vi": "PostgreSQL từ chối kết nối vì chỉ còn các slot dành cho superuser (FATAL:"
        " remaining connection slots are reserved for non-replication superuser connections;"
        " SQLSTATE 53300), Django trả 500",
        "en": "PostgreSQL refused the connection: only superuser slots are left (FATAL:"
        " remaining connection slots are reserved for non-replication superuser connections;"
        " SQLSTATE 53300), Django answers 500",
    },
    "loop_running": {
        "vi": "dưới gevent, async_to_sync của request này gọi asyncio.run() khi event loop của"
        " một request khác trong cùng process đang chạy (RuntimeError: asyncio.run() cannot be"
        " called from a running event loop), Django trả 500",
        "en": "under gevent, this request's async_to_sync called asyncio.run() while another"
        " request's event loop was running in the same process (RuntimeError: asyncio.run()"
        " cannot be called from a running event loop), Django answers 500",
    },
}

# The headline numbers of a result (keys of Result.to_dict()), with their labels and units.
METRICS = {
    "makespan_ms": ({"vi": "Thời gian hoàn tất (makespan)", "en": "Makespan"}, "ms"),
    "throughput_rps": ({"vi": "Thông lượng", "en": "Throughput"}, "req/s"),
    "p50_ms": ({"vi": "Độ trễ p50", "en": "p50 latency"}, "ms"),
    "p95_ms": ({"vi": "Độ trễ p95", "en": "p95 latency"}, "ms"),
    "p99_ms": ({"vi": "Độ trễ p99", "en": "p99 latency"}, "ms"),
    "peak_concurrency": ({"vi": "Đồng thời tối đa", "en": "Peak concurrency"}, ""),
    "peak_threads": ({"vi": "Số thread tối đa", "en": "Peak threads"}, ""),
    "failed": ({"vi": "Request thất bại", "en": "Failed requests"}, ""),
}
PERCENTILES = ("p50_ms", "p95_ms", "p99_ms")

# Labels of the lab's interface that name parts of a scenario; {n} is the setup's number.
LABELS = {
    "setup": {"vi": "Cấu hình", "en": "Setup"},
    "setup_n": {"vi": "Cấu hình {n}", "en": "Setup {n}"},
}

# A setup's short label, the same in both languages (it is made of code names); the
# threads part appears only for servers that take threads, the db part only for views
# that query the database.
SETUP_LABEL = "{server} {workers}{threads} · {view} · {requests} × {ms} ms{db}"
SETUP_THREADS = "×{threads}"
SETUP_DB = " · db_pool={db_pool}"


def setup_label(setup: Mapping[str, Any]) -> str:
    """The short label of a setup, defaults filled in: `gunicorn-sync 4 · sync-io · 10 × 100 ms`."""
    values = {**DEFAULTS, **setup}
    threads = SETUP_THREADS.format(**values) if takes(values["server"], "threads") else ""
    view = values["view"]
    db = SETUP_DB.format(**values) if view in VIEW_KINDS and uses_database(view) else ""
    return SETUP_LABEL.format(**{**values, "threads": threads, "db": db})


# How many CPU time slices one run may simulate. Threads contending for a GIL switch every
# slice, so a CPU-bound run costs up to requests × ms / slice_ms events: half a million
# take about two seconds in CPython (measured: 2 million, 9–11 s) and about three times
# that in Pyodide; the form's largest values would ask for more than a billion.
MAX_TIME_SLICES = 500_000

# What simulate() says about a bad parameter, in both languages ({name} is the parameter).
MESSAGES = {
    CHOICE: {
        "en": "{name} must be one of {choices}; got {value!r}",
        "vi": "{name} phải là một trong {choices}; nhận được {value!r}",
    },
    "view": {
        "en": "view must be a view function or one of {choices}; got {value!r}",
        "vi": "view phải là một hàm view hoặc một trong {choices}; nhận được {value!r}",
    },
    WHOLE: {
        "en": "{name} must be a whole number from {min} to {max}; got {value!r}",
        "vi": "{name} phải là một số nguyên từ {min} đến {max}; nhận được {value!r}",
    },
    NUMBER: {
        "en": "{name} must be a number from {min} to {max}; got {value!r}",
        "vi": "{name} phải là một số từ {min} đến {max}; nhận được {value!r}",
    },
    OPTIONAL_NUMBER: {
        "en": "{name} must be None (all at once) or a number from {min} to {max}; got {value!r}",
        "vi": "{name} phải là None (tất cả đến cùng lúc) hoặc một số từ {min} đến {max};"
        " nhận được {value!r}",
    },
    "min_excluded": {
        "en": "{name} must be above {min} and at most {max}, or None",
        "vi": "{name} phải lớn hơn {min} và không quá {max}, hoặc None",
    },
    "threads": {
        "en": "threads must be {default} for {server}: it has no thread pool option; these"
        " servers have one: {servers} (real Gunicorn switches sync workers to gthread when"
        " --threads > 1)",
        "vi": "threads phải là {default} với {server}: server này không có tùy chọn thread"
        " pool; các server có: {servers} (Gunicorn thật chuyển worker sync sang gthread khi"
        " --threads > 1)",
    },
    "workers": {
        "en": "workers must be {default} for {server}: it runs one process and has no option"
        " for workers (run several behind a load balancer instead)",
        "vi": "workers phải là {default} với {server}: server này chạy một process và không có"
        " tùy chọn số worker (muốn nhiều hơn thì chạy nhiều bản sau một load balancer)",
    },
    "worker_connections": {
        "en": "worker_connections must be {default} for {server}: it has no such option;"
        " these servers have one: {servers}",
        "vi": "worker_connections phải là {default} với {server}: server này không có tùy"
        " chọn đó; các server có: {servers}",
    },
    "dispatch": {
        "en": "dispatch for {server} must be one of {choices}; got {value!r}",
        "vi": "dispatch của {server} phải là một trong {choices}; nhận được {value!r}",
    },
    "time_slices": {
        "en": "this CPU-bound setup could need {slices} time slices ({requests} requests × {ms} ms"
        " in {slice} ms slices), more than the {max} one run simulates: send at most {most}"
        " requests, shorten ms, or set slice_ms to 0",
        "vi": "cấu hình tính toán CPU này có thể cần tới {slices} lát thời gian ({requests} request"
        " × {ms} ms, mỗi lát {slice} ms), quá mức {max} lát mà một lần mô phỏng chạy được: hãy"
        " gửi tối đa {most} request, giảm ms, hoặc đặt slice_ms bằng 0",
    },
    "no_dispatch": {
        "en": "dispatch does not apply to {server}: a busy thread accepts nothing,"
        " so its workers share one accept queue",
        "vi": "dispatch không áp dụng cho {server}: thread đang bận không nhận kết nối"
        " nào, nên các worker dùng chung một hàng đợi accept",
    },
    "no_dispatch_one_process": {
        "en": "dispatch does not apply to {server}: it runs one process",
        "vi": "dispatch không áp dụng cho {server}: server này chỉ chạy một process",
    },
}


def _error(rule: str, field: str, **values: Any) -> LabError:
    """A LabError for `field`, its message filled in from MESSAGES in both languages."""
    text = {lang: MESSAGES[rule][lang].format(name=field, **values) for lang in LANGUAGES}
    return LabError(text["en"], field, vi=text["vi"])


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(parameter: Parameter, value: Any) -> None:
    """Raise a LabError when `value` is not of the parameter's type or within its limits."""
    p = parameter
    limits = {"min": p.min, "max": p.max, "value": value}
    if p.type == CHOICE:
        if value not in p.choices:
            raise _error(CHOICE, p.name, choices=", ".join(p.choices), value=value)
    elif p.type == WHOLE:
        if not (_is_number(value) and isinstance(value, int) and p.min <= value <= p.max):
            raise _error(WHOLE, p.name, **limits)
    elif value is not None or p.type != OPTIONAL_NUMBER:
        if not (_is_number(value) and math.isfinite(value) and p.min <= value <= p.max):
            raise _error(p.type, p.name, **limits)
        if p.min_excluded and value == p.min:
            raise _error("min_excluded", p.name, **limits)


def validate(params: Mapping[str, Any]) -> dict[str, Any]:
    """Check a scenario against the vocabulary; return it with defaults and dispatch resolved.

    `view` may also be a view callable. Raises LabError naming the first bad field.
    """
    unknown = set(params) - set(PARAMETER)
    if unknown:
        name = sorted(unknown)[0]
        raise LabError(f"unknown parameter {name!r}; known: {', '.join(PARAMETER)}", name)
    resolved = dict(params)  # in the caller's order: Result.params echoes it
    for name, default in DEFAULTS.items():
        resolved.setdefault(name, default)
    for parameter in PARAMETERS:
        value = resolved[parameter.name]
        if parameter.name == "view":
            if not callable(value) and value not in VIEW_KINDS:
                raise _error("view", "view", choices=", ".join(VIEW_KINDS), value=value)
        elif parameter.name != "dispatch":  # its choices depend on the server, below
            _check(parameter, value)
    server = SERVER[resolved["server"]]
    for name in SERVER_OPTIONS:
        default = PARAMETER[name].default
        if resolved[name] != default and name not in server.options:
            servers = ", ".join(servers_taking(name))
            raise _error(name, name, default=default, server=server.name, servers=servers)
    dispatch = resolved["dispatch"]
    if server.dispatches:
        resolved["dispatch"] = server.dispatches[0] if dispatch is None else dispatch
        if resolved["dispatch"] not in server.dispatches:
            choices = ", ".join(server.dispatches)
            raise _error(
                "dispatch", "dispatch", server=server.name, choices=choices, value=dispatch
            )
    elif dispatch is not None:
        rule = "no_dispatch" if "workers" in server.options else "no_dispatch_one_process"
        raise _error(rule, "dispatch", server=server.name)
    _check_time_slices(resolved)
    return resolved


def _check_time_slices(resolved: Mapping[str, Any]) -> None:
    """Refuse a built-in CPU-bound run whose time slices could not be simulated in seconds."""
    view, ms, slice_ms = resolved["view"], resolved["ms"], resolved["slice_ms"]
    if not isinstance(view, str) or view_work(view) != "cpu" or not slice_ms:
        return
    per_request = math.ceil(ms / slice_ms)
    slices = resolved["requests"] * per_request
    if slices > MAX_TIME_SLICES:
        raise _error(
            "time_slices",
            "requests",
            slices=slices,
            requests=resolved["requests"],
            ms=ms,
            slice=slice_ms,
            max=MAX_TIME_SLICES,
            most=MAX_TIME_SLICES // per_request,
        )


def _with_servers(parameter: Parameter, text: Label) -> Label:
    """`text` with {servers} (those taking the parameter) and {others} (the rest) filled in."""
    servers = servers_taking(parameter.name)
    names = {
        "servers": ", ".join(servers),
        "others": ", ".join(s for s in SERVERS if s not in servers),
    }
    return {lang: text[lang].format(**names) for lang in LANGUAGES}


def help_label(parameter: Parameter) -> Label:
    """The parameter's help in both languages, with the servers that take it filled in."""
    return _with_servers(parameter, parameter.help)


def schema() -> dict[str, Any]:
    """The whole vocabulary as JSON-ready data: what the browser's lab form reads.

    `step` is the HTML input's: 1 for whole numbers, None for any number.
    """
    return {
        "languages": list(LANGUAGES),
        "parameters": [
            {
                "name": p.name,
                "flag": p.flag,
                "type": p.type,
                "default": p.default,
                "min": p.min,
                "max": p.max,
                "min_excluded": p.min_excluded,
                "step": 1 if p.type == WHOLE else None,
                "unit": p.unit,
                "choices": list(p.choices),
                "control": p.control,
                "label": p.label,
                "help": help_label(p),
                "hint": None if p.hint is None else _with_servers(p, p.hint),
                "database": p.database,
            }
            for p in PARAMETERS
        ],
        "servers": [
            {
                "name": s.name,
                "label": s.label,
                "parameters": [p.name for p in PARAMETERS if takes(s.name, p.name)],
                "options": dict(s.options),
                "fixed": {
                    name: PARAMETER[name].default
                    for name in SERVER_OPTIONS
                    if name not in s.options
                },
                "dispatch": (
                    {"choices": list(s.dispatches), "default": s.dispatches[0]}
                    if s.dispatches
                    else None
                ),
            }
            for s in SERVER_TABLE
        ],
        "views": [
            {
                "name": kind,
                "label": VIEW_LABELS[kind],
                "work": view_work(kind),
                "database": uses_database(kind),
            }
            for kind in VIEW_KINDS
        ],
        "segment_kinds": [{"name": kind, "label": label} for kind, label in SEGMENT_KINDS.items()],
        "failures": [{"name": name, "label": label} for name, label in FAILURES.items()],
        "metrics": [
            {"name": name, "label": label, "unit": unit} for name, (label, unit) in METRICS.items()
        ],
        "labels": LABELS,
        "setup_label": {"template": SETUP_LABEL, "threads": SETUP_THREADS, "db": SETUP_DB},
    }
