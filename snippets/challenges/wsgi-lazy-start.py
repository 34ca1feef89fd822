def app(environ, start_response):
    # A generator function: calling app() runs none of this yet.
    print("  [app] body starts")
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"hello\n"


from minihost import wsgi

with wsgi.stream(app, "GET", "/") as response:
    print("  [server] status after the call:", response.status)
    for chunk in response:
        print("  [server] status now:", response.status, "got", chunk)
