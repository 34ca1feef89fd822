"""What a WSGI and an ASGI response have in common for the reader: headers and the body."""


class Headers:
    """Header look-up on a list of (name, value) pairs."""

    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        """The first value of a header, matched without regard to case, as HTTP says."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


class Body(Headers):
    """A whole response received: its chunks, joined as bytes or decoded as text."""

    chunks: list[bytes]

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def text(self) -> str:
        return self.body.decode()
