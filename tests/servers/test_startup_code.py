"""Startup code under ASGI servers: a query in AppConfig.ready(), one AsyncClient per process.

Each test writes a tiny Django project (SQLite in memory) into its own folder and serves it.
"""

import http.server
import os
import sys
import threading
from pathlib import Path
from textwrap import dedent

import httpx
import pytest
from asgiref.sync import async_to_sync

from harness import started
from harness.paths import SNIPPETS
from harness.server_commands import server_command
from harness.servers import Server, free_port, start_server
from harness.waiting import wait_until

pytestmark = pytest.mark.servers

SETTINGS = """
    SECRET_KEY = "test"
    ALLOWED_HOSTS = ["*"]
    INSTALLED_APPS = ["readyq"]
    ROOT_URLCONF = "config.urls"
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
"""
URLS = """
    import os

    from django.http import JsonResponse
    from django.urls import path


    async def upstream(request):
        client = request.scope["state"]["http"]
        answer = await client.get(os.environ["UPSTREAM"])
        return JsonResponse({"status": answer.status_code, "client": id(client)})


    urlpatterns = [path("upstream", upstream)]
"""
PLAIN_ASGI = """
    import os

    from django.core.asgi import get_asgi_application

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    application = get_asgi_application()
"""
APPS_WITH_QUERY = """
    from django.apps import AppConfig
    from django.db import connection


    class ReadyqConfig(AppConfig):
        name = "readyq"

        def ready(self):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
"""
APPS_WITHOUT_QUERY = """
    from django.apps import AppConfig


    class ReadyqConfig(AppConfig):
        name = "readyq"
"""
REFUSED = "SynchronousOnlyOperation: You cannot call this from an async context"
WARNED = "RuntimeWarning: Accessing the database during app initialization is discouraged"


def write_project(root: Path, *, apps: str, asgi: str) -> Path:
    files = {
        "config/__init__.py": "",
        "config/settings.py": dedent(SETTINGS),
        "config/urls.py": dedent(URLS),
        "config/asgi.py": asgi,
        "readyq/__init__.py": "",
        "readyq/apps.py": dedent(apps),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def spawn_uvicorn(cwd: Path, workers: int) -> Server:
    """Uvicorn started without waiting for an answer: its workers may never answer."""
    port = free_port()
    command = server_command("uvicorn", port, workers=workers)
    tmpdir = cwd / "tmp"
    tmpdir.mkdir()
    log_path = cwd / "uvicorn.log"
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    with log_path.open("wb") as log:
        process, start = started.spawn(
            "uvicorn", command, ports=[port], cwd=cwd, stdout=log, stderr=log,
            env={**environment, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmpdir)},
        )  # fmt: skip
    return Server("uvicorn", command, port, process, start, log_path, tmpdir, workers)


def wait_for_log(server: Server, *texts: str, timeout: float = 30.0) -> str:
    """The server's log once it contains every one of `texts` (fails after `timeout`)."""

    def logged() -> str | None:
        log = server.log()
        return log if all(text in log for text in texts) else None

    return wait_until(logged, timeout, explain=lambda: f"never logged {texts!r}:\n{server.log()}")


def test_a_query_in_ready_kills_every_uvicorn_worker_started_with_workers_2(tmp_path):
    # Each spawned worker imports the app inside the event loop it has just started.
    project = write_project(tmp_path, apps=APPS_WITH_QUERY, asgi=dedent(PLAIN_ASGI))
    with spawn_uvicorn(project, workers=2) as server:
        log = wait_for_log(server, REFUSED, "Child process", "died")
    assert "Application startup complete" not in log


def test_a_query_in_ready_only_warns_in_a_single_uvicorn_process(tmp_path):
    # With one process Uvicorn imports the app before it starts the event loop.
    project = write_project(tmp_path, apps=APPS_WITH_QUERY, asgi=dedent(PLAIN_ASGI))
    with spawn_uvicorn(project, workers=1) as server:
        log = wait_for_log(server, WARNED, "Application startup complete")
    assert REFUSED not in log


@pytest.fixture
def upstream():
    """A local HTTP/1.1 server that keeps connections alive: the URL a view calls."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    class Upstream(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # The connection a closed event loop left in its client is reset, not closed.
            if not isinstance(sys.exception(), ConnectionResetError):
                super().handle_error(request, client_address)

    server = Upstream(("127.0.0.1", 0), Handler)
    started.record_listener("upstream", server.server_port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_lifespan_wrapper_gives_every_request_of_a_process_the_same_client(tmp_path, upstream):
    shown = (SNIPPETS / "asgi" / "shared_client.txt").read_text(encoding="utf-8")
    project = write_project(tmp_path, apps=APPS_WITHOUT_QUERY, asgi=shown)
    server = start_server(
        "uvicorn", "config.asgi:application", cwd=project, ready_path="/upstream",
        env={"UPSTREAM": upstream},
    )  # fmt: skip
    with server:
        answers = [httpx.get(f"{server.base_url}/upstream").json() for _ in range(3)]
        log = server.log()
    assert [answer["status"] for answer in answers] == [200, 200, 200]
    assert len({answer["client"] for answer in answers}) == 1
    assert "lifespan' protocol appears unsupported" not in log


def test_one_async_client_shared_by_two_async_to_sync_calls_fails_the_second(upstream):
    # What an async view under WSGI does: each request gets a one-off event loop.
    client = httpx.AsyncClient()

    async def view():
        return (await client.get(upstream)).status_code

    assert async_to_sync(view)() == 200
    with pytest.raises(RuntimeError, match="Event loop is closed"):
        async_to_sync(view)()
