"""Drive WSGI and ASGI applications in-process, the way a server would; no sockets, no threads.

from minihost import wsgi, asgi
response = wsgi.call(app, "GET", "/")           # a WSGI app, PEP 3333
response = await asgi.request(app, "GET", "/")  # an ASGI app, asgi.readthedocs.io
"""

from minihost import asgi, wsgi
from minihost.errors import (
    AppExited,
    ClientDisconnected,
    LifespanFailed,
    ProtocolError,
    Timeout,
    WebSocketClosed,
    WebSocketDenied,
)

__all__ = [
    "AppExited",
    "ClientDisconnected",
    "LifespanFailed",
    "ProtocolError",
    "Timeout",
    "WebSocketClosed",
    "WebSocketDenied",
    "asgi",
    "wsgi",
]
