# --8<-- [start:app]
import asyncio


async def app(scope, receive, send):
    assert scope["type"] == "http"
    await receive()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    for i in range(3, 0, -1):
        await send({"type": "http.response.body", "body": f"{i}...\n".encode(), "more_body": True})
        await asyncio.sleep(0.01)  # the event loop serves other connections meanwhile
    await send({"type": "http.response.body", "body": b"liftoff\n", "more_body": False})


# --8<-- [end:app]

from minihost import asgi

async with asgi.open_http(app, "GET", "/countdown") as response:
    print("status", response.status)
    async for chunk in response:
        print("got", chunk)
