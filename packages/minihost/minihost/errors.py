"""What minihost raises when an application breaks its side of the interface."""

PEP_3333 = "https://peps.python.org/pep-3333/"
ASGI_MAIN = "https://asgi.readthedocs.io/en/latest/specs/main.html"
ASGI_WWW = "https://asgi.readthedocs.io/en/latest/specs/www.html"
ASGI_LIFESPAN = "https://asgi.readthedocs.io/en/latest/specs/lifespan.html"


class ProtocolError(Exception):
    """The application broke a rule of PEP 3333 or of the ASGI spec; the message quotes it."""

    def __init__(self, problem: str, rule: str, link: str):
        self.problem, self.rule, self.link = problem, rule, link
        super().__init__(f"{problem}\n  rule: {rule}\n  see: {link}")


class Timeout(TimeoutError):
    """The application sent nothing within the time limit; it was cancelled, not left hanging."""


class AppExited(Exception):
    """The application returned while the driver was still waiting for a message from it."""


class ClientDisconnected(OSError):
    """Raised from send() after the client went away, as ASGI www spec 2.4 asks servers to."""


class WebSocketDenied(Exception):
    """The application closed the WebSocket before accepting it: the server answers HTTP 403."""

    status = 403


class WebSocketClosed(Exception):
    """The application closed an accepted WebSocket."""

    def __init__(self, code: int, reason: str = ""):
        self.code, self.reason = code, reason
        super().__init__(f"closed by the app with code {code}" + (f": {reason}" if reason else ""))


class LifespanFailed(Exception):
    """The application answered lifespan.startup.failed or lifespan.shutdown.failed."""
