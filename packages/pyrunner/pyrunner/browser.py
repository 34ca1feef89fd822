"""The worker's entry points: what browser/worker-core.js calls to run a snippet or the lab.

The Python half of the worker protocol (browser/protocol.js): a run's result, and a lab
simulation's result or error, as data.
"""

import importlib.util
import json
from collections.abc import Callable
from dataclasses import asdict

from pyrunner.run import RunResult, Sink, fresh_namespace
from pyrunner.run import run as run_snippet


def alive() -> bool:
    """Answer at all: the worker asks after an error whether the interpreter survived it."""
    return True


async def run(
    source: str,
    write: Sink,
    chart: Callable[[str], None],
    namespace: dict | None = None,
    check_json: str = "",
    tasks: Callable[[str], None] | None = None,
) -> dict:
    """Run a snippet: a RunResult as a dict; charts it shows go to `chart(json_text)`.

    With `tasks`, the run's await tree goes to `tasks(json_text)` while it runs
    (pyrunner.await_tree: a Snapshot, or null when unchanged since the last).

    With a challenge's check (`{"name": ..., arguments}` as JSON), a run that ends well is
    then checked in its own namespace, and the dict's `verdict` is pyrunner.checks' Verdict.
    """
    _connect_lab(chart)
    namespace = fresh_namespace() if namespace is None else namespace
    result = asdict(await _run_sampled(source, write, namespace, tasks))
    verdict = None
    if check_json and result["status"] == "ok":
        from pyrunner import checks

        arguments = json.loads(check_json)
        verdict = await checks.verify(namespace, arguments.pop("name"), arguments)
    return {**result, "verdict": verdict}


def sleep_as_cpython() -> None:
    """Make `time.sleep` hold the thread again, as CPython's does.

    Where the browser has JSPI, Pyodide's event loop replaces `time.sleep` with a wait that
    lets other asyncio tasks run meanwhile (`_sleep` in pyodide/webloop.py, Pyodide 314:
    `run_sync(asyncio.sleep(t))`). The site teaches that `time.sleep` inside `async def`
    freezes every task of the loop; readers' code must behave as under CPython, so the
    worker puts back the original, which functools.wraps left as `__wrapped__`.
    """
    import time

    time.sleep = getattr(time.sleep, "__wrapped__", time.sleep)


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


async def _run_sampled(source: str, write: Sink, namespace: dict, tasks) -> RunResult:
    """Run the snippet; with `tasks`, send it the await tree's snapshots as JSON meanwhile."""
    if tasks is None:
        return await run_snippet(source, write, namespace=namespace)
    from pyrunner import await_tree  # Only runs that ask for the tree import it.

    with await_tree.sampling(lambda snapshot: tasks(json.dumps(snapshot))) as ended:
        result = await run_snippet(source, write, namespace=namespace)
        ended(result.status == "ok")
    return result
