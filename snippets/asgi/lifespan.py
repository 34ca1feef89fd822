# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                scope["state"]["pool"] = "connection pool (opened once)"
                print("[app] startup: pool opened")
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                print("[app] shutdown: pool closed")
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "http":
        # Read the state before starting the response: under a server without lifespan
        # the KeyError then becomes a clean 500 instead of a half-sent response.
        pool = scope["state"]["pool"]
        await receive()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": f"using the {pool}\n".encode()})
    else:
        raise ValueError(f"unsupported scope type {scope['type']!r}")


# --8<-- [end:app]

from minihost import asgi


async def django_like(scope, receive, send):
    # What Django's ASGIHandler does with any scope that is not HTTP.
    if scope["type"] != "http":
        raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")


lifespan = asgi.Lifespan(app)
await lifespan.startup()
response = await asgi.request(app, "GET", "/", state=lifespan.state)
print(response.text, end="")
await lifespan.shutdown()

print("Django's handler:")
lifespan = asgi.Lifespan(django_like)
print("  supported:", await lifespan.startup())
print("  server log:", lifespan.log[0])
