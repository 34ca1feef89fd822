"""Import a standard-library module left out of the core archive, from the second archive.

The build (sitebuild/pyodide/precompile_stdlib.py) ships the standard library as two zips:
the core, which Pyodide mounts at start, and the rest, fetched only when a snippet imports a
module from it. It writes the second zip's name and modules into the core one as the module
INDEX_MODULE, in the form index_source() gives, so that this finder knows them without
fetching anything. A finder, not Pyodide's package loading ahead of a run: that sees only
the top-level names a snippet imports, not `importlib.import_module(...)` or an import inside
a function, and an installed package cannot add submodules to a package that lives in the
core zip (`encodings.cp1252` beside the core's `encodings`).
"""

import importlib
import sys
import zipimport
from collections.abc import Callable
from importlib.machinery import PathFinder

# Where the second archive is written once fetched (Pyodide's in-memory file system).
ARCHIVE_PATH = "/lib/python_stdlib_extra.zip"
INDEX_MODULE = "_stdlib_extra"


def index_source(archive: str, modules: list[str]) -> str:
    """The source of INDEX_MODULE: the second archive's file name and its modules."""
    return f"ARCHIVE = {archive!r}\nMODULES = frozenset({sorted(modules)!r})\n"


def read_index() -> tuple[str, frozenset[str]] | None:
    """The second archive's file name and modules, or None with the whole stdlib at hand."""
    try:
        index = importlib.import_module(INDEX_MODULE)
    except ModuleNotFoundError:
        return None
    return index.ARCHIVE, index.MODULES


class StdlibUnavailable(ModuleNotFoundError):
    """A module of the second archive, which could not be fetched (offline, say)."""

    # What the run's result names, for the page to explain in its own language.
    unavailable = "stdlib"


class ExtraStdlibFinder:
    """A `sys.meta_path` finder for the modules of the second archive; fetches it once."""

    def __init__(self, modules: frozenset[str], read: Callable[[], bytes], path: str):
        self._modules, self._read, self._path = modules, read, path
        self._fetched = False

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname not in self._modules:
            return None
        self._fetch(fullname)
        package = fullname.rpartition(".")[0].replace(".", "/")
        # A zipimporter rooted at the package's folder inside the archive: the module may be
        # a submodule of a package whose other modules are in the core zip.
        root = f"{self._path}/{package}" if package else self._path
        return zipimport.zipimporter(root).find_spec(fullname)

    def _fetch(self, fullname: str) -> None:
        if self._fetched:
            return
        try:
            data = self._read()
        except Exception as error:
            # Not cached as a failure: the next import tries again, once back online.
            raise StdlibUnavailable(
                f"No module named {fullname!r} here: the standard library's second archive,"
                f" which has it, could not be fetched ({error})",
                name=fullname,
            ) from None
        with open(self._path, "wb") as archive:
            archive.write(data)
        self._fetched = True


def install(modules: frozenset[str], read: Callable[[], bytes], path: str = ARCHIVE_PATH) -> None:
    """Put the finder after the path finder, before Pyodide's own "not installed" finders."""
    finder = ExtraStdlibFinder(modules, read, path)
    sys.meta_path.insert(sys.meta_path.index(PathFinder) + 1, finder)
