"""minihost.asgi serves HTTP to an ASGI app and checks what the app sends."""

import asyncio

import pytest
from minihost import AppExited, ClientDisconnected, ProtocolError, Timeout, asgi


def run(coroutine):
    return asyncio.run(coroutine)


async def start_response(send, content_type: bytes) -> None:
    """Send a 200 status line with one content-type header."""
    headers = [(b"content-type", content_type)]
    await send({"type": "http.response.start", "status": 200, "headers": headers})


async def hello(scope, receive, send):
    await receive()
    await start_response(send, b"text/plain")
    await send({"type": "http.response.body", "body": b"hello"})


async def start_streaming(receive, send, first: bytes) -> None:
    """Read the request, then send the status and a first chunk with more to come."""
    await receive()
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": first, "more_body": True})


async def leave_after_the_first_chunk(app) -> None:
    """A client that reads one chunk of the response and goes away."""
    async with asgi.open_http(app) as response:
        async for _chunk in response:
            break


def test_http_scope_follows_the_www_spec():
    scope = asgi.http_scope("get", "/a b", query_string="x=1", headers=[("X-Name", "v")])
    assert scope["type"] == "http"
    assert scope["asgi"] == {"version": "3.0", "spec_version": "2.5"}
    assert scope["method"] == "GET"
    assert scope["raw_path"] == b"/a%20b"
    assert scope["query_string"] == b"x=1"
    assert scope["headers"] == [(b"host", b"testserver"), (b"x-name", b"v")]


def test_request_returns_status_headers_and_body():
    response = run(asgi.request(hello))
    assert (response.status, response.header("content-type"), response.body) == (
        200,
        "text/plain",
        b"hello",
    )


def test_a_request_body_arrives_in_several_events_with_more_body():
    seen = []

    async def app(scope, receive, send):
        while True:
            event = await receive()
            seen.append((event["body"], event["more_body"]))
            if not event["more_body"]:
                break
        await hello(scope, lambda: asyncio.sleep(0), send)

    run(asgi.request(app, "POST", body=[b"a", b"b", b"c"]))
    assert seen == [(b"a", True), (b"b", True), (b"c", False)]


def test_a_streamed_response_arrives_chunk_by_chunk():
    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200})
        for n in range(3):
            await send({"type": "http.response.body", "body": b"%d" % n, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def main():
        async with asgi.open_http(app) as response:
            return [chunk async for chunk in response]

    assert run(main()) == [b"0", b"1", b"2"]


def test_receive_after_the_response_returns_http_disconnect():
    events = []

    async def app(scope, receive, send):
        await hello(scope, receive, send)
        events.append(await receive())

    run(asgi.request(app))
    assert events == [{"type": "http.disconnect"}]


def test_leaving_a_stream_early_sends_http_disconnect_to_the_app():
    events = []

    async def app(scope, receive, send):
        await start_streaming(receive, send, b"first")
        events.append(await receive())

    run(leave_after_the_first_chunk(app))
    assert events == [{"type": "http.disconnect"}]


def test_send_after_the_client_left_raises_an_oserror_subclass():
    errors = []

    async def app(scope, receive, send):
        await start_streaming(receive, send, b"1")
        await receive()  # http.disconnect
        try:
            await send({"type": "http.response.body", "body": b"2", "more_body": True})
        except OSError as error:
            errors.append(error)
            raise

    run(leave_after_the_first_chunk(app))
    assert len(errors) == 1 and isinstance(errors[0], ClientDisconnected)


def test_sse_events_are_parsed_from_the_streamed_body():
    async def app(scope, receive, send):
        await receive()
        await start_response(send, b"text/event-stream")
        # One event split across two chunks, and a comment line.
        for chunk in (b": ping\n\nevent: a\nda", b"ta: x\ndata: y\n\n", b"data: z\n\n"):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def main():
        async with asgi.open_http(app) as response:
            return [(e.event, e.data) async for e in response.events()]

    assert run(main()) == [("a", "x\ny"), ("message", "z")]


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ([{"type": "http.response.body", "body": b"x"}], "before http.response.start"),
        ([{"type": "http.response.start", "status": 200}] * 2, "sent twice"),
        ([{"type": "http.response.start", "status": "200 OK"}], "not an int"),
        ([{"type": "http.response.start", "status": 200, "headers": [("a", "b")]}], "bytes"),
        ([{"type": "http.response.start", "status": 200, "headers": [(b"A", b"b")]}], "lowercase"),
        (
            [
                {"type": "http.response.start", "status": 200},
                {"type": "http.response.body", "body": "text"},
            ],
            "not bytes",
        ),
        (
            [
                {"type": "http.response.start", "status": 200},
                {"type": "http.response.body", "body": b"", "more_body": 1},
            ],
            "not a bool",
        ),
        ([{"type": "http.response.begin"}], "expected 'http.response.start'"),
        (["not a dict"], "dict"),
    ],
)
def test_messages_that_break_the_spec_raise_protocol_error_inside_send(messages, match):
    async def app(scope, receive, send):
        await receive()
        for message in messages:
            await send(message)

    with pytest.raises(ProtocolError, match=match) as error:
        run(asgi.request(app))
    assert error.value.link.startswith("https://asgi.readthedocs.io/")


def test_messages_after_the_response_completed_are_ignored():
    async def app(scope, receive, send):
        await hello(scope, receive, send)
        await send({"type": "http.response.body", "body": b" more"})

    assert run(asgi.request(app)).body == b"hello"


def test_an_app_that_never_answers_times_out_and_is_cancelled():
    cancelled = []

    async def app(scope, receive, send):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    with pytest.raises(Timeout):
        run(asgi.request(app, timeout=0.05))
    assert cancelled == [True]


def test_an_app_that_returns_without_a_response_raises_app_exited():
    async def app(scope, receive, send):
        await receive()

    with pytest.raises(AppExited):
        run(asgi.request(app))


def test_the_apps_own_exception_reaches_the_caller():
    async def app(scope, receive, send):
        raise KeyError("bug in the view")

    with pytest.raises(KeyError, match="bug in the view"):
        run(asgi.request(app))


def test_communicator_logs_events_from_the_apps_point_of_view():
    async def main():
        communicator = asgi.ApplicationCommunicator(hello, asgi.http_scope())
        await communicator.send_input({"type": "http.request"})
        await communicator.receive_output()
        await communicator.receive_output()
        await communicator.wait()
        return [(direction, message["type"]) for direction, message in communicator.log]

    assert run(main()) == [
        ("receive", "http.request"),
        ("send", "http.response.start"),
        ("send", "http.response.body"),
    ]


def test_receive_nothing_keeps_the_output_for_later():
    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 204})
        await receive()

    async def main():
        communicator = asgi.ApplicationCommunicator(app, asgi.http_scope())
        await communicator.send_input({"type": "http.request"})
        await asyncio.sleep(0.01)
        nothing = await communicator.receive_nothing(0.01)
        start = await communicator.receive_output()
        silent = await communicator.receive_nothing(0.01)
        await communicator.cancel()
        return nothing, start["status"], silent

    assert run(main()) == (False, 204, True)


def test_lifespan_state_is_copied_into_each_request_scope():
    scopes = []

    async def app(scope, receive, send):
        scopes.append(scope)
        await hello(scope, receive, send)

    state = {"pool": "p"}
    run(asgi.request(app, state=state))
    assert scopes[0]["state"] == state and scopes[0]["state"] is not state
