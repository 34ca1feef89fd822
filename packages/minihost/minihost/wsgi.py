"""Serve one request to a WSGI application in-process, the way a server does (PEP 3333)."""

import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote
from wsgiref.util import is_hop_by_hop
from wsgiref.validate import validator

from minihost.errors import PEP_3333, ProtocolError
from minihost.responses import Body
from minihost.types import Environ, ExcInfo, Headers, WSGIApp

STATUS = re.compile(r"^[1-9][0-9]{2} [^\r\n]*$")


def make_environ(
    method: str = "GET",
    path: str = "/",
    *,
    query_string: str = "",
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    scheme: str = "http",
    server: tuple[str, int] = ("testserver", 80),
    client: tuple[str, int] = ("127.0.0.1", 50000),
    script_name: str = "",
    http_version: str = "1.1",
    errors: io.StringIO | None = None,
) -> Environ:
    """A PEP 3333 environ for one request: CGI keys, HTTP_* headers and the wsgi.* keys."""
    # https://peps.python.org/pep-3333/#environ-variables: a plain dict of native strings.
    environ: Environ = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": script_name,
        # PATH_INFO is decoded, as CGI servers do; WSGI carries it as a latin-1 str.
        "PATH_INFO": unquote(path, encoding="latin-1"),
        "QUERY_STRING": query_string,
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{http_version}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": errors if errors is not None else io.StringIO(),
        # One call at a time, in one process, as this driver runs it.
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    names = set()
    for name, value in headers:
        key = name.upper().replace("-", "_")
        names.add(key)
        # Content-Type and Content-Length have CGI names without the HTTP_ prefix.
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        # Repeated headers are joined with a comma, as RFC 9110 section 5.3 allows.
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    if "HOST" not in names:
        environ["HTTP_HOST"] = server[0]
    if body and "CONTENT_LENGTH" not in names:
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def _check_start(status: object, headers: object) -> None:
    """Reject a status line or header list that PEP 3333 does not allow."""
    where = PEP_3333 + "#the-start-response-callable"
    if not isinstance(status, str) or not STATUS.match(status):
        raise ProtocolError(
            f"start_response() got status {status!r}",
            'status is "a string consisting of a Status-Code and a Reason-Phrase, in that '
            'order and separated by a single space"',
            where,
        )
    if type(headers) is not list:
        raise ProtocolError(
            f"start_response() got headers of type {type(headers).__name__}",
            'response_headers "must be a Python list" of (header_name, header_value) tuples',
            where,
        )
    for item in headers:
        if not (type(item) is tuple and len(item) == 2 and all(type(s) is str for s in item)):
            raise ProtocolError(
                f"start_response() got the header {item!r}",
                "response_headers is a list of (header_name, header_value) tuples of str",
                where,
            )
        if is_hop_by_hop(item[0]):
            raise ProtocolError(
                f"start_response() got the hop-by-hop header {item[0]!r}",
                'applications "are forbidden from using HTTP/1.1 "hop-by-hop" features or '
                'headers"; a server "should consider it a fatal error"',
                where,
            )


@dataclass
class WSGIResponse(Body):
    """What the client received: status line, headers, body chunks, and the error log."""

    status: str
    headers: Headers
    chunks: list[bytes] = field(default_factory=list)
    errors: str = ""

    @property
    def status_code(self) -> int:
        return int(self.status[:3])


class WSGIExchange:
    """One call of a WSGI app: call it, iterate its body chunk by chunk, always close it.

    Use it as a context manager; the body is read by iterating over the exchange.
    """

    def __init__(self, app: WSGIApp, environ: Environ, *, validate: bool = False):
        # wsgiref.validate checks both sides of the call and raises AssertionError.
        self.app = validator(app) if validate else app
        self.environ = environ
        self.status: str | None = None
        self.headers: Headers = []
        self.headers_sent = False
        self._written: list[bytes] = []
        self._result: Iterable[bytes] | None = None
        self._closed = False

    def _start_response(self, status: str, headers: Headers, exc_info: ExcInfo | None = None):
        """The start_response callable handed to the app."""
        if exc_info is not None:
            try:
                # https://peps.python.org/pep-3333/#error-handling: too late to change the
                # status once headers went out, so the app's own error is re-raised.
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None  # The PEP asks not to keep a reference cycle alive.
        elif self.status is not None:
            raise ProtocolError(
                "start_response() was called a second time without exc_info",
                '"it is a fatal error to call start_response without the exc_info argument '
                'if start_response has already been called"',
                PEP_3333 + "#the-start-response-callable",
            )
        _check_start(status, headers)
        self.status, self.headers = status, headers
        return self._write

    def _write(self, data: bytes) -> None:
        """The legacy write() callable; PEP 3333 calls it "strictly a hack"."""
        self._deliver(data)
        self._written.append(data)

    def _deliver(self, chunk: object) -> None:
        """Check a chunk before it would go to the socket; headers go out with the first one."""
        if not isinstance(chunk, bytes):
            raise ProtocolError(
                f"the app produced {type(chunk).__name__} {chunk!r:.40} instead of bytes",
                'bytestrings yielded by the application "must be of type bytes under Python 3"',
                PEP_3333 + "#unicode-issues",
            )
        if chunk and self.status is None:
            raise ProtocolError(
                "the app produced body bytes before calling start_response()",
                'the application "must invoke the start_response() callable before the '
                'iterable yields its first body bytestring"',
                PEP_3333 + "#specification-details",
            )
        if chunk:
            self.headers_sent = True

    def __enter__(self) -> "WSGIExchange":
        # Positional arguments only: https://peps.python.org/pep-3333/#specification-details
        self._result = self.app(self.environ, self._start_response)
        return self

    def __iter__(self) -> Iterator[bytes]:
        if self._result is None:
            raise RuntimeError("use the exchange in a `with` block before iterating")
        while self._written:
            yield self._written.pop(0)
        for chunk in self._result:
            self._deliver(chunk)
            # write() inside the iterable is forbidden, but report it in order anyway.
            while self._written:
                yield self._written.pop(0)
            if chunk:
                yield chunk
        if self.status is None:
            raise ProtocolError(
                "the app returned without calling start_response()",
                "the server sends the headers that start_response() stored; an app must call it",
                PEP_3333 + "#the-start-response-callable",
            )

    def close(self) -> None:
        """Call the iterable's close(), once, as PEP 3333 requires even after errors."""
        if self._closed or self._result is None:
            return
        self._closed = True
        # https://peps.python.org/pep-3333/#specification-details: the server "must call"
        # close() "whether the request was completed normally, or terminated early".
        close = getattr(self._result, "close", None)
        if close is not None:
            close()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def errors(self) -> str:
        stream = self.environ["wsgi.errors"]
        return stream.getvalue() if isinstance(stream, io.StringIO) else ""


def call(
    app: WSGIApp,
    method: str = "GET",
    path: str = "/",
    *,
    validate: bool = False,
    environ: Environ | None = None,
    **request,
) -> WSGIResponse:
    """Serve one request to `app` and return the whole response.

    Keyword arguments go to make_environ(); pass `environ` to use your own instead.
    """
    environ = environ if environ is not None else make_environ(method, path, **request)
    with WSGIExchange(app, environ, validate=validate) as exchange:
        chunks = list(exchange)
    return WSGIResponse(exchange.status or "", exchange.headers, chunks, exchange.errors)


def stream(
    app: WSGIApp, method: str = "GET", path: str = "/", *, validate: bool = False, **request
) -> WSGIExchange:
    """An exchange for a streaming response: `with stream(app) as r: for chunk in r: ...`."""
    return WSGIExchange(app, make_environ(method, path, **request), validate=validate)


def print_response(response: WSGIResponse, file=None) -> None:
    """Print a response roughly as it looks on the wire, for the demos."""
    out = file or sys.stdout
    print(f"HTTP/1.1 {response.status}", file=out)
    for name, value in response.headers:
        print(f"{name}: {value}", file=out)
    print(file=out)
    text = response.text
    print(text, end="" if text.endswith("\n") else "\n", file=out)
