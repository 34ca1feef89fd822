"""The worker's entry points: what browser/worker-core.js calls to run a snippet or the lab.

The Python half of the worker protocol (browser/protocol.js): a run's result, and a lab
simulation's result or error, as data.
"""

import importlib.util
import json
from collections.abc import Callable
from dataclasses import asdict

from pyrunner.run import Sink
from pyrunner.run import run as run_snippet


def alive() -> bool:
    """Answer at all: the worker asks after an error whether the interpreter survived it."""
    return True


async def run(
    source: str, write: Sink, chart: Callable[[str], None], namespace: dict | None = None
) -> dict:
    """Run a snippet: a RunResult as a dict; charts it shows go to `chart(json_text)`."""
    _connect_lab(chart)
    return asdict(await run_snippet(source, write, namespace=namespace))


def use_stdlib_archive(index_url: str, read_bytes_sync: Callable) -> None:
    """Import what the core standard library leaves out from its other archives, on demand."""
    from pyrunner import stdlib_fallback

    archives = stdlib_fallback.read_index()
    if archives is None:
        return  # A Pyodide booted on the whole standard library (the core measurement).
    stdlib_fallback.install(archives, lambda name: read_bytes_sync(index_url + name).to_bytes())


def simulate_json(params_json: str) -> str:
    """Simulate one lab setup given as JSON: `{"result": ...}`, or `{"error": ...}` if refused."""
    import serverlab

    try:
        result = serverlab.simulate(**json.loads(params_json))
    except serverlab.LabError as error:
        return json.dumps({"error": error.to_dict()})
    return json.dumps({"result": result.to_dict()})


def _connect_lab(chart: Callable[[str], None]) -> None:
    """Let `serverlab.show(result)` draw its chart under the snippet's output."""
    if importlib.util.find_spec("serverlab") is None:
        return
    from serverlab import display

    display.set_hook(lambda data: chart(json.dumps(data)))
