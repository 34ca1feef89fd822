"""The protocol snippets' apps, in-process or as modules, and a client that sees each chunk.

A snippet marks its application with `# --8<-- [start:app]` ... `# --8<-- [end:app]`; the
rest of the file drives it with minihost (often with top-level await), so a server can
only import the section. Each section defines a module-level callable named `app`.
"""

import asyncio
import inspect
import re
import time
import types
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.paths import SNIPPETS

START, END = "# --8<-- [start:app]", "# --8<-- [end:app]"


class NotAnApp(Exception):
    """A snippet's app section is missing, unbalanced, or defines no WSGI or ASGI `app`."""


@dataclass(frozen=True)
class SnippetApp:
    """One snippet's app section: `name` is its path under snippets/ without `.py`."""

    name: str
    path: Path
    source: str

    @property
    def module(self) -> str:
        """A module name a server can import, unique per snippet."""
        return "snippet_" + re.sub(r"\W", "_", self.name)

    def load(self):
        """A fresh `app` from the section, run as its own module."""
        module = types.ModuleType(self.module)
        exec(compile(self.source, str(self.path), "exec"), module.__dict__)
        if "app" not in module.__dict__:
            raise NotAnApp(f"{self.name}: the app section defines no module-level `app`")
        return module.app

    def write_module(self, directory: Path) -> str:
        """Write the section as `<module>.py` into directory; return the "module:app" target."""
        (directory / f"{self.module}.py").write_text(self.source, encoding="utf-8")
        return f"{self.module}:app"


def app_section(path: Path) -> str | None:
    """The source between the app markers, or None when the file has none."""
    text = path.read_text(encoding="utf-8")
    if START not in text and END not in text:
        return None
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise NotAnApp(f"{path}: expected exactly one {START!r} followed by one {END!r}")
    return text.partition(START)[2].partition(END)[0]


def snippet_apps() -> list[SnippetApp]:
    """Every snippet under snippets/ with an app section, in a stable order."""
    apps = []
    for path in sorted(SNIPPETS.rglob("*.py")):
        section = app_section(path)
        if section is not None:
            name = path.relative_to(SNIPPETS).with_suffix("").as_posix()
            apps.append(SnippetApp(name, path, section))
    return apps


def protocol_of(app) -> str:
    """'wsgi' for app(environ, start_response), 'asgi' for async app(scope, receive, send)."""
    if not callable(app):
        raise NotAnApp(f"`app` is {type(app).__name__}, not a callable")
    call = app if inspect.isroutine(app) else type(app).__call__
    try:
        parameters = inspect.signature(app).parameters.values()
    except (TypeError, ValueError) as error:
        raise NotAnApp(f"cannot read the signature of `app`: {error}") from None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if inspect.iscoroutinefunction(call) and len(positional) == 3:
        return "asgi"
    if not inspect.iscoroutinefunction(call) and len(positional) == 2:
        return "wsgi"
    raise NotAnApp(
        f"`app` takes {len(positional)} positional arguments"
        f"{' and is async' if inspect.iscoroutinefunction(call) else ''}: neither a WSGI app "
        "(environ, start_response) nor an ASGI app (async: scope, receive, send)"
    )


# ------------------------------------------------------------------ a client that sees chunks


@dataclass
class WireResponse:
    """A response as it came off the socket: body pieces with their arrival times."""

    status: int
    headers: list[tuple[str, str]]  # names lowercased, in the order the server sent them
    chunks: list[bytes]  # one per chunked-encoding frame (or the whole Content-Length body)
    arrivals: list[float]  # time.monotonic() when each chunk had fully arrived
    sent: float  # time.monotonic() when the request was written

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name.lower()]


async def exchange(
    base_url: str,
    method: str = "GET",
    target: str = "/",
    *,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    max_chunks: int | None = None,
    timeout: float = 10.0,
) -> WireResponse:
    """One HTTP/1.1 request on its own connection; after `max_chunks` chunks the client leaves."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            sent = time.monotonic()
            status, response_headers = await _read_head(reader)
            response = WireResponse(status, response_headers, [], [], sent)
            async for chunk in _read_body(reader, response):
                response.chunks.append(chunk)
                response.arrivals.append(time.monotonic())
                if max_chunks is not None and len(response.chunks) == max_chunks:
                    break
        finally:
            writer.close()
    return response


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]]]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status_line, *header_lines = head.removesuffix("\r\n\r\n").split("\r\n")
    pairs = [line.partition(":") for line in header_lines]
    return int(status_line.split(" ", 2)[1]), [(k.strip().lower(), v.strip()) for k, _, v in pairs]


async def _read_body(reader: asyncio.StreamReader, response: WireResponse):
    """Yield the body piece by piece: chunked frames, a Content-Length body, or reads to EOF."""
    if "chunked" in ",".join(response.values("transfer-encoding")).lower():
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            yield (await reader.readexactly(size + 2))[:-2]
        await reader.readuntil(b"\r\n")  # no trailers: the blank line that ends the body
    elif length := response.values("content-length"):
        yield await reader.readexactly(int(length[0]))
    else:
        while data := await reader.read(65536):
            yield data
