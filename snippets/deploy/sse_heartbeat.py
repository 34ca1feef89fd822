import asyncio

HEARTBEAT_S = 0.02  # in production: well below the shortest idle timeout on the way (proxy, LB)


async def with_heartbeats(events, every=HEARTBEAT_S):
    """Yield SSE frames for `events`, and a comment line whenever none came for `every` s.

    A line starting with ":" is a comment: browsers' EventSource ignores it, but every proxy
    on the way sees bytes and keeps the connection open.
    """
    events = aiter(events)
    next_event = asyncio.ensure_future(anext(events))
    try:
        while True:
            # Wait without cancelling the pending event: cancelling anext() would end the source.
            done, _ = await asyncio.wait({next_event}, timeout=every)
            if not done:
                yield ": ping\n\n"
                continue
            try:
                event = next_event.result()
            except StopAsyncIteration:
                return
            yield f"data: {event}\n\n"
            next_event = asyncio.ensure_future(anext(events))
    finally:
        next_event.cancel()  # the client left, or the source ended


async def prices():
    """An event source that goes quiet: one event, then nothing for a long time."""
    yield "price=100"
    await asyncio.Event().wait()  # the next price change is a long way off
    yield "price=101"


# The client reads four frames and goes away; in a view this generator is the body of a
# StreamingHttpResponse(..., content_type="text/event-stream") under ASGI.
stream = with_heartbeats(prices())
for _ in range(4):
    print(repr(await anext(stream)))
await stream.aclose()
