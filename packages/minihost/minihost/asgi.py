"""Run ASGI applications in-process, one event at a time, as a protocol server does.

The app runs as an asyncio task on the running loop (CPython or Pyodide's browser loop);
every wait has a timeout on the real clock, after which the app is cancelled, so a
broken app ends the demo with an error instead of hanging the page.
"""

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from minihost import errors
from minihost.checks import HTTPCheck, LifespanCheck, WebSocketCheck, checker_for
from minihost.responses import Body, Headers
from minihost.sse import SSEEvent, SSEParser
from minihost.types import ASGIApp, Message, Scope

ASGI_VERSION = {"version": "3.0", "spec_version": "2.5"}
DEFAULT_TIMEOUT = 1.0  # seconds; demos answer in milliseconds, a stuck app fails fast.

type HeaderInput = Iterable[tuple[str | bytes, str | bytes]]


def _encode_headers(headers: HeaderInput, host: str) -> list[tuple[bytes, bytes]]:
    """Lowercased byte pairs, as the spec requires; a Host header like a browser's."""
    pairs = [
        (
            (name if isinstance(name, bytes) else name.encode("latin-1")).lower(),
            value if isinstance(value, bytes) else value.encode("latin-1"),
        )
        for name, value in headers
    ]
    if not any(name == b"host" for name, _ in pairs):
        pairs.insert(0, (b"host", host.encode("latin-1")))
    return pairs


def http_scope(
    method: str = "GET",
    path: str = "/",
    *,
    query_string: str | bytes = b"",
    headers: HeaderInput = (),
    http_version: str = "1.1",
    scheme: str = "http",
    server: tuple[str, int] = ("testserver", 80),
    client: tuple[str, int] = ("127.0.0.1", 50000),
    root_path: str = "",
    state: dict | None = None,
) -> Scope:
    """The connection scope of one HTTP request (ASGI www spec, HTTP Connection Scope)."""
    scope: Scope = {
        "type": "http",
        "asgi": dict(ASGI_VERSION),
        "http_version": http_version,
        "method": method.upper(),
        "scheme": scheme,
        "path": path,
        "raw_path": quote(path).encode("ascii"),
        "query_string": query_string.encode() if isinstance(query_string, str) else query_string,
        "root_path": root_path,
        "headers": _encode_headers(headers, server[0]),
        "client": client,
        "server": server,
    }
    if state is not None:
        # Lifespan state: "a shallow copy of the namespace is passed into each" request.
        scope["state"] = dict(state)
    return scope


def websocket_scope(
    path: str = "/",
    *,
    query_string: str | bytes = b"",
    headers: HeaderInput = (),
    subprotocols: Iterable[str] = (),
    scheme: str = "ws",
    server: tuple[str, int] = ("testserver", 80),
    client: tuple[str, int] = ("127.0.0.1", 50000),
    state: dict | None = None,
) -> Scope:
    """The connection scope of one WebSocket; it lives as long as the socket."""
    scope = http_scope(
        "GET",
        path,
        query_string=query_string,
        headers=headers,
        server=server,
        client=client,
        state=state,
    )
    scope.pop("method")
    scope.update(type="websocket", scheme=scheme, subprotocols=list(subprotocols))
    return scope


def lifespan_scope(state: dict | None = None) -> Scope:
    """The lifespan scope; `state` is the namespace later copied into each request."""
    return {"type": "lifespan", "asgi": dict(ASGI_VERSION), "state": {} if state is None else state}


class ApplicationCommunicator:
    """One running app instance: feed it events with send_input, read its events back.

    Every message the app sends is checked against the spec for its scope type; a
    violation raises ProtocolError inside the app's `await send(...)`, as servers do.
    """

    def __init__(self, app: ASGIApp, scope: Scope, *, timeout: float = DEFAULT_TIMEOUT):
        self.app, self.scope, self.timeout = app, scope, timeout
        self.checker: HTTPCheck | WebSocketCheck | LifespanCheck = checker_for(scope["type"])
        self.log: list[tuple[str, Message]] = []  # ("receive" | "send", message), app's view.
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._outbox: asyncio.Queue[Message] = asyncio.Queue()
        self._over: Message | None = None  # What receive() returns once the connection ended.
        self._peeked: list[Message] = []  # Output seen by receive_nothing(), not yet read.
        self._task: asyncio.Task | None = None

    def _start(self) -> asyncio.Task:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        return self._task

    async def _run(self) -> None:
        await self.app(self.scope, self._receive, self._send)

    async def _receive(self) -> Message:
        if self._over is not None and self._inbox.empty():
            message = self._over
        else:
            message = await self._inbox.get()
        self.log.append(("receive", message))
        return message

    async def _send(self, message: Message) -> None:
        self.log.append(("send", message))
        if not self.checker.app_sent(message):
            return
        await self._outbox.put(message)
        over = _disconnect_after(self.checker, message)
        if over is not None and self._over is None:
            # The connection just ended: a pending or later receive() learns it.
            self._over = over
            self._inbox.put_nowait(over)

    async def send_input(self, message: Message) -> None:
        """Deliver one event from the server to the app (e.g. http.request)."""
        self._start()
        self.checker.server_sent(message)
        await self._inbox.put(message)

    async def receive_output(self, timeout: float | None = None) -> Message:
        """The next event the app sends; raises the app's error, AppExited or Timeout."""
        task = self._start()
        if self._peeked:
            return self._peeked.pop(0)
        if not self._outbox.empty():
            return self._outbox.get_nowait()
        limit = self.timeout if timeout is None else timeout
        getter = asyncio.ensure_future(self._outbox.get())
        done, _ = await asyncio.wait(
            {getter, task}, timeout=limit, return_when=asyncio.FIRST_COMPLETED
        )
        if getter in done:
            return getter.result()
        getter.cancel()
        if task in done:
            if not self._outbox.empty():
                return self._outbox.get_nowait()
            self._raise_app_error()
            raise errors.AppExited("the app returned without sending another message")
        await self.cancel()
        raise errors.Timeout(f"the app sent nothing for {limit:g} s, so minihost cancelled it")

    async def receive_nothing(self, timeout: float = 0.05) -> bool:
        """True if the app sends nothing within `timeout` seconds (it keeps running)."""
        task = self._start()
        if self._peeked or not self._outbox.empty():
            return False
        getter = asyncio.ensure_future(self._outbox.get())
        done, _ = await asyncio.wait(
            {getter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if getter in done:
            # Keep it for receive_output(): nothing is lost by asking.
            self._peeked.append(getter.result())
            return False
        getter.cancel()
        if task in done:
            self._raise_app_error()
        return True

    async def wait(self, timeout: float | None = None) -> None:
        """Wait for the app to return; raise its error, or Timeout after cancelling it."""
        task = self._start()
        limit = self.timeout if timeout is None else timeout
        done, _ = await asyncio.wait({task}, timeout=limit)
        if not done:
            await self.cancel()
            raise errors.Timeout(
                f"the app did not return within {limit:g} s, so minihost cancelled it"
            )
        self._raise_app_error()

    async def cancel(self) -> None:
        """Cancel the app, as a server does when it gives up on a connection."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task})

    @property
    def finished(self) -> bool:
        return self._task is not None and self._task.done()

    def _raise_app_error(self) -> None:
        task = self._task
        if task is None or not task.done():
            return
        if task.cancelled():
            raise errors.AppExited("the app was cancelled")
        error = task.exception()
        if error is not None:
            raise error


def _disconnect_after(
    checker: HTTPCheck | WebSocketCheck | LifespanCheck, sent: Message
) -> Message | None:
    """The event receive() returns once the app has ended the connection."""
    if isinstance(checker, HTTPCheck) and checker.state == "done":
        # "Sent to the application if receive is called after a response has been sent"
        return {"type": "http.disconnect"}
    if isinstance(checker, WebSocketCheck) and checker.state in ("closed", "denied"):
        return {"type": "websocket.disconnect", "code": sent.get("code", 1000), "reason": ""}
    return None


def _decode_headers(raw: Iterable) -> list[tuple[str, str]]:
    return [(bytes(name).decode("latin-1"), bytes(value).decode("latin-1")) for name, value in raw]


@dataclass
class HTTPResponse(Body):
    """A whole response: status, headers (decoded) and body chunks as the app sent them."""

    status: int
    headers: list[tuple[str, str]]
    chunks: list[bytes] = field(default_factory=list)


class HTTPStream(Headers):
    """A response being received: `async with open_http(...) as r: async for chunk in r`.

    Leaving the block before the response is complete is a client disconnect: the app
    receives http.disconnect, and its next send() raises ClientDisconnected.
    """

    def __init__(self, app: ASGIApp, scope: Scope, body: bytes | Iterable[bytes], timeout: float):
        self.communicator = ApplicationCommunicator(app, scope, timeout=timeout)
        self._body = [body] if isinstance(body, bytes) else list(body)
        self.status = 0
        self.headers: list[tuple[str, str]] = []
        self.complete = False

    async def __aenter__(self) -> "HTTPStream":
        chunks = self._body or [b""]
        for index, chunk in enumerate(chunks):
            # A request body may arrive in several events; more_body says more follow.
            await self.communicator.send_input(
                {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            )
        start = await self.communicator.receive_output()
        self.status, self.headers = start["status"], _decode_headers(start.get("headers", []))
        return self

    def __aiter__(self) -> "HTTPStream":
        return self

    async def __anext__(self) -> bytes:
        while not self.complete:
            message = await self.communicator.receive_output()
            self.complete = not message.get("more_body", False)
            if message.get("body"):
                return message["body"]
        raise StopAsyncIteration

    def events(self) -> "_SSEIterator":
        """The body parsed as server-sent events, one SSEEvent at a time."""
        return _SSEIterator(self)

    async def __aexit__(self, error_type, error, traceback) -> None:
        communicator = self.communicator
        if not self.complete and not communicator.finished:
            await communicator.send_input({"type": "http.disconnect"})
        try:
            await communicator.wait()
        except (errors.ClientDisconnected, errors.Timeout):
            # Servers "should not log it as an error"; a stuck app was cancelled.
            pass
        except Exception:
            if error is None:
                raise


class _SSEIterator:
    def __init__(self, stream: HTTPStream):
        self._stream, self._parser, self._ready = stream, SSEParser(), []

    def __aiter__(self) -> "_SSEIterator":
        return self

    async def __anext__(self) -> SSEEvent:
        while not self._ready:
            self._ready = self._parser.feed(await self._stream.__anext__())
        return self._ready.pop(0)


def open_http(
    app: ASGIApp,
    method: str = "GET",
    path: str = "/",
    *,
    body: bytes | Iterable[bytes] = b"",
    timeout: float = DEFAULT_TIMEOUT,
    **scope_args,
) -> HTTPStream:
    """Start one HTTP request; keyword arguments go to http_scope()."""
    return HTTPStream(app, http_scope(method, path, **scope_args), body, timeout)


async def request(app: ASGIApp, method: str = "GET", path: str = "/", **options) -> HTTPResponse:
    """Serve one HTTP request to `app` and return the whole response (options: open_http())."""
    async with open_http(app, method, path, **options) as stream:
        chunks = [chunk async for chunk in stream]
    return HTTPResponse(stream.status, stream.headers, chunks)


class Lifespan:
    """The lifespan protocol as Uvicorn runs it with its default `--lifespan auto`."""

    def __init__(self, app: ASGIApp, *, timeout: float = DEFAULT_TIMEOUT):
        self.state: dict = {}
        self.communicator = ApplicationCommunicator(
            app, lifespan_scope(self.state), timeout=timeout
        )
        self.supported: bool | None = None
        self.log: list[str] = []

    async def startup(self) -> bool:
        """Send lifespan.startup; False when the app does not speak lifespan."""
        await self.communicator.send_input({"type": "lifespan.startup"})
        try:
            answer = await self.communicator.receive_output()
        except (errors.ProtocolError, errors.Timeout):
            raise
        except Exception:
            # "If an exception is raised ... the server must continue but not send any
            # lifespan events." This is Uvicorn's log line for that case.
            self.supported = False
            self.log.append("ASGI 'lifespan' protocol appears unsupported.")
            return False
        if answer["type"] == "lifespan.startup.failed":
            raise errors.LifespanFailed(answer.get("message", ""))
        self.supported = True
        return True

    async def shutdown(self) -> None:
        """Send lifespan.shutdown and wait for the app to answer and return."""
        if not self.supported:
            return
        await self.communicator.send_input({"type": "lifespan.shutdown"})
        answer = await self.communicator.receive_output()
        if answer["type"] == "lifespan.shutdown.failed":
            raise errors.LifespanFailed(answer.get("message", ""))
        await self.communicator.wait()

    async def __aenter__(self) -> "Lifespan":
        await self.startup()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.shutdown()


class WebSocketSession:
    """A client's side of one WebSocket: `async with websocket_connect(app, "/ws") as ws`."""

    def __init__(self, app: ASGIApp, scope: Scope, timeout: float):
        self.communicator = ApplicationCommunicator(app, scope, timeout=timeout)
        self.subprotocol: str | None = None
        self.close_code: int | None = None

    async def __aenter__(self) -> "WebSocketSession":
        await self.communicator.send_input({"type": "websocket.connect"})
        answer = await self.communicator.receive_output()
        if answer["type"] == "websocket.close":
            await self.communicator.wait()
            # "the server must close the connection with a HTTP 403 error code (Forbidden)"
            raise errors.WebSocketDenied("the app closed the handshake: the client gets HTTP 403")
        self.subprotocol = answer.get("subprotocol")
        return self

    async def send_text(self, text: str) -> None:
        await self.communicator.send_input({"type": "websocket.receive", "text": text})

    async def send_bytes(self, data: bytes) -> None:
        await self.communicator.send_input({"type": "websocket.receive", "bytes": data})

    async def receive(self) -> str | bytes:
        """The next message; raises WebSocketClosed when the app closes the socket."""
        message = await self.communicator.receive_output()
        if message["type"] == "websocket.close":
            self.close_code = message.get("code", 1000)
            raise errors.WebSocketClosed(self.close_code, message.get("reason") or "")
        return message["text"] if message.get("text") is not None else message["bytes"]

    async def close(self, code: int = 1000) -> None:
        """The client closes: the app receives websocket.disconnect and should return."""
        if self.close_code is None and not self.communicator.finished:
            self.close_code = code
            await self.communicator.send_input(
                {"type": "websocket.disconnect", "code": code, "reason": ""}
            )
        with contextlib.suppress(errors.ClientDisconnected):
            await self.communicator.wait()

    async def __aexit__(self, error_type, error, traceback) -> None:
        try:
            await self.close()
        except Exception:
            if error is None:
                raise


def websocket_connect(
    app: ASGIApp, path: str = "/", *, timeout: float = DEFAULT_TIMEOUT, **scope_args
) -> WebSocketSession:
    """Open a WebSocket to `app`; keyword arguments go to websocket_scope()."""
    return WebSocketSession(app, websocket_scope(path, **scope_args), timeout)
