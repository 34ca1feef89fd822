"""Fixtures that start real servers on free loopback ports and always stop them.

    def test_something(serve):
        url = serve("uvicorn", workers=2)              # the demo project, ASGI
        url = serve("gunicorn-sync")                   # the demo project, WSGI
        url = serve("gunicorn-sync", app="hello:app", cwd=SNIPPETS / "wsgi")  # a snippet

`serve` stops its servers (and all their workers) when the test ends, pass or fail.
`shared_server` returns a `Server` kept for the whole session: for tests that only read.
`postgres` is a throwaway PostgreSQL for the session; `database_url` the same, migrated and
seeded for the demo project (start a server with env={"DATABASE_URL": database_url}).
"""

import pytest

from harness.paths import PROJECT
from harness.postgres import migrate_and_seed, start_postgres
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


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL (max_connections 100) for the whole session, then removed."""
    with start_postgres() as database:
        yield database


@pytest.fixture(scope="session")
def database_url(postgres):
    """The session's PostgreSQL with the demo project's tables and seed rows: its URL."""
    migrate_and_seed(postgres.url)
    return postgres.url
