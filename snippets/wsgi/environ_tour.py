# --8<-- [start:app]
def app(environ, start_response):
    # The request body is a stream; read no more than CONTENT_LENGTH bytes.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.errors"].write(f"read {len(body)} body bytes\n")
    lines = [
        f"method      {environ['REQUEST_METHOD']}",
        f"path        {environ['PATH_INFO']}",
        f"query       {environ['QUERY_STRING']}",
        f"user agent  {environ.get('HTTP_USER_AGENT')}",
        f"type        {environ.get('CONTENT_TYPE')}",
        f"scheme      {environ['wsgi.url_scheme']}",
        f"body        {body.decode()}",
    ]
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return ["\n".join(lines).encode() + b"\n"]


# --8<-- [end:app]

from minihost import wsgi

environ = wsgi.make_environ(
    "POST",
    "/orders",
    query_string="page=2",
    headers=[("User-Agent", "demo/1.0"), ("Content-Type", "application/json")],
    body=b'{"qty": 3}',
)
print(sorted(k for k in environ if k.startswith("wsgi.")))
response = wsgi.call(app, environ=environ)
print(response.text, end="")
print("wsgi.errors got:", response.errors, end="")
