"""Split Pyodide's python_stdlib.zip in three, each module as bytecode or source.

Runs in Pyodide (see precompile_stdlib.mjs) because bytecode is specific to the Python
version, and the host's CPython is another one. The core archive holds the modules the site's
code and typical reader edits load (measured into stdlib_core.json by measure_core.py),
closed under the imports they make when imported; what the Django demos load beyond that
goes into a Django archive, the rest into an extra one. pyrunner's stdlib_fallback fetches
each the first time a snippet imports one of its modules; the core gets their index, in the
form that finder reads.
"""

import _imp
import ast
import contextlib
import importlib.util
import os
import sys
import zipfile
import zlib
from importlib._bootstrap_external import _code_to_hash_pyc

# pyrunner reads the index; precompile_stdlib.mjs puts its package beside this module.
from pyrunner.stdlib_fallback import INDEX_MODULE, index_source

# Members are stored, not deflated: the browser gets each archive as one zstd stream
# (sitebuild/pyodide/twins.py), which compresses across modules. Deflate at its strongest
# stands in for a module's compressed size when bytecode is weighed against source.
LEVEL = 9

# Bytecode or source, per module, from measured cost. Bytecode spares the compile at import
# but is larger. Measured in Pyodide 314.0.7 under Node 20 (x86-64, 2026-12-07), booting the
# worker on this core once all as bytecode and once all as source: 765 against 2213 ms
# (medians of 5), for the 2.77 MB of source the boot imports: 0.52 µs per byte of source.
# That is what a reader waits for; compile() alone, warm, takes 0.21 µs a byte. A phone is
# both slow link and slow CPU, so the decision weighs the one against the other there: on a
# CPU 4x slower a byte of source costs 2.1 µs, and at 1.6 Mbit/s an extra deflated byte
# costs 5 µs. Bytecode wins where its deflated size exceeds the source's by less than about
# 42 % of the source's raw size, as for nearly every module (the stdlib's median is 21 %).
# At 10 Mbit/s (0.8 µs a byte) it wins everywhere, even on a fast CPU. Sizes alone decide,
# so the split is the same for a Pyodide version. One exception: a core module that only a
# reader's edit imports is fetched on every first Run but compiled only by that edit, so it
# ships as source; a module of an on-demand archive is fetched and compiled together.
COMPILE_SECONDS_PER_SOURCE_BYTE = 0.52e-6
# Bytecode is compiled as `python -OO` would (docstrings and asserts left out), a mode the
# stdlib supports: docstrings are a fifth or more of its bytecode, and nobody reads help()
# of the stdlib in a demo. Pyodide's own packages keep theirs: it reads them at boot to
# document its JavaScript proxies (_pyodide/docstring.py).
OPTIMIZE = 2
KEEPS_DOCSTRINGS = ("_pyodide/", "pyodide/")
SLOW_CPU_FACTOR = 4
SLOW_LINK_BITS_PER_SECOND = 1.6e6


def ships_as_bytecode(source_bytes: int, deflated_source: int, deflated_bytecode: int) -> bool:
    """Whether compiling the source on a slow CPU costs more than fetching the extra bytes."""
    compile_seconds = SLOW_CPU_FACTOR * COMPILE_SECONDS_PER_SOURCE_BYTE * source_bytes
    extra_seconds = (deflated_bytecode - deflated_source) * 8 / SLOW_LINK_BITS_PER_SECOND
    return compile_seconds > extra_seconds


def module_name(filename: str) -> str:
    """`email/mime/text.py` -> `email.mime.text`; `json/__init__.py` -> `json`."""
    parts = filename.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runs_at_import(body: list[ast.stmt]):
    """The statements of a module body that run when it is imported (not in functions)."""
    for node in body:
        yield node
        if isinstance(node, ast.If) and not _may_hold(node.test):
            yield from _runs_at_import(node.orelse)
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _runs_at_import(getattr(node, field, []))
        # A fallback `except ImportError:` runs only if the import it guards fails here.
        if isinstance(node, ast.Try) and not all(map(_available, _imports_in(node.body))):
            for handler in node.handlers:
                yield from _runs_at_import(handler.body)


def _may_hold(test: ast.expr) -> bool:
    """Whether an `if` at module level may take its body when the module is imported here."""
    # Neither a type checker's imports nor a module's own `__main__` block run then.
    if any(word in ast.unparse(test) for word in ("TYPE_CHECKING", "__main__")):
        return False
    # A test of the platform alone (`sys.platform == "win32"`) has one answer in Pyodide.
    names = {node.id for node in ast.walk(test) if isinstance(node, ast.Name)}
    if names and names <= {"sys", "os"}:
        try:
            return bool(
                eval(compile(ast.Expression(test), "<test>", "eval"), {"sys": sys, "os": os})
            )
        except Exception:
            return True
    return True


def _imports_in(body: list[ast.stmt]):
    """The absolute module names a block imports directly."""
    for node in body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            yield node.module


def _available(name: str) -> bool:
    """Whether this Pyodide imports `name` without the zip: built in, frozen, or in it."""
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def imported_at_import(tree: ast.Module, name: str, is_package: bool, known: set[str]) -> set:
    """The known modules a module imports as it is imported, with their parent packages."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in _runs_at_import(tree.body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    with_parents = set()
    for module in found:
        parts = module.split(".")
        with_parents.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return with_parents & known


def core_modules(trees: dict, measured: list[str]) -> set[str]:
    """The measured modules and their parents, closed under what they import at import."""
    known = set(trees)
    wanted = list(measured)
    core: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in core or name not in known or _is_frozen(name):
            continue
        core.add(name)
        parts = name.split(".")
        wanted += [".".join(parts[:n]) for n in range(1, len(parts))]
        tree, is_package = trees[name]
        if tree is not None:
            wanted += imported_at_import(tree, name, is_package, known)
    return core


def _is_frozen(name: str) -> bool:
    """Whether a module is in the interpreter itself, so that its source is never read.

    `importlib._bootstrap` is the frozen `_frozen_importlib` under a second name.
    """
    spec = getattr(sys.modules.get(name), "__spec__", None)
    return _imp.is_frozen(name) or getattr(spec, "origin", None) == "frozen"


def _owner(filename: str, packages: set[str]) -> str:
    """The package folder a data file belongs to ("" at the top level)."""
    folder = filename.rpartition("/")[0]
    while folder and folder.replace("/", ".") not in packages:
        folder = folder.rpartition("/")[0]
    return folder.replace("/", ".")


def _deflated(data: bytes) -> int:
    """The size of `data` as the archive stores it."""
    return len(zlib.compress(data, LEVEL))


def _write_module(target: zipfile.ZipFile, info: zipfile.ZipInfo, source: bytes, weigh: bool):
    """Write one module as bytecode or source, as costs less; True if as bytecode.

    `weigh`: whether its compile is paid whenever its bytes are (else it is source).
    """
    try:
        optimize = 0 if info.filename.startswith(KEEPS_DOCSTRINGS) else OPTIMIZE
        code = compile(source, info.filename, "exec", dont_inherit=True, optimize=optimize)
    except SyntaxError:
        # A few test fixtures are deliberately invalid: ship them as source.
        target.writestr(info, source)
        return False
    # Unchecked hash-based pycs never look for the source, which is not shipped with them.
    pyc = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))
    if not weigh or not ships_as_bytecode(len(source), _deflated(source), _deflated(pyc)):
        target.writestr(info, source)
        return False
    target.writestr(zipfile.ZipInfo(info.filename + "c", info.date_time), pyc)
    return True


def split(source_zip: str, outputs: dict, measured: dict) -> dict:
    """Write the archives; return {file name: [modules, of which bytecode]}.

    `outputs`: {"core" | "django" | "extra": (path, file name)}, the core first.
    `measured`: stdlib_core.json's groups, {"demos": {source: [...]}, "edits": {...},
    "django": {...}}: the core holds what the demos and typical edits import, the Django
    archive what the Django demos import beyond it, the extra archive everything else.
    """
    flat = {group: [n for names in measured[group].values() for n in names] for group in measured}
    with zipfile.ZipFile(source_zip) as source:
        files = {info.filename: (info, source.read(info)) for info in source.infolist()}
    trees = {}
    for filename, (_, data) in files.items():
        if filename.endswith(".py"):
            try:
                tree = ast.parse(data)
            except SyntaxError:
                tree = None
            trees[module_name(filename)] = (tree, filename.endswith("/__init__.py"))
    core = core_modules(trees, flat["demos"] + flat["edits"])
    django = core_modules(trees, flat["demos"] + flat["django"]) - core
    every_run = core_modules(trees, flat["demos"]) | {INDEX_MODULE}
    packages = {name for name, (_, is_package) in trees.items() if is_package}
    group_of = {name: "core" for name in core} | {name: "django" for name in django}
    extra = sorted(set(trees) - core - django)
    on_demand = {outputs["django"][1]: sorted(django), outputs["extra"][1]: extra}
    index = index_source(on_demand).encode()
    files[f"{INDEX_MODULE}.py"] = (zipfile.ZipInfo(f"{INDEX_MODULE}.py"), index)
    group_of[INDEX_MODULE] = "core"
    counts = {name: [0, 0] for _, name in outputs.values()}
    with contextlib.ExitStack() as stack:
        zips = {
            group: stack.enter_context(zipfile.ZipFile(path, "w", zipfile.ZIP_STORED))
            for group, (path, _) in outputs.items()
        }
        for filename, (info, data) in sorted(files.items()):
            info.compress_type = zipfile.ZIP_STORED
            if not filename.endswith(".py"):
                owner = _owner(filename, packages)
                group = "core" if owner == "" else group_of.get(owner, "extra")
                zips[group].writestr(info, data)
                continue
            module = module_name(filename)
            group = group_of.get(module, "extra")
            # A module fetched with its archive is compiled then too: weigh it (else source).
            weigh = module in every_run or group != "core"
            count = counts[outputs[group][1]]
            count[1] += _write_module(zips[group], info, data, weigh)
            count[0] += 1
    return counts
