"""The runtime's zstd twins: each decodes, with the decoder the worker ships, to its file;
the offline save lists the twins, never the files the browser does not fetch."""

import hashlib
import io
import json
import subprocess
import zipfile

import pytest
import zstandard

from harness.paths import ROOT
from sitebuild.offline import manifest
from sitebuild.pyodide import stdlib_archives, twins

# fzstd from node_modules, the package esbuild puts into the worker bundle.
DECODE = """
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { decompress } from "fzstd";
const bytes = decompress(new Uint8Array(readFileSync(process.argv[1])));
const sha256 = createHash("sha256").update(bytes).digest("hex");
console.log(JSON.stringify({ size: bytes.length, sha256 }));
"""


def assert_twin_decodes_to(plain):
    twin = plain.with_name(plain.name + twins.SUFFIX)
    decoded = subprocess.run(
        ["node", "--input-type=module", "-e", DECODE, str(twin)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = plain.read_bytes()
    assert json.loads(decoded.stdout) == {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert twin.stat().st_size < 0.85 * len(data)


@pytest.mark.parametrize("name", twins.FILES)
def test_each_twin_decodes_with_the_shipped_decoder_to_its_file(built_site, name):
    assert_twin_decodes_to(built_site / "pyodide" / name)


def test_each_wheel_is_stored_and_has_a_twin_that_decodes_to_it(built_site):
    wheels = sorted((built_site / "pyodide").glob("*.whl"))
    assert {wheel.name.split("-")[0] for wheel in wheels} >= {"django", "pyrunner", "serverlab"}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        assert_twin_decodes_to(wheel)


def test_the_lock_file_records_the_hash_of_each_stored_wheel(built_site):
    lock = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    for package in lock["packages"].values():
        wheel = built_site / "pyodide" / package["file_name"]
        assert package["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", (stdlib_archives.CORE, *stdlib_archives.ON_DEMAND))
def test_the_stdlib_archives_store_their_members_for_zstd_to_see_across_them(built_site, name):
    with zipfile.ZipFile(built_site / "pyodide" / name) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_the_offline_save_lists_each_twin_and_never_its_plain_file(built_site):
    listed = manifest(built_site)
    saved = set(listed["python"]) | set(listed["pythonExtra"])
    twinned = [
        path.name for path in (built_site / "pyodide").iterdir() if twins.has_twin(path.name)
    ]
    assert set(twins.FILES) < set(twinned)
    for name in twinned:
        assert f"pyodide/{name}{twins.SUFFIX}" in saved
        assert f"pyodide/{name}" not in saved


def test_the_worker_bundle_knows_the_twins_from_the_build(built_site):
    worker = (built_site / "assets" / "runnable" / "worker.js").read_text(encoding="utf-8")
    chunks = [worker] + [
        path.read_text(encoding="utf-8")
        for path in (built_site / "assets" / "runnable").glob("chunk-*.js")
    ]
    known = (*twins.FILES, *twins.EXTENSIONS)
    assert any(all(json.dumps(name) in text for name in known) for text in chunks)


def test_compress_makes_one_frame_that_records_the_size():
    frame = twins.compress(b"abc" * 1000)
    assert zstandard.frame_content_size(frame) == 3000
    assert zstandard.ZstdDecompressor().decompress(frame) == b"abc" * 1000


def test_stored_keeps_each_member_its_name_place_date_and_bytes_uncompressed():
    deflated = io.BytesIO()
    members = [
        ("pkg/__init__.py", b"x = 1\n" * 50, (2020, 1, 2, 3, 4, 6)),
        ("pkg-1.0.dist-info/RECORD", b"r", (1980, 1, 1, 0, 0, 0)),
    ]
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, date in members:
            archive.writestr(zipfile.ZipInfo(name, date), data, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(io.BytesIO(twins.stored(deflated.getvalue()))) as archive:
        infos = archive.infolist()
        assert [(i.filename, archive.read(i), i.date_time) for i in infos] == members
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
