def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return parts()


def parts():
    for word in ("one", "two", "three"):
        print(f"  [app] yields {word}")
        yield f"{word}\n".encode()


def shout(inner):
    """Middleware that upper-cases the body."""

    def middleware(environ, start_response):
        body = b"".join(inner(environ, start_response))
        return [body.upper()]

    return middleware


from minihost import wsgi

with wsgi.stream(shout(app), "GET", "/") as response:
    for chunk in response:
        print("  client got", chunk)
