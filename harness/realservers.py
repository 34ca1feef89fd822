"""Serve the demo Django project with real servers, fire simultaneous requests, measure.

Three layers, each usable alone (tests/servers uses all three, `make bench` the last):

- `start_server(kind, ...)` starts Gunicorn, Uvicorn, Hypercorn or Daphne on a free
  loopback port in its own session, waits until it answers, and returns a `Server`
  whose `stop()` ends the server and every worker process it started.
- `fire(url, path, n)` opens n connections, sends n requests at the same instant (one
  connection per request) and returns a `Load`: makespan, latencies, statuses, and which
  processes and threads answered.
- `run_scenario({"server", "view", "workers", "threads", "requests", "ms"})` does the
  whole experiment. The same dict, through `simulate_kwargs()`, is a `serverlab.simulate()`
  call, so the lab's prediction and the real measurement describe one setup.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "snippets" / "project"
HOST = "127.0.0.1"

WSGI_APP = "config.wsgi:application"
ASGI_APP = "config.asgi:application"

# Server kinds. The first three are the lab's `server` names.
KINDS = (
    "gunicorn-sync",
    "gunicorn-gthread",
    "uvicorn",
    "gunicorn-uvicorn",
    "gunicorn-asgi",
    "hypercorn",
    "daphne",
)
WSGI_KINDS = {"gunicorn-sync", "gunicorn-gthread"}

# The lab's view names and the demo project's URLs.
VIEW_PATHS = {
    "sync-io": "/io/sync",
    "async-io": "/io/async",
    "async-blocking": "/io/async-blocking",
    "sync-cpu": "/cpu/sync",
    "async-cpu": "/cpu/async",
}


class ServerError(RuntimeError):
    """A server did not start or did not answer; the message ends with its log."""


def free_port() -> int:
    """A port the kernel just called free; someone may take it before we bind it again."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_command(kind: str, app: str, port: int, workers: int = 1, threads: int = 1):
    """The command line that starts `kind`, as a reader would type it (with `python -m`)."""
    python = [sys.executable, "-m"]
    bind = f"{HOST}:{port}"
    if kind.startswith("gunicorn-"):
        worker_class = {
            "gunicorn-sync": "sync",
            "gunicorn-gthread": "gthread",
            "gunicorn-uvicorn": "uvicorn_worker.UvicornWorker",
            "gunicorn-asgi": "asgi",
        }[kind]
        command = [*python, "gunicorn", app, "--workers", str(workers), "--bind", bind]
        command += ["--worker-class", worker_class]
        if kind == "gunicorn-gthread":
            command += ["--threads", str(threads)]
        return command
    if kind == "uvicorn":
        return [*python, "uvicorn", app, "--workers", str(workers), "--host", HOST,
                "--port", str(port)]  # fmt: skip
    if kind == "hypercorn":
        return [*python, "hypercorn", app, "--workers", str(workers), "--bind", bind]
    if kind == "daphne":
        if workers != 1:
            raise ValueError("daphne runs one process; it has no --workers option")
        return [*python, "daphne", "-b", HOST, "-p", str(port), app]
    raise ValueError(f"unknown server kind {kind!r}; expected one of {', '.join(KINDS)}")


@dataclass
class Server:
    """A running server: its URL, the command that started it and its log."""

    kind: str
    command: list[str]
    port: int
    process: subprocess.Popen
    log_path: Path
    workers: int = 1
    threads: int = 1

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def pids(self) -> set[int]:
        """The live processes of the server: the one we started and its workers."""
        return _group_members(self.process.pid)

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM the whole process group, wait, then SIGKILL whatever is left."""
        pgid = self.process.pid  # start_new_session: the server leads its own group
        if self.process.poll() is None or _group_alive(pgid):
            _signal_group(pgid, signal.SIGTERM)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                self.process.poll()
                if self.process.returncode is not None and not _group_alive(pgid):
                    break
                time.sleep(0.02)
            else:
                _signal_group(pgid, signal.SIGKILL)
                self.process.wait(timeout=5)
                deadline = time.monotonic() + 5
                while _group_alive(pgid) and time.monotonic() < deadline:
                    time.sleep(0.02)
        self.process.wait(timeout=5)
        _running.discard(self)
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    __hash__ = object.__hash__


_running: set[Server] = set()


@atexit.register
def _stop_everything() -> None:
    for server in list(_running):
        server.stop(grace=2.0)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (zombies waiting for a reaper do not)."""
    if not Path("/proc").is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    return bool(_group_members(pgid))


def _group_members(pgid: int) -> set[int]:
    """Live (not zombie) processes whose process group is pgid, from /proc (Linux)."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state ppid pgrp ...
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state not in ("Z", "X"):
            members.add(int(entry.name))
    return members


def _http_status(port: int, path: str, timeout: float) -> int | None:
    """The status code of one GET, or None if nothing answered in time."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as sock:
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
            )
            head = sock.recv(64)
    except OSError:
        return None
    parts = head.split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


_PORT_TAKEN = ("address already in use", "connection in use", "errno 98")


def start_server(
    kind: str,
    app: str | None = None,
    *,
    workers: int = 1,
    threads: int = 1,
    cwd: Path | str = PROJECT,
    cores: int | None = None,
    ready_path: str = "/",
    timeout: float = 30.0,
    attempts: int = 5,
    extra_args: tuple[str, ...] | list[str] = (),
) -> Server:
    """Start `kind` serving `app` (default: the demo project's WSGI or ASGI callable).

    Ready means an HTTP answer (any status) to `ready_path`. `cores` pins the server and
    its workers to that many CPUs. A port taken between choosing and binding is retried.
    `extra_args` go at the end of the command line, e.g. ("--lifespan", "on") for Uvicorn.
    """
    if app is None:
        app = WSGI_APP if kind in WSGI_KINDS else ASGI_APP
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE")
    }
    env.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    preexec = _pin_to(cores) if cores else None
    for _ in range(attempts):
        port = free_port()
        command = [*server_command(kind, app, port, workers, threads), *extra_args]
        fd, log_name = tempfile.mkstemp(prefix=f"{kind}-", suffix=".log")
        with os.fdopen(fd, "wb") as log:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=preexec,
            )
        server = Server(kind, command, port, process, Path(log_name), workers, threads)
        _running.add(server)
        try:
            _wait_until_ready(server, ready_path, timeout)
        except _PortTaken:
            server.stop(grace=1.0)
            continue
        except ServerError as error:
            log_text = server.log()
            server.stop(grace=1.0)
            raise ServerError(f"{error}\n--- log ---\n{log_text}") from None
        except BaseException:
            server.stop(grace=1.0)
            raise
        return server
    raise ServerError(f"{kind}: no free port after {attempts} attempts")


class _PortTaken(Exception):
    pass


def _wait_until_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.02
    while time.monotonic() < deadline:
        if any(text in server.log().lower() for text in _PORT_TAKEN):
            raise _PortTaken
        if server.process.poll() is not None:
            raise ServerError(f"{server.kind} exited with code {server.process.returncode}")
        if _http_status(server.port, path, timeout=max(0.5, deadline - time.monotonic())):
            return
        time.sleep(delay)
        delay = min(delay * 1.5, 0.2)
    raise ServerError(f"{server.kind} did not answer within {timeout:.0f} s")


def _pin_to(cores: int):
    available = sorted(os.sched_getaffinity(0))
    if cores > len(available):
        raise ValueError(f"cores={cores} but only {len(available)} CPUs are available")
    chosen = set(available[:cores])
    return lambda: os.sched_setaffinity(0, chosen)


# ----------------------------------------------------------------------------- load


@dataclass
class Reply:
    """One request as the client saw it. Times in ms since the common send instant."""

    status: int | None
    sent_ms: float
    done_ms: float
    body: bytes = b""
    error: str = ""

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


async def fire(base_url: str, path: str, n: int, *, timeout: float = 120.0) -> Load:
    """Open n connections, then send one GET on each at the same instant; read every reply.

    The makespan runs from that instant to the last complete response. Raw asyncio
    streams keep the client light, which matters when it shares 2 cores with the server.
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
        try:
            reader, writer = await asyncio.open_connection(host, port)
            count_connected()
            counted = True
            await go.wait()
            sent = time.perf_counter()
            writer.write(request)
            await writer.drain()
            raw = await reader.read()
            done = time.perf_counter()
            status, body = _parse_response(raw)
            return Reply(status, _ms(sent - clock[0]), _ms(done - clock[0]), body)
        except (OSError, ValueError) as error:
            if not counted:
                count_connected()
                await go.wait()
            now = _ms(time.perf_counter() - clock[0])
            return Reply(None, now, now, error=f"{type(error).__name__}: {error}")
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


# ------------------------------------------------------------------------- scenarios


def view_path(view: str, ms: int) -> str:
    return f"{VIEW_PATHS[view]}?ms={ms}"


def simulate_kwargs(scenario: dict) -> dict:
    """The serverlab.simulate() keyword arguments for the same scenario."""
    keys = ("server", "view", "requests", "ms", "workers", "threads", "cores", "dispatch")
    return {key: scenario[key] for key in keys if key in scenario}


def warm_up(server: Server, path: str = "/io/async?ms=100", deadline_s: float = 20.0) -> dict:
    """Send small bursts until every worker process has answered once (or time runs out).

    A freshly started server loads URLconf and views on its first request, and with
    several workers the later ones may still be booting when the first one answers.
    """
    seen: Counter = Counter()
    rounds = 0
    deadline = time.monotonic() + deadline_s
    burst = max(2, 2 * server.workers)
    while time.monotonic() < deadline:
        rounds += 1
        load = fire_sync(
            server.base_url, path, burst, timeout=max(1.0, deadline - time.monotonic())
        )
        seen.update(load.per_pid)
        if len(seen) >= server.workers and rounds >= 2:
            break
    return {"rounds": rounds, "processes_seen": len(seen)}


def run_scenario(
    scenario: dict, *, server: Server | None = None, cwd: Path | str = PROJECT
) -> dict:
    """Start the scenario's server (unless given one), warm it up, fire, stop, report.

    scenario: {"server", "view", "workers", "threads", "requests", "ms"} (lab names), plus
    optional "cores" (pins the server to that many CPUs). Returns the scenario with
    the measurements added; "makespan_ms" is the number to compare with the lab's.
    """
    workers = scenario.get("workers", 1)
    threads = scenario.get("threads", 1)
    path = view_path(scenario["view"], scenario["ms"])
    own = server is None
    if own:
        server = start_server(
            scenario["server"], workers=workers, threads=threads, cwd=cwd,
            cores=scenario.get("cores"),
        )  # fmt: skip
    try:
        warm = warm_up(server, view_path(scenario["view"], min(scenario["ms"], 50)))
        load = fire_sync(server.base_url, path, scenario["requests"])
    finally:
        if own:
            server.stop()
    return {
        **scenario,
        **load.summary(),
        "warm_up": warm,
        "cpu_count": len(os.sched_getaffinity(0)),
    }


def run_scenarios(scenarios: list[dict]) -> list[dict]:
    return [run_scenario(scenario) for scenario in scenarios]


if __name__ == "__main__":
    # python -m benchmarks.realservers '{"server": "uvicorn", "view": "async-io", ...}'
    example = '{"server": "uvicorn", "view": "async-io", "requests": 10, "ms": 200}'
    for argument in sys.argv[1:] or [example]:
        print(json.dumps(run_scenario(json.loads(argument))))
