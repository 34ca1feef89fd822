"""Every process and port the harness starts, recorded as it starts them, and what is left.

`spawn()` is the one way the harness starts a process: in its own session, with a mark in
its environment that every descendant inherits (also one that leaves the group), recorded
with the ports it is to serve. `record_listener()` records a port served from inside this
process.
`left_behind()` names, with pid, command line and port, whatever of them still runs or
listens; `end()` kills those processes.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import uuid
from dataclasses import dataclass

from harness import procfs

MARK = "WSGI_ASGI_HARNESS_START"
# This session's prefix: servers started by another test run on the machine are not ours.
_SESSION = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
_numbers = itertools.count(1)


@dataclass(eq=False)
class Start:
    """One thing the harness started: a process (pid None: this process) and its ports."""

    what: str
    pid: int | None = None
    token: str = ""
    ports: tuple[int, ...] = ()


@dataclass(frozen=True)
class Leftover:
    """A process still running, or a port still listening, that the harness started."""

    what: str
    pid: int
    command: str
    port: int | None = None

    def __str__(self) -> str:
        where = f"port {self.port} held by " if self.port is not None else ""
        return f"{self.what}: {where}pid {self.pid} ({self.command})"


_starts: list[Start] = []


def spawn(
    what: str, command: list[str], *, ports=(), env: dict | None = None, **popen
) -> tuple[subprocess.Popen, Start]:
    """Popen `command` in a new session with the mark set; returns (process, its Start).

    `ports`: those it is to listen on. One it could not bind (someone else had it) is no
    leftover: a port counts only while one of the start's own processes holds it.
    """
    token = f"{_SESSION}.{next(_numbers)}"
    environment = {**(os.environ if env is None else env), MARK: token}
    process = subprocess.Popen(command, env=environment, start_new_session=True, **popen)
    start = Start(what, process.pid, token, tuple(ports))
    _starts.append(start)
    return process, start


def record_listener(what: str, port: int) -> Start:
    """Record a port that this process itself serves (a server on a thread)."""
    start = Start(what, ports=(port,))
    _starts.append(start)
    return start


def left_behind(starts: list[Start] | None = None) -> list[Leftover]:
    """What of `starts` (default: everything recorded) still runs or listens."""
    starts = _starts if starts is None else starts
    if not starts or not procfs.available():
        return []
    groups = procfs.live_groups()
    marks = {pid: procfs.environment_value(pid, MARK) for pid in groups}
    listening = procfs.listening_sockets()
    leftovers = []
    for start in starts:
        ours = _processes_of(start, groups, marks)
        leftovers += [Leftover(start.what, pid, procfs.command_line(pid)) for pid in sorted(ours)]
        leftovers += _listeners_of(start, ours, listening)
    return leftovers


def end(leftovers: list[Leftover]) -> None:
    """SIGKILL the leftover processes (never this one) and their groups."""
    for pid in {leftover.pid for leftover in leftovers} - {os.getpid()}:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def describe(leftovers: list[Leftover]) -> str:
    lines = "\n".join(f"  {leftover}" for leftover in leftovers)
    return f"the harness left {len(leftovers)} thing(s) behind:\n{lines}"


def _processes_of(start: Start, groups: dict[int, int], marks: dict[int, str | None]) -> set[int]:
    """Live processes carrying the start's mark, plus its process group while it has one.

    The group counts only while a marked process is in it: once it is empty, the kernel
    may hand its number to an unrelated group.
    """
    if start.pid is None:
        return set()
    marked = {pid for pid, token in marks.items() if token == start.token}
    group = procfs.group_members(start.pid, groups)
    return marked | group if marked & group else marked


def _listeners_of(start: Start, ours: set[int], listening: dict[int, set[int]]) -> list[Leftover]:
    """Its ports still listening, when held by its processes (or this one, for a thread)."""
    holders = ours if start.pid is not None else {os.getpid()}
    leftovers = []
    for port in start.ports:
        if port not in listening:
            continue
        # Someone else may have been given the freed port since: theirs is not a leftover.
        for pid in sorted(procfs.socket_owners(listening[port]) & holders):
            leftovers.append(Leftover(start.what, pid, procfs.command_line(pid), port))
    return leftovers
