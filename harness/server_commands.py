"""The command line that starts each server kind: the one place the harness builds it.

Each template is the command the site shows (snippets/servers/*.sh) with placeholders for
what the harness varies; tests/servers/test_shown_commands.py parses both with each
server's own parser and fails when they part.
"""

import sys
import sysconfig
from pathlib import Path

import gunicorn.config

HOST = "127.0.0.1"  # Loopback only: nothing the tests start is reachable from outside.
WSGI_APP = "config.wsgi:application"
ASGI_APP = "config.asgi:application"

# The first kinds are all the lab's `server` names, in its order (serverlab.scenario.SERVERS);
# tests/servers/test_shown_commands.py checks that they agree.
COMMANDS = {
    "gunicorn-sync": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "sync",
        "--bind", "{host}:{port}",
    ),
    "gunicorn-gthread": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "gthread",
        "--threads", "{threads}", "--bind", "{host}:{port}",
    ),
    "gunicorn-gevent": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "gevent",
        "--worker-connections", "{worker_connections}", "--bind", "{host}:{port}",
    ),
    "gunicorn-asgi": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "asgi",
        "--bind", "{host}:{port}",
    ),
    "gunicorn-uvicorn": (
        "gunicorn", "{app}", "--workers", "{workers}",
        "--worker-class", "uvicorn_worker.UvicornWorker", "--bind", "{host}:{port}",
    ),
    "uvicorn": (
        "uvicorn", "{app}", "--workers", "{workers}", "--host", "{host}", "--port", "{port}",
    ),
    # Without --die-on-term uWSGI takes SIGTERM as "reload": the stop would restart it.
    # Its listen queue is 100 by default and a full one resets connections: --listen 1024.
    "uwsgi": (
        "uwsgi", "--http-socket", "{host}:{port}", "--module", "{app}", "--master",
        "--processes", "{workers}", "--threads", "{threads}", "--listen", "1024",
        "--die-on-term", "--need-app",
    ),
    "granian-wsgi": (
        "granian", "--interface", "wsgi", "--workers", "{workers}",
        "--blocking-threads", "{threads}", "--host", "{host}", "--port", "{port}", "{app}",
    ),
    "granian-asgi": (
        "granian", "--interface", "asgi", "--workers", "{workers}", "--host", "{host}",
        "--port", "{port}", "{app}",
    ),
    "hypercorn": ("hypercorn", "{app}", "--workers", "{workers}", "--bind", "{host}:{port}"),
    # Daphne is one process: it has no --workers option.
    "daphne": ("daphne", "-b", "{host}", "-p", "{port}", "{app}"),
    # After the lab's names: run for real (the site names it), not modelled. One process.
    "waitress": ("waitress-serve", "--threads", "{threads}", "--listen", "{host}:{port}", "{app}"),
}  # fmt: skip
KINDS = tuple(COMMANDS)
WSGI_KINDS = frozenset(
    {"gunicorn-sync", "gunicorn-gthread", "gunicorn-gevent", "uwsgi", "granian-wsgi", "waitress"}
)
# What the harness varies, and the value that leaves each server at its own default.
DEFAULTS = {
    "workers": 1,
    "threads": 1,
    "worker_connections": gunicorn.config.WorkerConnections.default,
}
# Programs with no `python -m` of their name run as this venv's console scripts: pyuwsgi's
# module is C with no entry point, and waitress-serve's module is `waitress`.
CONSOLE_SCRIPTS = frozenset({"uwsgi", "waitress-serve"})


def default_app(kind: str) -> str:
    """The demo project's callable for `kind`: its WSGI or its ASGI application."""
    return WSGI_APP if kind in WSGI_KINDS else ASGI_APP


def takes(kind: str, parameter: str) -> bool:
    """Whether `kind`'s command line has an option for the harness's `parameter`."""
    return f"{{{parameter}}}" in COMMANDS[kind]


def program_argv(program: str) -> list[str]:
    """How to run `program` from this venv whatever PATH says: `python -m` or its script."""
    if program in CONSOLE_SCRIPTS:
        return [str(Path(sysconfig.get_path("scripts")) / program)]
    return [sys.executable, "-m", program]


def server_command(
    kind: str,
    port: int,
    *,
    app: str | None = None,
    workers: int = DEFAULTS["workers"],
    threads: int = DEFAULTS["threads"],
    worker_connections: int = DEFAULTS["worker_connections"],
) -> list[str]:
    """The argv that starts `kind` on HOST:port, its program run from this venv."""
    if kind not in COMMANDS:
        raise ValueError(f"unknown server kind {kind!r}; expected one of {', '.join(KINDS)}")
    varied = {"workers": workers, "threads": threads, "worker_connections": worker_connections}
    for name, value in varied.items():
        if value != DEFAULTS[name] and not takes(kind, name):
            raise ValueError(f"{kind} has no option for {name}; got {name}={value}")
    values = {"app": app or default_app(kind), "host": HOST, "port": port, **varied}
    program, *template = COMMANDS[kind]
    return [*program_argv(program), *(token.format(**values) for token in template)]
