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


class QuietHandler(SimpleHTTPRequestHandler):
    """A plain static file handler that does not log every request to stderr."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args):
        pass


class RecordingHandler(QuietHandler):
    """A static handler that appends (path, status) of every GET it answers to `sent`.

    The server's log is the truth on what crossed the wire: the browser's own events count
    a service worker's answer and its fetch behind it as two requests.
    """

    def __init__(self, *args, sent: list, **kwargs):
        self.sent = sent
        super().__init__(*args, **kwargs)

    def send_response(self, code, message=None):
        if self.command == "GET":
            self.sent.append((unquote(urlsplit(self.path).path), int(code)))
        super().send_response(code, message)


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
