"""The async tests migrate.md#testing shows pass against the demo project, run as it says.

The shown test module (snippets/migrate/tests.txt) is copied into a temporary folder as a
module of its own, and the shown command line (snippets/migrate/test-debug.sh) runs it
with Django's test runner from the demo project, on an in-memory SQLite database.
"""

import os
import re
import shlex
import subprocess
import sys

import pytest

from harness.paths import SNIPPETS

PROJECT = SNIPPETS / "project"
SHOWN_TESTS = SNIPPETS / "migrate" / "tests.txt"
SHOWN_COMMAND = SNIPPETS / "migrate" / "test-debug.sh"
SETTINGS = """\
from config.settings import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
"""
# What asyncio's debug mode logs for a loop step slower than slow_callback_duration (it
# may follow unittest's progress dots on the same line).
SLOW_STEP = re.compile(r"Executing <Task .*> took (\d+\.\d+) seconds")


def shown_command():
    """The environment assignments and the argv of the page's one command line."""
    lines = [line for line in SHOWN_COMMAND.read_text("utf-8").splitlines() if line[:1] != "#"]
    assert len(lines) == 1
    words = shlex.split(lines[0])
    assignments = [word for word in words if re.fullmatch(r"[A-Z_]+=.*", word)]
    return dict(word.split("=", 1) for word in assignments), words[len(assignments) :]


def run_shown_tests(tmp_path, extra_environment):
    (tmp_path / "migrate_tests.py").write_text(SHOWN_TESTS.read_text("utf-8"), "utf-8")
    (tmp_path / "migrate_settings.py").write_text(SETTINGS, "utf-8")
    environment = {
        **os.environ,
        **extra_environment,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "migrate_settings",
        "PYTHONDONTWRITEBYTECODE": "1",  # leave no __pycache__ in the demo project
    }
    _, argv = shown_command()
    command = [sys.executable, *argv[1:], "migrate_tests"]
    return subprocess.run(
        command, cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_shown_command_runs_django_s_test_runner_in_asyncio_debug_mode():
    environment, argv = shown_command()
    assert environment == {"PYTHONASYNCIODEBUG": "1"}
    assert argv == ["python", "manage.py", "test"]


@pytest.fixture(scope="module")
def debug_run(tmp_path_factory):
    environment, _ = shown_command()
    return run_shown_tests(tmp_path_factory.mktemp("debug"), environment)


def test_every_shown_async_test_passes(debug_run):
    shown = len(re.findall(r"^    async def test_", SHOWN_TESTS.read_text("utf-8"), re.M))
    assert debug_run.returncode == 0, debug_run.stderr
    assert f"Ran {shown} tests" in debug_run.stderr
    assert debug_run.stderr.rstrip().splitlines()[-2:] == [
        "OK",
        "Destroying test database for alias 'default'...",
    ]


def test_debug_mode_reports_the_blocking_view_that_the_tests_let_pass(debug_run):
    held = [float(seconds) for seconds in SLOW_STEP.findall(debug_run.stderr)]
    assert any(seconds >= 0.2 for seconds in held), debug_run.stderr


def test_without_debug_mode_the_same_green_run_reports_nothing(tmp_path):
    quiet = run_shown_tests(tmp_path, {"PYTHONASYNCIODEBUG": ""})
    assert quiet.returncode == 0, quiet.stderr
    assert SLOW_STEP.findall(quiet.stderr) == []
