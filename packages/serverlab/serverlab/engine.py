"""The discrete-event scheduler: request programs contend for lanes, event loops, GILs, cores."""

import heapq
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

from serverlab.database import Database
from serverlab.model import CPU, END_LOOP, HOLD, IO, RUN_LOOP, TO_LOOP, TO_THREAD, Step
from serverlab.resources import UNBOUNDED, Resource, ThreadPool

# Heap event codes. All but _WAKE carry the job's token: a CPU event is stale once its run
# was preempted (the token moved on); a job waiting on the database keeps its token.
_WAKE, _CPU_DONE, _PREEMPT, _QUERY_DONE, _POOL_TIMEOUT = 0, 1, 2, 3, 4


# Step tuples, not SimPy-style generator processes: the target is 100,000 requests in ~0.5 s.
class Job:
    """One request moving through its program; segments are (kind, start_us, end_us)."""

    __slots__ = (
        "arrival",
        "connected",
        "cpu_left",
        "cpu_t0",
        "end",
        "error",
        "id",
        "lane",
        "loop",
        "open_kind",
        "open_t",
        "pos",
        "preempt_token",
        "proc",
        "prog",
        "segments",
        "slot",
        "start",
        "timed",
        "token",
    )

    def __init__(self, job_id: int, arrival: int, prog: Sequence[Step]) -> None:
        self.id = job_id
        self.arrival = arrival
        self.prog = prog
        self.pos = 0
        self.proc = 0
        self.lane = ""
        self.loop: Resource | None = None  # the event loop it lives on; None on a thread
        self.slot = 0  # its thread's number in its pool (Uvicorn: its sync view's thread)
        self.start = -1
        self.end = -1
        self.segments: list[tuple[str, int, int]] = []
        self.open_kind = "queued"
        self.open_t = arrival
        self.cpu_left = 0
        self.cpu_t0 = 0
        self.token = 0
        self.preempt_token = -1
        self.timed = False  # in a CPU or HOLD step: time passes while it keeps its lane
        self.error: str | None = None  # why it failed (scenario.FAILURES), None if it did not
        self.connected = False  # holds a connection of its own (no pool) until it ends

    def mark(self, kind: str, t: int) -> None:
        """Close the open segment at `t` and open one of `kind`; zero-length ones vanish."""
        if kind is self.open_kind:
            return
        if t > self.open_t:
            segs = self.segments
            if segs and segs[-1][0] is self.open_kind and segs[-1][2] == self.open_t:
                segs[-1] = (self.open_kind, segs[-1][1], t)
            else:
                segs.append((self.open_kind, self.open_t, t))
        self.open_kind = kind
        self.open_t = t


def stuck(loop: Resource) -> bool:
    """Whether `loop`'s holder is in a blocking step (CPU or HOLD), so it cannot even accept."""
    for holder in loop.holders:  # at most one: the loop's capacity is 1
        return holder.timed
    return False


class Lanes(Protocol):
    """What the engine asks of a server model (serverlab/servers.py), which imports it."""

    on_loop: bool
    rust_accepts: bool

    def lane_names(self, workers: int, threads: int) -> list[list[str]]: ...

    def thread_lane(self, p: int, slot: int) -> str: ...


class FrontDoor(Protocol):
    """What the engine asks of a dispatch policy (serverlab/dispatch.py), which imports it."""

    def arrive(self, job: "Job", now: int) -> None: ...

    def free(self, p: int, now: int) -> None: ...

    def done(self, p: int, now: int) -> None: ...


class Engine:
    """Runs jobs to completion on `server`'s lanes, `dispatch` choosing who takes each one.

    Their queries take connections from `database`; a request whose query fails ends with
    its `error` set (Django's 500).
    """

    def __init__(
        self,
        server: Lanes,
        dispatch: Callable[["Engine"], FrontDoor],
        workers: int,
        threads: int,
        cores: int,
        slice_us: int,
        worker_connections: int,
        database: Database,
    ) -> None:
        self.workers = workers
        self.threads = threads
        self.slice_us = slice_us
        self.worker_connections = worker_connections
        self.db = database
        self.failed = 0  # requests that ended with an error
        self.lane_names = server.lane_names(workers, threads)
        self.heap: list = []
        self.seq = 0
        self.ready: deque[Job] = deque()
        self.gils = [Resource(1) for _ in range(workers)]
        self.cores = Resource(cores)  # its holders are the jobs on a core, in start order
        if server.on_loop:
            # ASGI: an event loop per process (gevent: its hub); a stuck loop leaves new
            # connections in its backlog unless Rust accepts them; each ASGI sync view gets
            # a thread of its own (numbered, numbers reused).
            self.loops = [Resource(1) for _ in range(workers)]
            self.backlogs: list[deque[Job]] = [deque() for _ in range(workers)]
            self.helpers = [ThreadPool(UNBOUNDED) for _ in range(workers)]
            self.helper_lanes: list[list[str]] = [[] for _ in range(workers)]
            self.thread_lane = server.thread_lane
            self.rust_accepts = server.rust_accepts
            # gevent: the request whose asyncio.run() is running in each process, if any.
            self.running_asyncio: list[Job | None] = [None] * workers
            self.accept = self._accept_on_loop
            self._leave = self._leave_loop
        else:
            # WSGI: a request holds a thread of its worker's pool from start to response.
            self.pools = [ThreadPool(threads) for _ in range(workers)]
            self.accept = self._accept_on_thread
            self._leave = self._leave_thread
        self.policy = dispatch(self)
        self._free, self._done = self.policy.free, self.policy.done

    # -- event plumbing -------------------------------------------------------------------

    def _push(self, t: int, code: int, job: Job, token: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, code, job, token))

    def run(self, jobs: list[Job]) -> None:
        """Simulate `jobs` (sorted by arrival) until every one has ended."""
        heap, ready = self.heap, self.ready
        n, ai, now = len(jobs), 0, 0
        arrive = self.policy.arrive
        while True:
            # Arrivals due now go first, so simultaneous connections are all accepted before
            # any of them runs, as a real accept loop does.
            if ai < n and jobs[ai].arrival <= now:
                job = jobs[ai]
                ai += 1
                arrive(job, now)
            elif ready:
                self._advance(ready.popleft(), now)
            elif heap and (ai >= n or heap[0][0] <= jobs[ai].arrival):
                now, _, code, job, token = heapq.heappop(heap)
                if code == _WAKE:
                    self._advance(job, now)
                elif token == job.token:  # stale CPU events belong to a preempted run
                    if code == _CPU_DONE:
                        self._cpu_done(job, now)
                    elif code == _PREEMPT:
                        self._preempt(job, now)
                    elif code == _QUERY_DONE:
                        self._query_done(job, now)
                    else:
                        self._pool_timeout(job, now)
            elif ai < n:
                job = jobs[ai]
                ai += 1
                now = job.arrival
                arrive(job, now)
            else:
                return

    # -- WSGI: worker threads -------------------------------------------------------------

    def _accept_on_thread(self, job: Job, p: int, now: int) -> None:
        """Worker `p` takes the connection: a free thread serves it, or it waits in p's pool."""
        if self.pools[p].request(job):
            self._start_thread(job, p, now)

    def _start_thread(self, job: Job, p: int, now: int) -> None:
        job.proc, job.lane, job.start = p, self.lane_names[p][job.slot - 1], now
        self.ready.append(job)

    def _leave_thread(self, job: Job, now: int) -> None:
        p = job.proc
        nxt = self.pools[p].release(job)
        if nxt is None:
            self._free(p, now)
        else:  # a connection this worker had accepted takes the thread
            self._start_thread(nxt, p, now)
        self._done(p, now)

    # -- ASGI event loops and gevent hubs -------------------------------------------------

    def _accept_on_loop(self, job: Job, p: int, now: int) -> None:
        """Worker `p`'s loop takes the connection, or its backlog holds it while it is stuck."""
        loop = self.loops[p]
        job.proc, job.loop, job.lane = p, loop, self.lane_names[p][0]
        if not self.rust_accepts and stuck(loop):
            self.backlogs[p].append(job)
            return
        job.start = now
        if loop.request(job):
            self.ready.append(job)
        else:
            job.mark("blocked", now)

    def _release_loop(self, job: Job, now: int) -> None:
        p = job.proc
        nxt = self.loops[p].release(job)
        if nxt is not None:
            self.ready.append(nxt)
        backlog = self.backlogs[p]
        while backlog:  # the free loop accepts every pending connection at once
            self._accept_on_loop(backlog.popleft(), p, now)
        self._free(p, now)

    def _leave_loop(self, job: Job, now: int) -> None:
        self._release_loop(job, now)
        self._done(job.proc, now)

    # -- running a program ----------------------------------------------------------------

    def _advance(self, job: Job, now: int) -> None:
        prog = job.prog
        job.timed = False
        while True:
            # On an event loop, every step, every resume and the response need the loop.
            loop = job.loop
            if loop is not None and job not in loop.holders and not loop.request(job):
                job.mark("blocked", now)
                return
            if job.pos == len(prog):
                job.end = now
                job.mark("done", now)
                if job.connected:  # CONN_MAX_AGE = 0: Django closes it at request_finished
                    job.connected = False
                    self.db.close()
                self._leave(job, now)
                return
            kind, us = prog[job.pos]
            job.pos += 1
            if kind == IO:
                if loop is not None:
                    self._release_loop(job, now)
                job.mark("io", now)
                self._push(now + us, _WAKE, job)
                return
            if kind == HOLD:
                job.timed = True
                job.mark("io", now)
                self._push(now + us, _WAKE, job)
                return
            if kind == CPU:
                job.timed = True
                job.cpu_left = us
                self._want_gil(job, now)
                return
            p = job.proc
            if kind == TO_THREAD:
                self._release_loop(job, now)
                job.loop = None
                self.helpers[p].request(job)  # unbounded: always granted
                lanes = self.helper_lanes[p]
                if job.slot > len(lanes):  # a thread number never used before
                    lanes.append(self.thread_lane(p, job.slot))
                job.lane = lanes[job.slot - 1]
            elif kind == TO_LOOP:
                self.helpers[p].release(job)
                job.loop = self.loops[p]
            elif kind == RUN_LOOP:
                if self.running_asyncio[p] is not None:
                    self._fail(job, "loop_running", now)
                    return
                self.running_asyncio[p] = job
            elif kind == END_LOOP:
                if self.running_asyncio[p] is job:  # a request that failed to start has none
                    self.running_asyncio[p] = None
            else:  # DB
                if loop is not None:  # gevent's hub: the query's wait cooperates
                    self._release_loop(job, now)
                self._query(job, us, now)
                return

    # -- the database ---------------------------------------------------------------------

    def _query(self, job: Job, us: int, now: int) -> None:
        """Take a connection (pooled, or opened for this request), then hold it for `us`."""
        db = self.db
        if db.pools:
            pool = db.pools[job.proc]
            if pool.request(job, now):
                job.mark("io", now)
                self._push(now + us, _QUERY_DONE, job, job.token)
            else:
                job.mark("db_wait", now)
                self._push(now + pool.timeout_us, _POOL_TIMEOUT, job, job.token)
            return
        if not job.connected:
            if not db.connect():
                self._fail(job, "too_many_clients", now)
                return
            job.connected = True
            us += db.connect_us
        # The query waits on PostgreSQL with the GIL released: I/O, like a sleep.
        job.mark("io", now)
        self._push(now + us, _WAKE, job)

    def _query_done(self, job: Job, now: int) -> None:
        """The query ended: its connection goes back to the pool, to the oldest waiter."""
        nxt = self.db.pools[job.proc].release(job)
        if nxt is not None:  # its query, the step it stopped at, runs now
            nxt.mark("io", now)
            self._push(now + nxt.prog[nxt.pos - 1][1], _QUERY_DONE, nxt, nxt.token)
        self._advance(job, now)

    def _pool_timeout(self, job: Job, now: int) -> None:
        """`job`'s pool timeout fired: unless a connection came first, its request fails."""
        if self.db.pools[job.proc].withdraw(job):
            self._fail(job, "pool_timeout", now)

    def _fail(self, job: Job, error: str, now: int) -> None:
        """The view raised `error`: Django answers 500, from the loop if the view was off it.

        The exception leaves an asyncio.run() it was raised in (END_LOOP) on its way.
        """
        job.error = error
        self.failed += 1
        prog, pos = job.prog, job.pos
        while pos < len(prog) and prog[pos][0] not in (TO_LOOP, END_LOOP):
            pos += 1
        job.pos = pos
        self._advance(job, now)

    # -- GIL, cores and time slices -------------------------------------------------------

    def _want_gil(self, job: Job, now: int) -> None:
        gil = self.gils[job.proc]
        if gil.request(job):
            self._want_core(job, now)
        else:
            self._blocked(job, now, gil.holders, running_only=True)

    def _want_core(self, job: Job, now: int) -> None:
        if self.cores.request(job):
            self._run_cpu(job, now)
        else:
            self._blocked(job, now, self.cores.holders, running_only=False)

    def _blocked(self, job: Job, now: int, holders, running_only: bool) -> None:
        """`job` waits; with time slices, the holders in its way yield at their next slice."""
        job.mark("blocked", now)
        if self.slice_us:
            running = self.cores.holders
            for holder in holders:
                if not running_only or holder in running:
                    self._schedule_preempt(holder, now)

    def _run_cpu(self, job: Job, now: int) -> None:
        job.mark("cpu", now)
        job.cpu_t0 = now
        job.token += 1
        self._push(now + job.cpu_left, _CPU_DONE, job, job.token)
        if self.slice_us and (self.gils[job.proc].waiters or self.cores.waiters):
            self._schedule_preempt(job, now)

    def _schedule_preempt(self, job: Job, now: int) -> None:
        """Preempt `job` at its next slice boundary, if it would still be running then."""
        if job.preempt_token == job.token:
            return
        s = self.slice_us
        at = job.cpu_t0 + max(1, -(-(now - job.cpu_t0) // s)) * s
        if at < job.cpu_t0 + job.cpu_left:
            job.preempt_token = job.token
            self._push(at, _PREEMPT, job, job.token)

    def _release_cpu(self, job: Job, now: int) -> None:
        job.token += 1  # invalidates this run's pending CPU_DONE or PREEMPT
        # The core is handed on before the GIL, so the next core holder still sees the
        # GIL's waiters when it decides whether to schedule a preemption.
        nxt = self.cores.release(job)
        if nxt is not None:
            self._run_cpu(nxt, now)
        nxt = self.gils[job.proc].release(job)
        if nxt is not None:
            self._want_core(nxt, now)

    def _cpu_done(self, job: Job, now: int) -> None:
        job.cpu_left = 0
        self._release_cpu(job, now)
        self._advance(job, now)

    def _preempt(self, job: Job, now: int) -> None:
        if not (self.gils[job.proc].waiters or self.cores.waiters):
            job.preempt_token = -1  # nobody waits any more; a later waiter reschedules
            return
        job.cpu_left -= now - job.cpu_t0
        self._release_cpu(job, now)
        self._want_gil(job, now)
