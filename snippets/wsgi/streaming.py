# --8<-- [start:app]
import time


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return countdown(3)


def countdown(n):
    # A generator: the server pulls one chunk at a time and sends it at once.
    try:
        for i in range(n, 0, -1):
            yield f"{i}...\n".encode()
            time.sleep(0.01)  # slow work; this worker can serve no one else meanwhile
        yield b"liftoff\n"
    finally:
        # Runs when the server calls close(), even if the client left early.
        print("  [app] close() called, cleaning up")


# --8<-- [end:app]

from minihost import wsgi

print("A client that reads everything:")
with wsgi.stream(app, "GET", "/countdown") as response:
    for chunk in response:
        print("  got", chunk)

print("A client that disconnects after two chunks:")
with wsgi.stream(app, "GET", "/countdown") as response:
    for number, chunk in enumerate(response, start=1):
        print("  got", chunk)
        if number == 2:
            break
