import asyncio
import logging
import sys
import time
import types
from inspect import iscoroutinefunction, markcoroutinefunction
from typing import ClassVar

import django
from django.conf import settings
from django.http import HttpResponse


def stamp(response, started):
    response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.0f}"
    return response


class TimingMiddleware:
    """Async-capable: Django hands it whichever mode the layer below it runs in."""

    sync_capable = True
    async_capable = True
    modes: ClassVar[list[str]] = []  # the mode of each instance Django builds

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)  # tells Django that __call__ returns a coroutine
        self.modes.append("async" if iscoroutinefunction(self) else "sync")

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        started = time.perf_counter()
        return stamp(self.get_response(request), started)

    async def __acall__(self, request):
        started = time.perf_counter()
        return stamp(await self.get_response(request), started)


class LegacyHeaderMiddleware:
    """Sync-only, like most middleware written before Django 3.1: it has no flags."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Legacy"] = "yes"
        return response


sys.modules["audit_demo"] = types.ModuleType("audit_demo")
sys.modules["audit_demo"].TimingMiddleware = TimingMiddleware
sys.modules["audit_demo"].LegacyHeaderMiddleware = LegacyHeaderMiddleware
STACK = [
    "django.middleware.security.SecurityMiddleware",
    "audit_demo.TimingMiddleware",
    "audit_demo.LegacyHeaderMiddleware",
    "django.middleware.common.CommonMiddleware",
]
if not settings.configured:
    settings.configure(ALLOWED_HOSTS=["testserver"])
    django.setup()
settings.DEBUG = True  # Django logs its adaptations only in DEBUG

print("1. The audit: each class's flags (missing ones default to True and False)")
from django.utils.module_loading import import_string

for path in STACK:
    cls = import_string(path)
    sync = getattr(cls, "sync_capable", True)
    both = getattr(cls, "async_capable", False)
    print(f"  {path.rsplit('.', 1)[1]:<24} sync_capable={sync!s:<5} async_capable={both}")


class Collect(logging.Handler):
    def emit(self, record):
        print("  django.request:", record.getMessage())


print("2. What Django says while it builds the stack for ASGI")
from django.core.handlers.base import BaseHandler

logger = logging.getLogger("django.request")
logger.setLevel(logging.DEBUG)
logger.addHandler(handler := Collect())
for stack in (STACK, [path for path in STACK if "Legacy" not in path]):
    settings.MIDDLEWARE = stack
    print(f"  with {len(stack)} middleware:")
    BaseHandler().load_middleware(is_async=True)
    print("  TimingMiddleware was built in", TimingMiddleware.modes.pop(), "mode")
logger.removeHandler(handler)
settings.DEBUG = False

print("3. TimingMiddleware in both modes, called directly")
from django.test import AsyncRequestFactory, RequestFactory


def sync_view(request):
    return HttpResponse("sync")


async def async_view(request):
    await asyncio.sleep(0)
    return HttpResponse("async")


for view in (sync_view, async_view):
    middleware = TimingMiddleware(view)
    if iscoroutinefunction(middleware):
        response = await middleware(AsyncRequestFactory().get("/"))
    else:
        response = middleware(RequestFactory().get("/"))
    print(f"  around {view.__name__}: {TimingMiddleware.modes.pop()} mode,", end=" ")
    print("Server-Timing set:", response.has_header("Server-Timing"))
