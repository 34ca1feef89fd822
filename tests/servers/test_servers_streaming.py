"""Server-sent events and WebSockets on real servers."""

import pytest
from websockets.exceptions import InvalidHandshake

from harness.server_clients import sse_arrivals, websocket_echo
from harness.server_commands import WSGI_KINDS

pytestmark = pytest.mark.servers

COUNT, GAP_MS = 4, 300
PRODUCTION_MS = (COUNT - 1) * GAP_MS  # the last event is produced this long after the first


@pytest.mark.parametrize("kind", ["uvicorn", "hypercorn", "daphne", "granian-asgi"])
def test_sse_events_arrive_one_by_one_as_they_are_produced_under_asgi(shared_server, kind):
    url = shared_server(kind).base_url
    events = sse_arrivals(f"{url}/sse?count={COUNT}&ms={GAP_MS}")
    assert [data["event"] for _, data in events] == list(range(COUNT))
    first, last = events[0][0], events[-1][0]
    assert first < PRODUCTION_MS * 0.4  # produced at once: it does not wait for the rest
    assert last - first > PRODUCTION_MS * 0.6


@pytest.mark.parametrize("kind", sorted(WSGI_KINDS))
def test_sse_under_wsgi_arrives_all_at_once_after_the_last_event_is_produced(shared_server, kind):
    # Django must consume an async iterator completely to serve it through WSGI.
    url = shared_server(kind).base_url
    events = sse_arrivals(f"{url}/sse?count={COUNT}&ms={GAP_MS}")
    assert [data["event"] for _, data in events] == list(range(COUNT))
    first, last = events[0][0], events[-1][0]
    assert first > PRODUCTION_MS * 0.6
    assert last - first < 100


@pytest.mark.parametrize(
    "kind", ["uvicorn", "daphne", "hypercorn", "gunicorn-uvicorn", "granian-asgi"]
)
def test_the_websocket_echo_sends_text_and_bytes_back_through_channels(shared_server, kind):
    url = shared_server(kind).ws_url
    messages = ["hello", "xin chào", b"\x00\x01\xff"]
    assert websocket_echo(f"{url}/ws/echo", messages) == messages


@pytest.mark.parametrize("kind", sorted(WSGI_KINDS))
def test_a_wsgi_server_cannot_open_the_websocket(shared_server, kind):
    url = shared_server(kind).ws_url
    with pytest.raises(InvalidHandshake):
        websocket_echo(f"{url}/ws/echo", ["hello"])
