"""Every snippet runs under CPython and prints exactly its expected output."""

import asyncio

import pytest
from pyrunner import run

from harness.snippet_files import expected_output, runnable_snippets, snippet_id


def run_in_cpython(snippet):
    """Run a snippet through the site's runner; return (result, stdout, stderr)."""
    streams = {"stdout": [], "stderr": []}
    source = snippet.read_text(encoding="utf-8")
    result = asyncio.run(run(source, lambda name, text: streams[name].append(text)))
    return result, "".join(streams["stdout"]), "".join(streams["stderr"])


@pytest.mark.parametrize("snippet", runnable_snippets(), ids=snippet_id)
def test_snippet_prints_its_expected_output_in_cpython(snippet):
    result, stdout, stderr = run_in_cpython(snippet)
    assert (result.status, result.error, stderr) == ("ok", "", "")
    assert stdout == expected_output(snippet)
