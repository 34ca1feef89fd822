def recommend(websocket, long_lived, slow_io, async_libraries, mostly_db):
    """The decision guide of this page as code. Each argument answers one question."""
    if websocket:
        return "ASGI + Django Channels"
    if long_lived:
        return "ASGI, StreamingHttpResponse with an async iterator"
    if slow_io:
        if async_libraries:
            return "ASGI, async def views that await the I/O"
        return "WSGI with threads (gthread)"
    if mostly_db:
        return "WSGI (Gunicorn), the default"
    return "WSGI, workers ~ cores, heavy work in a task queue"


apps = {
    "shop with admin and forms": dict(
        websocket=False, long_lived=False, slow_io=False, async_libraries=False, mostly_db=True
    ),
    "chat": dict(
        websocket=True, long_lived=False, slow_io=False, async_libraries=True, mostly_db=True
    ),
    "price aggregator (5 external APIs)": dict(
        websocket=False, long_lived=False, slow_io=True, async_libraries=True, mostly_db=False
    ),
    "same, but only a sync SDK": dict(
        websocket=False, long_lived=False, slow_io=True, async_libraries=False, mostly_db=False
    ),
}
for name, answers in apps.items():
    print(f"{name:36} -> {recommend(**answers)}")
