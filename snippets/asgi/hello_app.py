# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] != "http":
        # The spec: reject protocols you do not understand with an exception.
        raise ValueError(f"unsupported scope type {scope['type']!r}")
    await receive()  # the http.request event: the request has arrived
    body = f"Xin chào! You asked for {scope['path']}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


# --8<-- [end:app]

# minihost plays the server: it builds the scope, runs app(scope, receive, send)
# as a task and passes events both ways. Top-level await works on this site.
from minihost import asgi

response = await asgi.request(app, "GET", "/hello")
print(response.status, response.headers)
print(response.text, end="")
