"""The await tree's vocabulary: what a snapshot holds, named once for pyrunner and the page.

browser/protocol.js's AWAIT_KIND and TASK_STATE name the same values for the page;
tests/test_await_tree.py keeps the two equal.
"""

from typing import Literal, NotRequired, TypedDict

# What a task waits on: asyncio.sleep, another task, a gather, any other future, nothing
# (it is ready to run, or it is the task running right now).
AwaitKind = Literal["sleep", "task", "gather", "future", "ready"]
# A task still waiting, or how it ended: returned, raised, or was cancelled.
TaskState = Literal["pending", "done", "failed", "cancelled"]


class Awaits(TypedDict):
    """What a task waits on: `delay` for a sleep, `task` (a name) or `count` (of a gather)."""

    kind: AwaitKind
    delay: NotRequired[float]
    task: NotRequired[str]
    count: NotRequired[int]


class TaskNode(TypedDict):
    """One task: its name, the innermost coroutine of the reader's code and its line, and more.

    `timeout` is the deadline in seconds of a wait_for it is inside, if any.
    """

    name: str
    coroutine: str
    line: int
    awaits: Awaits
    timeout: NotRequired[float]
    state: TaskState
    children: list["TaskNode"]


class Snapshot(TypedDict):
    """The tasks of a run as a forest; `more` counts its tasks left out by the cap."""

    tasks: list[TaskNode]
    more: int
    final: bool
