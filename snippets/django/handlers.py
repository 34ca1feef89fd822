import asyncio
import sys
import types
from io import BytesIO
from wsgiref.util import setup_testing_defaults

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import clear_url_caches, path


def sync_view(request):
    return HttpResponse(f"sync view, {type(request).__name__}")


async def async_view(request):
    return HttpResponse(f"async view, {type(request).__name__}")


# A URLconf module built in memory; no project on disk.
urls = types.ModuleType("demo_urls")
urls.urlpatterns = [path("sync/", sync_view), path("async/", async_view)]
sys.modules["demo_urls"] = urls
demo = {"ROOT_URLCONF": "demo_urls", "ALLOWED_HOSTS": ["127.0.0.1"], "MIDDLEWARE": []}
if not settings.configured:
    settings.configure(DEBUG=False, **demo)
    django.setup()
for name, value in demo.items():  # also when an earlier run configured Django
    setattr(settings, name, value)
clear_url_caches()

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler


def wsgi_get(app, url):
    """Play a WSGI server: one environ dict, one call, iterate the body."""
    environ = {"PATH_INFO": url, "wsgi.input": BytesIO(b"")}
    setup_testing_defaults(environ)

    def start_response(status, headers):
        print("  start_response:", status, headers)

    result = app(environ, start_response)
    try:
        for chunk in result:
            print("  body chunk:", chunk)
    finally:
        result.close()


async def asgi_get(app, url, scope_type="http"):
    """Play an ASGI server: one scope, a receive() and a send() coroutine."""
    scope = {
        "type": scope_type,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url,
        "query_string": b"",
        "headers": [],
        "server": ("127.0.0.1", 8000),
    }
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        print("  send:", message)

    try:
        await app(scope, receive, send)
    except RuntimeError as error:
        # Browser only: after the response, asgiref starts a thread to shut down the
        # request's worker executor, and Pyodide has no threads.
        if "can't start new thread" not in str(error):
            raise


print("WSGIHandler, sync view:")
wsgi_get(WSGIHandler(), "/sync/")

print("ASGIHandler, async view:")
await asgi_get(ASGIHandler(), "/async/")

print("ASGIHandler, websocket scope:")
try:
    await asgi_get(ASGIHandler(), "/ws/", scope_type="websocket")
except ValueError as error:
    print("  ValueError:", error)
