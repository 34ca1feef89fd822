"""The runtime's largest files, each with a zstd twin that the Python worker fetches instead.

Static hosts compress wasm with gzip at best (GitHub Pages: gzip at its default level), and
nothing compresses a zip whose members are deflated one by one. Measured on Pyodide 314.0.7
against what the shaping benchmark sends (gzip level 6):

- pyodide.asm.wasm: 3.56 MB gzipped, 2.90 MB as zstd level 19 with a 4 MiB window;
- the core stdlib archive: 1.32 MB deflated member by member, 1.01 MB as one zstd stream
  of the same archive with its members stored (zstd sees across modules); the on-demand
  archives shrink alike (0.75 -> 0.58 MB, 1.71 -> 1.14 MB).

That is 0.97 MB less for a plain demo's first Run: 0.8 s at 10 Mbit/s, 4.9 s at 1.6 Mbit/s.
The cost is the worker's CPU: fzstd (pure JavaScript, in the worker bundle) decodes the
wasm in about 115 ms of one core here (Node 20) as the bytes arrive, so that all but the last
block overlaps the download; the core takes about 27 ms. A larger window saves 5 KB more
and decodes 50 % slower as a stream (fzstd shifts its whole window after each block).

Wheels get twins too, stored member by member like the archives: the slim Django wheel is
1.05 MB deflated and 0.70 MB as zstd (0.89 MB if a host gzipped the stored wheel), our own
about a fifth smaller. Pyodide fetches a wheel with its sha256 (subresource integrity), which
the browser would check against the twin's bytes: the worker checks the decoded ones instead.

The plain files stay beside their twins: the same bytes for tools that read the folder
(the Node test harness runs the worker core on them), never fetched by the browser.
"""

import io
import zipfile

import zstandard

from sitebuild.pyodide import stdlib_archives

SUFFIX = ".zst"
LEVEL = 19
WINDOW_LOG = 22  # 4 MiB: see above.
# Each of these names, and each name with one of these endings, is fetched as name + SUFFIX
# by the browser's worker (browser/worker.js).
FILES = ("pyodide.asm.wasm", stdlib_archives.CORE, *stdlib_archives.ON_DEMAND)
EXTENSIONS = (".whl",)


def has_twin(name: str) -> bool:
    """Whether the runtime's file `name` is served as a zstd twin."""
    return name in FILES or name.endswith(EXTENSIONS)


def schema() -> dict:
    """What the worker bundle needs to know: which files have twins, and their suffix."""
    return {"suffix": SUFFIX, "files": list(FILES), "extensions": list(EXTENSIONS)}


def stored(archive: bytes) -> bytes:
    """The zip `archive` with its members stored: the same names, order, dates and bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            member.compress_type = zipfile.ZIP_STORED
            target.writestr(member, data)
    return out.getvalue()


def compress(data: bytes) -> bytes:
    """`data` as one zstd frame that records its size (fzstd then allocates it once)."""
    parameters = zstandard.ZstdCompressionParameters.from_level(
        LEVEL, source_size=len(data), window_log=WINDOW_LOG, write_content_size=True
    )
    return zstandard.ZstdCompressor(compression_params=parameters).compress(data)
