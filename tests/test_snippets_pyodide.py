"""Every snippet prints in Pyodide exactly what it prints in CPython."""

import json

import pytest
import serverlab

from harness.paths import SNIPPETS
from harness.snippet_files import challenge_files, expected_output, runnable_snippets, snippet_id
from sitebuild import challenges

pytestmark = pytest.mark.pyodide


@pytest.mark.parametrize("snippet", runnable_snippets(), ids=snippet_id)
def test_snippet_prints_its_expected_output_in_pyodide(pyodide, snippet):
    answer = pyodide.run(snippet.read_text(encoding="utf-8"))
    assert (answer["status"], answer["error"], answer["stderr"]) == ("ok", "", "")
    assert answer["stdout"] == expected_output(snippet)


def test_serverlab_show_in_the_worker_sends_the_results_chart_to_the_page(pyodide):
    params = {"server": "uvicorn", "view": "async-io", "requests": 3, "ms": 50}
    code = f"import serverlab\nserverlab.show(serverlab.simulate(**{params!r}))\n"
    answer = pyodide.run(code)
    assert answer["status"] == "ok"
    assert answer["charts"] == [json.loads(json.dumps(serverlab.simulate(**params).to_dict()))]


def test_one_giant_print_is_cut_in_the_worker_before_it_crosses_to_the_page(pyodide):
    answer = pyodide.run("print('x' * 50_000_000)")
    assert answer["status"] == "output-limit"
    assert answer["stdout"] == "x" * answer["output_limit"]


def test_input_in_the_worker_ends_the_run_saying_it_is_unavailable(pyodide):
    answer = pyodide.run("input()")
    assert (answer["status"], answer["unavailable"]) == ("error", "input")


def test_os_exit_in_the_worker_is_a_fatal_message_that_ends_the_worker():
    from harness.pyodide_session import PyodideSession

    session = PyodideSession()  # its own: this case ends the worker
    with pytest.raises(RuntimeError, match="exited with 1"):
        session.run("import os\nos._exit(3)")


@pytest.mark.parametrize("path", challenge_files("fix"), ids=lambda path: path.stem)
def test_a_fix_challenge_is_checked_in_the_worker_as_in_cpython(pyodide, path):
    challenge = challenges.load(path, SNIPPETS)
    check = json.loads(challenge.check)
    starter = pyodide.run((SNIPPETS / challenge.starter).read_text(encoding="utf-8"), check)
    solution = pyodide.run((SNIPPETS / challenge.solution).read_text(encoding="utf-8"), check)
    assert (starter["status"], solution["status"]) == ("ok", "ok")
    assert (starter["verdict"]["passed"], solution["verdict"]["passed"]) == (False, True)
