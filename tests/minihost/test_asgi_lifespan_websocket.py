"""minihost.asgi runs the lifespan protocol and WebSocket sessions."""

import asyncio

import pytest
from minihost import LifespanFailed, ProtocolError, WebSocketClosed, WebSocketDenied, asgi


def run(coroutine):
    return asyncio.run(coroutine)


async def lifespan_app(scope, receive, send):
    assert scope["type"] == "lifespan"
    while True:
        event = await receive()
        if event["type"] == "lifespan.startup":
            scope["state"]["ready"] = True
            await send({"type": "lifespan.startup.complete"})
        else:
            await send({"type": "lifespan.shutdown.complete"})
            return


def test_lifespan_startup_and_shutdown_complete_and_share_state():
    async def main():
        lifespan = asgi.Lifespan(lifespan_app)
        started = await lifespan.startup()
        await lifespan.shutdown()
        return started, lifespan.state, lifespan.communicator.finished

    assert run(main()) == (True, {"ready": True}, True)


def test_an_app_that_raises_on_lifespan_is_reported_unsupported_like_uvicorn():
    async def django_like(scope, receive, send):
        raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")

    async def main():
        lifespan = asgi.Lifespan(django_like)
        supported = await lifespan.startup()
        await lifespan.shutdown()  # nothing is sent to an app without lifespan support
        return supported, lifespan.log

    assert run(main()) == (False, ["ASGI 'lifespan' protocol appears unsupported."])


def test_startup_failed_raises_lifespan_failed_with_the_apps_message():
    async def app(scope, receive, send):
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no database"})

    with pytest.raises(LifespanFailed, match="no database"):
        run(asgi.Lifespan(app).startup())


def test_answering_a_lifespan_event_that_was_not_sent_is_a_protocol_error():
    async def app(scope, receive, send):
        await receive()
        await send({"type": "lifespan.shutdown.complete"})

    with pytest.raises(ProtocolError, match=r"did not send lifespan\.shutdown"):
        run(asgi.Lifespan(app).startup())


async def echo(scope, receive, send):
    assert scope["type"] == "websocket"
    await receive()
    if scope["path"] == "/deny":
        await send({"type": "websocket.close"})
        return
    await send({"type": "websocket.accept", "subprotocol": "chat"})
    while True:
        event = await receive()
        if event["type"] == "websocket.disconnect":
            return
        if event.get("text") == "bye":
            await send({"type": "websocket.close", "code": 4000, "reason": "bye"})
            return
        if event.get("bytes") is not None:
            await send({"type": "websocket.send", "bytes": event["bytes"][::-1]})
        else:
            await send({"type": "websocket.send", "text": event["text"].upper()})


def test_websocket_scope_lives_as_long_as_the_socket():
    scope = asgi.websocket_scope("/ws", subprotocols=["chat"])
    assert (scope["type"], scope["scheme"], scope["subprotocols"]) == ("websocket", "ws", ["chat"])
    assert "method" not in scope


def test_websocket_echo_session_sends_and_receives_text_and_bytes():
    async def main():
        async with asgi.websocket_connect(echo, "/ws") as ws:
            await ws.send_text("hi")
            await ws.send_bytes(b"abc")
            return ws.subprotocol, await ws.receive(), await ws.receive()

    assert run(main()) == ("chat", "HI", b"cba")


def test_closing_before_accept_denies_the_handshake_with_403():
    async def main():
        async with asgi.websocket_connect(echo, "/deny"):
            pass

    with pytest.raises(WebSocketDenied) as denied:
        run(main())
    assert denied.value.status == 403


def test_the_app_closing_the_socket_is_reported_with_its_code():
    async def main():
        async with asgi.websocket_connect(echo, "/ws") as ws:
            await ws.send_text("bye")
            await ws.receive()

    with pytest.raises(WebSocketClosed) as closed:
        run(main())
    assert (closed.value.code, closed.value.reason) == (4000, "bye")


def test_the_client_leaving_sends_websocket_disconnect_with_its_code():
    codes = []

    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        codes.append((await receive())["code"])

    async def main():
        async with asgi.websocket_connect(app) as ws:
            await ws.close(1001)

    run(main())
    assert codes == [1001]


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ([{"type": "websocket.send", "text": "early"}], "before websocket.accept"),
        ([{"type": "websocket.accept"}, {"type": "websocket.accept"}], "sent twice"),
        ([{"type": "websocket.accept"}, {"type": "websocket.send"}], "exactly one"),
        (
            [{"type": "websocket.accept"}, {"type": "websocket.send", "text": "a", "bytes": b"b"}],
            "exactly one",
        ),
        ([{"type": "websocket.accept"}, {"type": "websocket.send", "bytes": "str"}], "not bytes"),
        (
            [{"type": "websocket.accept"}, {"type": "http.response.start", "status": 200}],
            "expected 'websocket.send'",
        ),
    ],
)
def test_websocket_messages_that_break_the_spec_raise_protocol_error(messages, match):
    async def app(scope, receive, send):
        await receive()
        for message in messages:
            await send(message)

    async def main():
        async with asgi.websocket_connect(app) as ws:
            await ws.receive()

    with pytest.raises(ProtocolError, match=match):
        run(main())
