"""Views that wait or compute for ?ms=N milliseconds and say who served them."""

import asyncio
import json
import os
import threading
import time

from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse

MAX_MS = 60_000


def read_int(request, name, default, maximum):
    """Return (value, None) or (None, a 400 response that explains the problem)."""
    raw = request.GET.get(name)
    if raw is None:
        return default, None
    if raw.isascii() and raw.isdigit() and int(raw) <= maximum:
        return int(raw), None
    message = f"{name} must be a whole number from 0 to {maximum}, got {raw!r}\n"
    return None, HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def served(view, ms):
    """Which process and which thread ran the view: the proof of the model."""
    return JsonResponse(
        {"view": view, "ms": ms, "pid": os.getpid(), "thread": threading.current_thread().name}
    )


def burn_cpu(ms):
    """Compute for ms milliseconds of this thread's CPU time, holding the GIL throughout.

    The loop counts CPU time (time.thread_time), not wall time: a thread that waits
    for the GIL or for a core gets no CPU time, so four threads sharing one GIL each
    need their own ms of compute, as real computation would.
    """
    end = time.thread_time() + ms / 1000
    while time.thread_time() < end:
        pass


def io_sync(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    time.sleep(ms / 1000)  # a blocking call: a database query, requests.get(...)
    return served("io/sync", ms)


async def io_async(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    await asyncio.sleep(ms / 1000)  # an awaited call: httpx.AsyncClient().get(...)
    return served("io/async", ms)


async def io_async_blocking(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    time.sleep(ms / 1000)  # the mistake: blocks the event loop and every request on it
    return served("io/async-blocking", ms)


def cpu_sync(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    burn_cpu(ms)
    return served("cpu/sync", ms)


async def cpu_async(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    burn_cpu(ms)  # async def does not make computing cheaper; it blocks the loop
    return served("cpu/async", ms)


async def sse(request):
    count, error = read_int(request, "count", 5, 1000)
    if error:
        return error
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error

    async def events():
        for number in range(count):
            if number:
                await asyncio.sleep(ms / 1000)
            data = {"event": number, "pid": os.getpid()}
            yield f"data: {json.dumps(data)}\n\n"

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    return response
