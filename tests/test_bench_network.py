"""The benchmarks' shaping server: gzip as hosts do, one shared pipe, every response counted."""

import gzip
import os
import threading
import urllib.request

import pytest

from benchmarks.shaping import FAST, LOOPBACK, SLOW, Link, repeats, serve_shaped

MEGABYTE = 1_000_000


class VirtualClock:
    """Time that passes only when the server sleeps: the schedule without the wait."""

    def __init__(self):
        self.now = 0.0
        self.lock = threading.Lock()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += max(seconds, 0.0)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm" + bytes(200_000))
    (tmp_path / "pyodide" / "pyodide.mjs").write_text("export const x = 1;\n" * 5_000)
    (tmp_path / "big.bin").write_bytes(os.urandom(MEGABYTE))
    (tmp_path / "index.html").write_text("<!doctype html><title>home</title>\n")
    return tmp_path


def get(url: str, encoding: str | None = None):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers, response.read()


@pytest.mark.parametrize("name", ["pyodide.asm.wasm", "pyodide.mjs"])
def test_wasm_and_javascript_are_gzipped_only_when_the_request_accepts_gzip(site, name):
    with serve_shaped(site, LOOPBACK) as shaped:
        headers, body = get(f"{shaped.url}/pyodide/{name}", "gzip, deflate, br")
        plain_headers, plain = get(f"{shaped.url}/pyodide/{name}")
        refused_headers, _ = get(f"{shaped.url}/pyodide/{name}", "gzip;q=0, identity")
    original = (site / "pyodide" / name).read_bytes()
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == original
    assert len(body) < len(original)
    assert plain_headers["Content-Encoding"] is None
    assert plain == original
    assert refused_headers["Content-Encoding"] is None
    sizes = [row.body_bytes for row in shaped.log]
    assert sizes[:2] == [len(body), len(original)]


def test_a_megabyte_at_1_6_mbit_s_is_scheduled_to_take_about_five_seconds(site):
    clock = VirtualClock()
    with serve_shaped(site, SLOW, clock=clock.time, sleep=clock.sleep) as shaped:
        _, body = get(f"{shaped.url}/big.bin", "gzip")
    (sent,) = shaped.log
    assert len(body) == MEGABYTE and sent.encoding == ""  # Random bytes are not text.
    # 8 Mbit at 1.6 Mbit/s is 5 s, plus one 150 ms round trip and the headers.
    assert 5.0 < sent.seconds < 5.3


def test_the_link_is_one_pipe_that_responses_in_flight_share():
    clock = VirtualClock()
    link = Link(FAST, clock.time, clock.sleep)
    # Two responses of 1 MB whose chunks alternate on the link, as two threads' would.
    through = [link.send(16 * 1024) for _ in range(2 * MEGABYTE // (16 * 1024))]
    assert through[-1] == pytest.approx(2 * MEGABYTE * 8 / 10_000_000, rel=0.01)


def test_every_response_is_counted_repeats_included(site):
    with serve_shaped(site, LOOPBACK) as shaped:
        for _ in range(3):
            get(f"{shaped.url}/pyodide/pyodide.mjs", "gzip")
        get(f"{shaped.url}/")
    assert repeats(shaped.log) == {"/pyodide/pyodide.mjs": 3}
    assert [row.path for row in shaped.log] == ["/pyodide/pyodide.mjs"] * 3 + ["/"]
    assert all(row.wire_bytes > row.body_bytes > 0 for row in shaped.log)
