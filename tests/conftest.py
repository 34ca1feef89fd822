"""Shared fixtures; the test helpers in this folder are importable as plain modules."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
from harness.static_server import serve_directory

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items):
    """Run the browser tests last.

    Playwright's sync API keeps an asyncio event loop running in the main thread once a
    browser test has run, and then `asyncio.run()` in later tests fails.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site built once with `mkdocs build --strict` into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served over HTTP on a free port, at the root of the host."""
    with serve_directory(built_site) as url:
        yield url + "/"


@pytest.fixture(scope="session")
def pyodide():
    """One Pyodide (the site's own build, under Node) shared by the whole test session."""
    from harness.pyodide_session import PyodideSession

    session = PyodideSession()
    yield session
    session.close()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's chromium, started the way this network-less machine needs."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
