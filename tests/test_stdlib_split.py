"""The standard library ships as a core archive and others fetched on first import."""

import ast
import asyncio
import json
import subprocess
import sys
import zipfile

import pytest
from pyrunner import run
from pyrunner.run import InputUnavailable
from pyrunner.stdlib_fallback import StdlibUnavailable, install

from harness.paths import ROOT, SNIPPETS
from harness.pyodide_session import PyodideSession
from harness.snippet_files import expected_output, runnable_snippets
from sitebuild.pyodide import stdlib_archives
from sitebuild.pyodide.measure_core import imports_django
from sitebuild.pyodide.precompile_stdlib import imported_at_import, ships_as_bytecode

# Code importing modules no snippet imports, so that the core leaves them out; its output.
LEFT_OUT = [
    ("import xml.dom.minidom as dom\nprint(dom.parseString('<a/>').documentElement.tagName)", "a"),
    ("import email.message\nm = email.message.EmailMessage()\nm['To'] = 'x'\nprint(m['To'])", "x"),
    ("import importlib\nprint(importlib.import_module('tomllib').loads('a = 1'))", "{'a': 1}"),
    (
        "def parse():\n    import csv\n    return next(csv.reader(['a,b']))\nprint(parse())",
        "['a', 'b']",
    ),
    ("print(b'\\x80'.decode('cp1252'))", "€"),
]


@pytest.fixture
def extra_archive(tmp_path, monkeypatch):
    """An on-demand archive with a top-level module and a submodule of a package found elsewhere."""
    archive = tmp_path / "source.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("split_demo_top.py", "NAME = 'top'\n")
        out.writestr("json/split_demo_sub.py", "NAME = 'sub'\n")
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    yield archive
    for name in ("split_demo_top", "json.split_demo_sub"):
        sys.modules.pop(name, None)


def test_a_left_out_module_and_a_left_out_submodule_import_from_the_second_archive(
    extra_archive, tmp_path
):
    reads = []

    def read(name):
        reads.append(name)
        return extra_archive.read_bytes()

    install(
        {"extra.zip": frozenset({"split_demo_top", "json.split_demo_sub"})}, read, str(tmp_path)
    )
    import json.split_demo_sub

    import split_demo_top

    assert (split_demo_top.NAME, json.split_demo_sub.NAME, reads) == ("top", "sub", ["extra.zip"])


def test_an_archive_that_cannot_be_fetched_ends_the_run_naming_it_and_a_later_import_retries(
    extra_archive, tmp_path
):
    online = [False]

    def read(name):
        if not online[0]:
            raise OSError("Failed to fetch")
        return extra_archive.read_bytes()

    install({"extra.zip": frozenset({"split_demo_top"})}, read, str(tmp_path))
    code = "import split_demo_top\nprint(split_demo_top.NAME)"
    result = asyncio.run(run(code, lambda stream, text: None))
    assert (result.status, result.unavailable) == ("error", "stdlib")
    assert "Failed to fetch" in result.error
    online[0] = True
    assert asyncio.run(run(code, lambda stream, text: None)).status == "ok"


def test_the_page_knows_every_unavailable_thing_pyrunner_names():
    script = (
        f"import {{ UNAVAILABLE }} from {json.dumps(str(ROOT / 'browser' / 'protocol.js'))};"
        "console.log(JSON.stringify(UNAVAILABLE));"
    )
    node = ["node", "--input-type=module", "-e", script]
    names = json.loads(subprocess.run(node, check=True, capture_output=True, text=True).stdout)
    assert set(names.values()) == {InputUnavailable.unavailable, StdlibUnavailable.unavailable}


def test_bytecode_ships_only_where_compiling_on_a_slow_cpu_costs_more_than_its_extra_bytes():
    assert ships_as_bytecode(source_bytes=100_000, deflated_source=20_000, deflated_bytecode=25_000)
    assert not ships_as_bytecode(
        source_bytes=100_000, deflated_source=20_000, deflated_bytecode=80_000
    )


def test_the_core_follows_only_the_imports_that_run_when_a_module_is_imported():
    source = (
        "import os\n"
        "from json import decoder\n"
        "try:\n    import _no_such_accelerator\nexcept ImportError:\n    import csv\n"
        "try:\n    import sys\nexcept ImportError:\n    import wave\n"
        "if sys.platform == 'win32':\n    import winreg\n"
        "if __name__ == '__main__':\n    import doctest\n"
        "def later():\n    import email\n"
    )
    known = {"os", "json", "json.decoder", "csv", "wave", "winreg", "doctest", "email"}
    found = imported_at_import(ast.parse(source), "demo", False, known)
    assert found == {"os", "json", "json.decoder", "csv"}


def plain_snippets():
    """The runnable snippets that do not import Django."""
    return [s for s in runnable_snippets() if not imports_django(s.read_text(encoding="utf-8"))]


@pytest.mark.pyodide
def test_every_plain_demo_and_lab_runs_on_the_core_archive_alone():
    session = PyodideSession()  # its own: the shared one may have fetched the second archive
    try:
        for snippet in plain_snippets():
            answer = session.run(snippet.read_text(encoding="utf-8"))
            assert (snippet.name, answer["status"], answer["error"]) == (snippet.name, "ok", "")
            assert answer["stdout"] == expected_output(snippet)
        for preset in sorted((SNIPPETS / "lab").glob("*.json")):
            for setup in json.loads(preset.read_text(encoding="utf-8"))["setups"]:
                session.simulate(**setup)
        assert session.reads() == []
    finally:
        session.close()


@pytest.mark.pyodide
@pytest.mark.parametrize(
    ("code", "output"), LEFT_OUT, ids=[code.splitlines()[0] for code, _ in LEFT_OUT]
)
def test_a_module_left_out_of_the_core_still_imports_in_pyodide(pyodide, code, output):
    answer = pyodide.run(code)
    assert (answer["status"], answer["error"], answer["stdout"]) == ("ok", "", output + "\n")


@pytest.mark.pyodide
def test_a_django_demo_fetches_the_django_archive_and_not_the_rest():
    session = PyodideSession()  # its own: nothing on demand fetched yet
    try:
        for snippet in runnable_snippets():
            code = snippet.read_text(encoding="utf-8")
            if imports_django(code):
                answer = session.run(code)
                assert (snippet.name, answer["status"]) == (snippet.name, "ok")
        assert session.reads() == [stdlib_archives.DJANGO]
    finally:
        session.close()


@pytest.mark.pyodide
def test_offline_an_import_from_the_second_archive_ends_the_run_saying_so_then_works_online():
    session = PyodideSession()  # its own: the second archive must not be fetched yet
    try:
        session.set_offline(True)
        answer = session.run("import tomllib")
        assert (answer["status"], answer["unavailable"]) == ("error", "stdlib")
        session.set_offline(False)
        assert session.run("import tomllib")["status"] == "ok"
        assert session.reads() == [stdlib_archives.EXTRA]
    finally:
        session.close()
