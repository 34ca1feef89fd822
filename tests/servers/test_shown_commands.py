"""Every command the site shows starts what the harness starts for that server kind.

Each shown line (snippets/servers, snippets/decide, snippets/pitfalls) is split with shlex
and read by the server's own argument parser, and so is the argv the harness builds for
the same kind (harness.server_commands). Program, app, worker class and every option must
agree, except the bind address (the harness binds loopback on a free port), the worker,
thread and connection counts (the harness's parameters, taken from the shown line) and what
the tables below allow, each with its reason. pyuwsgi parses its options in C, so uWSGI
lines are read by a strict reader of the options the site shows (read_uwsgi).
"""

import copy
import getopt
import importlib
import importlib.util
import ipaddress
import optparse
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import click
import daphne.cli
import granian.cli
import gunicorn.config
import hypercorn.__main__
import hypercorn.config
import mod_wsgi.express.options
import pytest
import waitress.adjustments
from click.core import ParameterSource
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from serverlab.scenario import SERVERS

from harness.paths import ROOT, SNIPPETS
from harness.server_commands import COMMANDS, DEFAULTS, HOST, KINDS, program_argv, server_command

SHOWN_FOLDERS = ("servers", "decide", "pitfalls")
SHOWN_FILES = sorted(path for folder in SHOWN_FOLDERS for path in (SNIPPETS / folder).glob("*.sh"))
PORT = 8000  # Any port: the harness's is free and loopback, the site's is the reader's.

# The server kinds each shown file starts, line by line, as its page's prose describes them.
SHOWN_KINDS = {
    "decide/gunicorn-threads.sh": ("gunicorn-gthread",),
    "pitfalls/asgi-threads.sh": ("daphne",),
    "pitfalls/asyncio-debug.sh": ("uvicorn",),
    "servers/granian.sh": ("granian-wsgi", "granian-asgi"),
    "servers/gunicorn-asgi-worker.sh": ("gunicorn-asgi",),
    "servers/gunicorn-gevent.sh": ("gunicorn-gevent",),
    "servers/gunicorn-gthread.sh": ("gunicorn-gthread",),
    "servers/gunicorn-uvicorn-worker.sh": ("gunicorn-uvicorn",),
    "servers/gunicorn-wsgi.sh": ("gunicorn-sync",),
    "servers/mod-wsgi.sh": ("mod_wsgi",),
    "servers/others.sh": ("daphne", "hypercorn", "hypercorn", "waitress"),
    "servers/uvicorn-asgi.sh": ("uvicorn",),
    "servers/uvicorn-install.sh": ("uvicorn",),
    "servers/uwsgi.sh": ("uwsgi",),
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


def granian_server(args: list[str]):
    """The server object Granian's own CLI builds from `args`, stopped before it serves."""
    servers = []
    with (
        mock.patch.object(granian.cli.Server, "serve", lambda server: servers.append(server)),
        mock.patch.object(sys, "path", list(sys.path)),  # the CLI adds its working dir
    ):
        granian.cli.cli.main(
            list(args), prog_name="granian", standalone_mode=False, auto_envvar_prefix="GRANIAN"
        )
    (server,) = servers
    return server


def read_granian(args: list[str]) -> Parsed:
    # Settings as Granian resolves them (its WSGI default for --blocking-threads is not one).
    server, again = granian_server(args), granian_server(args)
    # Runtime state (events, metrics objects) differs between two parses of one line.
    settings = {k: v for k, v in vars(server).items() if vars(again)[k] == v and k != "target"}
    default = vars(granian_server([server.target]))
    explicit = {name for name, value in settings.items() if value != default[name]}
    return Parsed("granian", server.target, settings, frozenset(explicit))


class CommandLineError(ValueError):
    """A uWSGI command line that read_uwsgi does not accept, and why."""


# The uWSGI options the site shows: setting name, and how its value reads (None: a flag).
# Defaults as uWSGI documents them: https://uwsgi-docs.readthedocs.io/en/latest/Options.html
UWSGI_OPTIONS = {
    "--http-socket": ("http_socket", str),
    "--module": ("module", str),
    "--master": ("master", None),
    "--processes": ("processes", int),
    "--threads": ("threads", int),
    "--listen": ("listen", int),
    "--die-on-term": ("die_on_term", None),
    "--need-app": ("need_app", None),
}
UWSGI_DEFAULTS = {"http_socket": None, "module": None, "master": False, "processes": 1,
                  "threads": 1, "listen": 100, "die_on_term": False, "need_app": False}  # fmt: skip


def read_uwsgi(args: list[str]) -> Parsed:
    """uWSGI's `--option value` and flag forms, for exactly UWSGI_OPTIONS; anything else fails.

    pyuwsgi parses in C with no Python parser to call, so this reader is strict instead:
    an option the site starts showing must be added here (and exist in `uwsgi --help`).
    """
    settings, explicit, words = dict(UWSGI_DEFAULTS), set(), list(args)
    while words:
        option = words.pop(0)
        if option not in UWSGI_OPTIONS:
            raise CommandLineError(f"{option!r} is not an option the site shows")
        name, kind = UWSGI_OPTIONS[option]
        if name in explicit:
            raise CommandLineError(f"{option} is given twice")
        if kind is None:
            settings[name] = True
        elif not words or words[0].startswith("-"):
            raise CommandLineError(f"{option} needs a value")
        elif kind is int and not words[0].isdigit():
            raise CommandLineError(f"{option} needs a whole number, got {words[0]!r}")
        else:
            settings[name] = kind(words.pop(0))
        explicit.add(name)
    return Parsed("uwsgi", settings["module"], settings, frozenset(explicit - {"module"}))


def read_waitress(args: list[str]) -> Parsed:
    kw, positional = waitress.adjustments.Adjustments.parse_args(list(args))
    if len(positional) != 1:
        raise CommandLineError(f"waitress-serve serves one application, got {positional}")
    runner = {name: kw.pop(name) for name in ("help", "call")}  # the runner's, not the server's
    settings = {**vars(waitress.adjustments.Adjustments(**kw)), **runner}
    explicit = set(kw) | {name for name, value in runner.items() if value}
    return Parsed("waitress-serve", positional[0], settings, frozenset(explicit))


def read_mod_wsgi(args: list[str]) -> Parsed:
    if args[:1] != ["start-server"]:
        raise CommandLineError(f"the site starts mod_wsgi-express start-server, got {args[:1]}")
    # The option list mod_wsgi-express's own start-server command parses with.
    options = copy.deepcopy(mod_wsgi.express.options.option_list)
    parser = optparse.OptionParser(option_list=options)
    values, positional = parser.parse_args(list(args[1:]))
    settings = vars(values)
    if len(positional) != 1 or settings["application_type"] != "module":
        raise CommandLineError(f"the site serves one module, got {positional}")
    explicit = {name for name, value in settings.items() if value != parser.defaults[name]}
    app = f"{positional[0]}:{settings['callable_object']}"
    return Parsed("mod_wsgi-express", app, settings, frozenset(explicit))


def host_port_list(binds: list[str]) -> list[tuple[str, int]]:
    return [(host, int(port)) for host, port in (bind.rsplit(":", 1) for bind in binds)]


@dataclass(frozen=True)
class Program:
    """How to read one server's command line: where it binds, the harness's parameters in
    its own setting names, and the setting that picks the kind (a worker class, an interface).
    """

    read: Callable[[list[str]], Parsed]
    bind_keys: tuple[str, ...]
    binds: Callable[[dict], list[tuple[str, int]]]
    parameters: dict = field(default_factory=dict)
    variant: str | None = None


GUNICORN_PARAMETERS = {name: name for name in ("workers", "threads", "worker_connections")}
PROGRAMS = {
    "gunicorn": Program(
        read_gunicorn, ("bind",), lambda s: host_port_list(s["bind"]), GUNICORN_PARAMETERS,
        "worker_class",
    ),
    "uvicorn": Program(
        read_uvicorn, ("host", "port"), lambda s: [(s["host"], s["port"])], {"workers": "workers"}
    ),
    "hypercorn": Program(
        read_hypercorn, ("bind",), lambda s: host_port_list(s["bind"]), {"workers": "workers"}
    ),
    "daphne": Program(read_daphne, ("host", "port"), lambda s: [(s["host"], s["port"])]),
    "uwsgi": Program(
        read_uwsgi, ("http_socket",), lambda s: host_port_list([s["http_socket"]]),
        {"workers": "processes", "threads": "threads"},
    ),
    "granian": Program(
        read_granian, ("bind_addr", "bind_port"), lambda s: [(s["bind_addr"], s["bind_port"])],
        {"workers": "workers", "threads": "blocking_threads"}, "interface",
    ),
    "waitress-serve": Program(
        read_waitress, ("listen", "host", "port"),
        lambda s: [sockaddr[:2] for *_, sockaddr in s["listen"]], {"threads": "threads"},
    ),
    "mod_wsgi-express": Program(
        read_mod_wsgi, ("host", "port"), lambda s: [(s["host"], s["port"])],
        {"workers": "processes", "threads": "threads"},
    ),
}  # fmt: skip


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
    except (click.ClickException, getopt.GetoptError, CommandLineError) as error:
        pytest.fail(f"{words[0]} rejects its arguments ({error}): {shlex.join(words)}")


def harness_words(kind: str, **parameters) -> list[str]:
    """The harness's argv for `kind` as a shown line says it, once this venv is checked."""
    argv = server_command(kind, PORT, **parameters)
    if argv[:2] == [sys.executable, "-m"]:
        return argv[2:]
    script = Path(argv[0])  # a console script of this venv, run by this venv's Python
    assert script.parent == Path(sys.executable).parent, argv
    assert script.read_text(encoding="utf-8").startswith(f"#!{sys.executable}\n"), argv
    return [script.name, *argv[1:]]


def read_harness(kind: str, **parameters) -> Parsed:
    """The harness's argv for `kind`, read like a shown line."""
    return read(harness_words(kind, **parameters))


def variant(parsed: Parsed):
    """The setting that tells kinds of one program apart (None when it has one kind)."""
    name = PROGRAMS[parsed.program].variant
    return parsed.settings.get(name) if name else None


def kind_of(shown: Parsed) -> str:
    """The one server kind whose program and variant (worker class, interface) are the line's."""
    kinds = [
        kind
        for kind in KINDS
        if COMMANDS[kind][0] == shown.program and variant(read_harness(kind)) == variant(shown)
    ]
    assert len(kinds) == 1, (
        f"{shown.program} with {PROGRAMS[shown.program].variant} {variant(shown)!r} matches "
        f"{kinds or 'no kind'} in harness/server_commands.py"
    )
    return kinds[0]


def counts(parsed: Parsed) -> dict:
    """The harness's parameters as the line sets them; one the program leaves unset is the
    harness's default (Uvicorn without --workers runs one process)."""
    found = {}
    for name, setting in PROGRAMS[parsed.program].parameters.items():
        value = parsed.settings.get(setting)
        found[name] = DEFAULTS[name] if value is None else value
    return found


def differences(shown: Parsed, harness: Parsed) -> list[str]:
    """Where the shown line and the harness's argv disagree, one sentence each."""
    found = []
    if shown.program != harness.program:
        found.append(f"program: the site runs {shown.program}, the harness {harness.program}")
    if shown.app != harness.app:
        found.append(f"app: the site serves {shown.app!r}, the harness {harness.app!r}")
    program = PROGRAMS[shown.program]
    skipped = set(program.bind_keys)
    skipped |= {key for name, key in ALLOWED if name == shown.program}
    site_counts, our_counts = counts(shown), counts(harness)
    for key in sorted((shown.explicit | harness.explicit) - skipped):
        site, ours = shown.settings.get(key), harness.settings.get(key)
        if key in program.parameters.values():
            name = next(name for name, setting in program.parameters.items() if setting == key)
            site, ours = site_counts[name], our_counts[name]
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
    harness = read_harness(kind)
    assert ipaddress.ip_address(HOST).is_loopback
    assert PROGRAMS[harness.program].binds(harness.settings) == [(HOST, PORT)]


@pytest.mark.parametrize("shown", SERVER_LINES, ids=lambda shown: shown.where)
def test_every_shown_server_command_listens_on_loopback_only_behind_the_proxy(shown):
    # servers.md#reverse-proxy: bound to 0.0.0.0 on a host, the server is reachable from the
    # network past the proxy. A line that names no host gets Daphne's default (None here).
    site = read(shown.words)
    hosts = [
        host or daphne.cli.DEFAULT_HOST for host, _ in PROGRAMS[site.program].binds(site.settings)
    ]
    hosts += [bind.rsplit(":", 1)[0] for bind in site.settings.get("quic_bind", [])]
    assert all(ipaddress.ip_address(host).is_loopback for host in hosts), shown.line


def test_the_harness_kinds_begin_with_every_lab_server_in_the_labs_order():
    assert KINDS[: len(SERVERS)] == SERVERS


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
        (
            "granian-wsgi",
            ("--interface", "wsgi", "--blocking-threads", "1", "--no-ws"),
            "websockets",
        ),
        ("granian-asgi", ("--interface", "asgi", "--http", "1"), "http"),
        ("waitress", ("--threads", "1", "--expose-tracebacks"), "expose_tracebacks"),
    ],
)
def test_a_flag_the_harness_does_not_pass_is_reported_as_a_difference(kind, changed, expected):
    harness = read_harness(kind)
    site = read([COMMANDS[kind][0], *changed, harness.app])  # waitress reads options first
    assert any(found.startswith(f"{expected}:") for found in differences(site, harness))


def test_a_mod_wsgi_line_with_apaches_default_request_timeout_changed_is_reported():
    harness = read_harness("mod_wsgi")
    words = [*harness_words("mod_wsgi"), "--request-timeout", "30"]
    found = differences(read(words), harness)
    assert [line.split(":")[0] for line in found] == ["request_timeout"]


@pytest.mark.parametrize(
    ("words", "why"),
    [
        (["setup-server", "--application-type", "module", "config.wsgi"], "start-server"),
        (["start-server", "config/wsgi.py"], "serves one module"),
        (["start-server", "--application-type", "module"], "serves one module"),
    ],
)
def test_the_mod_wsgi_reader_rejects_lines_the_harness_could_not_start(words, why):
    with pytest.raises(CommandLineError, match=why):
        read_mod_wsgi(words)


def test_a_uwsgi_line_without_die_on_term_is_reported_because_sigterm_would_reload_it():
    words = harness_words("uwsgi")
    words.remove("--die-on-term")
    found = differences(read(words), read_harness("uwsgi"))
    assert [line.split(":")[0] for line in found] == ["die_on_term"]


def test_a_granian_line_without_blocking_threads_is_read_with_granians_own_default():
    site = read(["granian", "--interface", "wsgi", "config.wsgi:application"])
    assert counts(site)["threads"] > 1  # Granian's WSGI default, not the harness's one
    found = differences(site, read_harness("granian-wsgi"))
    assert [line.split(":")[0] for line in found] == ["blocking_threads"]


@pytest.mark.parametrize(
    ("words", "why"),
    [
        (["--enable-threads"], "is not an option the site shows"),
        (["--processes=4"], "is not an option the site shows"),
        (["--processes"], "needs a value"),
        (["--processes", "--master"], "needs a value"),
        (["--threads", "four"], "needs a whole number"),
        (["--master", "--master"], "is given twice"),
        (["config.wsgi:application"], "is not an option the site shows"),
    ],
)
def test_the_uwsgi_reader_rejects_what_it_does_not_know(words, why):
    with pytest.raises(CommandLineError, match=why):
        read_uwsgi(words)


def test_every_option_the_uwsgi_reader_knows_is_one_uwsgi_itself_lists():
    help_text = subprocess.run(
        [*program_argv("uwsgi"), "--help"], capture_output=True, text=True, timeout=30
    ).stdout
    listed = {  # one line an option: "    -M|--master    enable master process"
        name
        for line in help_text.splitlines()
        if line.startswith("    -")
        for name in line.split()[0].split("|")
    }
    assert set(UWSGI_OPTIONS) <= listed


def test_a_different_worker_class_or_app_is_reported_as_a_difference():
    harness = read_harness("gunicorn-uvicorn")
    site = read(["gunicorn", "config.wsgi:application", "-k", "uvicorn.workers.UvicornWorker"])
    found = differences(site, harness)
    assert [line.split(":")[0] for line in found] == ["app", "worker_class"]


def test_every_shown_line_is_a_server_the_harness_checks_or_an_install():
    unexplained = [shown.where for shown in SHOWN if shown not in SERVER_LINES + INSTALL_LINES]
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


def test_the_debug_commands_loop_is_uvicorns_default_here_because_uvloop_is_not_installed():
    assert importlib.util.find_spec("uvloop") is None, "update ALLOWED[('uvicorn', 'loop')]"


def pinned() -> dict[str, set[str]]:
    """The packages requirements*.in pin (canonical names) and the extras each one pins."""
    requirements = {}
    lines = [
        line for path in ROOT.glob("requirements*.in")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]  # fmt: skip
    for line in lines:
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
        assert name in requirements, f"{word} is not pinned in a requirements*.in"
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
