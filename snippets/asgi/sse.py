# --8<-- [start:app]
import asyncio


async def app(scope, receive, send):
    assert scope["type"] == "http"
    await receive()  # http.request (a GET has no body)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream"),
                (b"cache-control", b"no-cache"),
            ],
        }
    )
    # The next event can only be http.disconnect: watch for it while streaming.
    client_gone = asyncio.ensure_future(receive())
    sent = 0
    while not client_gone.done():
        sent += 1
        event = f"event: tick\nid: {sent}\ndata: tick number {sent}\n\n"
        await send({"type": "http.response.body", "body": event.encode(), "more_body": True})
        await asyncio.wait({client_gone}, timeout=0.01)  # sleep, but wake up if it leaves
    print(f"[app] the client left after {sent} events; stream stopped")


# --8<-- [end:app]

from minihost import asgi

async with asgi.open_http(app, "GET", "/events") as response:
    print(response.status, response.header("content-type"))
    async for event in response.events():
        print(f"{event.event} #{event.id}: {event.data}")
        if event.id == "3":
            break  # leaving the block closes the connection, like closing the tab
