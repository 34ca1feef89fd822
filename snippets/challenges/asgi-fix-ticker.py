import time

from minihost import asgi


async def ticker(scope, receive, send):
    """An ASGI app that streams a countdown, one line every 0.2 seconds."""
    await receive()
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/plain")],
    }
    await send(start)
    for i in (3, 2, 1):
        await send({"type": "http.response.body", "body": f"{i}...\n".encode(), "more_body": True})
        time.sleep(0.2)  # wait for the next tick
    await send({"type": "http.response.body", "body": b"liftoff\n"})


async def one_client():
    """One client reads the whole countdown."""
    response = await asgi.request(ticker, "GET", "/countdown")
    return response.text


print(await one_client(), end="")
