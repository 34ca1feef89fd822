"""The worker's entry points: what the browser calls to run a snippet or the lab."""

import importlib.util
import json
from dataclasses import asdict

from pyrunner.run import Sink
from pyrunner.run import run as run_snippet


async def run(source: str, write: Sink, publish, namespace: dict | None = None) -> dict:
    """Run a snippet; charts it asks for go to `publish(kind, json_text)`."""
    _connect_lab(publish)
    return asdict(await run_snippet(source, write, namespace=namespace))


def simulate_json(params_json: str) -> str:
    """Simulate one lab setup given as JSON and return the result as JSON."""
    import serverlab

    return json.dumps(serverlab.simulate(**json.loads(params_json)).to_dict())


def _connect_lab(publish) -> None:
    """Let `serverlab.show(result)` draw its chart under the snippet's output."""
    if importlib.util.find_spec("serverlab") is None:
        return
    from serverlab import display

    display.set_hook(lambda data: publish("lab", json.dumps(data)))
