"""Front doors: which worker takes each new connection; a server's policy is chosen once per run.

The engine calls `arrive` for each new connection, `free` when a worker can accept again and
`done` when a request ends; a policy hands connections over with `engine.accept(job, p, now)`.
servers.py says which policy each dispatch name of the vocabulary (scenario.py) stands for.
"""

from collections import deque
from heapq import heappop, heappush
from typing import TYPE_CHECKING

from serverlab.engine import stuck
from serverlab.resources import UNBOUNDED

if TYPE_CHECKING:
    from serverlab.engine import Engine, Job


class LeastLoaded:
    """The worker with the smallest load below `limit` (ties: lowest index), via a lazy heap."""

    __slots__ = ("heap", "limit", "load")

    def __init__(self, workers: int, limit: int) -> None:
        self.limit = limit
        self.load = [0] * workers
        self.heap = [(0, p) for p in range(workers)]

    def pick(self) -> int:
        """The least loaded worker below the limit, or -1 when every one is at it."""
        heap, load = self.heap, self.load
        while heap:
            value, p = heap[0]
            if value == load[p] and value < self.limit:
                return p
            heappop(heap)  # stale entry: the load changed since it was pushed
        return -1

    def set(self, p: int, value: int) -> None:
        """Record worker `p`'s new load."""
        self.load[p] = value
        heappush(self.heap, (value, p))


class Dispatch:
    """A front door: `arrive` hands a new connection to a worker or holds it for later."""

    __slots__ = ("accept",)

    def __init__(self, engine: "Engine") -> None:
        self.accept = engine.accept

    def arrive(self, job: "Job", now: int) -> None:
        """A new connection: hand it to a worker now or hold it."""
        raise NotImplementedError

    def free(self, p: int, now: int) -> None:
        """Worker `p` can accept again: hand it held connections, if the policy holds any."""

    def done(self, p: int, now: int) -> None:
        """A request on worker `p` ended."""


class SharedQueue(Dispatch):
    """One accept queue for every worker; the least busy worker with a free thread takes the next.

    Gunicorn's sync workers (a busy one accepts nothing) and gthread's idealised "shared-queue".
    """

    __slots__ = ("idle", "pools", "queue")

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine)
        self.pools = engine.pools
        self.idle = LeastLoaded(engine.workers, engine.threads)
        self.queue: deque[Job] = deque()

    def arrive(self, job: "Job", now: int) -> None:
        """A free thread takes the connection, or it waits in the shared queue."""
        p = self.idle.pick()
        if p < 0:
            self.queue.append(job)
        else:
            self._hand(job, p, now)

    def free(self, p: int, now: int) -> None:
        """A thread of `p` is idle: the least busy worker takes the oldest queued connection."""
        self.idle.set(p, len(self.pools[p].holders))
        if self.queue:
            self._hand(self.queue.popleft(), self.idle.pick(), now)

    def _hand(self, job: "Job", p: int, now: int) -> None:
        self.accept(job, p, now)
        self.idle.set(p, len(self.pools[p].holders))


class EagerAccept(SharedQueue):
    """gthread "shared-accept": a worker's main thread accepts into its own queue while it can.

    Each worker holds up to worker_connections (Gunicorn's --worker-connections), so the
    first worker to wake takes a burst; the lowest index stands for it. Connections no
    worker can hold wait in the shared queue.
    """

    __slots__ = ("limit",)

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine)
        self.limit = engine.worker_connections

    def arrive(self, job: "Job", now: int) -> None:
        """The first worker below its connection limit accepts; its pool serves or queues."""
        for p, pool in enumerate(self.pools):
            if len(pool.holders) + len(pool.waiters) < self.limit:
                self._hand(job, p, now)
                return
        self.queue.append(job)


class SharedAccept(Dispatch):
    """Uvicorn as measured on Linux: one listening socket, the first loop awake accepts.

    When every loop is stuck in a blocking step, connections wait in the listen queue, and
    the first loop to wake accepts all of them at once (asyncio accepts up to `backlog` per
    wake-up), so a burst lands on one worker.
    """

    __slots__ = ("listen", "loops")

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine)
        self.loops = engine.loops
        self.listen: deque[Job] = deque()

    def arrive(self, job: "Job", now: int) -> None:
        """The first loop that is awake accepts, or the connection waits in the listen queue."""
        for p, loop in enumerate(self.loops):
            if not stuck(loop):
                self.accept(job, p, now)
                return
        self.listen.append(job)

    def free(self, p: int, now: int) -> None:
        """`p`'s loop woke: it accepts the whole listen queue."""
        listen = self.listen
        while listen:
            self.accept(listen.popleft(), p, now)


class RoundRobin(Dispatch):
    """Idealised: connection i goes to worker i mod W, stuck or not."""

    __slots__ = ("workers",)

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine)
        self.workers = engine.workers

    def arrive(self, job: "Job", now: int) -> None:
        """Worker `job.id % workers` takes it."""
        self.accept(job, job.id % self.workers, now)


class LeastBusy(Dispatch):
    """Idealised: the worker with the fewest requests in flight takes the connection."""

    __slots__ = ("in_flight",)

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine)
        self.in_flight = LeastLoaded(engine.workers, UNBOUNDED)

    def arrive(self, job: "Job", now: int) -> None:
        """The least busy worker takes it."""
        in_flight = self.in_flight
        p = in_flight.pick()
        in_flight.set(p, in_flight.load[p] + 1)
        self.accept(job, p, now)

    def done(self, p: int, now: int) -> None:
        """One request fewer in flight on `p`."""
        self.in_flight.set(p, self.in_flight.load[p] - 1)


class InFlightAccept(Dispatch):
    """The first worker with fewer than `limit` requests in flight accepts each connection;
    when none can, it waits in the listen queue until a request ends.
    """

    __slots__ = ("in_flight", "limit", "listen")

    def __init__(self, engine: "Engine", limit: int) -> None:
        super().__init__(engine)
        self.limit = limit
        self.in_flight = [0] * engine.workers
        self.listen: deque[Job] = deque()

    def arrive(self, job: "Job", now: int) -> None:
        """A worker with room takes the connection, or it waits in the listen queue."""
        p = self._pick()
        if p < 0:
            self.listen.append(job)
        else:
            self._take(job, p, now)

    def free(self, p: int, now: int) -> None:
        """`p` can accept again: it takes pending connections while it has room."""
        self._drain(p, now)

    def done(self, p: int, now: int) -> None:
        """A request of `p` ended: one more connection fits."""
        self.in_flight[p] -= 1
        self._drain(p, now)

    def _can_take(self, p: int) -> bool:
        return self.in_flight[p] < self.limit

    def _pick(self) -> int:
        """The first worker that can take a connection, or -1."""
        for p in range(len(self.in_flight)):
            if self._can_take(p):
                return p
        return -1

    def _take(self, job: "Job", p: int, now: int) -> None:
        self.in_flight[p] += 1
        self.accept(job, p, now)

    def _drain(self, p: int, now: int) -> None:
        listen = self.listen
        while listen and self._can_take(p):
            self._take(listen.popleft(), p, now)


# Granian's defaults: --backlog 1024 and --backpressure backlog // workers
# (granian/server/common.py: `max(1, backpressure or self.backlog // self.workers)`).
GRANIAN_BACKLOG = 1024


class RustAccept(InFlightAccept):
    """Granian "shared-accept": each worker's Rust runtime accepts on the shared socket as
    fast as it can, up to --backpressure requests in flight, so the first worker to wake
    can take a whole burst; the lowest index stands for it.
    """

    __slots__ = ()

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine, max(1, GRANIAN_BACKLOG // engine.workers))


class GreenletAccept(InFlightAccept):
    """gevent: each worker's hub accepts while it is awake and runs fewer than
    worker_connections greenlets (gevent's StreamServer stops accepting when its Pool is
    full: gevent/baseserver.py). With several workers each hub accepts one connection per
    wake-up (max_accept = 1: gunicorn/workers/ggevent.py, gevent/pywsgi.py), so which hub
    takes a burst is a race; the first awake hub with room stands for it.

    A hub stuck in CPU accepts nothing: connections wait in the listen queue until a hub
    is free again or a greenlet ends.
    """

    __slots__ = ("loops",)

    def __init__(self, engine: "Engine") -> None:
        super().__init__(engine, engine.worker_connections)
        self.loops = engine.loops

    def _can_take(self, p: int) -> bool:
        return self.in_flight[p] < self.limit and not stuck(self.loops[p])


class GreenletLeastBusy(GreenletAccept):
    """Idealised gevent: the hub with the fewest greenlets takes each connection, awake or
    not, up to worker_connections per worker.
    """

    __slots__ = ()

    def _can_take(self, p: int) -> bool:
        return self.in_flight[p] < self.limit

    def _pick(self) -> int:
        """The least busy hub below the limit (ties: lowest index), or -1."""
        in_flight = self.in_flight
        p = min(range(len(in_flight)), key=in_flight.__getitem__)
        return p if in_flight[p] < self.limit else -1
