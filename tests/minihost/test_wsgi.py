"""minihost.wsgi drives a WSGI app as PEP 3333 says a server must."""

import pytest
from minihost import ProtocolError, wsgi


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


class ClosingBody:
    """An iterable body that records whether the server closed it."""

    def __init__(self, chunks, fail_at=None):
        self.chunks, self.fail_at, self.closed = chunks, fail_at, False

    def __iter__(self):
        for index, chunk in enumerate(self.chunks):
            if index == self.fail_at:
                raise RuntimeError("boom")
            yield chunk

    def close(self):
        self.closed = True


def test_environ_has_every_key_pep_3333_requires():
    environ = wsgi.make_environ("post", "/a%20b", query_string="x=1", body=b"abc")
    for key in (
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "wsgi.version",
        "wsgi.url_scheme",
        "wsgi.input",
        "wsgi.errors",
        "wsgi.multithread",
        "wsgi.multiprocess",
        "wsgi.run_once",
    ):
        assert key in environ
    assert type(environ) is dict
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["PATH_INFO"] == "/a b"
    assert environ["CONTENT_LENGTH"] == "3"
    assert environ["wsgi.input"].read(3) == b"abc"


def test_content_type_and_length_headers_lose_the_http_prefix():
    environ = wsgi.make_environ(
        headers=[("Content-Type", "text/plain"), ("X-A", "1"), ("X-A", "2")]
    )
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert "HTTP_CONTENT_TYPE" not in environ
    assert environ["HTTP_X_A"] == "1,2"


def test_call_collects_status_headers_and_body():
    response = wsgi.call(hello)
    assert (response.status, response.status_code, response.body) == ("200 OK", 200, b"hello")
    assert response.header("content-type") == "text/plain"


def test_the_app_is_called_with_positional_arguments_only():
    seen = []

    def app(*args, **kwargs):
        seen.append((len(args), kwargs))
        return hello(*args)

    wsgi.call(app)
    assert seen == [(2, {})]


def test_wsgi_driver_calls_close_when_the_body_is_fully_read():
    body = ClosingBody([b"a", b"b"])
    wsgi.call(lambda environ, start_response: start_response("200 OK", []) and body)
    assert body.closed


def test_wsgi_driver_calls_close_when_the_app_raises():
    body = ClosingBody([b"a", b"b"], fail_at=1)

    def app(environ, start_response):
        start_response("200 OK", [])
        return body

    with pytest.raises(RuntimeError, match="boom"):
        wsgi.call(app)
    assert body.closed


def test_wsgi_driver_calls_close_when_the_client_leaves_early():
    body = ClosingBody([b"a", b"b", b"c"])

    def app(environ, start_response):
        start_response("200 OK", [])
        return body

    with wsgi.stream(app) as response:
        for _chunk in response:
            break
    assert body.closed


def test_streaming_reports_chunks_one_by_one_as_the_generator_yields_them():
    events = []

    def app(environ, start_response):
        start_response("200 OK", [])
        for n in range(3):
            events.append(f"yield {n}")
            yield str(n).encode()

    with wsgi.stream(app) as response:
        for chunk in response:
            events.append(f"got {chunk.decode()}")
    assert events == ["yield 0", "got 0", "yield 1", "got 1", "yield 2", "got 2"]


def test_start_response_may_be_called_in_the_first_iteration():
    def app(environ, start_response):
        start_response("200 OK", [])
        yield b"late start is fine"

    assert wsgi.call(app).body == b"late start is fine"


def test_body_before_start_response_is_a_protocol_error():
    def app(environ, start_response):
        yield b"too early"

    with pytest.raises(ProtocolError, match="before calling start_response"):
        wsgi.call(app)


def test_start_response_twice_without_exc_info_is_a_protocol_error():
    def app(environ, start_response):
        start_response("200 OK", [])
        start_response("500 Oops", [])
        return [b""]

    with pytest.raises(ProtocolError, match="second time without exc_info"):
        wsgi.call(app)


def test_start_response_with_exc_info_replaces_headers_not_yet_sent():
    def app(environ, start_response):
        start_response("200 OK", [("A", "1")])
        try:
            raise ValueError("while rendering")
        except ValueError:
            import sys

            start_response("500 Internal Server Error", [("B", "2")], sys.exc_info())
        return [b"error page"]

    response = wsgi.call(app)
    assert (response.status, response.headers) == ("500 Internal Server Error", [("B", "2")])


def test_start_response_with_exc_info_after_headers_went_out_reraises_the_error():
    def app(environ, start_response):
        start_response("200 OK", [])
        yield b"partial"
        try:
            raise ValueError("too late")
        except ValueError:
            import sys

            start_response("500 Oops", [], sys.exc_info())

    with pytest.raises(ValueError, match="too late"):
        wsgi.call(app)


def test_a_str_chunk_is_a_protocol_error_quoting_the_unicode_rule():
    def app(environ, start_response):
        start_response("200 OK", [])
        return ["text"]

    with pytest.raises(ProtocolError, match="must be of type bytes") as error:
        wsgi.call(app)
    assert error.value.link.endswith("#unicode-issues")


@pytest.mark.parametrize("status", ["200", 200, "OK 200", "200 OK\r\n"])
def test_a_malformed_status_is_a_protocol_error(status):
    def app(environ, start_response):
        start_response(status, [])
        return [b""]

    with pytest.raises(ProtocolError, match="status"):
        wsgi.call(app)


@pytest.mark.parametrize("headers", [(("A", "1"),), [("A", 1)], [["A", "1"]], [(b"A", b"1")]])
def test_headers_that_are_not_a_list_of_str_tuples_are_a_protocol_error(headers):
    def app(environ, start_response):
        start_response("200 OK", headers)
        return [b""]

    with pytest.raises(ProtocolError):
        wsgi.call(app)


@pytest.mark.parametrize("name", ["Upgrade", "Connection", "transfer-encoding", "Keep-Alive"])
def test_hop_by_hop_headers_are_a_protocol_error(name):
    def app(environ, start_response):
        start_response("200 OK", [(name, "x")])
        return [b""]

    with pytest.raises(ProtocolError, match="hop-by-hop"):
        wsgi.call(app)


def test_returning_without_start_response_is_a_protocol_error():
    with pytest.raises(ProtocolError, match="without calling start_response"):
        wsgi.call(lambda environ, start_response: [])


def test_legacy_write_chunks_come_before_the_iterable():
    def app(environ, start_response):
        write = start_response("200 OK", [])
        write(b"written ")
        return [b"returned"]

    assert wsgi.call(app).body == b"written returned"


def test_validate_wraps_the_app_in_wsgiref_validator(recwarn):
    def app(environ, start_response):
        start_response("200 OK", [])  # no Content-Type: wsgiref.validate objects
        return [b""]

    with pytest.raises(AssertionError, match="No Content-Type"):
        wsgi.call(app, validate=True)
    assert wsgi.call(hello, validate=True).body == b"hello"
    assert not recwarn.list


def test_validated_iterators_are_closed_so_nothing_reaches_stderr(capfd):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return ["not bytes"]

    with pytest.raises(AssertionError, match="non-bytestring"):
        wsgi.call(app, validate=True)
    import gc

    gc.collect()
    assert capfd.readouterr().err == ""


def test_the_app_can_log_to_wsgi_errors():
    def app(environ, start_response):
        environ["wsgi.errors"].write("logged\n")
        return hello(environ, start_response)

    assert wsgi.call(app).errors == "logged\n"


def test_minihost_uses_no_sockets_threads_or_subprocesses_so_it_runs_in_pyodide():
    import ast
    from pathlib import Path

    import minihost

    forbidden = {"socket", "threading", "subprocess", "multiprocessing", "concurrent", "select"}
    for path in Path(minihost.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not {n.split(".")[0] for n in names} & forbidden, path.name
