"""The server models: which lanes exist and what program a request runs on each server."""

from serverlab.model import CPU, TO_LOOP, TO_THREAD, Step, Trace

SERVERS = ("gunicorn-sync", "gunicorn-gthread", "uvicorn")
# How Uvicorn workers share connections. "shared-accept" is what was measured on Linux: the
# workers share one listening socket and the first loop to wake accepts every pending
# connection at once (asyncio accepts up to `backlog` per wake-up), so a burst lands on
# one worker. The other two are idealised alternatives for comparison.
DISPATCHES = ("shared-accept", "round-robin", "least-busy")
# How Gunicorn gthread workers share connections: "shared-queue" (idealised: any free
# thread of any worker takes the next connection) or "shared-accept" (each worker's main
# thread accepts eagerly into its own queue, up to worker_connections, so a burst can land
# on one worker, as measured). Which worker wakes first is a race: reality lies between.
GTHREAD_DISPATCHES = ("shared-queue", "shared-accept")


def family(server: str) -> str:
    """ "wsgi" for the Gunicorn workers, "asgi" for Uvicorn."""
    return "asgi" if server == "uvicorn" else "wsgi"


def lane_names(server: str, workers: int, threads: int) -> list[list[str]]:
    """Fixed lanes per process: the worker, its threads, or its event loop (1-based names)."""
    if server == "gunicorn-sync":
        return [[f"w{p}"] for p in range(1, workers + 1)]
    if server == "gunicorn-gthread":
        return [[f"w{p}/t{t}" for t in range(1, threads + 1)] for p in range(1, workers + 1)]
    return [[f"w{p}/loop"] for p in range(1, workers + 1)]


def program(server: str, trace: Trace, overhead_us: int, switch_us: int, thread_us: int):
    """The steps a request runs: server overheads around the view's own trace.

    Under WSGI an async view runs via async_to_sync on its own loop, holding the thread;
    under ASGI a sync view is handed to a new thread (ThreadSensitiveContext) by the loop,
    and the response goes back through the loop.
    """
    steps: list[Step] = []
    _cpu(steps, overhead_us)
    if family(server) == "wsgi":
        if trace.is_async:
            _cpu(steps, switch_us)
        _extend(steps, trace.steps)
    elif trace.is_async:
        _extend(steps, trace.steps)
    else:
        _cpu(steps, switch_us)
        _cpu(steps, thread_us)
        steps.append((TO_THREAD, 0))
        _extend(steps, trace.steps)
        steps.append((TO_LOOP, 0))
    return tuple(steps)


def _extend(steps: list[Step], more: tuple[Step, ...]) -> None:
    for kind, us in more:
        if kind == CPU:
            _cpu(steps, us)
        else:
            steps.append((kind, us))


def _cpu(steps: list[Step], us: int) -> None:
    # Back-to-back CPU is one burst: splitting it would requeue it behind GIL waiters.
    if us <= 0:
        return
    if steps and steps[-1][0] == CPU:
        steps[-1] = (CPU, steps[-1][1] + us)
    else:
        steps.append((CPU, us))


def fixed_threads(server: str, workers: int, threads: int) -> int:
    """OS threads that serve requests for the whole run: W, W×T, or one loop thread per worker."""
    return workers * threads if server == "gunicorn-gthread" else workers


def helper_thread_per_request(server: str, is_async: bool) -> bool:
    """Whether each request in service also has its own thread (see peak_threads).

    Under ASGI, Django wraps every request in a ThreadSensitiveContext whose one-thread
    executor starts at the first sync hop (the request_started signal) and lives until
    the response is sent: the view's thread for a sync view, an idle one for an async
    view. Under WSGI only an async view adds one: async_to_sync's one-off loop thread.
    (django/core/handlers/asgi.py ASGIHandler.__call__; asgiref/sync.py)
    """
    return family(server) == "asgi" or is_async
