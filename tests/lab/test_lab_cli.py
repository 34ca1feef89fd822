"""`python -m serverlab simulate ...` as a user runs it, in a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from serverlab.scenario import DEFAULTS, PARAMETERS, validate

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "packages" / "serverlab"
NEW_PARAMETERS = (
    "worker_connections",
    "db_pool",
    "db_max_connections",
    "db_pool_timeout_ms",
    "db_connect_ms",
)


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "serverlab", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_json_output_is_exactly_one_result_object():
    done = _run(
        "simulate", "--server", "gunicorn-sync", "--view", "sync-io",
        "--requests", "10", "--ms", "100", "--workers", "4", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["makespan_ms"] == 300
    assert data["params"]["workers"] == 4
    assert done.stdout.count("\n") == 1


@pytest.mark.parametrize("dispatch", ["shared-queue", "shared-accept"])
def test_cli_accepts_every_gthread_dispatch(dispatch):
    done = _run(
        "simulate", "--server", "gunicorn-gthread", "--dispatch", dispatch,
        "--workers", "2", "--threads", "2", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["params"]["dispatch"] == dispatch


def test_cli_defaults_are_the_vocabularys_defaults():
    done = _run("simulate", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["params"] == validate(DEFAULTS)


def test_cli_offers_one_option_per_parameter_with_its_limits():
    done = _run("simulate", "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for parameter in PARAMETERS:
        assert parameter.flag in text
        if parameter.min is not None:
            assert f"from {parameter.min} to {parameter.max}" in text


def test_text_output_has_a_summary_and_a_timeline():
    done = _run("simulate", "--server", "uvicorn", "--view", "async-blocking", "--requests", "3")
    assert done.returncode == 0, done.stderr
    assert "Makespan: 300 ms." in done.stdout
    assert "w1/loop" in done.stdout
    assert "# cpu" in done.stdout


def test_vietnamese_summary_on_request():
    done = _run("simulate", "--view", "sync-io", "--lang", "vi")
    assert "Thời gian hoàn tất (makespan): 100 ms." in done.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["simulate", "--workers", "0"], "workers"),
        (["simulate", "--workers", "-3"], "workers"),
        (["simulate", "--server", "nginx"], "--server"),
        (["simulate", "--view", "sleepy"], "--view"),
        (["simulate", "--requests", "1000000"], "requests"),
        (["simulate", "--requests", "many"], "--requests"),
        (["simulate", "--ms", "1e9"], "ms"),
        (["simulate", "--rate", "0"], "rate_rps"),
        (["simulate", "--server", "gunicorn-sync", "--dispatch", "least-busy"], "dispatch"),
        (["simulate", "--server", "uvicorn", "--dispatch", "shared-queue"], "dispatch"),
        (["simulate", "--dispatch", "random"], "--dispatch"),
        (["simulate", "--threads", "8"], "threads"),
        ([], "command"),
    ],
)
def test_bad_arguments_give_one_line_on_stderr_and_exit_status_2(args, named):
    done = _run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("serverlab: error:")
    assert named in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_accepts_every_new_parameter():
    done = _run(
        "simulate", "--server", "gunicorn-gevent", "--view", "sync-db", "--requests", "6",
        "--worker-connections", "3", "--db-pool", "2", "--db-max-connections", "50",
        "--db-pool-timeout-ms", "150", "--db-connect-ms", "4", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {key: data["params"][key] for key in NEW_PARAMETERS} == {
        "worker_connections": 3,
        "db_pool": 2,
        "db_max_connections": 50,
        "db_pool_timeout_ms": 150,
        "db_connect_ms": 4,
    }
    assert data["failed"] == sum(r["error"] is not None for r in data["requests"])


def test_text_output_names_the_database_and_the_failed_requests():
    done = _run(
        "simulate", "--server", "uvicorn", "--view", "async-db", "--requests", "3",
        "--db-pool", "1", "--db-pool-timeout-ms", "50", "--lang", "vi",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Database: pool 1 kết nối mỗi process" in done.stdout
    assert "Số request thất bại: 2 (HTTP 500)." in done.stdout
    assert "?" in done.stdout.splitlines()[-1]  # the legend explains the db wait mark
