"""The snippet runner: fresh globals, top-level await, trimmed tracebacks, capped output."""

import __future__

import asyncio
import sys
import time
import types

from pyrunner import run
from pyrunner.run import compile_snippet


def run_source(source, **options):
    printed = []
    result = asyncio.run(
        run(source, lambda stream, text: printed.append((stream, text)), **options)
    )
    return result, printed


def test_top_level_await_runs_without_asyncio_run():
    result, printed = run_source("import asyncio\nawait asyncio.sleep(0)\nprint('after await')")
    assert result.status == "ok"
    assert printed == [("stdout", "after await"), ("stdout", "\n")]


def test_a_traceback_shows_only_the_readers_frames():
    result, _ = run_source("def f():\n    raise ValueError('boom')\n\nf()\n")
    assert result.status == "error"
    assert result.error.splitlines() == [
        "Traceback (most recent call last):",
        '  File "<snippet>", line 4, in <module>',
        "    f()",
        "    ~^^",
        '  File "<snippet>", line 2, in f',
        "    raise ValueError('boom')",
        "ValueError: boom",
    ]
    assert "pyrunner" not in result.error


def test_a_syntax_error_names_the_line_and_runs_nothing():
    result, printed = run_source("print('never')\nif True\n    pass\n")
    assert result.status == "error"
    assert 'File "<snippet>", line 2' in result.error
    assert "SyntaxError" in result.error
    assert printed == []


def test_a_print_flood_stops_at_the_output_limit():
    result, printed = run_source("while True:\n    print(1)\n", output_limit=1000)
    assert result.status == "output-limit"
    assert sum(len(text) for _, text in printed) == 1000


def test_one_huge_write_is_cut_at_the_limit_before_it_reaches_the_page():
    result, printed = run_source("print('x' * 50_000_000)", output_limit=1000)
    assert (result.status, result.output_limit) == ("output-limit", 1000)
    assert printed == [("stdout", "x" * 1000)]


def test_stdout_and_stderr_share_one_output_limit():
    source = "import sys\nwhile True:\n    print('o' * 70)\n    sys.stderr.write('e' * 70)\n"
    result, printed = run_source(source, output_limit=1000)
    assert result.status == "output-limit"
    assert sum(len(text) for _, text in printed) == 1000
    assert {stream for stream, _ in printed} == {"stdout", "stderr"}


def test_a_run_within_the_limit_reports_no_limit():
    result, _ = run_source("print('short')", output_limit=1000)
    assert (result.status, result.output_limit) == ("ok", 0)


def test_input_says_at_once_that_there_is_no_keyboard():
    result, printed = run_source("name = input('Name? ')\nprint(name)")
    assert (result.status, result.unavailable) == ("error", "input")
    assert "InputUnavailable: input() is not available here" in result.error
    assert printed == [("stdout", "Name? ")]  # the prompt shows; nothing waits for an answer


def test_a_million_frames_deep_traceback_is_formatted_fast_with_only_its_ends():
    source = "import sys\nsys.setrecursionlimit(10**6 + 50)\ndef f(n):\n    return f(n + 1)\nf(0)"
    started = time.perf_counter()
    result, _ = run_source(source)
    assert time.perf_counter() - started < 30
    assert result.error.endswith("RecursionError: maximum recursion depth exceeded\n")
    assert "more frames ...]" in result.error
    assert len(result.error) < 20_000


def test_a_recursion_limit_a_snippet_raises_ends_with_its_run():
    limit = sys.getrecursionlimit()
    run_source("import sys\nsys.setrecursionlimit(10**6)")
    assert sys.getrecursionlimit() == limit


def test_the_output_limit_cannot_be_swallowed_by_except_exception():
    source = (
        "for _ in range(10**6):\n"
        "    try:\n        print('x' * 100)\n    except Exception:\n        pass\n"
    )
    result, _ = run_source(source, output_limit=500)
    assert result.status == "output-limit"


def test_each_run_starts_from_fresh_globals():
    run_source("secret = 42")
    result, _ = run_source("print(secret)")
    assert result.status == "error"
    assert "NameError: name 'secret' is not defined" in result.error


def test_a_shared_namespace_keeps_names_between_runs():
    namespace = {"__name__": "__main__"}
    run_source("secret = 42", namespace=namespace)
    _, printed = run_source("print(secret)", namespace=namespace)
    assert printed[0] == ("stdout", "42")


def test_stderr_is_told_apart_from_stdout():
    _, printed = run_source("import sys\nprint('out')\nprint('err', file=sys.stderr)")
    assert [stream for stream, _ in printed] == ["stdout", "stdout", "stderr", "stderr"]


def test_sys_exit_zero_is_a_normal_end():
    result, _ = run_source("import sys\nsys.exit(0)")
    assert result.status == "ok"


def test_the_runners_own_future_imports_never_change_how_reader_code_compiles():
    # compile() inherits the `from __future__` flags of the code that calls it: give
    # compile_snippet the flags `from __future__ import annotations` would give run.py.
    code = compile_snippet.__code__
    flag = __future__.annotations.compiler_flag
    under_future = types.FunctionType(
        code.replace(co_flags=code.co_flags | flag), compile_snippet.__globals__
    )
    namespace = {}
    exec(under_future("def view(request: int): pass"), namespace)
    assert namespace["view"].__annotations__ == {"request": int}  # not the string "int"
