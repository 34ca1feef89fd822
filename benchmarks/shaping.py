"""A static host on 127.0.0.1 that gzips like common hosts and paces every byte through one link.

Chromium's own network throttling does not reach the Python worker or the service worker,
so the shaping happens here, in the server, for every client alike. Each server has one
link (a token bucket shared by all responses in flight: a phone has one pipe), adds one
round trip before the first byte of each response, and logs what each response put on the
wire, compressed bytes and repeats included.
"""

from __future__ import annotations

import email.utils
import gzip
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from benchmarks.browser import COMPRESSIBLE
from harness.static_site import HOST_MAX_AGE, QuietHandler, serve_directory

CHUNK = 16 * 1024  # What one paced write sends; also the bucket's depth (one chunk of burst).
GZIP_LEVEL = 6  # nginx's and most CDNs' default.


@dataclass(frozen=True)
class Profile:
    """A network: its bandwidth (None: unlimited) and round trip."""

    name: str
    mbit_per_s: float | None
    rtt_ms: float

    @property
    def bytes_per_s(self) -> float | None:
        return None if self.mbit_per_s is None else self.mbit_per_s * 1_000_000 / 8


LOOPBACK = Profile("127.0.0.1, unshaped", None, 0)
FAST = Profile("10 Mbit/s, 40 ms round trip", 10, 40)
SLOW = Profile("1.6 Mbit/s, 150 ms round trip", 1.6, 150)


class Link:
    """One shared pipe: a token bucket (kept as a theoretical arrival time) and a round trip."""

    # The clock and sleep are the real ones in use; a test passes a virtual pair to read
    # the computed schedule without waiting for it.

    def __init__(
        self,
        profile: Profile,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.profile = profile
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._arrival = 0.0  # When the bytes reserved so far have all left at full rate.

    def round_trip(self) -> None:
        """The request's way there and the first byte's way back."""
        if self.profile.rtt_ms:
            self.sleep(self.profile.rtt_ms / 1000)

    def send(self, size: int) -> float:
        """Wait until `size` bytes may leave; return the time they are through the pipe."""
        rate = self.profile.bytes_per_s
        now = self.clock()
        if rate is None:
            return now
        with self._lock:
            self._arrival = max(self._arrival, now)
            allowed = self._arrival - CHUNK / rate  # A full bucket lets one chunk go at once.
            self._arrival += size / rate
            through = self._arrival
        if allowed > now:
            self.sleep(allowed - now)
        return through


@dataclass
class Sent:
    """One response as the wire saw it; times are the link's clock."""

    path: str
    status: int
    content_type: str
    encoding: str  # "gzip" or "" (identity)
    body_bytes: int
    wire_bytes: int = 0  # Status line, headers and body.
    started: float = 0.0
    finished: float = 0.0

    @property
    def seconds(self) -> float:
        return self.finished - self.started


class PacedWriter:
    """The connection's writer, every byte through the link and counted."""

    def __init__(self, raw, link: Link):
        self.raw = raw
        self.link = link
        self.written = 0
        self.through = 0.0

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            piece = view[start : start + CHUNK]
            self.through = self.link.send(len(piece))
            self.raw.write(piece)
            self.written += len(piece)
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return self.raw.closed


class GzipCache:
    """Each file gzipped once (the wasm takes a while), however many requests ask."""

    def __init__(self):
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[float, bytes]] = {}
        self._locks: dict[Path, threading.Lock] = {}

    def of(self, file: Path) -> bytes:
        with self._lock:
            lock = self._locks.setdefault(file, threading.Lock())
        with lock:
            mtime = file.stat().st_mtime
            known = self._files.get(file)
            if known is None or known[0] != mtime:
                known = (mtime, gzip.compress(file.read_bytes(), GZIP_LEVEL, mtime=0))
                self._files[file] = known
            return known[1]


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (a q=0 refuses it)."""
    for part in (header or "").split(","):
        name, _, parameters = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = parameters.strip().removeprefix("q=")
            return not parameters.strip().startswith("q=") or float(quality or 0) > 0
    return False


class ShapingHandler(QuietHandler):
    """GET and HEAD of a static folder: gzip where hosts do, ETag and 304, 404.html."""

    protocol_version = "HTTP/1.1"  # Keep-alive, as every real host.

    def __init__(self, *args, link: Link, traffic: Traffic, gzipped: GzipCache, **kwargs):
        self.link = link
        self.traffic = traffic
        self.gzipped = gzipped
        super().__init__(*args, **kwargs)

    def setup(self):
        super().setup()
        self.wfile = PacedWriter(self.wfile, self.link)

    def do_GET(self):
        self.respond(with_body=True)

    def do_HEAD(self):
        self.respond(with_body=False)

    def respond(self, with_body: bool) -> None:
        self.traffic.begin()
        try:
            self.traffic.log.append(self.send_paced(with_body))
        finally:
            self.traffic.end()

    def send_paced(self, with_body: bool) -> Sent:
        """Resolve, compress, wait one round trip, send through the link; what went out."""
        started = self.link.clock()
        path = unquote(urlsplit(self.path).path)
        status, headers, body, file = self.resolve(path)
        content_type = headers.get("Content-Type", "")
        encoding = ""
        if status in (200, 404) and any(kind in content_type for kind in COMPRESSIBLE):
            headers["Vary"] = "Accept-Encoding"
            if accepts_gzip(self.headers.get("Accept-Encoding")):
                body = self.gzipped.of(file) if file is not None else gzip.compress(body)
                headers["Content-Encoding"] = encoding = "gzip"
        headers["Content-Length"] = str(len(body))
        self.link.round_trip()
        before = self.wfile.written
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        except ConnectionError:  # The browser gave up on it (a navigation, an abort).
            self.close_connection = True
            status = 499  # What was sent still crossed the wire and counts.
        shaped = self.link.profile.bytes_per_s is not None
        return Sent(
            path,
            status,
            content_type,
            encoding,
            len(body) if with_body else 0,
            self.wfile.written - before,
            started,
            self.wfile.through if shaped else self.link.clock(),
        )

    def resolve(self, path: str) -> tuple[int, dict, bytes, Path | None]:
        """Status, headers, identity body and file (None for a generated body) of `path`."""
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                return 301, {"Location": path + "/"}, b"", None
            file = file / "index.html"
        if not file.is_file():
            missing = Path(self.directory) / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"not found\n"
            return 404, {"Content-Type": "text/html; charset=utf-8"}, body, None
        stat = file.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = {
            "Content-Type": self.guess_type(str(file)),
            "Cache-Control": f"max-age={HOST_MAX_AGE}",
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True),
        }
        if self.headers.get("If-None-Match") == etag:
            return 304, {k: v for k, v in headers.items() if k != "Content-Type"}, b"", None
        return 200, headers, file.read_bytes(), file


class Traffic:
    """The log of responses sent, and how many are still being sent."""

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.log: list[Sent] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._last = clock()

    def begin(self) -> None:
        with self._lock:
            self._in_flight += 1

    def end(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._last = self.clock()

    def quiet_for(self, seconds: float) -> bool:
        """Nothing in flight, and nothing finished in the last `seconds`."""
        with self._lock:
            return self._in_flight == 0 and self.clock() - self._last >= seconds


@dataclass
class ShapedSite:
    """A running shaping server: its base URL, link and traffic."""

    url: str
    link: Link
    traffic: Traffic

    @property
    def log(self) -> list[Sent]:
        return self.traffic.log


@contextmanager
def serve_shaped(directory: Path, profile: Profile, *, clock=time.monotonic, sleep=time.sleep):
    """Serve `directory` on a free loopback port through one link of `profile`; always stopped."""
    link = Link(profile, clock, sleep)
    traffic = Traffic(clock)
    options = {"link": link, "traffic": traffic, "gzipped": GzipCache()}
    with serve_directory(directory, ShapingHandler, **options) as url:
        yield ShapedSite(url, link, traffic)


def repeats(sent: list[Sent]) -> dict[str, int]:
    """URLs whose body crossed the wire more than once (status 200), with their count."""
    counts: dict[str, int] = {}
    for row in sent:
        if row.status == 200 and row.body_bytes:
            counts[row.path] = counts.get(row.path, 0) + 1
    return {path: count for path, count in sorted(counts.items()) if count > 1}
