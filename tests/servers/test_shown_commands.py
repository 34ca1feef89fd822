"""Every command the site shows starts what the harness starts for that server kind.

Each shown line (snippets/servers, snippets/decide, snippets/pitfalls) is split with shlex
and read by the server's own argument parser, and so is the argv the harness builds for
the same kind (harness.server_commands). Program, app, worker class and every option must
agree, except the bind address (the harness binds loopback on a free port), the worker and
thread counts (the harness's parameters, taken from the shown line) and what the tables
below allow, each with its reason.
"""

import importlib
import importlib.util
import ipaddress
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import daphne.cli
import gunicorn.config
import hypercorn.__main__
import hypercorn.config
import pytest
from click.core import ParameterSource
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from harness.paths import ROOT, SNIPPETS
from harness.server_commands import COMMANDS, HOST, KINDS, server_command

SHOWN_FOLDERS = ("servers", "decide", "pitfalls")
SHOWN_FILES = sorted(path for folder in SHOWN_FOLDERS for path in (SNIPPETS / folder).glob("*.sh"))
PORT = 8000  # Any port: the harness's is free and loopback, the site's is the reader's.
PARAMETERS = ("workers", "threads")  # Unset means one, for every server here.

# The server kinds each shown file starts, line by line, as its page's prose describes them.
SHOWN_KINDS = {
    "decide/gunicorn-threads.sh": ("gunicorn-gthread",),
    "pitfalls/asgi-threads.sh": ("daphne",),
    "pitfalls/asyncio-debug.sh": ("uvicorn",),
    "servers/gunicorn-asgi-worker.sh": ("gunicorn-asgi",),
    "servers/gunicorn-gthread.sh": ("gunicorn-gthread",),
    "servers/gunicorn-uvicorn-worker.sh": ("gunicorn-uvicorn",),
    "servers/gunicorn-wsgi.sh": ("gunicorn-sync",),
    "servers/others.sh": ("daphne", "hypercorn", "hypercorn"),
    "servers/uvicorn-asgi.sh": ("uvicorn",),
    "servers/uvicorn-install.sh": ("uvicorn",),
}
# Options in which a shown command may differ from the harness's, and why.
ALLOWED = {
    ("uvicorn", "limit_concurrency"): "servers.md#uvicorn teaches the cap for production; the "
    "harness's bursts (at most 50 requests) stay far below the 200 shown",
    ("uvicorn", "loop"): "pitfalls.md#blocking-async picks the stdlib loop for asyncio debug "
    "mode; with no uvloop installed, Uvicorn's default `auto` is that same loop",
    ("hypercorn", "quic_bind"): "the HTTP/3 line needs hypercorn[h3] and a certificate; the "
    "harness serves HTTP/1.1 over plain TCP",
    ("hypercorn", "certfile"): "the HTTP/3 line's certificate; the harness serves plain TCP",
    ("hypercorn", "keyfile"): "the HTTP/3 line's private key; the harness serves plain TCP",
}
# Environment variables a shown command sets, and why the harness does not.
SHOWN_ENVIRONMENT = {
    "ASGI_THREADS": "pitfalls.md#asgi-threads shows what the variable does not cap; the "
    "harness runs Daphne with its default executor",
    "PYTHONASYNCIODEBUG": "pitfalls.md#blocking-async's way to find blocking calls, not a "
    "setup to measure",
}
# Shown servers the harness does not run: their package is not one we pin.
NOT_RUN = {
    "granian": ("granian", "servers.md#granian describes it; the harness measures the others"),
    "waitress-serve": ("waitress", "servers.md#other-wsgi describes it; WSGI runs on Gunicorn"),
}
# Extras a shown `pip install` names that requirements.in does not pin, and why.
SHOWN_EXTRAS = {
    ("uvicorn", "standard"): "servers.md#uvicorn recommends uvloop and httptools for "
    "production; the harness measures plain Uvicorn (h11 and asyncio), as pinned",
}


@dataclass(frozen=True)
class Parsed:
    """A command line as its program reads it: every setting, and which ones it sets."""

    program: str
    app: str
    settings: dict
    explicit: frozenset


def read_gunicorn(args: list[str]) -> Parsed:
    config = gunicorn.config.Config()
    namespace = config.parser().parse_args(args)
    explicit = {k: v for k, v in vars(namespace).items() if v is not None and k != "args"}
    for name, value in explicit.items():
        config.set(name, value)
    settings = {name: setting.get() for name, setting in config.settings.items()}
    # What Gunicorn runs: `sync` with --threads above 1 becomes `gthread`.
    settings["worker_class"] = config.worker_class_str
    return Parsed("gunicorn", " ".join(namespace.args), settings, frozenset(explicit))


def read_uvicorn(args: list[str]) -> Parsed:
    command = importlib.import_module("uvicorn.main").main  # `uvicorn.main` is also a function
    context = command.make_context("uvicorn", list(args))
    explicit = {
        name
        for name in context.params
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE and name != "app"
    }
    return Parsed("uvicorn", context.params["app"], context.params, frozenset(explicit))


def read_hypercorn(args: list[str]) -> Parsed:
    configs = []
    with mock.patch.object(hypercorn.__main__, "run", configs.append):  # parse, do not serve
        hypercorn.__main__.main(list(args))
    (config,) = configs
    default = hypercorn.config.Config()
    names = {name.lstrip("_") for name in vars(config)} - {"application_path"}
    settings = {name: getattr(config, name) for name in names | {"workers", "bind"}}
    explicit = {name for name in names if settings[name] != getattr(default, name)}
    return Parsed("hypercorn", config.application_path, settings, frozenset(explicit))


def read_daphne(args: list[str]) -> Parsed:
    parser = daphne.cli.CommandLineInterface().parser
    settings = vars(parser.parse_args(args))
    explicit = {
        name
        for name, value in settings.items()
        if value != parser.get_default(name) and name != "application"
    }
    return Parsed("daphne", settings["application"], settings, frozenset(explicit))


def host_port_list(binds: list[str]) -> list[tuple[str, int]]:
    return [(host, int(port)) for host, port in (bind.rsplit(":", 1) for bind in binds)]


@dataclass(frozen=True)
class Program:
    """How to read one server's command line, and which of its settings say where it binds."""

    read: Callable[[list[str]], Parsed]
    bind_keys: tuple[str, ...]
    binds: Callable[[dict], list[tuple[str, int]]]


PROGRAMS = {
    "gunicorn": Program(read_gunicorn, ("bind",), lambda s: host_port_list(s["bind"])),
    "uvicorn": Program(read_uvicorn, ("host", "port"), lambda s: [(s["host"], s["port"])]),
    "hypercorn": Program(read_hypercorn, ("bind",), lambda s: host_port_list(s["bind"])),
    "daphne": Program(read_daphne, ("host", "port"), lambda s: [(s["host"], s["port"])]),
}


@dataclass(frozen=True)
class Shown:
    """One command line of a shown snippet: its environment assignments and its words."""

    file: str
    number: int
    line: str
    environment: dict
    words: list

    @property
    def where(self) -> str:
        return f"{self.file}:{self.number}"


def shown_commands() -> list[Shown]:
    commands = []
    for path in SHOWN_FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = shlex.split(line, comments=True)
            environment = {}
            while words and "=" in words[0] and words[0].split("=")[0].isidentifier():
                name, _, value = words.pop(0).partition("=")
                environment[name] = value
            if words:
                file = path.relative_to(SNIPPETS).as_posix()
                commands.append(Shown(file, number, line, environment, words))
    return commands


SHOWN = shown_commands()
SERVER_LINES = [shown for shown in SHOWN if shown.words[0] in PROGRAMS]
INSTALL_LINES = [shown for shown in SHOWN if shown.words[:2] == ["pip", "install"]]


def read(words: list[str]) -> Parsed:
    try:
        return PROGRAMS[words[0]].read(words[1:])
    except SystemExit:  # argparse has printed why
        pytest.fail(f"{words[0]} rejects its arguments: {shlex.join(words)}")


def read_harness(kind: str, workers: int = 1, threads: int = 1) -> Parsed:
    """The harness's argv for `kind`, read like a shown line once `python -m` is checked."""
    argv = server_command(kind, PORT, workers=workers, threads=threads)
    assert argv[:2] == [sys.executable, "-m"], argv
    return read(argv[2:])


def kind_of(shown: Parsed) -> str:
    """The one server kind whose program and worker class are the shown line's."""
    kinds = [
        kind
        for kind in KINDS
        if COMMANDS[kind][0] == shown.program
        and read_harness(kind).settings.get("worker_class") == shown.settings.get("worker_class")
    ]
    assert len(kinds) == 1, (
        f"{shown.program} with worker class {shown.settings.get('worker_class')!r} matches "
        f"{kinds or 'no kind'} in harness/server_commands.py"
    )
    return kinds[0]


def counts(parsed: Parsed) -> dict:
    return {name: parsed.settings.get(name) or 1 for name in PARAMETERS}


def differences(shown: Parsed, harness: Parsed) -> list[str]:
    """Where the shown line and the harness's argv disagree, one sentence each."""
    found = []
    if shown.program != harness.program:
        found.append(f"program: the site runs {shown.program}, the harness {harness.program}")
    if shown.app != harness.app:
        found.append(f"app: the site serves {shown.app!r}, the harness {harness.app!r}")
    skipped = set(PROGRAMS[shown.program].bind_keys)
    skipped |= {key for program, key in ALLOWED if program == shown.program}
    for key in sorted((shown.explicit | harness.explicit) - skipped):
        site, ours = shown.settings.get(key), harness.settings.get(key)
        if key in PARAMETERS:
            site, ours = site or 1, ours or 1
        if site != ours:
            found.append(f"{key}: the site says {site!r}, the harness runs {ours!r}")
    return found


@pytest.mark.parametrize("shown", SERVER_LINES, ids=lambda shown: shown.where)
def test_every_shown_server_command_starts_what_the_harness_starts_for_its_kind(shown):
    site = read(shown.words)
    harness = read_harness(kind_of(site), **counts(site))
    assert differences(site, harness) == [], shown.line


@pytest.mark.parametrize("kind", KINDS)
def test_the_harness_starts_every_kind_with_this_venv_and_binds_loopback_only(kind):
    harness = read_harness(kind, workers=1)
    assert ipaddress.ip_address(HOST).is_loopback
    assert PROGRAMS[harness.program].binds(harness.settings) == [(HOST, PORT)]


def test_each_shown_file_starts_the_server_kinds_its_page_describes():
    started = {}
    for shown in SERVER_LINES:
        started.setdefault(shown.file, []).append(kind_of(read(shown.words)))
    assert {file: tuple(kinds) for file, kinds in started.items()} == SHOWN_KINDS


def test_every_server_kind_the_harness_starts_is_shown_on_the_site():
    assert {kind for kinds in SHOWN_KINDS.values() for kind in kinds} == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "changed", "expected"),
    [
        ("gunicorn-asgi", ("--worker-class", "asgi", "--preload"), "preload_app"),
        ("uvicorn", ("--workers", "1", "--timeout-keep-alive", "30"), "timeout_keep_alive"),
        ("hypercorn", ("--workers", "1", "--keep-alive", "30"), "keep_alive_timeout"),
        ("daphne", ("--proxy-headers",), "proxy_headers"),
    ],
)
def test_a_flag_the_harness_does_not_pass_is_reported_as_a_difference(kind, changed, expected):
    harness = read_harness(kind)
    site = read([COMMANDS[kind][0], harness.app, *changed])
    assert any(found.startswith(f"{expected}:") for found in differences(site, harness))


def test_a_different_worker_class_or_app_is_reported_as_a_difference():
    harness = read_harness("gunicorn-uvicorn")
    site = read(["gunicorn", "config.wsgi:application", "-k", "uvicorn.workers.UvicornWorker"])
    found = differences(site, harness)
    assert [line.split(":")[0] for line in found] == ["app", "worker_class"]


def test_every_shown_line_is_a_server_the_harness_checks_an_install_or_explained():
    unexplained = [
        shown.where
        for shown in SHOWN
        if shown not in SERVER_LINES + INSTALL_LINES and shown.words[0] not in NOT_RUN
    ]
    assert unexplained == []
    environment = {name for shown in SHOWN for name in shown.environment}
    assert environment == set(SHOWN_ENVIRONMENT)


def test_every_allowance_in_the_tables_is_still_used_by_a_shown_line():
    used = {
        (site.program, key)
        for site in (read(shown.words) for shown in SERVER_LINES)
        for key in site.explicit
    }
    assert set(ALLOWED) <= used
    assert set(NOT_RUN) <= {shown.words[0] for shown in SHOWN}


def test_the_servers_the_harness_does_not_run_are_not_pinned_either():
    harness_programs = {template[0] for template in COMMANDS.values()}
    assert not set(NOT_RUN) & harness_programs
    assert not {canonicalize_name(package) for package, _ in NOT_RUN.values()} & pinned().keys()


def test_the_debug_commands_loop_is_uvicorns_default_here_because_uvloop_is_not_installed():
    assert importlib.util.find_spec("uvloop") is None, "update ALLOWED[('uvicorn', 'loop')]"


def pinned() -> dict[str, set[str]]:
    """requirements.in's packages (canonical names) and the extras each one pins."""
    requirements = {}
    for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            requirements[canonicalize_name(requirement.name)] = set(requirement.extras)
    return requirements


@pytest.mark.parametrize("shown", INSTALL_LINES, ids=lambda shown: shown.where)
def test_every_package_a_shown_pip_install_names_is_one_requirements_in_pins(shown):
    requirements = pinned()
    for word in shown.words[2:]:
        requirement = Requirement(word)
        name = canonicalize_name(requirement.name)
        assert name in requirements, f"{word} is not in requirements.in"
        unpinned = requirement.extras - requirements[name]
        assert unpinned <= {extra for package, extra in SHOWN_EXTRAS if package == name}, word


def test_every_shown_extra_the_tables_allow_is_still_shown():
    shown_extras = {
        (canonicalize_name(requirement.name), extra)
        for shown in INSTALL_LINES
        for requirement in map(Requirement, shown.words[2:])
        for extra in requirement.extras
    }
    assert set(SHOWN_EXTRAS) <= shown_extras
