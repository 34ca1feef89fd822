# --8<-- [start:app]
async def app(scope, receive, send):
    assert scope["type"] == "http"
    body = b""
    while True:  # the body may come in several events: read until more_body is False
        event = await receive()
        body += event.get("body", b"")
        if not event.get("more_body", False):
            break
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"got %d bytes\n" % len(body)})


# --8<-- [end:app]

from minihost import asgi

# The scope: everything known when the connection opens (trimmed here).
scope = asgi.http_scope("POST", "/upload", query_string="v=1", http_version="2")
for key in ("type", "http_version", "method", "path", "query_string", "headers"):
    print(f"scope[{key!r}] = {scope[key]!r}")

# The events, one at a time, from the server's side of the table.
communicator = asgi.ApplicationCommunicator(app, scope)
await communicator.send_input({"type": "http.request", "body": b"hello", "more_body": False})
print(await communicator.receive_output())
print(await communicator.receive_output())
await communicator.wait()
