"""Run a reader's snippet the same way in CPython, in Pyodide under Node and in the browser."""

from pyrunner.run import SNIPPET_FILENAME, OutputLimitExceeded, RunResult, run

__all__ = ["SNIPPET_FILENAME", "OutputLimitExceeded", "RunResult", "run"]
