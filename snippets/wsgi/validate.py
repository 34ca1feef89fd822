from wsgiref.validate import validator

from minihost import ProtocolError, wsgi


def good(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"fine\n"]


def str_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["a str, not bytes\n"]


def no_content_type(environ, start_response):
    start_response("200 OK", [])
    return [b"?\n"]


def body_first(environ, start_response):
    yield b"body before headers"
    start_response("200 OK", [("Content-Type", "text/plain")])


def started_twice(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"?\n"]


print("wsgiref.validate (it raises AssertionError):")
for broken in (good, str_body, no_content_type):
    try:
        print(f"  {broken.__name__}: {wsgi.call(validator(broken)).status}")
    except AssertionError as error:
        print(f"  {broken.__name__}: AssertionError: {error}")

print("minihost's own checks (it quotes PEP 3333):")
for broken in (str_body, body_first, started_twice):
    try:
        wsgi.call(broken)
    except ProtocolError as error:
        print(f"  {broken.__name__}: {error}")
