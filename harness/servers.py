"""Real servers on a free loopback port: start one, wait until it answers, stop its group.

`start_server(kind, ...)` starts any kind of harness.server_commands (Gunicorn's workers,
Uvicorn, uWSGI, Granian, Hypercorn, Daphne, Waitress, mod_wsgi) in its own session with its
own TMPDIR, recorded by harness.started, and returns a `Server` whose `stop()` ends the
server and every worker process it started, also when it never became ready, and removes
that folder; `left_behind()` names what of it still runs or listens.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import DEVNULL, STDOUT, Popen

from harness import procfs, started, unprivileged
from harness.paths import PROJECT
from harness.server_commands import DEFAULTS, HOST, REFUSE_ROOT, server_command


class ServerError(RuntimeError):
    """A server did not start or did not answer; the message ends with its log."""


def free_port() -> int:
    """A port the kernel just called free; someone may take it before we bind it again."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running server: its URL, the command that started it and its log."""

    kind: str
    command: list[str]
    port: int
    process: Popen
    start: started.Start
    log_path: Path
    tmpdir: Path
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
        return procfs.group_members(self.process.pid)

    def left_behind(self) -> list[started.Leftover]:
        """What of the server still runs or listens on its port: nothing, once stopped."""
        return started.left_behind([self.start])

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
        shutil.rmtree(self.tmpdir, ignore_errors=True)

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
    if not procfs.available():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    return bool(procfs.group_members(pgid))


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
    workers: int = DEFAULTS["workers"],
    threads: int = DEFAULTS["threads"],
    worker_connections: int = DEFAULTS["worker_connections"],
    cwd: Path | str = PROJECT,
    cores: int | None = None,
    ready_path: str = "/",
    timeout: float = 30.0,
    attempts: int = 5,
    extra_args: tuple[str, ...] | list[str] = (),
    env: dict[str, str] | None = None,
) -> Server:
    """Start `kind` serving `app` (default: the demo project's WSGI or ASGI callable).

    Ready means an HTTP answer (any status) to `ready_path`. `cores` pins the server and
    its workers to that many CPUs. A port taken between choosing and binding is retried.
    `extra_args` go at the end of the command line, e.g. ("--lifespan", "on") for Uvicorn.
    `env` adds to the server's environment, e.g. {"DATABASE_URL": ...} for the demo project.
    """
    # Each of these would change what the command line says: worker counts, settings, flags.
    ignored = ("WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE", "GUNICORN_CMD_ARGS")
    # The demo project's database settings come only from `env`, never from the caller's shell.
    ignored += ("DATABASE_URL", "DB_POOL_SIZE", "DB_POOL_TIMEOUT", "DB_CONN_MAX_AGE")
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", **(env or {}))
    preexec = _pin_to(cores) if cores else None
    for _ in range(attempts):
        port = free_port()
        command = server_command(
            kind, port, app=app, workers=workers, threads=threads,
            worker_connections=worker_connections,
        )  # fmt: skip
        command += extra_args
        # What a server writes besides its log (mod_wsgi-express: Apache's configuration).
        tmpdir = Path(tempfile.mkdtemp(prefix=f"{kind}-tmp-"))
        argv = command
        if kind in REFUSE_ROOT and unprivileged.needed():
            unprivileged.give(tmpdir)
            argv = unprivileged.command(command)
        fd, log_name = tempfile.mkstemp(prefix=f"{kind}-", suffix=".log")
        with os.fdopen(fd, "wb") as log:
            process, start = started.spawn(
                kind, argv, ports=[port], env={**environment, "TMPDIR": str(tmpdir)}, cwd=cwd,
                stdin=DEVNULL, stdout=log, stderr=STDOUT, preexec_fn=preexec,
            )  # fmt: skip
        server = Server(
            kind, command, port, process, start, Path(log_name), tmpdir, workers, threads
        )
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
