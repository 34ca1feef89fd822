"""Data classes: a view's trace, and the records and summary of a simulated run."""

from dataclasses import dataclass, field
from typing import Any

# Step kinds in a trace or a server program. CPU holds the GIL and a core; HOLD waits
# without the GIL but keeps the lane (time.sleep inside async def); IO waits and, on an
# event loop, lets other requests run. TO_THREAD/TO_LOOP move an ASGI sync view between
# the event loop and its own thread.
CPU, HOLD, IO, TO_THREAD, TO_LOOP = range(5)

# Segment kinds reported for each request.
SEGMENT_KINDS = ("queued", "cpu", "io", "blocked")

Step = tuple[int, int]  # (kind, microseconds)


@dataclass(frozen=True, slots=True)
class Trace:
    """What one call of a view does, in its own virtual time: steps of (kind, microseconds)."""

    is_async: bool
    steps: tuple[Step, ...]


@dataclass(slots=True)
class RequestRecord:
    """One request's life: where it ran and what it was doing, in milliseconds."""

    id: int
    lane: str
    process: int
    arrival_ms: float
    start_ms: float
    end_ms: float
    segments: list[tuple[str, float, float]]

    @property
    def latency_ms(self) -> float:
        """Time from arrival to response."""
        return self.end_ms - self.arrival_ms

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; segments become [kind, start_ms, end_ms] lists."""
        return {
            "id": self.id,
            "lane": self.lane,
            "process": self.process,
            "arrival_ms": self.arrival_ms,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "latency_ms": self.latency_ms,
            "segments": [list(s) for s in self.segments],
        }


@dataclass(slots=True)
class Summary:
    """Headline numbers of a run; percentiles use the nearest-rank method."""

    makespan_ms: float
    throughput_rps: float | None  # None when every request took zero time
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    peak_concurrency: int
    peak_threads: int
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The numbers as a plain dict (params left out; Result.to_dict adds them)."""
        return {
            "makespan_ms": self.makespan_ms,
            "throughput_rps": self.throughput_rps,
            "mean_ms": self.mean_ms,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "peak_concurrency": self.peak_concurrency,
            "peak_threads": self.peak_threads,
        }


@dataclass(slots=True)
class Result:
    """A simulated run: every request, the lanes in display order and the summary."""

    requests: list[RequestRecord]
    lanes: list[str]
    summary: Summary

    @property
    def params(self) -> dict[str, Any]:
        """The scenario parameters, as simulate() resolved them."""
        return self.summary.params

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: summary numbers at the top level, then params, lanes, requests."""
        return {
            **self.summary.to_dict(),
            "params": dict(self.summary.params),
            "lanes": list(self.lanes),
            "requests": [r.to_dict() for r in self.requests],
        }
