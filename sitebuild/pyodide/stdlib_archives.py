"""The file names of the two standard-library archives, as the build writes them."""

# Pyodide's own name: it mounts this archive at start.
CORE = "python_stdlib.zip"
# Fetched on demand; the core's `_stdlib_extra` module names it for pyrunner's finder.
EXTRA = "python_stdlib_extra.zip"
