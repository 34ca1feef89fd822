"""The WSGI and ASGI vocabulary as type aliases, for readers and type checkers."""

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from types import TracebackType
from typing import Any

# ASGI: https://asgi.readthedocs.io/en/latest/specs/main.html#applications
type Scope = MutableMapping[str, Any]
type Message = MutableMapping[str, Any]
type Receive = Callable[[], Awaitable[Message]]
type Send = Callable[[Message], Awaitable[None]]
type ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# WSGI: https://peps.python.org/pep-3333/#specification-details
type Environ = dict[str, Any]
type ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
type Headers = list[tuple[str, str]]
type Write = Callable[[bytes], None]
type StartResponse = Callable[..., Write]
type WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
