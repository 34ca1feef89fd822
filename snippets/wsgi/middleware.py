# --8<-- [start:app]
def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello from the inner app\n"]


class ServedBy:
    """WSGI middleware: an app to the server, a server to the app it wraps."""

    def __init__(self, inner, name):
        self.inner, self.name = inner, name

    def __call__(self, environ, start_response):
        print(f"[{self.name}] before: {environ['REQUEST_METHOD']} {environ['PATH_INFO']}")

        def start_response_with_header(status, headers, exc_info=None):
            print(f"[{self.name}] the app answered {status}")
            return start_response(status, [*headers, ("X-Served-By", self.name)], exc_info)

        # Return the inner iterable as is: the server streams it and calls its close().
        return self.inner(environ, start_response_with_header)


app = ServedBy(ServedBy(hello, "inner"), "outer")
# --8<-- [end:app]

from minihost import wsgi

response = wsgi.call(app, "GET", "/")
print(response.status, response.headers)
print(response.text, end="")
