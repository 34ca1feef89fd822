"""A long-lived Pyodide under Node (tests/pyodide/runner.mjs) that runs code on request."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_BUILD = ROOT / "build" / "site" / "pyodide"


class PyodideSession:
    """Send code, get back what it printed; one Node process for many runs."""

    def __init__(self):
        self.process = subprocess.Popen(
            ["node", str(ROOT / "tests" / "pyodide" / "runner.mjs"), str(PYODIDE_BUILD)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._answer() == {"ready": True}

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"Pyodide runner exited with {self.process.wait()}")
        return json.loads(line)

    def _ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def run(self, code: str) -> dict:
        """Run a snippet as the browser does: status, error, stdout, stderr, charts."""
        return self._ask({"code": code})

    def simulate(self, **params) -> dict:
        """Run serverlab.simulate in Pyodide and return its result dictionary."""
        return self._ask({"simulate": params})["result"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
