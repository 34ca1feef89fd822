"""What Linux's /proc says about live processes and listening TCP ports.

Formats: https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html (stat),
proc_pid_environ.5, proc_pid_fd.5, and https://docs.kernel.org/networking/proc_net_tcp.html.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
_LISTEN = "0A"  # TCP_LISTEN in the `st` column of /proc/net/tcp and tcp6
_DEAD = ("Z", "X")  # a zombie waits for its parent to reap it; it holds no socket, runs nothing


def available() -> bool:
    return (PROC / "self" / "stat").is_file()


def live_groups() -> dict[int, int]:
    """{pid: process group} of every process that still runs (zombies excluded)."""
    groups = {}
    for pid in _all_pids():
        state, pgrp = _stat_fields(pid)
        if state not in _DEAD:
            groups[pid] = pgrp
    return groups


def group_members(pgid: int, groups: dict[int, int] | None = None) -> set[int]:
    """The live processes whose process group is pgid (from `groups`, if already read)."""
    groups = live_groups() if groups is None else groups
    return {pid for pid, pgrp in groups.items() if pgrp == pgid}


def environment_value(pid: int, name: str) -> str | None:
    """The value `name` had in the environment the process was started with, if any."""
    try:
        data = (PROC / str(pid) / "environ").read_bytes()
    except OSError:  # gone, or another user's process: not one the harness started
        return None
    prefix = name.encode() + b"="
    for item in data.split(b"\0"):
        if item.startswith(prefix):
            return item[len(prefix) :].decode(errors="replace")
    return None


def command_line(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)


def listening_sockets() -> dict[int, set[int]]:
    """{port: socket inodes} of every TCP socket in LISTEN state, IPv4 and IPv6."""
    listening: dict[int, set[int]] = {}
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            # sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            fields = line.split()
            if fields[3] == _LISTEN:
                port = int(fields[1].rsplit(":", 1)[1], 16)
                listening.setdefault(port, set()).add(int(fields[9]))
    return listening


def socket_owners(inodes: set[int]) -> set[int]:
    """The processes holding a file descriptor on any of these socket inodes."""
    targets = {f"socket:[{inode}]" for inode in inodes}
    owners = set()
    for pid in live_groups():
        try:
            descriptors = list((PROC / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                if os.readlink(descriptor) in targets:
                    owners.add(pid)
                    break
            except OSError:
                continue
    return owners


def _all_pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def _stat_fields(pid: int) -> tuple[str, int]:
    """(state, process group) of pid; ("X", 0) once it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return "X", 0
    # The command in parentheses may hold spaces; after it come: state ppid pgrp ...
    state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
    return state, int(pgrp)
