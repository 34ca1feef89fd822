"""The runtime's zstd twins: each decodes, with the decoder the worker ships, to its file;
the offline save lists the twins, never the files the browser does not fetch."""

import hashlib
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


@pytest.mark.parametrize("name", twins.FILES)
def test_each_twin_decodes_with_the_shipped_decoder_to_its_file(built_site, name):
    plain = built_site / "pyodide" / name
    twin = built_site / "pyodide" / (name + twins.SUFFIX)
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


@pytest.mark.parametrize("name", (stdlib_archives.CORE, *stdlib_archives.ON_DEMAND))
def test_the_stdlib_archives_store_their_members_for_zstd_to_see_across_them(built_site, name):
    with zipfile.ZipFile(built_site / "pyodide" / name) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_the_offline_save_lists_each_twin_and_never_its_plain_file(built_site):
    listed = manifest(built_site)
    saved = set(listed["python"]) | set(listed["pythonExtra"])
    for name in twins.FILES:
        assert f"pyodide/{name}{twins.SUFFIX}" in saved
        assert f"pyodide/{name}" not in saved


def test_the_worker_bundle_knows_the_twins_from_the_build(built_site):
    worker = (built_site / "assets" / "runnable" / "worker.js").read_text(encoding="utf-8")
    chunks = [worker] + [
        path.read_text(encoding="utf-8")
        for path in (built_site / "assets" / "runnable").glob("chunk-*.js")
    ]
    assert any(all(name in text for name in twins.FILES) for text in chunks)


def test_compress_makes_one_frame_that_records_the_size():
    frame = twins.compress(b"abc" * 1000)
    assert zstandard.frame_content_size(frame) == 3000
    assert zstandard.ZstdDecompressor().decompress(frame) == b"abc" * 1000
