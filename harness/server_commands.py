"""The command line that starts each server kind: the one place the harness builds it.

Each template is the command the site shows (snippets/servers/*.sh) with placeholders for
what the harness varies; tests/servers/test_shown_commands.py parses both with each
server's own parser and fails when they part.
"""

import sys

HOST = "127.0.0.1"  # Loopback only: nothing the tests start is reachable from outside.
WSGI_APP = "config.wsgi:application"
ASGI_APP = "config.asgi:application"

# The first three kinds are the lab's `server` names.
COMMANDS = {
    "gunicorn-sync": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "sync",
        "--bind", "{host}:{port}",
    ),
    "gunicorn-gthread": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "gthread",
        "--threads", "{threads}", "--bind", "{host}:{port}",
    ),
    "uvicorn": (
        "uvicorn", "{app}", "--workers", "{workers}", "--host", "{host}", "--port", "{port}",
    ),
    "gunicorn-uvicorn": (
        "gunicorn", "{app}", "--workers", "{workers}",
        "--worker-class", "uvicorn_worker.UvicornWorker", "--bind", "{host}:{port}",
    ),
    "gunicorn-asgi": (
        "gunicorn", "{app}", "--workers", "{workers}", "--worker-class", "asgi",
        "--bind", "{host}:{port}",
    ),
    "hypercorn": ("hypercorn", "{app}", "--workers", "{workers}", "--bind", "{host}:{port}"),
    # Daphne is one process: it has no --workers option.
    "daphne": ("daphne", "-b", "{host}", "-p", "{port}", "{app}"),
}  # fmt: skip
KINDS = tuple(COMMANDS)
WSGI_KINDS = frozenset({"gunicorn-sync", "gunicorn-gthread"})


def default_app(kind: str) -> str:
    """The demo project's callable for `kind`: its WSGI or its ASGI application."""
    return WSGI_APP if kind in WSGI_KINDS else ASGI_APP


def server_command(
    kind: str, port: int, *, app: str | None = None, workers: int = 1, threads: int = 1
) -> list[str]:
    """The argv that starts `kind` on HOST:port: the venv's `python -m` and the command."""
    if kind not in COMMANDS:
        raise ValueError(f"unknown server kind {kind!r}; expected one of {', '.join(KINDS)}")
    template = COMMANDS[kind]
    for name, value in (("workers", workers), ("threads", threads)):
        if value != 1 and f"{{{name}}}" not in template:
            raise ValueError(f"{kind} has no option for {name}; got {name}={value}")
    values = {
        "app": app or default_app(kind),
        "host": HOST,
        "port": port,
        "workers": workers,
        "threads": threads,
    }
    # `python -m` runs the same program as the console script, from this venv whatever PATH says.
    return [sys.executable, "-m", *(token.format(**values) for token in template)]
