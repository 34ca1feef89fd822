from minihost import ProtocolError, wsgi


def app(environ, start_response):
    # A WebSocket handshake needs these two hop-by-hop headers, and then the raw socket.
    start_response(
        "101 Switching Protocols",
        [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
        ],
    )
    return [b""]


try:
    wsgi.call(app, "GET", "/ws", headers=[("Upgrade", "websocket"), ("Connection", "Upgrade")])
except ProtocolError as error:
    print(error)
