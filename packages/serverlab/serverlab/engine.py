"""The discrete-event scheduler: request programs contend for lanes, event loops, GILs, cores."""

import heapq
from collections import deque
from collections.abc import Sequence

from serverlab.model import CPU, HOLD, IO, TO_LOOP, TO_THREAD, Step

# How a job is attached while it runs: holding its own worker/thread, or living on a loop.
_THREAD, _LOOP = 0, 1
# Gunicorn's default --worker-connections: how many connections a gthread worker holds.
WORKER_CONNECTIONS = 1000
# Heap event codes.
_WAKE, _CPU_DONE, _PREEMPT = 0, 1, 2


class Job:
    """One request moving through its program; segments are (kind, start_us, end_us)."""

    __slots__ = (
        "arrival",
        "cpu_left",
        "cpu_t0",
        "end",
        "id",
        "lane",
        "mode",
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
        self.mode = _THREAD
        self.slot = 0
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


class Engine:
    """Runs jobs to completion; `family` is "wsgi" (lanes from a shared queue) or "asgi"."""

    def __init__(
        self,
        family: str,
        workers: int,
        threads: int,
        cores: int,
        slice_us: int,
        dispatch: str,
        lane_names: list[list[str]],
    ) -> None:
        self.family = family
        self.workers = workers
        self.threads = threads
        self.slice_us = slice_us
        self.dispatch = dispatch
        self.lane_names = lane_names
        self.heap: list = []
        self.seq = 0
        self.ready: deque[Job] = deque()
        self.gil: list[Job | None] = [None] * workers
        self.gil_q: list[deque[Job]] = [deque() for _ in range(workers)]
        self.cores_free = cores
        self.core_q: deque[Job] = deque()
        self.running: dict[Job, None] = {}  # jobs on a core, in start order (deterministic)
        # WSGI: busy threads per process and a lazy heap of (busy, process) candidates.
        self.busy = [0] * workers
        self.free_threads = [list(range(threads)) for _ in range(workers)]
        self.accept_q: deque[Job] = deque()
        # gthread "shared-accept": connections a worker accepted but none of its threads
        # has taken yet (each worker queues up to worker_connections of its own).
        self.own_q: list[deque[Job]] = [deque() for _ in range(workers)]
        # ASGI: loop holder, its waiters, connections not yet accepted, in-flight counts and
        # thread slots, per process.
        self.loop_holder: list[Job | None] = [None] * workers
        self.loop_q: list[deque[Job]] = [deque() for _ in range(workers)]
        self.backlog: list[deque[Job]] = [deque() for _ in range(workers)]
        self.shared_backlog: deque[Job] = deque()  # "shared-accept": not yet taken by any loop
        self.in_flight = [0] * workers
        self.free_slots: list[list[int]] = [[] for _ in range(workers)]
        self.slots_used = [0] * workers
        self.pick_heap = [(0, p) for p in range(workers)]

    # -- event plumbing -------------------------------------------------------------------

    def _push(self, t: int, code: int, job: Job, token: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, code, job, token))

    def run(self, jobs: list[Job]) -> None:
        """Simulate `jobs` (sorted by arrival) until every one has ended."""
        heap, ready = self.heap, self.ready
        n, ai, now = len(jobs), 0, 0
        arrive = self._arrive_wsgi if self.family == "wsgi" else self._arrive_asgi
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
                    else:
                        self._preempt(job, now)
            elif ai < n:
                job = jobs[ai]
                ai += 1
                now = job.arrival
                arrive(job, now)
            else:
                return

    # -- arrival and lanes ----------------------------------------------------------------

    def _least_loaded(self, load: list[int], limit: int) -> int:
        """Process with the smallest load below `limit` (ties: lowest index), or -1."""
        heap = self.pick_heap
        while heap:
            value, p = heap[0]
            if value == load[p] and value < limit:
                return p
            heapq.heappop(heap)  # stale entry: the load changed since it was pushed
        return -1

    def _set_load(self, load: list[int], p: int, value: int) -> None:
        load[p] = value
        heapq.heappush(self.pick_heap, (value, p))

    def _arrive_wsgi(self, job: Job, now: int) -> None:
        if self.dispatch == "shared-accept":
            # gthread's main thread accepts eagerly into its own worker's queue, so the
            # first worker to wake takes a burst; the lowest index stands for it.
            p = next(
                (
                    p
                    for p in range(self.workers)
                    if self.busy[p] + len(self.own_q[p]) < WORKER_CONNECTIONS
                ),
                -1,
            )
            if p >= 0 and self.busy[p] < self.threads:
                self._take_thread(job, p, now)
            elif p >= 0:
                self.own_q[p].append(job)
            else:
                self.accept_q.append(job)
            return
        p = self._least_loaded(self.busy, self.threads)
        if p < 0:
            self.accept_q.append(job)
        else:
            self._take_thread(job, p, now)

    def _take_thread(self, job: Job, p: int, now: int) -> None:
        self._set_load(self.busy, p, self.busy[p] + 1)
        t = heapq.heappop(self.free_threads[p])
        job.proc, job.slot, job.lane, job.start = p, t, self.lane_names[p][t], now
        self.ready.append(job)

    def _awake_loop(self) -> int:
        """The first process whose loop can accept now (not stuck in a blocking step), or -1."""
        for p, holder in enumerate(self.loop_holder):
            if holder is None or not holder.timed:
                return p
        return -1

    def _arrive_asgi(self, job: Job, now: int) -> None:
        if self.dispatch == "shared-accept":
            p = self._awake_loop()
            if p < 0:  # every loop is stuck: the connection waits in the shared listen queue
                self.shared_backlog.append(job)
                return
        elif self.dispatch == "least-busy":
            p = self._least_loaded(self.in_flight, 1 << 62)
        else:
            p = job.id % self.workers
        self._assign_loop(job, p, now)

    def _assign_loop(self, job: Job, p: int, now: int) -> None:
        if self.dispatch == "least-busy":
            self._set_load(self.in_flight, p, self.in_flight[p] + 1)
        else:
            self.in_flight[p] += 1
        job.proc, job.mode, job.lane = p, _LOOP, self.lane_names[p][0]
        holder = self.loop_holder[p]
        if holder is not None and holder.timed:
            self.backlog[p].append(job)  # the loop is stuck: it cannot even accept
            return
        job.start = now
        if holder is None:
            self.loop_holder[p] = job
            self.ready.append(job)
        else:
            self.loop_q[p].append(job)
            job.mark("blocked", now)

    def _take_loop(self, job: Job, now: int) -> bool:
        p = job.proc
        if self.loop_holder[p] is None:
            self.loop_holder[p] = job
            return True
        self.loop_q[p].append(job)
        job.mark("blocked", now)
        return False

    def _release_loop(self, job: Job, now: int) -> None:
        p = job.proc
        self.loop_holder[p] = None
        waiting = self.loop_q[p]
        backlog = self.backlog[p]
        while self.shared_backlog:  # the first loop to wake takes the whole listen queue
            nxt = self.shared_backlog.popleft()
            self.in_flight[p] += 1
            nxt.proc, nxt.mode, nxt.lane = p, _LOOP, self.lane_names[p][0]
            backlog.append(nxt)
        while backlog:  # the free loop accepts every pending connection at once
            nxt = backlog.popleft()
            nxt.start = now
            nxt.mark("blocked", now)
            waiting.append(nxt)
        if waiting:
            nxt = waiting.popleft()
            self.loop_holder[p] = nxt
            self.ready.append(nxt)

    # -- running a program ----------------------------------------------------------------

    def _advance(self, job: Job, now: int) -> None:
        prog = job.prog
        job.timed = False
        while True:
            # On an event loop, every step, every resume and the response need the loop.
            if (
                job.mode == _LOOP
                and self.loop_holder[job.proc] is not job
                and not self._take_loop(job, now)
            ):
                return
            if job.pos == len(prog):
                self._finish(job, now)
                return
            kind, us = prog[job.pos]
            job.pos += 1
            if kind == IO:
                if job.mode == _LOOP:
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
                free = self.free_slots[p]
                if free:
                    job.slot = heapq.heappop(free)
                else:
                    self.slots_used[p] += 1
                    job.slot = self.slots_used[p]
                job.lane = f"w{p + 1}/thread{job.slot}"
                job.mode = _THREAD
            elif kind == TO_LOOP:
                heapq.heappush(self.free_slots[p], job.slot)
                job.mode = _LOOP

    def _finish(self, job: Job, now: int) -> None:
        p = job.proc
        job.end = now
        job.mark("done", now)
        if self.family == "asgi":
            self._release_loop(job, now)
            if self.dispatch == "least-busy":
                self._set_load(self.in_flight, p, self.in_flight[p] - 1)
            else:
                self.in_flight[p] -= 1
            return
        heapq.heappush(self.free_threads[p], job.slot)
        self._set_load(self.busy, p, self.busy[p] - 1)
        if self.own_q[p]:
            self._take_thread(self.own_q[p].popleft(), p, now)
        elif self.accept_q:
            nxt = self.accept_q.popleft()
            self._take_thread(nxt, self._least_loaded(self.busy, self.threads), now)

    # -- GIL, cores and time slices -------------------------------------------------------

    def _want_gil(self, job: Job, now: int) -> None:
        p = job.proc
        holder = self.gil[p]
        if holder is None:
            self.gil[p] = job
            self._want_core(job, now)
            return
        self.gil_q[p].append(job)
        job.mark("blocked", now)
        if self.slice_us and holder in self.running:
            self._schedule_preempt(holder, now)

    def _want_core(self, job: Job, now: int) -> None:
        if self.cores_free:
            self.cores_free -= 1
            self._run_cpu(job, now)
            return
        self.core_q.append(job)
        job.mark("blocked", now)
        if self.slice_us:
            for holder in self.running:
                self._schedule_preempt(holder, now)

    def _run_cpu(self, job: Job, now: int) -> None:
        job.mark("cpu", now)
        job.cpu_t0 = now
        job.token += 1
        self.running[job] = None
        self._push(now + job.cpu_left, _CPU_DONE, job, job.token)
        if self.slice_us and (self.gil_q[job.proc] or self.core_q):
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
        del self.running[job]
        job.token += 1  # invalidates this run's pending CPU_DONE or PREEMPT
        if self.core_q:
            self._run_cpu(self.core_q.popleft(), now)
        else:
            self.cores_free += 1
        p = job.proc
        if self.gil_q[p]:
            nxt = self.gil_q[p].popleft()
            self.gil[p] = nxt
            self._want_core(nxt, now)
        else:
            self.gil[p] = None

    def _cpu_done(self, job: Job, now: int) -> None:
        job.cpu_left = 0
        self._release_cpu(job, now)
        self._advance(job, now)

    def _preempt(self, job: Job, now: int) -> None:
        if not (self.gil_q[job.proc] or self.core_q):
            job.preempt_token = -1  # nobody waits any more; a later waiter reschedules
            return
        job.cpu_left -= now - job.cpu_t0
        self._release_cpu(job, now)
        self._want_gil(job, now)
