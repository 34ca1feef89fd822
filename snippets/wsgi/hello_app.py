# --8<-- [start:app]
def app(environ, start_response):
    body = f"Xin chào! You asked for {environ['PATH_INFO']}\n".encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


# --8<-- [end:app]

# minihost plays the server: it builds environ, calls app(environ, start_response)
# and collects what the app returns.
from minihost import wsgi

response = wsgi.call(app, "GET", "/hello")
wsgi.print_response(response)
