"""Read a Markdown page once: its headings with their ids and its fenced blocks by kind.

The only place that matches fences. Fences follow CommonMark
(https://spec.commonmark.org/0.31.2/#fenced-code-blocks): three or more backticks or
tildes open a block, and only a bare fence of the same character, at least as long, closes
it. Indented fences count too, because pymdownx.superfences nests them in lists and tabs.
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from mkdocs.utils.meta import get_data

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*$")
EXPLICIT_ID = re.compile(r"\{[^}]*#(?P<id>[A-Za-z0-9_-]+)[^}]*\}\s*$")
INCLUDE = re.compile(r"""^\s*-{1,3}8<-{1,3}\s+["'](?P<path>[^"']+)["']\s*$""")
CLASS = re.compile(r"(?:^|\s)\.(?P<name>[A-Za-z][\w-]*)(?=\s|\}|$)")


class Kind(StrEnum):
    """What the build makes of a fence, named by its class: `{ .runnable }` and so on."""

    RUNNABLE = "runnable"
    LAB = "lab"
    RESULTS = "results"
    CHALLENGE = "challenge"
    PROGRESS = "challenge-progress"  # the home page's summary of the reader's challenges


@dataclass
class Block:
    """A fenced block: its lines as written, from `line` to `end`, and the snippets it includes."""

    line: int
    end: int
    info: str
    kind: Kind | None
    text: list[str]
    includes: list[str] = field(default_factory=list)


@dataclass
class Heading:
    """A heading outside any fence, with its explicit `{ #id }` if it has one."""

    line: int
    text: str
    id: str | None


@dataclass
class Document:
    """The parts of a page the build acts on; line numbers are those of the source file."""

    first_line: int
    headings: list[Heading]
    blocks: list[Block]


def kind_of(info: str) -> Kind | None:
    """The first class of the info string that names a kind, or None for a plain fence."""
    names = (match["name"] for match in CLASS.finditer(info))
    return next((Kind(name) for name in names if name in Kind), None)


def body_line(source: str, body: str) -> int:
    """The line of `source` on which `body` starts, once MkDocs has cut the front matter off."""
    return source.count("\n") - body.count("\n") + 1 if source.endswith(body) else 1


def read(path: Path) -> Document:
    """Parse one Markdown file, skipping its front matter exactly as MkDocs does."""
    source = path.read_text(encoding="utf-8")
    body, _ = get_data(source)
    return parse(body, body_line(source, body))


def parse(markdown: str, first_line: int = 1) -> Document:
    """Parse Markdown without front matter; `first_line` is its first line in the file."""
    headings, blocks = [], []
    open_block: tuple[str, Block] | None = None
    for number, line in enumerate(markdown.split("\n"), start=first_line):
        fence = FENCE.match(line)
        if open_block:
            marker, block = open_block
            block.text.append(line)
            block.end = number
            if fence and fence["fence"].startswith(marker) and not fence["info"].strip():
                open_block = None
            elif include := INCLUDE.match(line):
                block.includes.append(include["path"])
            continue
        # A backtick fence's info string holds no backtick: "```x```" is inline code.
        if fence and not (fence["fence"][0] == "`" and "`" in fence["info"]):
            info = fence["info"].strip()
            block = Block(number, number, info, kind_of(info), [line])
            blocks.append(block)
            open_block = (fence["fence"], block)
            continue
        if heading := HEADING.match(line):
            explicit = EXPLICIT_ID.search(heading["text"])
            headings.append(Heading(number, heading["text"], explicit and explicit["id"]))
    return Document(first_line, headings, blocks)
