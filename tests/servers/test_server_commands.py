"""server_command() builds only what a kind's command line can say, and says so otherwise."""

import pytest

from harness.server_commands import DEFAULTS, KINDS, server_command, takes


def test_an_unknown_kind_is_refused_naming_the_kinds_there_are():
    with pytest.raises(ValueError, match="unknown server kind 'gunicorn-eventlet'; expected one"):
        server_command("gunicorn-eventlet", 8000)


@pytest.mark.parametrize(
    ("kind", "parameter"),
    [("daphne", "workers"), ("waitress", "workers"), ("uvicorn", "threads"),
     ("granian-asgi", "threads"), ("gunicorn-gthread", "worker_connections")],
)  # fmt: skip
def test_a_parameter_the_kind_has_no_option_for_is_refused_unless_left_at_its_default(
    kind, parameter
):
    assert not takes(kind, parameter)
    server_command(kind, 8000, **{parameter: DEFAULTS[parameter]})
    with pytest.raises(ValueError, match=f"{kind} has no option for {parameter}; got"):
        server_command(kind, 8000, **{parameter: DEFAULTS[parameter] + 1})


@pytest.mark.parametrize(
    ("kind", "parameters", "options"),
    [
        ("gunicorn-gevent", {"worker_connections": 50}, {"--worker-connections": "50"}),
        ("uwsgi", {"workers": 2, "threads": 4}, {"--processes": "2", "--threads": "4"}),
        (
            "granian-wsgi",
            {"workers": 3, "threads": 4},
            {"--workers": "3", "--blocking-threads": "4"},
        ),
        ("waitress", {"threads": 8}, {"--threads": "8"}),
        ("mod_wsgi", {"workers": 2, "threads": 8}, {"--processes": "2", "--threads": "8"}),
    ],
)
def test_each_parameter_lands_on_the_servers_own_option(kind, parameters, options):
    argv = server_command(kind, 8000, **parameters)
    assert {option: argv[argv.index(option) + 1] for option in options} == options


def test_every_kind_takes_workers_except_the_one_process_servers():
    assert {kind for kind in KINDS if not takes(kind, "workers")} == {"daphne", "waitress"}


def test_mod_wsgi_serves_the_modules_application_and_refuses_another_callable():
    argv = server_command("mod_wsgi", 8000)
    assert argv[argv.index("--application-type") + 1 :][:2] == ["module", "config.wsgi"]
    with pytest.raises(ValueError, match="mod_wsgi serves a module's 'application'; got 'app:app'"):
        server_command("mod_wsgi", 8000, app="app:app")
