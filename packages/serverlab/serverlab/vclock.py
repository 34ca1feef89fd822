"""Virtual time for running a view: a per-call clock, patched `time` functions and `cpu()`."""

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

from serverlab.errors import LabError
from serverlab.model import CPU, HOLD, IO, Step

MAX_VIEW_US = 600_000_000  # ten virtual minutes per request
MAX_STEPS = 10_000  # trace steps per request
MAX_IDLE_READS = 100_000  # clock reads in a row without time moving: a busy-wait
EPOCH_S = 1_767_225_600  # time.time() inside a view starts at 2026-01-01 00:00 UTC

_real_perf_counter = time.perf_counter
_active: "VirtualClock | None" = None


class VirtualClock:
    """The clock of one view call; records what the view does as trace steps."""

    __slots__ = ("_idle_reads", "in_async", "now_us", "recording", "steps")

    def __init__(self, in_async: bool) -> None:
        self.now_us = 0
        self.steps: list[Step] = []
        self.in_async = in_async
        self.recording = True
        self._idle_reads = 0

    def _add(self, kind: int, us: int) -> None:
        self._idle_reads = 0
        if us <= 0:
            return
        self.now_us += us
        if not self.recording:
            return
        if self.now_us > MAX_VIEW_US:
            raise LabError(
                f"the view ran past {MAX_VIEW_US // 60_000_000} virtual minutes for one request;"
                " does it loop forever?"
            )
        steps = self.steps
        # Each await ends with the loop resuming the view, so async IO steps stay separate.
        if steps and steps[-1][0] == kind and not (kind == IO and self.in_async):
            steps[-1] = (kind, steps[-1][1] + us)
            return
        steps.append((kind, us))
        if len(steps) > MAX_STEPS:
            raise LabError(f"the view made more than {MAX_STEPS} sleeps, awaits or cpu() calls")

    def compute(self, us: int) -> None:
        """CPU work: holds the GIL (and the event loop, inside async def)."""
        self._add(CPU, us)

    def block(self, us: int) -> None:
        """time.sleep: releases the GIL; inside async def it still holds the whole loop."""
        self._add(HOLD if self.in_async else IO, us)

    def wait(self, us: int) -> None:
        """The event loop idles until its next timer: the view is awaiting."""
        self._add(IO, us)

    def read_us(self) -> int:
        """The current virtual time, refusing busy-waits that would never end."""
        self._idle_reads += 1
        if self._idle_reads > MAX_IDLE_READS:
            raise LabError(
                "the view keeps reading the clock but virtual time never moves; only"
                " time.sleep, await asyncio.sleep and serverlab.cpu(ms) advance it"
            )
        return self.now_us


def _clock() -> VirtualClock:
    if _active is None:  # a patched function escaped its simulation, e.g. via a thread
        raise LabError("virtual time is only available while serverlab runs a view")
    return _active


def _sleep(seconds: float) -> None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer")
    if math.isnan(seconds) or seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _clock().block(round(seconds * 1_000_000))


def _time() -> float:
    return EPOCH_S + _clock().read_us() / 1_000_000


def _time_ns() -> int:
    return EPOCH_S * 1_000_000_000 + _clock().read_us() * 1000


def _monotonic() -> float:
    return _clock().read_us() / 1_000_000


def _monotonic_ns() -> int:
    return _clock().read_us() * 1000


_PATCHES = {
    "sleep": _sleep,
    "time": _time,
    "time_ns": _time_ns,
    "monotonic": _monotonic,
    "monotonic_ns": _monotonic_ns,
    "perf_counter": _monotonic,
    "perf_counter_ns": _monotonic_ns,
}


@contextmanager
def patched_time() -> Iterator[None]:
    """Swap the `time` module's clocks and sleep for virtual ones, restoring them after."""
    saved = {name: getattr(time, name) for name in _PATCHES}
    try:
        for name, fake in _PATCHES.items():
            setattr(time, name, fake)
        yield
    finally:
        for name, real in saved.items():
            setattr(time, name, real)


@contextmanager
def running(clock: VirtualClock) -> Iterator[None]:
    """Make `clock` the one that patched functions and cpu() use."""
    global _active
    _active = clock
    try:
        yield
    finally:
        _active = None


def cpu(ms: float) -> None:
    """Compute for `ms` milliseconds, holding the GIL; outside the lab, really busy-wait."""
    if (
        isinstance(ms, bool)
        or not isinstance(ms, int | float)
        or not math.isfinite(ms)
        or not 0 <= ms <= 60_000
    ):
        raise LabError(f"cpu(ms) needs a number of milliseconds from 0 to 60000, got {ms!r}")
    if _active is not None:
        _active.compute(round(ms * 1000))
        return
    # Real mode lets the same view run under a real server for comparison.
    deadline = _real_perf_counter() + ms / 1000
    while _real_perf_counter() < deadline:
        pass
