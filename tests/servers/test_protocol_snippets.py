"""Every protocol snippet's app gives real servers' clients the answer it gives minihost.

The right answer is the app's own in-process behaviour: the same request driven through
minihost must give the same status, the same app-set headers, the same body and the same
printed lines as Gunicorn (WSGI) or Uvicorn, Hypercorn and Daphne (ASGI) over real HTTP.
"""

import asyncio
import contextlib
import io
import re
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import WSGIWarning, validator

import pytest
from minihost import WebSocketClosed, WebSocketDenied, asgi, wsgi
from minihost.sse import SSEParser
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from harness.snippet_apps import NotAnApp, exchange, protocol_of, snippet_apps

pytestmark = pytest.mark.servers

WSGI_KINDS = ("gunicorn-sync", "gunicorn-gthread")
ASGI_KINDS = ("uvicorn", "hypercorn", "daphne")
# Daphne 4.2.3 has no lifespan support at all (the word is nowhere in its source), so an app
# that needs scope["state"] cannot run there; Uvicorn is told to insist on lifespan.
LIFESPAN_SERVERS = {"uvicorn": ("--lifespan", "on"), "hypercorn": ()}
TABLE = "REQUESTS in tests/servers/test_protocol_snippets.py"


@dataclass(frozen=True)
class Http:
    """One HTTP request to send to a snippet's app, in-process and over the wire."""

    method: str = "GET"
    path: str = "/"
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    gap_s: float = 0.0  # the app sleeps this long between body chunks: check they stream
    varies: bytes = b""  # a regex for the part of the body the server may choose, masked
    lifespan: bool = False  # the app needs lifespan startup before it can answer

    @property
    def target(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


@dataclass(frozen=True)
class Sse:
    """Read `events` server-sent events, then leave, as a closed browser tab does."""

    path: str
    events: int
    gap_s: float


@dataclass(frozen=True)
class WebSocket:
    """Echo `messages`, then send `closing` (the app closes), then try `denied_path`."""

    path: str
    messages: tuple[str, ...]
    closing: str
    denied_path: str


# One request per app section; a new snippet app fails until it has an entry here.
REQUESTS = {
    "asgi/hello_app": Http(path="/hello"),
    "asgi/lifespan": Http(lifespan=True),
    "asgi/raw_events": Http("POST", "/upload", query="v=1", body=b"hello"),
    # How many http.request events carry a body is the server's choice (ASGI www spec,
    # "more_body"): Hypercorn adds an empty last event, Uvicorn and Daphne do not.
    "asgi/request_body": Http(
        "POST", "/upload", body=b"a" * 1000 + b"b" * 1000 + b"c" * 24, varies=rb"in \d+ http"
    ),
    "asgi/sse": Sse("/events", events=3, gap_s=0.01),
    "asgi/streaming": Http(path="/countdown", gap_s=0.01),
    "asgi/websocket_echo": WebSocket(
        "/chat", messages=("xin chào", "hello"), closing="bye", denied_path="/elsewhere"
    ),
    "wsgi/environ_tour": Http(
        "POST",
        "/orders",
        query="page=2",
        headers=(("User-Agent", "demo/1.0"), ("Content-Type", "application/json")),
        body=b'{"qty": 3}',
    ),
    "wsgi/hello_app": Http(path="/hello"),
    "wsgi/middleware": Http(),
    "wsgi/streaming": Http(path="/countdown", gap_s=0.01),
}

APPS = {snippet.name: snippet for snippet in snippet_apps()}


def _protocol(name: str) -> str | None:
    """The app's protocol, or None when the section is broken (a test below says why)."""
    try:
        return protocol_of(APPS[name].load())
    except Exception:
        return None


PROTOCOLS = {name: _protocol(name) for name in APPS}


def cases(protocol, kinds, kind_of_request, where=lambda request: True):
    """(name, server kind) pairs for the apps of `protocol` whose table entry fits."""
    return [
        pytest.param(name, kind, id=f"{name}-{kind}")
        for name, found in PROTOCOLS.items()
        if found == protocol
        and isinstance(REQUESTS.get(name), kind_of_request)
        and where(REQUESTS[name])
        for kind in kinds
    ]


WSGI_CASES = cases("wsgi", WSGI_KINDS, Http)
ASGI_CASES = cases("asgi", ASGI_KINDS, Http, lambda request: not request.lifespan)
STREAM_CASES = [
    case
    for case in WSGI_CASES + ASGI_CASES
    if REQUESTS[case.values[0]].gap_s > 0  # the app sleeps between chunks
]
SSE_CASES = cases("asgi", ASGI_KINDS, Sse)
WEBSOCKET_CASES = cases("asgi", ASGI_KINDS, WebSocket)
LIFESPAN_CASES = cases("asgi", LIFESPAN_SERVERS, Http, lambda request: request.lifespan)
SERVED = {case.values[0] for case in WSGI_CASES + ASGI_CASES + SSE_CASES + WEBSOCKET_CASES}
SERVED |= {case.values[0] for case in LIFESPAN_CASES}


@pytest.fixture(scope="session")
def targets(tmp_path_factory):
    """Every app section written as a module: (folder, {name: "module:app"})."""
    folder = tmp_path_factory.mktemp("snippet_apps")
    return folder, {name: snippet.write_module(folder) for name, snippet in APPS.items()}


@pytest.fixture
def server_for(shared_server, targets):
    """server_for(name, kind) -> a running server (shared by the session) serving that app."""
    folder, modules = targets
    return lambda name, kind: shared_server(kind, modules[name], cwd=folder)


# ---------------------------------------------------------------- the answer, in-process


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    chunks: list[bytes]
    lines: list[str]  # what the app printed, and wrote to wsgi.errors


def answer_in_process(name: str, request: Http) -> Answer:
    """The answer minihost gets from a fresh copy of the app."""
    app, printed = APPS[name].load(), io.StringIO()
    with contextlib.redirect_stdout(printed):
        if PROTOCOLS[name] == "wsgi":
            response = wsgi.call(
                app, request.method, request.path, query_string=request.query,
                headers=request.headers, body=request.body,
            )  # fmt: skip
            status, errors = response.status_code, response.errors
        else:
            response = asyncio.run(
                asgi.request(
                    app, request.method, request.path, query_string=request.query,
                    headers=request.headers, body=request.body,
                )
            )  # fmt: skip
            status, errors = response.status, ""
    lines = (printed.getvalue() + errors).splitlines()
    return Answer(status, response.headers, response.chunks, lines)


def masked(body: bytes, request: Http) -> bytes:
    return re.sub(request.varies, b"<server's choice>", body) if request.varies else body


def assert_same_answer(real, expected: Answer, request: Http) -> None:
    """Same status, same values for every header the app set, same body."""
    assert real.status == expected.status
    for name in {name.lower() for name, _ in expected.headers}:
        app_values = [value for key, value in expected.headers if key.lower() == name]
        assert real.values(name) == app_values, f"header {name}"
    assert masked(real.body, request) == masked(b"".join(expected.chunks), request)


def log_lines(server) -> Counter:
    return Counter(server.log().splitlines())


def numbers_apart(expected: str, logged: str) -> tuple[list[int], list[int]] | None:
    """The numbers of both lines if `logged` reads like `expected` apart from its numbers."""
    pattern = r"(\d+)".join(map(re.escape, re.split(r"\d+", expected)))
    match = re.fullmatch(pattern, logged)
    if match is None:
        return None
    return [int(n) for n in re.findall(r"\d+", expected)], [int(n) for n in match.groups()]


def same_or_larger_numbers(expected: str, logged: str) -> bool:
    numbers = numbers_apart(expected, logged)
    return numbers is not None and all(m <= n for m, n in zip(*numbers, strict=True))


def same_but_numbers(expected: str, logged: str) -> bool:
    return numbers_apart(expected, logged) is not None


def wait_for_lines(server, before: Counter, lines: list[str], same=str.__eq__) -> None:
    """Wait until the server log has gained, since `before`, one line `same` as each of lines."""
    deadline = time.monotonic() + 5
    while True:
        unmatched = list((log_lines(server) - before).elements())
        missing = []
        for line in lines:
            found = next((i for i, got in enumerate(unmatched) if same(line, got)), None)
            if found is None:
                missing.append(line)
            else:
                del unmatched[found]
        if not missing:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the server log never showed {missing}\n--- log ---\n{server.log()}")
        time.sleep(0.02)


def fetch(server, request: Http, **options):
    return asyncio.run(
        exchange(
            server.base_url, request.method, request.target,
            headers=request.headers, body=request.body, **options,
        )
    )  # fmt: skip


# ------------------------------------------------------------------------------ coverage


@pytest.mark.parametrize("name", APPS)
def test_every_snippet_app_has_a_request_in_the_table_that_real_servers_are_sent(name):
    if name not in REQUESTS:
        pytest.fail(
            f"snippets/{name}.py has an app section but no request to test it with: "
            f"add an entry for {name!r} to {TABLE}"
        )
    assert name in SERVED or PROTOCOLS[name] is None, (
        f"the {type(REQUESTS[name]).__name__} entry for {name!r} in {TABLE} does not fit "
        f"a {PROTOCOLS[name].upper()} app, so no server test uses it"
    )


def test_every_request_in_the_table_belongs_to_a_snippet_app():
    stale = sorted(set(REQUESTS) - set(APPS))
    assert not stale, f"no snippet app section for {stale}: remove them from {TABLE}"


@pytest.mark.parametrize("name", APPS)
def test_every_snippet_app_section_defines_a_wsgi_or_an_asgi_app(name):
    try:
        protocol_of(APPS[name].load())
    except NotAnApp as error:
        pytest.fail(f"snippets/{name}.py: {error}")


# ---------------------------------------------------------- close(), and the same answer


class ClosingSpy:
    """The app's iterable, remembering whether the server's close() reached it."""

    def __init__(self, iterable):
        self.iterable, self.closed = iterable, False

    def __iter__(self):
        return iter(self.iterable)

    def close(self):
        self.closed = True
        if hasattr(self.iterable, "close"):
            self.iterable.close()


def cgi_environ(request: Http) -> dict:
    """The request's CGI keys; setup_testing_defaults adds the rest."""
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",  # setup_testing_defaults only fills it in when PATH_INFO is absent
        "PATH_INFO": request.path,
        "QUERY_STRING": request.query,
        "CONTENT_LENGTH": str(len(request.body)),
        "wsgi.input": io.BytesIO(request.body),
    }
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    setup_testing_defaults(environ)
    return environ


@pytest.mark.parametrize("name", [name for name, p in PROTOCOLS.items() if p == "wsgi"])
def test_the_wsgi_app_passes_wsgiref_validate_and_its_iterable_is_closed(name):
    request, app, spies, started = REQUESTS[name], APPS[name].load(), [], []

    def spied(environ, start_response):
        spies.append(ClosingSpy(app(environ, start_response)))
        return spies[-1]

    def start_response(status, headers, exc_info=None):
        started.append(status)
        return lambda data: None

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("error", WSGIWarning)  # validate's softer complaints too
        result = validator(spied)(cgi_environ(request), start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    assert result.closed and spies[0].closed
    expected = answer_in_process(name, request)
    assert (int(started[0][:3]), body) == (expected.status, b"".join(expected.chunks))


@pytest.mark.parametrize(("name", "kind"), WSGI_CASES + ASGI_CASES)
def test_the_app_gives_the_real_servers_clients_the_same_answer_as_in_process(
    server_for, name, kind
):
    request, server = REQUESTS[name], server_for(name, kind)
    expected = answer_in_process(name, request)
    before = log_lines(server)
    assert_same_answer(fetch(server, request), expected, request)
    # Printed lines (and, under WSGI, wsgi.errors) end up in the server's log.
    wait_for_lines(server, before, expected.lines)


# ------------------------------------------------------------ streams, SSE and WebSocket


@pytest.mark.parametrize(("name", "kind"), STREAM_CASES)
def test_streamed_chunks_arrive_one_by_one_while_the_app_is_still_producing(server_for, name, kind):
    request, server = REQUESTS[name], server_for(name, kind)
    expected = answer_in_process(name, request)
    before = log_lines(server)
    real = fetch(server, request)
    # One chunked-encoding frame per chunk the app produced: nothing merged or split.
    assert real.chunks == expected.chunks
    # The app sleeps gap_s after each chunk but the last; a server that buffered the
    # response would deliver everything at once, so ask for half that time between them.
    producing = request.gap_s * (len(expected.chunks) - 1)
    assert real.arrivals[-1] - real.arrivals[0] >= producing / 2
    wait_for_lines(server, before, expected.lines)  # e.g. the WSGI generator's close()


@pytest.mark.parametrize(("name", "kind"), SSE_CASES)
def test_sse_events_arrive_one_by_one_and_the_app_stops_when_the_client_leaves(
    server_for, name, kind
):
    request, server = REQUESTS[name], server_for(name, kind)

    async def in_process():
        app, printed = APPS[name].load(), io.StringIO()
        with contextlib.redirect_stdout(printed):
            async with asgi.open_http(app, "GET", request.path) as stream:
                events = []
                async for event in stream.events():
                    events.append(event)
                    if len(events) == request.events:
                        break
        return stream, events, printed.getvalue().splitlines()

    stream, events, lines = asyncio.run(in_process())
    before = log_lines(server)
    real = fetch(server, Http(path=request.path), max_chunks=request.events)
    assert real.status == stream.status
    for header in ("content-type", "cache-control"):
        assert real.values(header) == [stream.header(header)]
    # Each event is its own chunk on the wire, and they arrive spread over time.
    assert [SSEParser().feed(chunk) for chunk in real.chunks] == [[event] for event in events]
    assert real.arrivals[-1] - real.arrivals[0] >= request.gap_s * (request.events - 1) / 2
    # The app learns of the disconnect (http.disconnect) and says so. In-process it had
    # sent exactly `events`; over the wire one more may have left before it noticed, so
    # the numbers in its line may be larger.
    wait_for_lines(server, before, lines, same=same_or_larger_numbers)


@pytest.mark.parametrize(("name", "kind"), WEBSOCKET_CASES)
def test_the_websocket_app_echoes_closes_and_denies_real_clients_as_in_process(
    server_for, name, kind
):
    request, server = REQUESTS[name], server_for(name, kind)

    async def in_process():
        app = APPS[name].load()
        async with asgi.websocket_connect(app, request.path) as ws:
            replies = []
            for text in request.messages:
                await ws.send_text(text)
                replies.append(await ws.receive())
        async with asgi.websocket_connect(app, request.path) as ws:
            await ws.send_text(request.closing)
            with pytest.raises(WebSocketClosed) as closed:
                await ws.receive()
        with pytest.raises(WebSocketDenied) as denied:
            async with asgi.websocket_connect(app, request.denied_path):
                pass
        return replies, closed.value.code, denied.value.status

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        replies, close_code, denied_status = asyncio.run(in_process())

    before, url, real_replies = log_lines(server), server.ws_url, []
    with connect(url + request.path, open_timeout=10) as ws:
        for text in request.messages:
            ws.send(text)
            real_replies.append(ws.recv(timeout=10))
    assert real_replies == replies
    with connect(url + request.path, open_timeout=10) as ws:
        ws.send(request.closing)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == close_code
    with pytest.raises(InvalidStatus) as denied:
        connect(url + request.denied_path, open_timeout=10)
    assert denied.value.response.status_code == denied_status
    # Hypercorn 0.18 tells the app 1006 when the client closed cleanly with 1000
    # (https://github.com/pgjones/hypercorn/issues/127): there only the line itself counts.
    same = same_but_numbers if kind == "hypercorn" else str.__eq__
    wait_for_lines(server, before, printed.getvalue().splitlines(), same=same)


@pytest.mark.parametrize(("name", "kind"), LIFESPAN_CASES)
def test_the_lifespan_app_opens_its_pool_at_startup_and_closes_it_at_shutdown(
    start, targets, name, kind
):
    request, (folder, modules) = REQUESTS[name], targets

    async def in_process():
        app, printed = APPS[name].load(), [io.StringIO(), io.StringIO()]
        lifespan = asgi.Lifespan(app)
        with contextlib.redirect_stdout(printed[0]):
            await lifespan.startup()
            response = await asgi.request(
                app, request.method, request.path, body=request.body, state=lifespan.state
            )
        with contextlib.redirect_stdout(printed[1]):
            await lifespan.shutdown()
        return response, *(out.getvalue().splitlines() for out in printed)

    response, startup_lines, shutdown_lines = asyncio.run(in_process())

    server = start(kind, modules[name], cwd=folder, extra_args=LIFESPAN_SERVERS[kind])
    # Ready means it answered, so startup has already run, and shutdown has not.
    wait_for_lines(server, Counter(), startup_lines)
    assert not set(shutdown_lines) & set(server.log().splitlines())
    expected = Answer(response.status, response.headers, response.chunks, [])
    assert_same_answer(fetch(server, request), expected, request)

    server.process.terminate()  # SIGTERM, as a process manager stops a server
    server.process.wait(timeout=15)
    log = server.log().splitlines()
    app_lines = [line for line in log if line in startup_lines + shutdown_lines]
    assert app_lines == startup_lines + shutdown_lines, server.log()
