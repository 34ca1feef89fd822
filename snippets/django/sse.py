import asyncio
import sys
import types

import django
from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import clear_url_caches, path


async def events(request):
    async def stream():
        n = 0
        try:
            while True:
                n += 1
                yield f"data: tick {n}\n\n"
                await asyncio.sleep(0.01)  # waiting for the next event
        except asyncio.CancelledError:
            print("  view: client gone after", n, "events, cleaning up")
            raise  # always re-raise

    return StreamingHttpResponse(stream(), content_type="text/event-stream")


urls = types.ModuleType("demo_sse_urls")
urls.urlpatterns = [path("events/", events)]
sys.modules["demo_sse_urls"] = urls
demo = {"ROOT_URLCONF": "demo_sse_urls", "ALLOWED_HOSTS": ["127.0.0.1"], "MIDDLEWARE": []}
if not settings.configured:
    settings.configure(DEBUG=False, **demo)
    django.setup()
for name, value in demo.items():  # also when an earlier run configured Django
    setattr(settings, name, value)
clear_url_caches()

from django.core.handlers.asgi import ASGIHandler

scope = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": "/events/",
    "query_string": b"",
    "headers": [(b"accept", b"text/event-stream")],
    "server": ("127.0.0.1", 8000),
}
incoming = [{"type": "http.request", "body": b"", "more_body": False}]
enough = asyncio.Event()
received = 0


async def receive():
    if incoming:
        return incoming.pop(0)
    await enough.wait()  # the browser tab is closed after 3 events
    print("  client: disconnect")
    return {"type": "http.disconnect"}


async def send(message):
    global received
    if message["type"] == "http.response.start":
        print("  client: status", message["status"], dict(message["headers"])[b"Content-Type"])
    elif message.get("body"):
        received += 1
        print("  client: got", message["body"])
        if received == 3:
            enough.set()


print("SSE through ASGIHandler:")
try:
    await ASGIHandler()(scope, receive, send)
except RuntimeError as error:
    # Browser only: asgiref cannot start its clean-up thread in Pyodide.
    if "can't start new thread" not in str(error):
        raise
print("handler returned")
