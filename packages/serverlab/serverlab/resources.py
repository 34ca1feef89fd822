"""Resources jobs contend for: up to `capacity` holders, the rest wait in FIFO order.

The shape is SimPy's Resource (capacity, holders, a FIFO queue of waiters; a release hands
the unit to the next waiter):
https://simpy.readthedocs.io/en/latest/api_reference/simpy.resources.html#simpy.resources.resource.Resource
Holders are kept in a dict so that release is O(1) however many hold, and it iterates in
grant order, which keeps runs deterministic.
"""

from collections import deque
from heapq import heappop, heappush
from typing import Any

# Capacity of a resource nobody ever waits for (Uvicorn starts a thread per sync view).
UNBOUNDED = 1 << 62


class Resource:
    """`capacity` units; `request` grants one now or queues the job, `release` hands it on."""

    __slots__ = ("capacity", "holders", "waiters")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.holders: dict[Any, None] = {}
        self.waiters: deque = deque()

    def request(self, job: Any) -> bool:
        """Grant `job` a unit now (True) or queue it behind the other waiters (False)."""
        if len(self.holders) < self.capacity:
            self.holders[job] = None
            return True
        self.waiters.append(job)
        return False

    def release(self, job: Any) -> Any:
        """Give back `job`'s unit; return the waiter it went to, or None if nobody waits."""
        holders = self.holders
        del holders[job]
        if self.waiters:
            nxt = self.waiters.popleft()
            holders[nxt] = None
            return nxt
        return None


class ThreadPool(Resource):
    """Numbered threads (1, 2, ...): a granted job gets the lowest free number in `job.slot`."""

    __slots__ = ("free", "opened")

    def __init__(self, capacity: int) -> None:
        super().__init__(capacity)
        self.free: list[int] = []  # numbers given back, a min-heap
        self.opened = 0  # threads started so far: numbers 1..opened exist

    def request(self, job: Any) -> bool:
        """Grant `job` the lowest free thread (True) or queue it (False)."""
        if not Resource.request(self, job):
            return False
        if self.free:
            job.slot = heappop(self.free)
        else:
            self.opened += 1
            job.slot = self.opened
        return True

    def release(self, job: Any) -> Any:
        """Free `job`'s thread; the next waiter takes that very thread (the pool was full)."""
        nxt = Resource.release(self, job)
        if nxt is None:
            heappush(self.free, job.slot)
        else:
            nxt.slot = job.slot
        return nxt


class ConnectionPool(Resource):
    """A database connection pool whose waiters give up `timeout_us` after asking.

    A waiter's deadline is in `deadlines`; when its timeout fires the caller withdraws it.
    Withdrawn waiters stay in the queue until a release skips them, so withdrawal is O(1).
    A withdrawn job does not ask again (its request failed).
    """

    __slots__ = ("deadlines", "timeout_us")

    def __init__(self, capacity: int, timeout_us: int) -> None:
        super().__init__(capacity)
        self.timeout_us = timeout_us
        self.deadlines: dict[Any, int] = {}  # waiting jobs and when each gives up

    def request(self, job: Any, now: int) -> bool:
        """Grant `job` a connection now (True) or queue it until `now + timeout_us` (False).

        Unlike the other resources it takes the time: a waiter's deadline counts from it.
        """
        if Resource.request(self, job):
            return True
        self.deadlines[job] = now + self.timeout_us
        return False

    def withdraw(self, job: Any) -> bool:
        """Take back a waiter whose timeout fired; False if it was granted a connection first."""
        return self.deadlines.pop(job, None) is not None

    def release(self, job: Any) -> Any:
        """Give back `job`'s connection to the oldest waiter still waiting, or None."""
        holders = self.holders
        del holders[job]
        waiters, deadlines = self.waiters, self.deadlines
        while waiters:
            nxt = waiters.popleft()
            if deadlines.pop(nxt, None) is not None:
                holders[nxt] = None
                return nxt
        return None
