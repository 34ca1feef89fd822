from minihost import asgi


async def app(scope, receive, send):
    event = await receive()  # one http.request event
    body = event["body"]
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": f"got {len(body)} bytes\n".encode()})


# The client uploads 2024 bytes, which the server receives in three pieces.
response = await asgi.request(app, "POST", "/upload", body=[b"a" * 1000, b"b" * 1000, b"c" * 24])
print(response.text, end="")
