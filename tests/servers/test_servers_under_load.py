"""300 connections at once on every server kind: each request answered or refused, none hangs.

Each case starts its server, opens 300 loopback connections, sends a request on each at
the same instant and reads every reply within hard timeouts (connect, reply, the whole
run); then stops the server and checks that none of its processes is left and its port is
free.
"""

import pytest

from harness.load import Outcome, fire_sync
from harness.server_commands import KINDS, WSGI_KINDS, takes
from harness.waiting import wait_until

pytestmark = pytest.mark.servers

CONNECTIONS = 300
MS = 10
START_S = 30.0  # until the server answers; then the burst, then stop() (at most 15 s)
CONNECT_S = 10.0  # Linux resends a dropped SYN 1, 3 and 7 s on: room for three retries
REPLY_S = 20.0
RUN_S = 45.0  # the hard bound on one burst, connecting and replying included
UVICORN_LIMIT = 20  # far under CONNECTIONS, so most requests get uvicorn's 503
SERVICE_UNAVAILABLE = b"Service Unavailable"  # uvicorn's body for a request over the limit


def options(kind):
    """Two workers where the server has the option: more processes to end afterwards."""
    return {"timeout": START_S, **({"workers": 2} if takes(kind, "workers") else {})}


def short_view(kind):
    """The view each interface runs natively: a sync wait on WSGI, an awaited one on ASGI."""
    return f"/io/sync?ms={MS}" if kind in WSGI_KINDS else f"/io/async?ms={MS}"


def burst(server, kind):
    """Fire the 300 requests; every one must end answered or refused within its timeouts."""
    load = fire_sync(
        server.base_url,
        short_view(kind),
        CONNECTIONS,
        timeout=RUN_S,
        connect_timeout=CONNECT_S,
        reply_timeout=REPLY_S,
    )
    assert len(load.replies) == CONNECTIONS
    unfinished = [r for r in load.replies if r.outcome in (Outcome.TIMED_OUT, Outcome.BROKEN)]
    assert not unfinished, (len(unfinished), sorted({r.error for r in unfinished}))
    return load


def check_answers(load, kind, pids):
    """Each 200 names the view, its ms and a process of this server."""
    view = short_view(kind).split("?")[0].lstrip("/")
    for reply in load.replies:
        if reply.status == 200:
            body = reply.json()
            assert (body["view"], body["ms"]) == (view, MS), body
            assert body["pid"] in pids, (body, pids)


def check_nothing_left(server):
    server.stop()
    assert server.pids() == set()
    assert server.left_behind() == []


@pytest.mark.parametrize("kind", KINDS)
def test_three_hundred_connections_at_once_are_all_answered_and_nothing_is_left(start, kind):
    server = start(kind, **options(kind))
    load = burst(server, kind)
    check_answers(load, kind, server.pids())
    assert load.statuses == {200: CONNECTIONS}, load.summary()
    check_nothing_left(server)


def test_uvicorn_over_its_concurrency_limit_refuses_with_503_and_nothing_hangs(start):
    limit = ("--limit-concurrency", str(UVICORN_LIMIT))
    server = start("uvicorn", timeout=START_S, extra_args=limit)
    load = burst(server, "uvicorn")
    check_answers(load, "uvicorn", server.pids())
    refused_with_status = [r for r in load.replies if r.status == 503]
    assert refused_with_status, load.summary()
    assert all(SERVICE_UNAVAILABLE in r.body for r in refused_with_status)
    answered = sum(1 for r in load.replies if r.status == 200)
    refused = load.outcomes[Outcome.REFUSED]
    assert answered + len(refused_with_status) + refused == CONNECTIONS, load.summary()
    check_nothing_left(server)


def test_mod_wsgi_answers_504_to_requests_left_in_its_queue_past_the_queue_timeout(start):
    # One daemon thread, 700 ms a request, a 1 s --queue-timeout (45 s by default): the
    # first two are served, the two still queued when their second is up get Apache's 504.
    server = start("mod_wsgi", timeout=START_S, extra_args=("--queue-timeout", "1"))
    load = fire_sync(server.base_url, "/io/sync?ms=700", 4, timeout=RUN_S)
    assert load.statuses == {200: 2, 504: 2}, load.summary()
    # Apache writes its error log after the response has gone: wait for both lines.
    expired = "Queue timeout expired for WSGI daemon process"
    wait_until(lambda: server.log().count(expired) >= 2, explain=server.log)
    assert server.log().count(expired) == 2
    check_nothing_left(server)
