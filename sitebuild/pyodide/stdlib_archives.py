"""The file names of the standard-library archives, as the build writes them."""

# Pyodide's own name: it mounts this archive at start.
CORE = "python_stdlib.zip"
# Fetched on demand, each the first time a snippet imports one of its modules; the core's
# `_stdlib_extra` index names them for pyrunner's finder. What the Django demos need beyond
# the core comes apart from the rest, so that a Django demo does not fetch everything.
DJANGO = "python_stdlib_django.zip"
EXTRA = "python_stdlib_extra.zip"
ON_DEMAND = (DJANGO, EXTRA)
