"""The site built strictly into a folder, and a folder served as any static host would."""

import functools
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from harness import started
from harness.paths import ROOT


def build_site(target: Path, *, strict: bool = True, generator: str = "mkdocs") -> Path:
    """`mkdocs build` (or a drop-in such as `properdocs`) of the tree into `target`.

    A failed build raises with the generator's stderr.
    """
    command = [generator, "build", "--quiet", "--site-dir", str(target)]
    command += ["--strict"] if strict else []
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
    return target


HOST_MAX_AGE = 600  # GitHub Pages' Cache-Control: the static host the byte counts imitate.


class QuietHandler(SimpleHTTPRequestHandler):
    """A plain static file handler that does not log every request to stderr."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        # The pages' Markdown copies and llms.txt, as static hosts serve them; the charset
        # keeps Vietnamese readable in a browser tab.
        ".md": "text/markdown; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
    }

    def log_message(self, *args):
        pass


@contextmanager
def serve_directory(directory, handler=QuietHandler, **handler_options):
    """Yield the base URL of `directory` served on 127.0.0.1 at a port the OS picks.

    `handler` (a QuietHandler subclass) gets `handler_options` as keyword arguments.
    """
    bound = functools.partial(handler, directory=str(directory), **handler_options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
    started.record_listener("static site", server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class CountingHandler(QuietHandler):
    """A static handler that also notes what each GET response sent: the server's log is
    the truth on bytes (the browser's own numbers miss service worker fetches, count a
    service worker's answer and the fetch behind it twice, and count HTTP cache hits).
    It lets responses be cached as a static host does, so a second fetch of a file the
    browser already has costs what it costs readers: nothing, or a revalidation."""

    def __init__(self, *args, sent: list, **kwargs):
        self.sent = sent
        self.status = 0
        self.length = 0
        self.type = ""
        super().__init__(*args, **kwargs)

    def send_response(self, code, message=None):
        self.status, self.length, self.type = int(code), 0, ""
        super().send_response(code, message)

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self.length = int(value)
        elif keyword.lower() == "content-type":
            self.type = value.lower()
        super().send_header(keyword, value)

    def end_headers(self):
        self.send_header("Cache-Control", f"max-age={HOST_MAX_AGE}")
        if self.command == "GET":
            path = unquote(urlsplit(self.path).path)
            self.sent.append((path, self.status, self.length, self.type))
        super().end_headers()


@contextmanager
def serve_counting(directory: Path):
    """Like serve_directory; also yields the list of (path, status, length, type) sent."""
    sent: list[tuple[str, int, int, str]] = []
    with serve_directory(directory, CountingHandler, sent=sent) as url:
        yield url, sent
