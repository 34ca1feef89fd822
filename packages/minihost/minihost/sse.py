"""An incremental parser for text/event-stream bodies (server-sent events); no I/O."""

from dataclasses import dataclass

# https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation


@dataclass
class SSEEvent:
    """One dispatched event: its type (default "message"), data and last event id."""

    event: str = "message"
    data: str = ""
    id: str = ""


class SSEParser:
    """Feed it body chunks as they arrive; it returns the events they complete."""

    def __init__(self) -> None:
        self._buffer = ""
        self._data: list[str] = []
        self._event = ""
        self._last_id = ""

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Parse one chunk; a line or an event may span chunks."""
        self._buffer += chunk.decode("utf-8")
        events = []
        while True:
            # Lines end with CRLF, LF or CR; a trailing CR may still become CRLF.
            cut = min(
                (i for i in (self._buffer.find("\r"), self._buffer.find("\n")) if i >= 0),
                default=-1,
            )
            if cut < 0 or (self._buffer[cut] == "\r" and cut == len(self._buffer) - 1):
                break
            line = self._buffer[:cut]
            skip = 2 if self._buffer.startswith("\r\n", cut) else 1
            self._buffer = self._buffer[cut + skip :]
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> SSEEvent | None:
        if line == "":
            # A blank line dispatches the event, if it carried data.
            if not self._data:
                self._event = ""
                return None
            event = SSEEvent(self._event or "message", "\n".join(self._data), self._last_id)
            self._data, self._event = [], ""
            return event
        if line.startswith(":"):
            return None  # A comment: servers send these as keep-alive pings.
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._last_id = value
        return None
