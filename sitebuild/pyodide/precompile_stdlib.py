"""Turn Pyodide's python_stdlib.zip into one of unchecked .pyc files, inside Pyodide.

Runs in Pyodide (see precompile_stdlib.mjs) because bytecode is specific to the Python
version, and the host's CPython is another one. Loading bytecode instead of compiling
source at import time cuts Pyodide's cold start roughly in half.
"""

import os
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
from importlib.util import source_hash

STDLIB_DIR = os.path.dirname(os.__file__)


def precompile(source_zip: str, target_zip: str) -> tuple[int, int]:
    """Write target_zip with every compilable .py replaced by its .pyc; return the counts."""
    compiled = kept = 0
    with (
        zipfile.ZipFile(source_zip) as source,
        zipfile.ZipFile(target_zip, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if not info.filename.endswith(".py"):
                target.writestr(info, data)
                continue
            try:
                code = compile(data, f"{STDLIB_DIR}/{info.filename}", "exec", dont_inherit=True)
            except SyntaxError:
                # A few test fixtures are deliberately invalid: ship them as source.
                target.writestr(info, data)
                kept += 1
                continue
            # Unchecked hash-based pycs never look for the source, which is not shipped.
            pyc = _code_to_hash_pyc(code, source_hash(data), checked=False)
            target.writestr(info.filename + "c", bytes(pyc))
            compiled += 1
    return compiled, kept
