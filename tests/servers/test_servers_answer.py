"""Every server serves every view of the demo project, and rejects bad query values."""

from pathlib import Path

import pytest

from harness.load import fire_sync
from harness.server_clients import get, get_json
from harness.server_commands import KINDS, WSGI_KINDS

pytestmark = pytest.mark.servers

VIEWS = ["io/sync", "io/async", "io/async-blocking", "cpu/sync", "cpu/async"]
ASGI_KINDS = [kind for kind in KINDS if kind not in WSGI_KINDS]
GREENLET_KINDS = {"gunicorn-gevent"}  # one greenlet a request, each a "thread" of its own


@pytest.mark.parametrize("kind", KINDS)
def test_every_view_answers_with_json_naming_itself_and_the_process_that_ran_it(
    shared_server, kind
):
    server = shared_server(kind)
    for view in VIEWS:
        body = get_json(f"{server.base_url}/{view}?ms=5")
        assert body["view"] == view
        assert body["ms"] == 5
        assert body["pid"] in server.pids()
        assert isinstance(body["thread"], str) and body["thread"]
    assert get_json(f"{server.base_url}/io/sync")["ms"] == 100


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_ms_value_gets_400_with_a_plain_text_explanation(shared_server, kind):
    server = shared_server(kind)
    for value in ["abc", "-5", "1.5", "60001", "", "%C2%B2"]:
        for view in [*VIEWS, "sse"]:
            status, content_type, text = get(f"{server.base_url}/{view}?ms={value}")
            assert status == 400, (view, value, status)
            assert content_type.startswith("text/plain")
            assert text.startswith("ms must be a whole number from 0 to 60000, got "), text
    status, _, text = get(f"{server.base_url}/sse?count=many")
    assert (status, text) == (400, "count must be a whole number from 0 to 1000, got 'many'\n")


@pytest.mark.parametrize("kind", sorted(WSGI_KINDS - GREENLET_KINDS))
def test_wsgi_runs_sync_views_on_the_worker_thread_and_each_async_view_on_a_one_off_thread(
    shared_server, kind
):
    url = shared_server(kind).base_url
    sync_threads = [get_json(f"{url}/io/sync?ms=1")["thread"] for _ in range(2)]
    async_threads = [get_json(f"{url}/io/async?ms=1")["thread"] for _ in range(2)]
    assert sync_threads[0] == sync_threads[1]
    assert async_threads[0] != async_threads[1]
    assert sync_threads[0] not in async_threads


@pytest.mark.parametrize("kind", ASGI_KINDS)
def test_asgi_runs_async_views_on_the_loop_thread_and_each_sync_view_on_a_new_thread(
    shared_server, kind
):
    url = shared_server(kind).base_url
    async_threads = [get_json(f"{url}/io/async?ms=1")["thread"] for _ in range(2)]
    sync_threads = [get_json(f"{url}/io/sync?ms=1")["thread"] for _ in range(2)]
    assert async_threads == ["MainThread", "MainThread"]
    assert sync_threads[0] != sync_threads[1]
    assert "MainThread" not in sync_threads


@pytest.mark.parametrize("kind", sorted(GREENLET_KINDS))
def test_gevent_runs_each_sync_view_on_a_greenlet_of_its_own_that_python_sees_as_a_thread(
    shared_server, kind
):
    url = shared_server(kind).base_url
    sync_threads = [get_json(f"{url}/io/sync?ms=1")["thread"] for _ in range(2)]
    async_threads = [get_json(f"{url}/io/async?ms=1")["thread"] for _ in range(2)]
    assert len({*sync_threads, *async_threads}) == 4


@pytest.mark.parametrize("kind", sorted(GREENLET_KINDS))
def test_async_views_that_overlap_under_gevent_fail_because_its_greenlets_share_one_thread(
    shared_server, kind
):
    # Django runs an async view under WSGI with asyncio.run() on a new "thread"; gevent's
    # threads are greenlets on one OS thread, where a loop already runs: RuntimeError, 500.
    url = shared_server(kind).base_url
    load = fire_sync(url, "/io/async?ms=200", 3)
    assert load.summary()["statuses"] == {"200": 1, "500": 2}
    assert get_json(f"{url}/io/async?ms=1")["view"] == "io/async"  # one at a time works


def test_mod_wsgi_answers_from_a_process_of_an_ordinary_user_because_apache_refuses_root(
    shared_server,
):
    body = get_json(f"{shared_server('mod_wsgi').base_url}/io/sync?ms=1")
    assert Path(f"/proc/{body['pid']}").stat().st_uid != 0
