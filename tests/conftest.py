"""Shared fixtures: the built site, served; one Pyodide; Chromium as this machine needs it."""

import pytest

from harness import started
from harness.chromium import ChromiumMissing, launch_options
from harness.static_site import build_site, serve_directory


def pytest_collection_modifyitems(items):
    """Run the browser tests last.

    Playwright's sync API keeps an asyncio event loop running in the main thread once a
    browser test has run, and then `asyncio.run()` in later tests fails.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def nothing_left_behind():
    """At the session's end, no process or port the harness started may be left.

    Set up before every other session fixture, so torn down after them all. Leftovers
    are named (pid, command line, port), then killed so that they do not outlive the run.
    """
    yield
    leftovers = started.left_behind()
    started.end(leftovers)
    assert not leftovers, started.describe(leftovers)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site built once with `mkdocs build --strict` into a temporary folder."""
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served over HTTP on a free port, at the root of the host."""
    with serve_directory(built_site) as url:
        yield url + "/"


@pytest.fixture
def django_settings():
    """Django's settings, configured with its defaults unless a snippet's run already did."""
    from django.conf import settings

    if not settings.configured:
        settings.configure()
    return settings


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
    try:
        return launch_options()
    except ChromiumMissing as missing:
        pytest.fail(str(missing))
