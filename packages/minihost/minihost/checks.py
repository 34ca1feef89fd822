"""State machines that check the ASGI messages an app sends; no I/O, like h11.

Each checker sees every message in both directions. `app_sent` returns True when the
message should reach the client, False when the spec says to ignore it, and raises
ProtocolError when the app broke a rule.
"""

from collections.abc import Mapping
from types import MappingProxyType

from minihost.errors import (
    ASGI_LIFESPAN,
    ASGI_MAIN,
    ASGI_WWW,
    ClientDisconnected,
    ProtocolError,
)
from minihost.types import Message


def _type_of(message: object) -> str:
    """The message's type, or a ProtocolError if it is not a dict with a str type."""
    if not isinstance(message, Mapping) or not isinstance(message.get("type"), str):
        raise ProtocolError(
            f"send() got {message!r:.60}",
            'every event is a dict with a "type" key; invalid events make send() raise',
            ASGI_MAIN + "#error-handling",
        )
    return message["type"]


def _unexpected(kind: str, expected: str, link: str) -> ProtocolError:
    return ProtocolError(
        f"send() got {kind!r} but the server expected {expected}",
        "an event of the wrong type at this point is invalid; send() raises (Error Handling)",
        link,
    )


def _check_headers(headers: object, link: str) -> None:
    """Headers are [name, value] pairs of bytes with lowercased names."""
    try:
        pairs = list(headers)  # type: ignore[call-overload]
    except TypeError:
        pairs = [headers]
    for pair in pairs:
        ok = isinstance(pair, list | tuple) and len(pair) == 2
        if not ok or not all(isinstance(part, bytes) for part in pair):
            raise ProtocolError(
                f"header {pair!r} is not a [bytes, bytes] pair",
                '"headers" is "an iterable of [name, value] two-item iterables" of byte strings',
                link,
            )
        if pair[0] != pair[0].lower():
            raise ProtocolError(
                f"header name {pair[0]!r} is not lowercase",
                '"Header names must be lowercased."',
                link,
            )


def _check_bytes(value: object, key: str, link: str) -> None:
    if not isinstance(value, bytes):
        raise ProtocolError(
            f"{key!r} is {type(value).__name__} {value!r:.40}, not bytes",
            f'"{key}" is a byte string; a str is the classic mistake ("wrong Python types")',
            link,
        )


class _ConnectionCheck:
    """A connection the client can leave: its state, and what the app may send after that."""

    protocol = ""  # "http" or "websocket": the prefix of its message types
    initial = ""  # the state a new connection starts in
    ended: tuple[str, ...] = ()  # states in which the app's messages are dropped
    # Messages that need an opening message first: kind -> (that message, the rule, link).
    too_early: Mapping[str, tuple[str, str, str]] = MappingProxyType({})

    def __init__(self) -> None:
        self.state = self.initial
        self.disconnected = False

    def server_sent(self, message: Message) -> None:
        if message.get("type") == f"{self.protocol}.disconnect":
            self.disconnected = True

    def app_sent(self, message: Message) -> bool:
        kind = _type_of(message)
        if self.disconnected:
            # Spec 2.4: send() on a closed connection should raise an OSError subclass.
            raise ClientDisconnected(f"the client disconnected; {kind!r} cannot be sent")
        if self.state in self.ended:
            # HTTP: "any further messages on the channel will be ignored"; WebSocket: after
            # close "the send awaitable ... should act as a no-op".
            return False
        if self.state == self.initial and kind in self.too_early:
            first, rule, link = self.too_early[kind]
            raise ProtocolError(f"{kind} was sent before {first}", rule, link)
        return self._sent(kind, message)

    def _sent(self, kind: str, message: Message) -> bool:
        raise NotImplementedError


class HTTPCheck(_ConnectionCheck):
    """One HTTP request: start, then body messages until more_body is False."""

    protocol, initial, ended = "http", "start", ("done",)  # start -> body -> done
    too_early = MappingProxyType(
        {
            "http.response.body": (
                "http.response.start",
                'the body "continues sending a response"; http.response.start starts it '
                "and carries the status and headers",
                ASGI_WWW + "#response-body-send-event",
            )
        }
    )

    def _sent(self, kind: str, message: Message) -> bool:
        link = ASGI_WWW + "#response-start-send-event"
        if kind == "http.response.start":
            if self.state != "start":
                raise ProtocolError(
                    "http.response.start was sent twice",
                    'a response has one start, "followed by at least one response content '
                    'message" (http.response.body)',
                    link,
                )
            status = message.get("status")
            if type(status) is not int:
                raise ProtocolError(
                    f"status is {status!r}, not an int",
                    '"status (int) -- HTTP status code."',
                    link,
                )
            _check_headers(message.get("headers", []), link)
            self.state = "body"
            return True
        if kind == "http.response.body":
            link = ASGI_WWW + "#response-body-send-event"
            _check_bytes(message.get("body", b""), "body", link)
            more = message.get("more_body", False)
            if not isinstance(more, bool):
                raise ProtocolError(
                    f"more_body is {more!r}, not a bool",
                    '"more_body (bool) -- Signifies if there is additional content to come"',
                    link,
                )
            if not more:
                self.state = "done"
            return True
        expected = "'http.response.start'" if self.state == "start" else "'http.response.body'"
        raise _unexpected(kind, expected, ASGI_MAIN + "#error-handling")


class WebSocketCheck(_ConnectionCheck):
    """One WebSocket: accept or close the handshake, then send until closed."""

    # connecting -> open -> closed (or denied)
    protocol, initial, ended = "websocket", "connecting", ("closed", "denied")
    too_early = MappingProxyType(
        {
            "websocket.send": (
                "websocket.accept",
                'websocket.connect "must be responded to with either an Accept message or a '
                'Close message" first',
                ASGI_WWW + "#connect-receive-event",
            )
        }
    )

    def _sent(self, kind: str, message: Message) -> bool:
        if kind == "websocket.accept":
            link = ASGI_WWW + "#accept-send-event"
            if self.state != "connecting":
                raise ProtocolError(
                    "websocket.accept was sent twice",
                    "websocket.connect is answered once, with an Accept or a Close",
                    link,
                )
            subprotocol = message.get("subprotocol")
            if subprotocol is not None and not isinstance(subprotocol, str):
                raise ProtocolError(
                    f"subprotocol is {subprotocol!r}", '"subprotocol (Unicode string)"', link
                )
            _check_headers(message.get("headers", []), link)
            self.state = "open"
            return True
        if kind == "websocket.close":
            self.state = "denied" if self.state == "connecting" else "closed"
            return True
        if kind == "websocket.send":
            link = ASGI_WWW + "#send-send-event"
            data, text = message.get("bytes"), message.get("text")
            if (data is None) == (text is None):
                raise ProtocolError(
                    "websocket.send needs exactly one of 'bytes' and 'text'",
                    '"Exactly one of bytes or text must be non-None."',
                    link,
                )
            if data is not None:
                _check_bytes(data, "bytes", link)
            elif not isinstance(text, str):
                raise ProtocolError(
                    f"'text' is {type(text).__name__}, not str",
                    '"text (Unicode string) -- Text message content"',
                    link,
                )
            return True
        expected = "'websocket.accept' or 'websocket.close'"
        if self.state == "open":
            expected = "'websocket.send' or 'websocket.close'"
        raise _unexpected(kind, expected, ASGI_MAIN + "#error-handling")


class LifespanCheck:
    """Startup then shutdown; each answered once with .complete or .failed."""

    def __init__(self) -> None:
        self.awaiting: str | None = None  # "startup" or "shutdown" while an answer is due

    def server_sent(self, message: Message) -> None:
        kind = message.get("type", "")
        if kind in ("lifespan.startup", "lifespan.shutdown"):
            self.awaiting = kind.removeprefix("lifespan.")

    def app_sent(self, message: Message) -> bool:
        kind = _type_of(message)
        phase = kind.removeprefix("lifespan.").split(".")[0]
        answers = {
            f"lifespan.{p}.{r}" for p in ("startup", "shutdown") for r in ("complete", "failed")
        }
        if kind not in answers:
            raise _unexpected(kind, "a lifespan.*.complete or .failed answer", ASGI_LIFESPAN)
        if phase != self.awaiting:
            raise ProtocolError(
                f"{kind} was sent but the server did not send lifespan.{phase}"
                " (or it was already answered)",
                "each lifespan.startup / lifespan.shutdown event is answered once",
                ASGI_LIFESPAN,
            )
        self.awaiting = None
        return True


def checker_for(scope_type: str) -> HTTPCheck | WebSocketCheck | LifespanCheck:
    """The checker for a scope type; minihost speaks the three protocols of the spec."""
    return {"http": HTTPCheck, "websocket": WebSocketCheck, "lifespan": LifespanCheck}[scope_type]()
