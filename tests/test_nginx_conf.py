"""The shipped nginx.conf forwards what Django needs on every proxying location.

nginx inherits `proxy_set_header` from an outer level only when a level defines none
(https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header), so each
location that proxies must set the forwarded headers itself. The WebSocket location passes
the upgrade through the `map` of https://nginx.org/en/docs/http/websocket.html, and `map`
is valid at http level only: the snippet is a file included inside `http { }`.
nginx is not installed here, so the test reads the file with a parser of nginx's syntax.
"""

import re
from dataclasses import dataclass

import pytest

from harness.paths import SNIPPETS

CONF = SNIPPETS / "servers" / "nginx.conf"
FORWARDED = {
    "host": "$host",
    "x-forwarded-for": "$proxy_add_x_forwarded_for",
    "x-forwarded-proto": "$scheme",
}
# nginx's tokens: a quoted string, `{`, `}`, `;`, or a run of anything else; `#` starts a comment.
TOKEN = re.compile(r"""#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)""")


@dataclass
class Directive:
    """One directive: its name, its arguments, and its block's directives if it has one."""

    name: str
    args: list[str]
    block: list["Directive"] | None = None


def tokens(text: str) -> list[tuple[bool, str]]:
    """(is punctuation, text) for each token; a quoted `"{"` or `''` is a word, not syntax."""
    found = []
    for match in TOKEN.finditer(text):
        double, single, punctuation, word = match.groups()
        if not match.group(0).startswith("#"):
            found.append((punctuation is not None, punctuation or word or double or single or ""))
    return found


def parse(text: str) -> list[Directive]:
    """The directives of `text`, blocks nested; unbalanced braces or a missing `;` fail."""
    stack: list[list[Directive]] = [[]]
    words: list[str] = []
    for is_punctuation, token in tokens(text):
        if not is_punctuation:
            words.append(token)
        elif token == "}":
            if words or len(stack) == 1:
                raise SyntaxError(f"unexpected }} after {words}")
            stack.pop()
        elif not words:
            raise SyntaxError(f"{token} without a directive")
        else:
            name, *args = words
            directive = Directive(name, args, [] if token == "{" else None)
            stack[-1].append(directive)
            if directive.block is not None:
                stack.append(directive.block)
            words = []
    if words or len(stack) != 1:
        raise SyntaxError("the file ends inside a directive or a block")
    return stack[0]


def named(directives: list[Directive], name: str) -> list[Directive]:
    return [directive for directive in directives if directive.name == name]


def headers(location: Directive) -> dict[str, str]:
    return {d.args[0].lower(): d.args[1] for d in named(location.block, "proxy_set_header")}


HTTP = parse(CONF.read_text(encoding="utf-8"))
(SERVER,) = named(HTTP, "server")
PROXYING = [loc for loc in named(SERVER.block, "location") if named(loc.block, "proxy_pass")]


def test_the_parser_reads_nested_blocks_quoted_values_and_comments():
    parsed = parse("a { b \"x y\" ''; # c;\n d { e; } }")
    assert [(d.name, d.args) for d in parsed[0].block] == [("b", ["x y", ""]), ("d", [])]
    assert parsed[0].block[1].block[0].name == "e"


@pytest.mark.parametrize("text", ["a { b;", "a; }", "a b", "{ b; }"])
def test_the_parser_rejects_unbalanced_or_unterminated_text(text):
    with pytest.raises(SyntaxError):
        parse(text)


def test_the_snippet_proxies_the_app_the_websocket_and_the_event_stream():
    assert [loc.args for loc in PROXYING] == [["/"], ["/sse"], ["/ws/"]]


@pytest.mark.parametrize("location", PROXYING, ids=lambda loc: loc.args[0])
def test_every_proxying_location_forwards_host_client_address_and_scheme(location):
    assert FORWARDED.items() <= headers(location).items()


@pytest.mark.parametrize("location", PROXYING, ids=lambda loc: loc.args[0])
def test_every_proxying_location_speaks_http_1_1_to_the_kept_alive_upstream(location):
    assert [d.args for d in named(location.block, "proxy_http_version")] == [["1.1"]]
    (upstream,) = named(HTTP, "upstream")
    assert [d.args for d in named(location.block, "proxy_pass")] == [[f"http://{upstream.args[0]}"]]
    assert named(upstream.block, "keepalive")


def test_the_websocket_location_passes_the_upgrade_through_the_documented_map():
    (websocket,) = [loc for loc in PROXYING if loc.args == ["/ws/"]]
    sent = headers(websocket)
    assert sent["upgrade"] == "$http_upgrade"
    assert sent["connection"] == "$connection_upgrade"
    (mapping,) = named(HTTP, "map")
    assert mapping.args == ["$http_upgrade", "$connection_upgrade"]
    assert {d.name: d.args for d in mapping.block} == {"default": ["upgrade"], "": ["close"]}


def test_map_and_upstream_sit_at_http_level_outside_the_server_block():
    assert [d.name for d in HTTP] == ["map", "upstream", "server"]
    assert not named(SERVER.block, "map") and not named(SERVER.block, "upstream")


def test_other_locations_clear_connection_so_upstream_connections_are_reused():
    for location in PROXYING:
        if location.args != ["/ws/"]:
            assert headers(location)["connection"] == ""
