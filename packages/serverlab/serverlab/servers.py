"""The server models: which lanes exist, what program a request runs, which front doors."""

from typing import ClassVar

from serverlab.dispatch import (
    Dispatch,
    EagerAccept,
    LeastBusy,
    RoundRobin,
    SharedAccept,
    SharedQueue,
)
from serverlab.model import CPU, TO_LOOP, TO_THREAD, Step, Trace


class ServerModel:
    """How one server runs requests: its lanes, a request's program, its threads, its front doors.

    Resolved once per run from the server's name, so nothing downstream compares names.
    """

    __slots__ = ()
    on_loop: ClassVar[bool] = False  # ASGI: requests live on an event loop, not on a thread
    # The front door behind each dispatch name (None: the server has no choice of dispatch).
    policies: ClassVar[dict[str | None, type[Dispatch]]]

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """Fixed lanes per process: the worker, its threads, or its event loop (1-based names)."""
        raise NotImplementedError

    def program(
        self, trace: Trace, overhead_us: int, switch_us: int, thread_us: int
    ) -> tuple[Step, ...]:
        """The steps a request runs: server overheads around the view's own trace."""
        raise NotImplementedError

    def fixed_threads(self, workers: int, threads: int) -> int:
        """OS threads that serve requests for the whole run (one per worker unless a pool)."""
        return workers

    def helper_thread_per_request(self, is_async: bool) -> bool:
        """Whether each request in service also has its own thread (see peak_threads)."""
        raise NotImplementedError


class _Gunicorn(ServerModel):
    """Gunicorn's WSGI workers: a request holds its worker's thread until it responds."""

    __slots__ = ()

    def program(
        self, trace: Trace, overhead_us: int, switch_us: int, thread_us: int
    ) -> tuple[Step, ...]:
        """Overhead, then the view on the worker's thread.

        An async view runs via async_to_sync on a loop of its own, holding the thread, after
        one sync/async switch.
        """
        steps: list[Step] = []
        _cpu(steps, overhead_us)
        if trace.is_async:
            _cpu(steps, switch_us)
        _extend(steps, trace.steps)
        return tuple(steps)

    def helper_thread_per_request(self, is_async: bool) -> bool:
        """Only an async view adds one: async_to_sync's one-off loop thread (asgiref/sync.py)."""
        return is_async


class GunicornSync(_Gunicorn):
    """Gunicorn's sync workers: one request at a time per worker."""

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {None: SharedQueue}

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per worker: w1, w2, ..."""
        return [[f"w{p}"] for p in range(1, workers + 1)]


class GunicornGthread(_Gunicorn):
    """Gunicorn's gthread workers: a pool of `threads` threads per worker."""

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {
        "shared-queue": SharedQueue,
        "shared-accept": EagerAccept,
    }

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per thread: w1/t1, w1/t2, ..."""
        return [[f"w{p}/t{t}" for t in range(1, threads + 1)] for p in range(1, workers + 1)]

    def fixed_threads(self, workers: int, threads: int) -> int:
        """Every thread of every pool: W×T."""
        return workers * threads


class Uvicorn(ServerModel):
    """Uvicorn: an event loop per worker; Django hands each sync view to a thread of its own."""

    __slots__ = ()
    on_loop: ClassVar[bool] = True
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {
        "shared-accept": SharedAccept,
        "round-robin": RoundRobin,
        "least-busy": LeastBusy,
    }

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per event loop: w1/loop, w2/loop, ..."""
        return [[f"w{p}/loop"] for p in range(1, workers + 1)]

    def thread_lane(self, p: int, slot: int) -> str:
        """The lane of thread number `slot` that process `p` (0-based) runs sync views on."""
        return f"w{p + 1}/thread{slot}"

    def program(
        self, trace: Trace, overhead_us: int, switch_us: int, thread_us: int
    ) -> tuple[Step, ...]:
        """Overhead, then the view on the loop, or on a thread of its own for a sync view.

        The loop hands a sync view to a new thread (ThreadSensitiveContext), after one
        sync/async switch and the thread's start, and the response goes back through the loop.
        """
        steps: list[Step] = []
        _cpu(steps, overhead_us)
        if trace.is_async:
            _extend(steps, trace.steps)
        else:
            _cpu(steps, switch_us)
            _cpu(steps, thread_us)
            steps.append((TO_THREAD, 0))
            _extend(steps, trace.steps)
            steps.append((TO_LOOP, 0))
        return tuple(steps)

    def helper_thread_per_request(self, is_async: bool) -> bool:
        """Any view: Django wraps every request in a ThreadSensitiveContext.

        Its one-thread executor starts at the first sync hop (the request_started signal)
        and lives until the response is sent: the view's thread for a sync view, an idle
        one for an async view. (django/core/handlers/asgi.py ASGIHandler.__call__)
        """
        return True


# By the server names of the vocabulary (scenario.SERVERS); tests check the two agree.
MODELS: dict[str, ServerModel] = {
    "gunicorn-sync": GunicornSync(),
    "gunicorn-gthread": GunicornGthread(),
    "uvicorn": Uvicorn(),
}


def model(server: str) -> ServerModel:
    """The model of the server named `server`."""
    return MODELS[server]


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
