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
    # After the lab's names: run for real (the site names them), not modelled. One process.
    "waitress": ("waitress-serve", "--threads", "{threads}", "--listen", "{host}:{port}", "{app}"),
    # Apache httpd with mod_wsgi in daemon mode; it serves a module's `application`.
    "mod_wsgi": (
        "mod_wsgi-express", "start-server", "--application-type", "module", "{module}",
        "--processes", "{workers}", "--threads", "{threads}", "--host", "{host}",
        "--port", "{port}", "--log-to-terminal",
    ),
}  # fmt: skip
KINDS = tuple(COMMANDS)
WSGI_KINDS = frozenset(
    {"gunicorn-sync", "gunicorn-gthread", "gunicorn-gevent", "uwsgi", "granian-wsgi", "waitress",
     "mod_wsgi"}
)  # fmt: skip
# Apache will not serve as root: as root, the harness runs these as an ordinary user
# (harness.unprivileged).
REFUSE_ROOT = frozenset({"mod_wsgi"})
# What `{module}` serves: mod_wsgi-express's default --callable-object, and Django's name.
MODULE_CALLABLE = "application"
# What the harness varies, and the value that leaves each server at its own default.
DEFAULTS = {
    "workers": 1,
    "threads": 1,
    "worker_connections": gunicorn.config.WorkerConnections.default,
}
# Programs with no `python -m` of their name run as this venv's console scripts: pyuwsgi's
# module is C with no entry point, waitress-serve's module is `waitress`, and
# mod_wsgi-express's is `mod_wsgi.express.cli`.
CONSOLE_SCRIPTS = frozenset({"uwsgi", "waitress-serve", "mod_wsgi-express"})


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
    app = app or default_app(kind)
    module, _, name = app.partition(":")
    if takes(kind, "module") and name != MODULE_CALLABLE:
        raise ValueError(f"{kind} serves a module's {MODULE_CALLABLE!r}; got {app!r}")
    values = {"app": app, "module": module, "host": HOST, "port": port, **varied}
    program, *template = COMMANDS[kind]
    return [*program_argv(program), *(token.format(**values) for token in template)]
