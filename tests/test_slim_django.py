"""The slim Django wheel the build serves: small, a valid wheel, and enough for every demo."""

import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest

from harness.paths import ROOT
from harness.snippet_files import expected_output, snippet_id
from sitebuild.bundle import CACHE, OUT, django_wheels, pinned_versions
from sitebuild.pyodide import twins
from sitebuild.pyodide.slim_django import (
    demo_errors,
    demo_snippets,
    named_modules,
    write_slim,
)

DJANGO = f"django-{pinned_versions()['django']}-py3-none-any.whl"
PINNED = CACHE / "wheels" / DJANGO


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """The Django wheels as the build step serves them: django, asgiref, sqlparse."""
    return {wheel.name: wheel for wheel in django_wheels(tmp_path_factory.mktemp("wheels"))}


@pytest.fixture(scope="module")
def slim(wheels):
    return wheels[DJANGO]


DJANGO_DEMOS = [snippet for snippet in demo_snippets() if named_modules(snippet)]


def test_the_slim_wheel_is_under_a_fifth_of_the_pinned_one(slim, record_property):
    pinned, trimmed = PINNED.stat().st_size, slim.stat().st_size
    record_property("pinned_bytes", pinned)
    record_property("slim_bytes", trimmed)
    assert trimmed * 5 < pinned, f"slim Django is {trimmed} bytes, the pinned one {pinned}"


def test_every_file_in_the_slim_wheel_has_its_record_hash_and_size(slim):
    with zipfile.ZipFile(slim) as wheel:
        record = next(name for name in wheel.namelist() if name.endswith(".dist-info/RECORD"))
        rows = list(csv.reader(io.StringIO(wheel.read(record).decode())))
        assert sorted(path for path, _, _ in rows) == sorted(wheel.namelist())
        for path, digest, size in rows:
            if path == record:
                assert (digest, size) == ("", "")
                continue
            data = wheel.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data)), path


def test_the_slim_wheel_keeps_the_pinned_name_and_version(slim):
    def name_and_version(wheel):
        with zipfile.ZipFile(wheel) as archive:
            metadata = next(name for name in archive.namelist() if name.endswith("/METADATA"))
            headers = Parser().parsestr(archive.read(metadata).decode())
        return headers["Name"], headers["Version"]

    assert name_and_version(slim) == name_and_version(PINNED)


def test_the_slim_wheel_is_the_same_bytes_every_time_it_is_made(slim, tmp_path):
    write_slim(PINNED, tmp_path / DJANGO)
    assert (tmp_path / DJANGO).read_bytes() == slim.read_bytes()


def test_every_dropped_entry_removes_something_from_the_pinned_wheel(tmp_path):
    dropped = write_slim(PINNED, tmp_path / DJANGO)
    assert [label for label, size in dropped.items() if not size] == []


def test_a_demo_that_imports_a_stripped_module_fails_the_check_naming_it_and_its_file(tmp_path):
    (tmp_path / "docs" / "en").mkdir(parents=True)
    (tmp_path / "docs" / "en" / "page.md").write_text(
        '# Page\n\n```python { .runnable }\n--8<-- "demo/admin.py"\n```\n', encoding="utf-8"
    )
    (tmp_path / "snippets" / "demo").mkdir(parents=True)
    (tmp_path / "snippets" / "demo" / "admin.py").write_text(
        "from django.http import HttpResponse\n"
        "from django.contrib.admin import site\n"
        'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n'
        "await site.aget()\n",
        encoding="utf-8",
    )
    errors = demo_errors(tmp_path / "docs", tmp_path / "snippets")
    snippet = tmp_path / "snippets" / "demo" / "admin.py"
    assert [error.split(",")[0] for error in errors] == [
        f"{snippet}:2: imports django.contrib.admin",
        f"{snippet}:2: imports django.contrib.admin.site",
        f"{snippet}:3: imports django.contrib.sessions.middleware.SessionMiddleware",
    ]


def test_no_demo_on_the_site_imports_a_stripped_module():
    assert demo_errors() == []


def test_the_lock_file_registers_the_slim_wheel_stored_with_its_sha256(slim):
    served = OUT / "pyodide" / DJANGO
    lock = json.loads((OUT / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["django"]
    # Served with its members stored, for its zstd twin (sitebuild/pyodide/twins.py).
    assert served.read_bytes() == twins.stored(slim.read_bytes())
    assert (entry["file_name"], entry["sha256"]) == (
        DJANGO,
        hashlib.sha256(served.read_bytes()).hexdigest(),
    )


@pytest.fixture(scope="module")
def slim_site_packages(wheels, tmp_path_factory):
    """The three wheels unpacked into one folder, as an installer would."""
    folder = tmp_path_factory.mktemp("site-packages")
    for wheel in wheels.values():
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
    return folder


@pytest.mark.parametrize("snippet", DJANGO_DEMOS, ids=snippet_id)
def test_each_django_demo_alone_prints_its_expected_output_on_the_slim_wheel(
    slim_site_packages, snippet, tmp_path
):
    # -S leaves out the virtualenv's full Django: only the slim one can be imported.
    path = f"{slim_site_packages}:{ROOT / 'packages' / 'pyrunner'}"
    done = subprocess.run(
        [sys.executable, "-S", "-m", "pyrunner", snippet],
        env={"PYTHONPATH": path},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected_output(snippet)
