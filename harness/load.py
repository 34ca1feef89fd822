"""The load driver: n connections, n requests sent at the same instant, every reply timed.

`fire(url, path, n)` returns a `Load`: makespan, latency percentiles, statuses, and which
server processes and threads answered (the demo project's views name both in their JSON).
With `connect_timeout` and `reply_timeout`, every request ends with an `Outcome`: answered,
refused by the server, timed out, or broken, so a load test can count each.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """How one request ended."""

    ANSWERED = "answered"  # a complete HTTP response, whatever its status
    REFUSED = "refused"  # connection refused or reset, or closed before a byte of answer
    TIMED_OUT = "timed out"  # no connection or no complete answer within its timeout
    BROKEN = "broken"  # a partial or malformed response, or a client-side error


@dataclass
class Reply:
    """One request as the client saw it. Times in ms since the common send instant."""

    status: int | None
    sent_ms: float
    done_ms: float
    body: bytes = b""
    error: str = ""
    outcome: Outcome = Outcome.ANSWERED

    @property
    def latency_ms(self) -> float:
        return self.done_ms - self.sent_ms

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class Load:
    """The result of firing n simultaneous requests."""

    replies: list[Reply]
    makespan_ms: float
    latencies_ms: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.latencies_ms = sorted(reply.latency_ms for reply in self.replies)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies: the smallest value with p% at or below."""
        if not self.latencies_ms:
            return math.nan
        rank = max(1, math.ceil(p / 100 * len(self.latencies_ms)))
        return self.latencies_ms[rank - 1]

    @property
    def statuses(self) -> Counter:
        return Counter(reply.status for reply in self.replies)

    @property
    def outcomes(self) -> Counter:
        return Counter(reply.outcome for reply in self.replies)

    @property
    def bodies(self) -> list:
        return [reply.json() for reply in self.replies]

    @property
    def per_pid(self) -> Counter:
        """How many requests each server process answered."""
        return Counter(
            body["pid"] for body in self.bodies if isinstance(body, dict) and "pid" in body
        )

    @property
    def threads(self) -> set[tuple[int, str]]:
        """The distinct (pid, thread name) pairs that ran a view."""
        return {
            (body["pid"], body["thread"])
            for body in self.bodies
            if isinstance(body, dict) and "thread" in body
        }

    def summary(self) -> dict:
        return {
            "makespan_ms": round(self.makespan_ms, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "statuses": {
                str(status): count for status, count in sorted(self.statuses.items(), key=str)
            },
            "errors": sorted({reply.error for reply in self.replies if reply.error}),
            "processes_used": len(self.per_pid),
            "per_process": sorted(self.per_pid.values(), reverse=True),
            "threads_used": len(self.threads),
        }


async def fire(
    base_url: str,
    path: str,
    n: int,
    *,
    timeout: float = 120.0,
    connect_timeout: float | None = None,
    reply_timeout: float | None = None,
) -> Load:
    """Open n connections, then send one GET on each at the same instant; read every reply.

    The makespan runs from that instant to the last complete response. Raw asyncio
    streams keep the client light, which matters when it shares 2 cores with the server.
    `timeout` bounds the whole run (TimeoutError); `connect_timeout` each connection and
    `reply_timeout` each reply from its sending, which then ends as Outcome.TIMED_OUT.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    host, port = _host_port(base_url)
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n").encode()
    go = asyncio.Event()
    all_connected = asyncio.Event()
    connected = 0
    clock: list[float] = []

    def count_connected() -> None:
        nonlocal connected
        connected += 1
        if connected == n:
            all_connected.set()

    async def one() -> Reply:
        writer = None
        counted = False
        sent = None
        try:
            async with asyncio.timeout(connect_timeout):
                reader, writer = await asyncio.open_connection(host, port)
            count_connected()
            counted = True
            await go.wait()
            sent = time.perf_counter()
            async with asyncio.timeout(reply_timeout):
                writer.write(request)
                await writer.drain()
                raw = await reader.read()
            done = time.perf_counter()
            if not raw:
                raise ConnectionResetError("closed without answering")
            status, body = _parse_response(raw)
            return Reply(status, _ms(sent - clock[0]), _ms(done - clock[0]), body)
        except (OSError, ValueError) as error:
            if not counted:
                count_connected()
                await go.wait()
            now = _ms(time.perf_counter() - clock[0])
            began = now if sent is None else _ms(sent - clock[0])  # a timed-out wait counts
            error_text = f"{type(error).__name__}: {error}"
            return Reply(None, began, now, error=error_text, outcome=_outcome_of(error))
        finally:
            if writer is not None:
                writer.close()

    async with asyncio.timeout(timeout):
        tasks = [asyncio.create_task(one()) for _ in range(n)]
        await all_connected.wait()
        clock.append(time.perf_counter())
        go.set()
        replies = await asyncio.gather(*tasks)
    start = min(reply.sent_ms for reply in replies)
    return Load(list(replies), max(reply.done_ms for reply in replies) - start)


def fire_sync(base_url: str, path: str, n: int, **options) -> Load:
    return asyncio.run(fire(base_url, path, n, **options))


def _host_port(base_url: str) -> tuple[str, int]:
    rest = base_url.split("://", 1)[-1].rstrip("/")
    host, _, port = rest.rpartition(":")
    return host.strip("[]"), int(port)


def _outcome_of(error: Exception) -> Outcome:
    if isinstance(error, TimeoutError):
        return Outcome.TIMED_OUT
    if isinstance(error, ConnectionError):  # refused, reset, aborted, broken pipe
        return Outcome.REFUSED
    return Outcome.BROKEN


def _ms(seconds: float) -> float:
    return seconds * 1000


def _parse_response(raw: bytes) -> tuple[int, bytes]:
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise ValueError(f"incomplete HTTP response ({len(raw)} bytes)")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if headers.get(b"transfer-encoding") == b"chunked":
        body = _dechunk(body)
    return status, body


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)
