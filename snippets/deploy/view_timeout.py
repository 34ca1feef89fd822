import asyncio
import inspect
import sys
import types

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import clear_url_caches, path
from django.utils.decorators import sync_and_async_middleware

VIEW_TIMEOUT_S = 0.05  # in production: a little below the proxy's timeout


@sync_and_async_middleware
def view_timeout(get_response):
    if not inspect.iscoroutinefunction(get_response):
        # Under WSGI the view runs on the worker's thread, and Python cannot stop a
        # thread: leave the limit to the server (Gunicorn's --timeout for `sync`).
        return get_response

    async def middleware(request):
        try:
            async with asyncio.timeout(VIEW_TIMEOUT_S):
                return await get_response(request)
        except TimeoutError:
            return HttpResponse("view took too long\n", status=504)

    return middleware


async def fast(request):
    return HttpResponse("fast\n")


async def slow(request):
    try:
        await asyncio.sleep(10)  # an API that does not answer
    except asyncio.CancelledError:
        print("  slow view: cancelled at its await")
        raise  # always re-raise
    return HttpResponse("slow\n")


# The URLconf and the middleware live in a module built in memory; no project on disk.
module = types.ModuleType("demo_timeout")
module.urlpatterns = [path("fast/", fast), path("slow/", slow)]
module.view_timeout = view_timeout
sys.modules["demo_timeout"] = module
demo = {
    "ROOT_URLCONF": "demo_timeout",
    "ALLOWED_HOSTS": ["127.0.0.1"],
    "MIDDLEWARE": ["demo_timeout.view_timeout"],
}
if not settings.configured:
    settings.configure(DEBUG=False, **demo)
    django.setup()
for name, value in demo.items():  # also when an earlier run configured Django
    setattr(settings, name, value)
clear_url_caches()

from django.core.handlers.asgi import ASGIHandler


async def get(url):
    """Play an ASGI server for one GET; print the status and body the client gets."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": url, "query_string": b"",
             "headers": [], "server": ("127.0.0.1", 8000)}  # fmt: skip
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        if message["type"] == "http.response.start":
            print(f"GET {url} -> {message['status']}", end=" ")
        elif message.get("body"):
            print(message["body"])

    try:
        await ASGIHandler()(scope, receive, send)
    except RuntimeError as error:
        # Browser only: asgiref cannot start its clean-up thread in Pyodide.
        if "can't start new thread" not in str(error):
            raise


await get("/fast/")
await get("/slow/")
