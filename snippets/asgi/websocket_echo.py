# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] != "websocket":
        raise ValueError(f"unsupported scope type {scope['type']!r}")
    event = await receive()  # websocket.connect: the handshake is waiting for us
    if scope["path"] != "/chat":
        await send({"type": "websocket.close"})  # before accept: the client gets HTTP 403
        return
    await send({"type": "websocket.accept"})
    while True:
        event = await receive()
        if event["type"] == "websocket.disconnect":
            print(f"[app] client left with code {event['code']}")
            return
        if event.get("text") == "bye":
            await send({"type": "websocket.close", "code": 1000})
            return
        await send({"type": "websocket.send", "text": f"echo: {event.get('text')}"})


# --8<-- [end:app]

from minihost import WebSocketClosed, WebSocketDenied, asgi

async with asgi.websocket_connect(app, "/chat") as ws:
    for text in ("xin chào", "hello"):
        await ws.send_text(text)
        print(await ws.receive())
# Leaving the block closes the socket from the client's side.

async with asgi.websocket_connect(app, "/chat") as ws:
    await ws.send_text("bye")
    try:
        await ws.receive()
    except WebSocketClosed as closed:
        print("the app closed the socket:", closed.code)

try:
    async with asgi.websocket_connect(app, "/elsewhere") as ws:
        pass
except WebSocketDenied as denied:
    print("denied:", denied)
