# --8<-- [start:app]
async def app(scope, receive, send):
    assert scope["type"] == "http"
    size, events = 0, 0
    while True:
        event = await receive()
        if event["type"] == "http.disconnect":
            return  # the client left; nobody is listening any more
        size += len(event.get("body", b""))
        events += 1
        if not event.get("more_body", False):
            break
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send(
        {
            "type": "http.response.body",
            "body": f"{size} bytes in {events} http.request events\n".encode(),
        }
    )


# --8<-- [end:app]

from minihost import asgi

# A large upload arrives in pieces; the app can process each piece as it comes.
response = await asgi.request(app, "POST", "/upload", body=[b"a" * 1000, b"b" * 1000, b"c" * 24])
print(response.text, end="")
response = await asgi.request(app, "POST", "/upload", body=b"small")
print(response.text, end="")
