from minihost import ProtocolError, asgi


async def body_before_start(scope, receive, send):
    await send({"type": "http.response.body", "body": b"oops"})


async def started_twice(scope, receive, send):
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.start", "status": 500})


async def str_body(scope, receive, send):
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": "a str, not bytes"})


async def wsgi_style_status(scope, receive, send):
    await send({"type": "http.response.start", "status": "200 OK"})


for broken in (body_before_start, started_twice, str_body, wsgi_style_status):
    try:
        await asgi.request(broken, "GET", "/")
    except ProtocolError as error:
        print(f"{broken.__name__}: {error}")
