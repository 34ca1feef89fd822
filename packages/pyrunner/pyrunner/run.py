"""Execute one snippet with fresh globals, top-level await and capped, streamed output."""

import ast
import contextlib
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType

SNIPPET_FILENAME = "<snippet>"
DEFAULT_OUTPUT_LIMIT = 200_000  # characters; a print flood stops here with a notice.

Sink = Callable[[str, str], None]  # (stream name, text)


class OutputLimitExceeded(BaseException):
    """Raised inside the snippet when it prints too much.

    A BaseException, like KeyboardInterrupt, so `except Exception` in a reader's loop
    cannot swallow it.
    """


@dataclass
class RunResult:
    """How a run ended: ok, error (with a trimmed traceback) or output-limit."""

    status: str
    elapsed_ms: float
    error: str = ""


class _Stream:
    """A text stream that forwards writes to a sink and enforces the shared output budget."""

    def __init__(self, name: str, sink: Sink, budget: list[int]):
        self.name, self._sink, self._budget = name, sink, budget

    def write(self, text: str) -> int:
        if self._budget[0] <= 0:
            raise OutputLimitExceeded
        self._budget[0] -= len(text)
        self._sink(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return "utf-8"


def compile_snippet(source: str) -> CodeType:
    """Compile a snippet as a module body in which top-level `await` is allowed."""
    return compile(source, SNIPPET_FILENAME, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def format_snippet_error(error: BaseException) -> str:
    """A traceback that shows only the reader's own frames, never the runner's."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == SNIPPET_FILENAME
    ]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)


async def run(
    source: str,
    sink: Sink,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
    namespace: dict | None = None,
) -> RunResult:
    """Run `source` in `namespace` (fresh unless given), streaming its output to `sink`."""
    started = time.perf_counter()
    namespace = (
        {"__name__": "__main__", "__builtins__": __builtins__} if namespace is None else namespace
    )
    budget = [output_limit]
    stdout, stderr = _Stream("stdout", sink, budget), _Stream("stderr", sink, budget)

    def finish(status: str, error: str = "") -> RunResult:
        return RunResult(status, round((time.perf_counter() - started) * 1000, 1), error)

    # The source lines let tracebacks quote the reader's code.
    _register_source(source)
    try:
        code = compile_snippet(source)
    except SyntaxError as error:
        return finish("error", format_snippet_error(error))
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            result = eval(code, namespace)
            if result is not None and hasattr(result, "__await__"):
                await result
        except OutputLimitExceeded:
            return finish("output-limit")
        except (Exception, KeyboardInterrupt, SystemExit) as error:
            if isinstance(error, SystemExit) and error.code in (None, 0):
                return finish("ok")
            return finish("error", format_snippet_error(error))
    return finish("ok")


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
