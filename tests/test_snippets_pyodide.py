"""Every snippet prints in Pyodide exactly what it prints in CPython."""

import pytest

from harness.snippet_files import expected_output, runnable_snippets, snippet_id

pytestmark = pytest.mark.pyodide


@pytest.mark.parametrize("snippet", runnable_snippets(), ids=snippet_id)
def test_snippet_prints_its_expected_output_in_pyodide(pyodide, snippet):
    answer = pyodide.run(snippet.read_text(encoding="utf-8"))
    assert (answer["status"], answer["error"], answer["stderr"]) == ("ok", "", "")
    assert answer["stdout"] == expected_output(snippet)
