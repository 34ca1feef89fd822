from minihost import asgi


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                scope["state"]["hits"] = 0
                scope["state"]["paths"] = []
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    else:
        state = scope["state"]
        state["hits"] += 1
        state["paths"].append(scope["path"])
        await receive()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        text = f"hits={state['hits']} paths={state['paths']}\n"
        await send({"type": "http.response.body", "body": text.encode()})


lifespan = asgi.Lifespan(app)
await lifespan.startup()
for path in ("/a", "/b"):
    response = await asgi.request(app, "GET", path, state=lifespan.state)
    print(response.text, end="")
await lifespan.shutdown()
