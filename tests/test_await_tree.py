"""The await tree: snapshots of real asyncio code, in CPython and in the site's Pyodide."""

import asyncio
import itertools
import json
import subprocess
from typing import get_args

import pytest
from pyrunner import run
from pyrunner.await_tree import MAX_TASKS
from pyrunner.await_tree_types import AwaitKind, TaskState

from harness.paths import ROOT

# Runs `main()` of a scenario under the sampler, then prints every snapshot it sent with
# the loop's clock at the sending (None, an unchanged tree, included), as JSON.
SAMPLED = """
import asyncio, json
from pyrunner import await_tree

sent = []
clock = asyncio.get_running_loop().time
with await_tree.sampling(lambda tree: sent.append([clock(), tree])) as ended:
    await main()
    ended(True)
print(json.dumps({"capture_call_graph": hasattr(asyncio, "capture_call_graph"), "sent": sent}))
"""

GATHER = """
async def view(seconds):
    await asyncio.sleep(seconds)

async def main():
    names = ("profile", "orders", "search")
    await asyncio.gather(*(asyncio.create_task(view(0.3), name=name) for name in names))
"""

WAIT_FOR = """
async def call(seconds):
    await asyncio.sleep(seconds)

async def fetch(name, seconds):
    task = asyncio.create_task(call(seconds), name=name)
    try:
        await asyncio.wait_for(task, 0.2)
    except TimeoutError:
        pass

async def main():
    await asyncio.gather(fetch("quick", 0.15), fetch("slow", 5))
"""

TASK_AWAITS_TASK = """
async def inner():
    await asyncio.sleep(0.3)

async def outer():
    await asyncio.create_task(inner(), name="inner")

async def main():
    await asyncio.create_task(outer(), name="outer")
"""

FLOOD = """
async def main():
    await asyncio.gather(*(asyncio.sleep(0.3) for _ in range(10_000)))
"""

BLOCKED = """
import time

async def main():
    await asyncio.sleep(0.15)
    time.sleep(0.5)
    await asyncio.sleep(0.15)
"""

SCENARIOS = {
    "gather": GATHER,
    "wait_for": WAIT_FOR,
    "task_awaits_task": TASK_AWAITS_TASK,
    "flood": FLOOD,
    "blocked": BLOCKED,
}


def run_in_cpython(code: str) -> str:
    out = []
    result = asyncio.run(run(code, lambda stream, text: out.append(text)))
    assert (result.status, result.error) == ("ok", "")
    return "".join(out)


@pytest.fixture(params=["cpython", pytest.param("pyodide", marks=pytest.mark.pyodide)])
def sample(request):
    """Run a scenario under the sampler in CPython or in Pyodide: what it printed, parsed."""
    if request.param == "cpython":
        execute = run_in_cpython
    else:
        pyodide = request.getfixturevalue("pyodide")

        def execute(code):
            answer = pyodide.run(code)
            assert (answer["status"], answer["error"], answer["stderr"]) == ("ok", "", "")
            return answer["stdout"]

    def sample(name):
        return {"python": request.param, **json.loads(execute(SCENARIOS[name] + SAMPLED))}

    return sample


def trees(report):
    """The snapshots sent, unchanged ones left out."""
    return [tree for _, tree in report["sent"] if tree is not None]


def nodes(forest):
    """Every task of a forest, depth first."""
    for node in forest:
        yield node
        yield from nodes(node["children"])


def by_name(tree):
    return {node["name"]: node for node in nodes(tree["tasks"])}


def test_the_call_graph_path_is_the_one_of_pythons_that_have_it(sample):
    report = sample("task_awaits_task")
    assert report["capture_call_graph"] == (report["python"] == "pyodide")


def test_a_gather_shows_under_its_task_with_the_three_tasks_sleeping_in_it(sample):
    running, *_, final = trees(sample("gather"))[1:]
    (root,) = running["tasks"]
    assert root["awaits"] == {"kind": "gather", "count": 3}
    assert [child["name"] for child in root["children"]] == ["profile", "orders", "search"]
    for child in root["children"]:
        assert child["awaits"] == {"kind": "sleep", "delay": 0.3}
        assert (child["coroutine"], child["line"], child["state"]) == ("view", 3, "pending")
    assert final["final"] and {node["state"] for node in nodes(final["tasks"])} == {"done"}


def test_a_task_in_wait_for_shows_its_timeout_and_the_call_it_cancels(sample):
    snapshots = trees(sample("wait_for"))
    slow_fetch = next(
        node
        for tree in snapshots
        for node in nodes(tree["tasks"])
        if node.get("awaits") == {"kind": "task", "task": "slow"}
    )
    assert (slow_fetch["coroutine"], slow_fetch["timeout"]) == ("fetch", 0.2)
    assert slow_fetch["children"][0]["awaits"] == {"kind": "sleep", "delay": 5}
    final = by_name(snapshots[-1])
    assert (final["slow"]["state"], final["quick"]["state"]) == ("cancelled", "done")


def test_a_task_awaiting_a_task_has_it_as_its_child(sample):
    running = trees(sample("task_awaits_task"))[1]
    outer = by_name(running)["outer"]
    assert outer["awaits"] == {"kind": "task", "task": "inner"}
    assert [child["name"] for child in outer["children"]] == ["inner"]


def test_the_sampler_itself_is_no_task_of_the_tree(sample):
    running = trees(sample("task_awaits_task"))[1]
    (root,) = running["tasks"]
    assert sorted(by_name(running)) == sorted([root["name"], "outer", "inner"])


def test_ten_thousand_tasks_show_the_first_ones_and_count_the_rest(sample):
    running = trees(sample("flood"))[1]
    assert len(list(nodes(running["tasks"]))) == MAX_TASKS
    assert running["more"] == 10_001 - MAX_TASKS  # the run's own task and its 10,000


def test_an_unchanged_tree_is_sent_as_none_so_the_page_knows_the_loop_answers(sample):
    sent = [tree for _, tree in sample("gather")["sent"]]
    assert None in sent
    changed = [tree for tree in sent if tree is not None]
    assert all(before != after for before, after in itertools.pairwise(changed))


def test_a_blocked_loop_sends_nothing_while_it_blocks(sample):
    times = [at for at, _ in sample("blocked")["sent"]]
    assert max(after - before for before, after in itertools.pairwise(times)) >= 0.5


@pytest.fixture(scope="module")
def protocol():
    """protocol.js's await tree names, as Node loads them."""
    script = (
        f"import {{ AWAIT_KIND, TASK_STATE, MESSAGE }} from "
        f"{json.dumps(str(ROOT / 'browser' / 'protocol.js'))};"
        "console.log(JSON.stringify({ AWAIT_KIND, TASK_STATE, MESSAGE }));"
    )
    node = ["node", "--input-type=module", "-e", script]
    return json.loads(subprocess.run(node, check=True, capture_output=True, text=True).stdout)


def test_the_page_names_exactly_the_await_kinds_and_task_states_pyrunner_sends(protocol):
    assert sorted(protocol["AWAIT_KIND"].values()) == sorted(get_args(AwaitKind))
    assert sorted(protocol["TASK_STATE"].values()) == sorted(get_args(TaskState))
