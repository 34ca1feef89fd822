"""The server models: which lanes exist, what program a request runs, which front doors."""

from typing import ClassVar

from serverlab.dispatch import (
    Dispatch,
    EagerAccept,
    GreenletAccept,
    GreenletLeastBusy,
    LeastBusy,
    RoundRobin,
    RustAccept,
    SharedAccept,
    SharedQueue,
)
from serverlab.model import CPU, DB, END_LOOP, HOLD, IO, RUN_LOOP, TO_LOOP, TO_THREAD, Step, Trace

# The front doors of servers whose asyncio event loops share one listening socket.
_LOOP_DISPATCH: dict[str | None, type[Dispatch]] = {
    "shared-accept": SharedAccept,
    "round-robin": RoundRobin,
    "least-busy": LeastBusy,
}
# Granian: every worker's Rust runtime accepts eagerly; who wins a burst is a race.
_GRANIAN_DISPATCH: dict[str | None, type[Dispatch]] = {
    "round-robin": RoundRobin,
    "shared-accept": RustAccept,
    "least-busy": LeastBusy,
}


class ServerModel:
    """How one server runs requests: its lanes, a request's program, its threads, its front doors.

    Resolved once per run from the server's name, so nothing downstream compares names.
    """

    __slots__ = ()
    on_loop: ClassVar[bool] = False  # requests live on an event loop (or gevent's hub)
    # Accepting is done outside Python (Granian's Rust runtime), so a worker whose loop is
    # stuck in a blocking step still takes connections; they wait for the loop.
    rust_accepts: ClassVar[bool] = False
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


class _Wsgi(ServerModel):
    """A WSGI server's threads: a request holds its worker's thread until it responds."""

    __slots__ = ()

    def program(
        self, trace: Trace, overhead_us: int, switch_us: int, thread_us: int
    ) -> tuple[Step, ...]:
        """Overhead, then the view on the worker's thread.

        An async view runs via async_to_sync on a loop of its own, holding the thread, after
        one sync/async switch; its async ORM queries run on that thread too.
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


class _ThreadPools(_Wsgi):
    """WSGI workers with a pool of `threads` threads each."""

    __slots__ = ()

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per thread: w1/t1, w1/t2, ..."""
        return [[f"w{p}/t{t}" for t in range(1, threads + 1)] for p in range(1, workers + 1)]

    def fixed_threads(self, workers: int, threads: int) -> int:
        """Every thread of every pool: W×T."""
        return workers * threads


class GunicornSync(_Wsgi):
    """Gunicorn's sync workers: one request at a time per worker; a busy one accepts nothing."""

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {None: SharedQueue}

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per worker: w1, w2, ..."""
        return [[f"w{p}"] for p in range(1, workers + 1)]


class GunicornGthread(_ThreadPools):
    """Gunicorn's gthread workers: a pool of `--threads` threads per worker."""

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {
        "shared-queue": SharedQueue,
        "shared-accept": EagerAccept,
    }


class UWSGI(_ThreadPools):
    """uWSGI: `--processes` × `--threads`; a process's idle threads take turns at accept() on
    the shared socket through a mutex (--thunder-lock serialises it across processes too), so
    any free thread takes the next connection and a busy one takes none.

    (uWSGI's threading: https://uwsgi-docs.readthedocs.io/en/latest/articles/SerializingAccept.html)
    """

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {None: SharedQueue}


class GranianWsgi(_ThreadPools):
    """Granian's WSGI interface: Rust accepts and parses off the GIL, and each worker runs
    views on up to `--blocking-threads` threads; the connections it took beyond those wait
    in that worker's queue, even while another worker has a free thread.

    (Granian's workers and threads: https://github.com/emmett-framework/granian#workers-and-threads)
    """

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = _GRANIAN_DISPATCH


class _EventLoops(ServerModel):
    """ASGI: an event loop per worker; Django hands each sync view to a thread of its own."""

    __slots__ = ()
    on_loop: ClassVar[bool] = True

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per event loop: w1/loop, w2/loop, ..."""
        return [[f"w{p}/loop"] for p in range(1, workers + 1)]

    def thread_lane(self, p: int, slot: int) -> str:
        """The lane of thread number `slot` that process `p` (0-based) runs sync code on."""
        return f"w{p + 1}/thread{slot}"

    def program(
        self, trace: Trace, overhead_us: int, switch_us: int, thread_us: int
    ) -> tuple[Step, ...]:
        """Overhead, then the view on the loop, or on a thread of its own for a sync view.

        The loop hands a sync view to a new thread (ThreadSensitiveContext), after one
        sync/async switch and the thread's start, and the response goes back through the loop.
        An async view's ORM query is sync_to_async(thread_sensitive=True): the same hop to
        the request's thread for the query alone, and back (django/db/models/query.py).
        """
        steps: list[Step] = []
        _cpu(steps, overhead_us)
        if not trace.is_async:
            _to_thread(steps, trace.steps, switch_us, thread_us)
            return tuple(steps)
        hopped = False
        for step in trace.steps:
            if step[0] == DB:
                _to_thread(steps, (step,), switch_us, 0 if hopped else thread_us)
                hopped = True
            else:
                _extend(steps, (step,))
        return tuple(steps)

    def helper_thread_per_request(self, is_async: bool) -> bool:
        """Any view: Django wraps every request in a ThreadSensitiveContext.

        Its one-thread executor starts at the first sync hop (the request_started signal)
        and lives until the response is sent: the view's thread for a sync view, an idle
        one for an async view. (django/core/handlers/asgi.py ASGIHandler.__call__)
        """
        return True


class AsyncioLoops(_EventLoops):
    """Uvicorn, Gunicorn's UvicornWorker, Gunicorn's own asgi worker and Hypercorn: an
    asyncio loop per worker process, every worker accepting on the one shared socket.
    """

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = _LOOP_DISPATCH


class Daphne(_EventLoops):
    """Daphne: one process with one Twisted reactor; it has no option for more workers."""

    __slots__ = ()
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {None: SharedAccept}


class GranianAsgi(_EventLoops):
    """Granian's ASGI interface: a loop per worker, but Rust accepts, so a loop stuck in a
    blocking step does not keep connections out of its worker: they queue for the loop.
    """

    __slots__ = ()
    rust_accepts: ClassVar[bool] = True
    policies: ClassVar[dict[str | None, type[Dispatch]]] = _GRANIAN_DISPATCH


class GunicornGevent(ServerModel):
    """Gunicorn's gevent worker: one hub per process runs every request as a greenlet.

    The worker monkey-patches the standard library first (gunicorn/workers/ggevent.py
    calls gevent.monkey.patch_all()), so time.sleep and sockets wait cooperatively, and
    psycopg >= 3.1.14 cooperates with gevent by itself (psycogreen is for psycopg2 only):
    https://www.psycopg.org/psycopg3/docs/advanced/async.html#gevent-support
    A greenlet switches only when it waits: CPU holds the hub, with no time slices
    between greenlets, and a hub stuck in CPU accepts nothing. At most
    `--worker-connections` greenlets per worker (gevent's Pool); further connections wait
    in the listen queue (dispatch.GreenletAccept).

    An async view runs through async_to_sync, whose helper thread is, after patching, a
    greenlet on the process's one OS thread; it runs the view in asyncio.run(), and asyncio
    keeps the running loop per OS thread, so while one request's loop waits (its awaits,
    even a patched time.sleep, cooperate), another async view of the same process that
    starts fails at once: "RuntimeError: asyncio.run() cannot be called from a running
    event loop" (asyncio/runners.py), Django's 500. Measured: 10 × /io/async?ms=200 on one
    worker, 1 answered 200 and 9 answered 500 in 204-213 ms; asgiref and gevent alone
    reproduce it.
    """

    __slots__ = ()
    on_loop: ClassVar[bool] = True
    policies: ClassVar[dict[str | None, type[Dispatch]]] = {
        "shared-accept": GreenletAccept,
        "least-busy": GreenletLeastBusy,
    }

    def lane_names(self, workers: int, threads: int) -> list[list[str]]:
        """One lane per hub: w1/hub, w2/hub, ..."""
        return [[f"w{p}/hub"] for p in range(1, workers + 1)]

    def thread_lane(self, p: int, slot: int) -> str:
        """Never used: no request leaves the hub for a thread."""
        raise AssertionError("gevent runs every request on its hub")

    def program(
        self, trace: Trace, overhead_us: int, switch_us: int, thread_us: int
    ) -> tuple[Step, ...]:
        """Overhead, then the view on the hub; a blocking sleep is patched into a wait.

        An async view runs inside asyncio.run(), after one sync/async switch.
        """
        steps: list[Step] = []
        _cpu(steps, overhead_us)
        if trace.is_async:
            _cpu(steps, switch_us)
            steps.append((RUN_LOOP, 0))
        _extend(steps, tuple((IO if kind == HOLD else kind, us) for kind, us in trace.steps))
        if trace.is_async:
            steps.append((END_LOOP, 0))
        return tuple(steps)

    def helper_thread_per_request(self, is_async: bool) -> bool:
        """None: greenlets, async_to_sync's included, are not OS threads."""
        return False


_ASYNCIO = AsyncioLoops()
# By the server names of the vocabulary (scenario.SERVERS); tests check the two agree.
MODELS: dict[str, ServerModel] = {
    "gunicorn-sync": GunicornSync(),
    "gunicorn-gthread": GunicornGthread(),
    "gunicorn-gevent": GunicornGevent(),
    "gunicorn-asgi": _ASYNCIO,
    "gunicorn-uvicorn": _ASYNCIO,
    "uvicorn": _ASYNCIO,
    "uwsgi": UWSGI(),
    "granian-wsgi": GranianWsgi(),
    "granian-asgi": GranianAsgi(),
    "hypercorn": _ASYNCIO,
    "daphne": Daphne(),
}


def model(server: str) -> ServerModel:
    """The model of the server named `server`."""
    return MODELS[server]


def _to_thread(steps: list[Step], work: tuple[Step, ...], switch_us: int, thread_us: int) -> None:
    """A hop from the loop to a thread for `work` and back: a switch, a thread start, the work."""
    _cpu(steps, switch_us)
    _cpu(steps, thread_us)
    steps.append((TO_THREAD, 0))
    _extend(steps, work)
    steps.append((TO_LOOP, 0))


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
