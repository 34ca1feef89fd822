"""The load driver ends every request with an outcome, also when the server misbehaves."""

import asyncio

import pytest

from harness.load import Outcome, fire
from harness.server_commands import HOST
from harness.servers import free_port

pytestmark = pytest.mark.servers

N = 20


async def fire_at(handle, **timeouts):
    """Fire N requests at a loopback asyncio server whose connections `handle` serves."""
    server = await asyncio.start_server(handle, HOST, 0)
    async with server:
        port = server.sockets[0].getsockname()[1]
        return await fire(f"http://{HOST}:{port}", "/", N, timeout=10.0, **timeouts)


async def answer_ok(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    await writer.drain()
    writer.close()


async def close_unanswered(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.close()


async def answer_half(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-")
    writer.close()


async def never_answer(reader, writer):
    await reader.read()  # the client gives up first and closes


def test_complete_responses_are_answered_with_their_status_and_body():
    load = asyncio.run(fire_at(answer_ok))
    assert load.outcomes == {Outcome.ANSWERED: N}
    assert {(reply.status, reply.body) for reply in load.replies} == {(200, b"ok")}


def test_a_connection_closed_before_any_answer_counts_as_refused():
    load = asyncio.run(fire_at(close_unanswered))
    assert load.outcomes == {Outcome.REFUSED: N}
    assert load.statuses == {None: N}


def test_a_port_nobody_listens_on_refuses_every_connection():
    port = free_port()
    load = asyncio.run(fire(f"http://{HOST}:{port}", "/", N, timeout=10.0, connect_timeout=5.0))
    assert load.outcomes == {Outcome.REFUSED: N}
    assert all(reply.error.startswith("ConnectionRefusedError") for reply in load.replies)


def test_a_partial_response_is_broken_not_answered():
    load = asyncio.run(fire_at(answer_half))
    assert load.outcomes == {Outcome.BROKEN: N}


def test_a_reply_that_never_comes_times_out_within_the_reply_timeout():
    load = asyncio.run(fire_at(never_answer, reply_timeout=0.3))
    assert load.outcomes == {Outcome.TIMED_OUT: N}
    assert all(300 <= reply.latency_ms < 5000 for reply in load.replies)
