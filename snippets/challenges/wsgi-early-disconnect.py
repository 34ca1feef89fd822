def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return report()


def report():
    try:
        yield b"part 1\n"
        yield b"part 2\n"
        print("  [app] all parts sent")
    finally:
        print("  [app] finally: lock released")


from minihost import wsgi

with wsgi.stream(app, "GET", "/report") as response:
    for chunk in response:
        print("  client got", chunk)
        break  # the client closes the tab after the first chunk
