"""Execute one snippet with fresh globals, top-level await and capped, streamed output."""

import ast
import contextlib
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType
from typing import Literal

from pyrunner.stdlib_fallback import StdlibUnavailable

SNIPPET_FILENAME = "<snippet>"
DEFAULT_OUTPUT_LIMIT = 200_000  # characters; a print flood stops here with a notice.
# A traceback keeps this many of the reader's frames at each end: a recursion a million
# frames deep must not take minutes (and megabytes) to format.
TRACEBACK_FRAMES_KEPT = 50

Sink = Callable[[str, str], None]  # (stream name, text)
# How a run ends; browser/protocol.js's RUN_STATUS names these for the page.
Status = Literal["ok", "error", "output-limit"]


class OutputLimitExceeded(BaseException):
    """Raised inside the snippet when it prints too much.

    A BaseException, like KeyboardInterrupt, so `except Exception` in a reader's loop
    cannot swallow it.
    """


class InputUnavailable(Exception):
    """Raised by `input()` (or any read of stdin): a snippet has no keyboard to read from."""

    # What the run's result names (RunResult.unavailable).
    unavailable = "input"

    def __init__(self):
        super().__init__("input() is not available here: a snippet cannot read the keyboard")


@dataclass
class RunResult:
    """How a run ended: ok, error (with a trimmed traceback) or output-limit.

    `output_limit` is the cap, in characters, when the run reached it (the page's notice
    quotes it); `unavailable` names what the snippet asked for that the runner lacks
    ("input", or "stdlib": a module it could not fetch), so that the page can say so in
    its own language. The error itself names it, as its `unavailable` attribute.
    """

    status: Status
    elapsed_ms: float
    error: str = ""
    output_limit: int = 0
    unavailable: str = ""


# The errors that name what a snippet asked for and the runner lacks.
_UNAVAILABLE = (InputUnavailable, StdlibUnavailable)


class _Stream:
    """A text stream that forwards writes to a sink and enforces the shared output budget."""

    def __init__(self, name: str, sink: Sink, budget: list[int]):
        self.name, self._sink, self._budget = name, sink, budget

    def write(self, text: str) -> int:
        # What is past the budget never reaches the sink, however large one write is.
        allowed = self._budget[0]
        if allowed > 0:
            self._sink(self.name, text[:allowed])
        self._budget[0] = allowed - len(text)
        if self._budget[0] < 0:
            raise OutputLimitExceeded
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return "utf-8"


class _NoInput:
    """Standard input of a snippet: there is no keyboard, so every read says so at once."""

    def read(self, size: int = -1) -> str:
        raise InputUnavailable

    readline = read

    def isatty(self) -> bool:
        return False


def compile_snippet(source: str) -> CodeType:
    """Compile a snippet as a module body in which top-level `await` is allowed."""
    # dont_inherit: the reader's code compiles as its own module, whatever `from __future__`
    # imports this module (the caller of compile()) may have.
    return compile(
        source,
        SNIPPET_FILENAME,
        "exec",
        flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
        dont_inherit=True,
    )


def format_snippet_error(error: BaseException) -> str:
    """A traceback that shows only the reader's own frames, never the runner's."""
    head, omitted, tail = _ends_of_traceback(error.__traceback__)
    own = [[frame for frame in part if frame.filename == SNIPPET_FILENAME] for part in (head, tail)]
    lines = ["Traceback (most recent call last):\n"] if own[0] or own[1] else []
    lines += traceback.format_list(own[0])
    if omitted:
        lines.append(f"  [... {omitted} more frames ...]\n")
    lines += traceback.format_list(own[1])
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)


def _ends_of_traceback(tb) -> tuple[list[traceback.FrameSummary], int, list]:
    """The first TRACEBACK_FRAMES_KEPT frames of `tb`, how many follow them, and the last ones."""
    kept = TRACEBACK_FRAMES_KEPT
    ends = []  # the first `kept` tracebacks, then a sliding window over the last `kept`
    length = 0
    while tb is not None:
        ends.append(tb)
        if len(ends) > 2 * kept:
            del ends[kept]
        tb, length = tb.tb_next, length + 1
    if length <= 2 * kept:
        return (traceback.extract_tb(ends[0]) if ends else []), 0, []
    head = traceback.extract_tb(ends[0], limit=kept)
    return head, length - 2 * kept, traceback.extract_tb(ends[kept])


def fresh_namespace() -> dict:
    """The globals a snippet starts with: a module named __main__, as a script has."""
    return {"__name__": "__main__", "__builtins__": __builtins__}


async def run(
    source: str,
    sink: Sink,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
    namespace: dict | None = None,
) -> RunResult:
    """Run `source` in `namespace` (fresh unless given), streaming its output to `sink`."""
    started = time.perf_counter()
    namespace = fresh_namespace() if namespace is None else namespace
    budget = [output_limit]
    stdout, stderr = _Stream("stdout", sink, budget), _Stream("stderr", sink, budget)

    def finish(status: Status, error: str = "", unavailable: str = "") -> RunResult:
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        limit = output_limit if status == "output-limit" else 0
        return RunResult(status, elapsed_ms, error, limit, unavailable)

    # The source lines let tracebacks quote the reader's code.
    _register_source(source)
    try:
        code = compile_snippet(source)
    except SyntaxError as error:
        return finish("error", format_snippet_error(error))
    isolated = _isolated_interpreter_state()
    with isolated, contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            result = eval(code, namespace)
            if result is not None and hasattr(result, "__await__"):
                await result
        except OutputLimitExceeded:
            return finish("output-limit")
        except (Exception, KeyboardInterrupt, SystemExit) as error:
            if isinstance(error, SystemExit) and error.code in (None, 0):
                return finish("ok")
            unavailable = error.unavailable if isinstance(error, _UNAVAILABLE) else ""
            return finish("error", format_snippet_error(error), unavailable)
    return finish("ok")


@contextlib.contextmanager
def _isolated_interpreter_state():
    """No keyboard for `input()`, and the recursion limit a snippet sets ends with its run.

    The runner's interpreter outlives the run (the browser's worker runs every snippet):
    a limit raised by one snippet must not let the next overflow the stack.
    """
    limit, stdin = sys.getrecursionlimit(), sys.stdin
    sys.stdin = _NoInput()
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)
        sys.stdin = stdin


def _register_source(source: str) -> None:
    """Make `linecache` serve the snippet's lines under its pseudo file name."""
    import linecache

    linecache.cache[SNIPPET_FILENAME] = (
        len(source),
        None,
        source.splitlines(True),
        SNIPPET_FILENAME,
    )


def run_file(path: str) -> int:
    """Run a snippet file in CPython, printing as it goes; the exit code tells how it ended."""
    import asyncio

    with open(path, encoding="utf-8") as file:
        source = file.read()

    def sink(stream: str, text: str) -> None:
        (sys.__stdout__ if stream == "stdout" else sys.__stderr__).write(text)

    result = asyncio.run(run(source, sink))
    if result.error:
        sys.__stderr__.write(result.error)
    if result.status == "output-limit":
        sys.__stderr__.write("[output limit reached]\n")
    return 0 if result.status == "ok" else 1
