"""The shipped Python worker under Node (harness/pyodide_worker.mjs), driven by the tests."""

import json
import subprocess
from pathlib import Path

from harness import started

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_BUILD = ROOT / "build" / "site" / "pyodide"
DRIVER = Path(__file__).resolve().parent / "pyodide_worker.mjs"


class PyodideLabError(Exception):
    """serverlab refused a simulation in Pyodide; `data` is its LabError as a dict."""

    def __init__(self, data: dict):
        super().__init__(data["message"])
        self.data = data


class PyodideSession:
    """Send code or a lab setup to the worker, get back what the page would; one Node process."""

    def __init__(self, stdlib_zip: Path | None = None):
        """Boot the build's Pyodide; with `stdlib_zip`, on that standard library instead."""
        stdlib = [str(stdlib_zip)] if stdlib_zip else []
        self.process, _ = started.spawn(
            "pyodide",
            ["node", str(DRIVER), str(PYODIDE_BUILD), *stdlib],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._answer() == {"ready": True}

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"Pyodide worker exited with {self.process.wait()}")
        return json.loads(line)

    def _ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def run(self, code: str, check: dict | None = None) -> dict:
        """Run a snippet as the browser does: its done message's fields, stdout, stderr, charts.

        With a challenge's `check` ({"name": ..., arguments}), the fields include its verdict.
        """
        return self._ask({"code": code, "check": check})

    def simulate(self, **params) -> dict:
        """Simulate a lab setup in Pyodide: its result dict, or PyodideLabError if refused."""
        answer = self._ask({"params": params})
        if "error" in answer:
            raise PyodideLabError(answer["error"])
        return answer["result"]

    def reads(self) -> list[str]:
        """The names of the files the worker itself has read so far (the stdlib fallback)."""
        return self._ask({"reads": True})["reads"]

    def set_offline(self, offline: bool) -> None:
        """Make the worker's own reads fail (or work again) as without a network."""
        self._ask({"offline": offline})

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
