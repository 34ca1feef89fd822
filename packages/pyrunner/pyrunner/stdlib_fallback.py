"""Import a standard-library module left out of the core archive, from an archive on demand.

The build (sitebuild/pyodide/precompile_stdlib.py) ships the standard library as a core zip,
which Pyodide mounts at start, and further zips, each fetched only when a snippet first
imports a module from it. It writes their names and modules into the core one as the module
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

# Where a fetched archive is written (Pyodide's in-memory file system).
FOLDER = "/lib"
INDEX_MODULE = "_stdlib_extra"


def index_source(archives: dict[str, list[str]]) -> str:
    """The source of INDEX_MODULE: each on-demand archive's file name and its modules."""
    listed = {name: sorted(modules) for name, modules in archives.items()}
    return f"ARCHIVES = {listed!r}\n"


def read_index() -> dict[str, frozenset[str]] | None:
    """Each on-demand archive's modules by file name, or None with the whole stdlib at hand."""
    try:
        index = importlib.import_module(INDEX_MODULE)
    except ModuleNotFoundError:
        return None
    return {name: frozenset(modules) for name, modules in index.ARCHIVES.items()}


class StdlibUnavailable(ModuleNotFoundError):
    """A module of an on-demand archive, which could not be fetched (offline, say)."""

    # What the run's result names, for the page to explain in its own language.
    unavailable = "stdlib"


class ExtraStdlibFinder:
    """A `sys.meta_path` finder for the modules of the on-demand archives; fetches each once."""

    def __init__(self, archives: dict[str, frozenset[str]], read: Callable[[str], bytes], folder):
        self._archive_of = {
            module: name for name, modules in archives.items() for module in modules
        }
        self._read, self._folder = read, folder
        self._fetched: set[str] = set()

    def find_spec(self, fullname: str, path=None, target=None):
        archive = self._archive_of.get(fullname)
        if archive is None:
            return None
        where = f"{self._folder}/{archive}"
        self._fetch(archive, where, fullname)
        package = fullname.rpartition(".")[0].replace(".", "/")
        # A zipimporter rooted at the package's folder inside the archive: the module may be
        # a submodule of a package whose other modules are in the core zip.
        root = f"{where}/{package}" if package else where
        return zipimport.zipimporter(root).find_spec(fullname)

    def _fetch(self, archive: str, where: str, fullname: str) -> None:
        if archive in self._fetched:
            return
        try:
            data = self._read(archive)
        except Exception as error:
            # Not cached as a failure: the next import tries again, once back online.
            raise StdlibUnavailable(
                f"No module named {fullname!r} here: the standard library's archive"
                f" {archive}, which has it, could not be fetched ({error})",
                name=fullname,
            ) from None
        with open(where, "wb") as file:
            file.write(data)
        self._fetched.add(archive)


def install(
    archives: dict[str, frozenset[str]], read: Callable[[str], bytes], folder: str = FOLDER
) -> None:
    """Put the finder after the path finder, before Pyodide's own "not installed" finders.

    `read(name)` returns the bytes of the archive with that file name.
    """
    finder = ExtraStdlibFinder(archives, read, folder)
    sys.meta_path.insert(sys.meta_path.index(PathFinder) + 1, finder)
