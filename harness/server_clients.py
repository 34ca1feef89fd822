"""Small clients for the server tests: plain GET, SSE arrival times, WebSocket echo."""

import json
import time

import httpx
from websockets.sync.client import connect


def get(url, timeout=10.0):
    """(status, content type, body text) of one GET."""
    response = httpx.get(url, timeout=timeout)
    return response.status_code, response.headers.get("content-type", ""), response.text


def get_json(url, timeout=10.0):
    response = httpx.get(url, timeout=timeout)
    assert response.status_code == 200, (url, response.status_code, response.text)
    return response.json()


def sse_arrivals(url, timeout=30.0):
    """[(ms after sending the request, event data as a dict)] in arrival order."""
    events, buffer = [], ""
    started = time.perf_counter()
    with httpx.stream("GET", url, timeout=timeout) as response:
        assert response.status_code == 200, response.status_code
        assert response.headers["content-type"].startswith("text/event-stream")
        for chunk in response.iter_text():
            arrived = (time.perf_counter() - started) * 1000
            buffer += chunk
            while "\n\n" in buffer:
                event, buffer = buffer.split("\n\n", 1)
                assert event.startswith("data: "), event
                events.append((arrived, json.loads(event.removeprefix("data: "))))
    return events


def websocket_echo(url, messages, timeout=10.0):
    """Send each message on one connection and return what came back for each."""
    replies = []
    with connect(url, open_timeout=timeout, close_timeout=timeout) as websocket:
        for message in messages:
            websocket.send(message)
            replies.append(websocket.recv(timeout=timeout))
    return replies
