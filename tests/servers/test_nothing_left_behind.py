"""What the harness starts is recorded, and whatever of it still runs or listens is named."""

import os
import signal
import sys
from subprocess import PIPE
from urllib.parse import urlsplit

import pytest

from harness import procfs, started
from harness.static_site import serve_directory
from harness.waiting import wait_until

pytestmark = pytest.mark.servers

# Forks a child that leaves the process group (as a daemon would), prints its pid, waits.
ESCAPING = """
import os, signal
if os.fork() == 0:
    os.setsid()
    print(os.getpid(), flush=True)  # only once out of the group: the test kills the group next
    signal.pause()
signal.pause()
"""


def test_a_running_server_is_named_with_its_pids_command_line_and_port(start):
    server = start("gunicorn-sync")
    leftovers = server.left_behind()
    pids = {leftover.pid for leftover in leftovers if leftover.port is None}
    assert pids == server.pids() and len(pids) == 2  # the arbiter and its one worker
    assert all("gunicorn" in leftover.command for leftover in leftovers)
    holders = [leftover for leftover in leftovers if leftover.port == server.port]
    assert holders and {holder.pid for holder in holders} <= pids
    report = started.describe(leftovers)
    assert f"port {server.port} held by pid {holders[0].pid}" in report
    assert f"gunicorn-sync: pid {server.process.pid} (" in report
    server.stop()
    assert server.left_behind() == []


def test_a_process_that_left_its_group_is_still_found_by_its_mark_and_ended():
    leader, start = started.spawn(
        "escaping", [sys.executable, "-c", ESCAPING], stdout=PIPE, text=True
    )
    try:
        escaped = int(leader.stdout.readline())
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait(timeout=10)
        assert procfs.group_members(leader.pid) == set()
        leftovers = started.left_behind([start])
        assert [(leftover.pid, leftover.port) for leftover in leftovers] == [(escaped, None)]
        assert leftovers[0].command.startswith(sys.executable)
    finally:
        started.end(started.left_behind([start]))
        leader.stdout.close()
    wait_until(lambda: started.left_behind([start]) == [])


def test_a_port_served_from_a_thread_here_is_named_until_it_is_closed(tmp_path):
    with serve_directory(tmp_path) as url:
        port = urlsplit(url).port
        holders = [leftover for leftover in started.left_behind() if leftover.port == port]
        assert [(holder.what, holder.pid) for holder in holders] == [("static site", os.getpid())]
    assert [leftover for leftover in started.left_behind() if leftover.port == port] == []
