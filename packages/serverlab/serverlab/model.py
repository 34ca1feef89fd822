"""Data classes: a view's trace, and the records and summary of a simulated run."""

from dataclasses import dataclass, field
from typing import Any

# Step kinds in a trace or a server program. CPU holds the GIL and a core; HOLD waits
# without the GIL but keeps the lane (time.sleep inside async def); IO waits and, on an
# event loop, lets other requests run. TO_THREAD/TO_LOOP move an ASGI sync view between
# the event loop and its own thread. DB takes a database connection, holds it for its
# microseconds of waiting (like IO) and gives it back (serverlab/database.py).
# RUN_LOOP/END_LOOP bracket asyncio.run() of async_to_sync under gevent, where every
# request's loop is on the one OS thread of its process (servers.GunicornGevent).
CPU, HOLD, IO, TO_THREAD, TO_LOOP, DB, RUN_LOOP, END_LOOP = range(8)

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
    error: str | None = None  # None, or why it failed: a key of scenario.FAILURES

    @property
    def latency_ms(self) -> float:
        """Time from arrival to response."""
        return self.end_ms - self.arrival_ms

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; segments become [kind, start_ms, end_ms] lists."""
        record = _fields_of(self)
        record["latency_ms"] = self.latency_ms
        record["segments"] = [list(s) for s in self.segments]
        return record


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
    failed: int  # requests that ended with an error (Django's 500)
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The numbers as a plain dict (params left out; Result.to_dict adds them)."""
        numbers = _fields_of(self)
        del numbers["params"]
        return numbers


def _fields_of(record: RequestRecord | Summary) -> dict[str, Any]:
    """A data class's fields by name, in declaration order (not deep-copied, unlike asdict)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


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
