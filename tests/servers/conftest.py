"""Fixtures that start real servers on free loopback ports and always stop them.

    def test_something(serve):
        url = serve("uvicorn", workers=2)              # the demo project, ASGI
        url = serve("gunicorn-sync")                   # the demo project, WSGI
        url = serve("gunicorn-sync", app="hello:app", cwd=SNIPPETS / "wsgi")  # a snippet

`serve` stops its servers (and all their workers) when the test ends, pass or fail.
`shared_server` returns a `Server` kept for the whole session: for tests that only read.
"""

import pytest

from harness.paths import PROJECT
from harness.servers import start_server


@pytest.fixture
def start():
    """Factory: start(kind, app=None, workers=1, threads=1, cwd=PROJECT, ...) -> Server."""
    started = []

    def start_one(kind, app=None, *, workers=1, threads=1, cwd=PROJECT, **options):
        server = start_server(kind, app, workers=workers, threads=threads, cwd=cwd, **options)
        started.append(server)
        return server

    yield start_one
    for server in reversed(started):
        server.stop()


@pytest.fixture
def serve(start):
    """Factory: serve(kind, app=None, workers=1, threads=1, cwd=PROJECT, ...) -> base URL."""

    def serve_one(kind, app=None, **options):
        return start(kind, app, **options).base_url

    return serve_one


@pytest.fixture(scope="session")
def shared_server():
    """Factory like `start`, but one server per set of arguments for the whole session."""
    servers = {}

    def get(kind, app=None, *, workers=1, threads=1, cwd=PROJECT):
        key = (kind, app, workers, threads, str(cwd))
        server = servers.get(key)
        if server is None or server.process.poll() is not None:
            server = servers[key] = start_server(
                kind, app, workers=workers, threads=threads, cwd=cwd
            )
        return server

    yield get
    for server in servers.values():
        server.stop()
