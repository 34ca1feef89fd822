"""A run's asyncio tasks and what each awaits, as snapshots sampled on its running loop.

Where the tree comes from. A task's call stack is `asyncio.capture_call_graph()` where
asyncio has it: Python 3.14 and later, which includes the site's Pyodide (314.0.7, whose
WebLoop it works under: tests/test_await_tree.py checks it there). On Python 3.13, which has
no call graph, the same stack is the task's coroutine chain (`cr_await`) walked by hand.
The tree's edges (which tasks a task waits for) come on both from the future the task
waits on (`Task._fut_waiter`: a task, or a gather's future and its children): the call
graph only points upwards (`awaited_by`), so finding the roots through it would cost one
graph per task, and a run may hold 10,000.
"""

import asyncio
import contextlib
import contextvars
import heapq
from collections.abc import Callable, Iterator

from pyrunner.await_tree_types import Awaits, Snapshot, TaskNode, TaskState

# Tasks shown in one snapshot; the rest are counted in `more`. Enough for any demo's
# structure to show, and it bounds what a snapshot costs and what the page lays out.
MAX_TASKS = 50
# Ten snapshots a second follow sleeps of a few hundred milliseconds as they run, while a
# snapshot takes the loop a small share: about 0.1 ms for a demo's few tasks in Pyodide,
# a few ms with 10,000 (`make bench` is where such figures belong, not tests).
SAMPLE_SECONDS = 0.1

# Marks the tasks of the run being sampled: every task copies its creator's context.
_RUN: contextvars.ContextVar[object] = contextvars.ContextVar("pyrunner_await_tree_run")
# A gather's future; private to asyncio, and the only way to reach the gathered tasks.
_GATHERING = asyncio.tasks._GatheringFuture
# asyncio's own coroutines (sleep, wait_for) and the runner's are not the reader's code.
_MACHINERY = ("asyncio.", "pyrunner.")

Send = Callable[[Snapshot | None], None]


def _is_machinery(frame) -> bool:
    """Whether `frame` runs asyncio's code or the runner's rather than the reader's."""
    return frame.f_globals.get("__name__", "").startswith(_MACHINERY)


def _frames(task: asyncio.Task) -> list:
    """The frames of a suspended task's coroutines, innermost first."""
    if hasattr(asyncio, "capture_call_graph"):
        return [entry.frame for entry in asyncio.capture_call_graph(task, depth=0).call_stack]
    frames = []
    awaitable = task.get_coro()
    while (
        frame := getattr(awaitable, "cr_frame", None) or getattr(awaitable, "gi_frame", None)
    ) is not None:
        frames.append(frame)
        awaitable = getattr(awaitable, "cr_await", None) or getattr(awaitable, "gi_yieldfrom", None)
    return frames[::-1]


def _gathered(future, limit: int | None) -> list[asyncio.Task]:
    """The tasks a gather's future waits for (a nested gather's too), in order, up to `limit`."""
    tasks = []
    for child in future._children:
        if limit is not None and len(tasks) >= limit:
            break
        if isinstance(child, _GATHERING):
            tasks += _gathered(child, limit)
        elif isinstance(child, asyncio.Task):
            tasks.append(child)
    return tasks


def _awaited_tasks(task: asyncio.Task, limit: int | None) -> list[asyncio.Task]:
    """The tasks `task` waits for: the one it awaits, or those of the gather it awaits."""
    waiter = getattr(task, "_fut_waiter", None)
    if isinstance(waiter, asyncio.Task):
        return [waiter]
    if isinstance(waiter, _GATHERING):
        return _gathered(waiter, limit)
    return []


def _awaits(task: asyncio.Task, frames: list) -> Awaits:
    """What a suspended task waits on, from its innermost frame and its future."""
    waiter = getattr(task, "_fut_waiter", None)
    if waiter is None:
        return {"kind": "ready"}
    inner = frames[0] if frames else None
    if inner is not None and _is_machinery(inner) and inner.f_code.co_name == "sleep":
        return {"kind": "sleep", "delay": inner.f_locals.get("delay")}
    if isinstance(waiter, asyncio.Task):
        return {"kind": "task", "task": waiter.get_name()}
    if isinstance(waiter, _GATHERING):
        return {"kind": "gather", "count": len(waiter._children)}
    return {"kind": "future"}


def _timeout(frames: list) -> float | None:
    """The deadline of a wait_for the task is inside. `async with asyncio.timeout()` keeps
    its deadline on the frame's value stack, out of reach: such a task shows only what it
    awaits."""
    for frame in frames:
        if _is_machinery(frame) and frame.f_code.co_name == "wait_for":
            return frame.f_locals.get("timeout")
    return None


def _state(task: asyncio.Task) -> TaskState:
    """Whether a task still waits, or how it ended."""
    if not task.done():
        return "pending"
    if task.cancelled():
        return "cancelled"
    return "failed" if task.exception() is not None else "done"


class Sampler:
    """Snapshots of the tasks of the run in the current task, sent while its loop answers."""

    def __init__(self, send: Send):
        self._send = send
        self._loop = asyncio.get_running_loop()
        self._root = asyncio.current_task()
        self.run = object()
        # Every task shown so far, in the order first seen, with its parent (None for a
        # root): tasks that ended stay in the tree with their end. At most MAX_TASKS.
        self._known: dict[asyncio.Task, asyncio.Task | None] = {}
        self._where: dict[asyncio.Task, tuple[str, int]] = {}
        self._last: Snapshot | None = None
        self._handle = None

    def start(self) -> None:
        """Send the empty tree at once (the page's clock starts with it), then sample."""
        self._last = {"tasks": [], "more": 0, "final": False}
        self._send(self._last)
        self._handle = self._loop.call_later(SAMPLE_SECONDS, self._tick)

    def _tick(self) -> None:
        snapshot = self.snapshot()
        # An unchanged tree is sent as None: the page still learns that the loop answers.
        self._send(None if snapshot == self._last else snapshot)
        self._last = snapshot
        self._handle = self._loop.call_later(SAMPLE_SECONDS, self._tick)

    def stop(self, root_state: TaskState) -> None:
        """Stop sampling and send the final tree, the run's own task ended as `root_state`."""
        if self._handle is not None:
            self._handle.cancel()
        self._send(self.snapshot(final=root_state))

    def _live(self) -> list[asyncio.Task]:
        tasks = asyncio.all_tasks(self._loop)
        return [task for task in tasks if task.get_context().get(_RUN) is self.run]

    def snapshot(self, final: TaskState | None = None) -> Snapshot:
        """The run's tasks now; `final`, at the run's end, is how its own task ended."""
        live = self._live()
        # Once the cap is reached no other task gets in: only the shown ones need looking
        # at, which keeps a snapshot of 10,000 tasks about as cheap as one of 50.
        full = len(self._known) >= MAX_TASKS
        looked_at = [task for task in self._known if not task.done()] if full else live
        ending = self._root if final else None  # running now, it awaits nothing
        # Full, only a gather's first MAX_TASKS tasks can be shown ones: a gather of 10,000
        # is not walked through every time.
        limit = MAX_TASKS if full else None
        waits = {task: _awaited_tasks(task, limit) for task in looked_at if task is not ending}
        awaited = {child for children in waits.values() for child in children}
        roots = heapq.nsmallest(MAX_TASKS, (t for t in waits if t not in awaited), key=self._order)
        for root in roots:
            self._learn(root, waits)
        children: dict[asyncio.Task | None, list[asyncio.Task]] = {}
        for task, parent in self._known.items():
            children.setdefault(parent if parent in self._known else None, []).append(task)
        shown = [self._node(task, children, final) for task in children.get(None, [])]
        more = sum(task not in self._known for task in live)
        return {"tasks": shown, "more": more, "final": final is not None}

    def _order(self, task: asyncio.Task) -> tuple:
        """The run's own task first, then by name, Task-9 before Task-10."""
        name = task.get_name()
        return (task is not self._root, len(name), name)

    def _learn(self, root: asyncio.Task, waits: dict) -> None:
        """Record the tasks under `root` (itself first) while the cap leaves room."""
        pending = [(root, None)]
        while pending:
            task, parent = pending.pop()
            if task not in self._known:
                if len(self._known) >= MAX_TASKS:
                    continue
                self._known[task] = parent
            elif parent is not None:
                self._known[task] = parent
            below = waits.get(task, [])
            pending += [(child, task) for child in reversed(below)]

    def _node(self, task: asyncio.Task, children: dict, final: TaskState | None) -> TaskNode:
        running = task is self._root and final is not None  # The run's own task, ending now.
        node = {"name": task.get_name()}
        if task.done() or running:
            coroutine, line = self._where.get(task) or (task.get_coro().__qualname__, 0)
            node.update(coroutine=coroutine, line=line, state=final if running else _state(task))
        else:
            frames = _frames(task)
            own = next((frame for frame in frames if not _is_machinery(frame)), None)
            where = (
                (own.f_code.co_qualname, own.f_lineno) if own else (task.get_coro().__qualname__, 0)
            )
            self._where[task] = where
            node.update(coroutine=where[0], line=where[1], state="pending")
            node["awaits"] = _awaits(task, frames)
            if (deadline := _timeout(frames)) is not None:
                node["timeout"] = deadline
        node["children"] = [self._node(child, children, final) for child in children.get(task, [])]
        return node


@contextlib.contextmanager
def sampling(send: Send) -> Iterator[Callable[[bool], None]]:
    """Sample the tasks of the run in this block; call the given `ended(ok)` as it ends.

    The final tree shows the run's own task done if `ended(True)`, failed if
    `ended(False)`, and cancelled if the block ended before either (the run was stopped).
    """
    sampler = Sampler(send)
    token = _RUN.set(sampler.run)
    outcome: list[TaskState] = ["cancelled"]
    sampler.start()
    try:
        yield lambda ok: outcome.__setitem__(0, "done" if ok else "failed")
    finally:
        sampler.stop(outcome[0])
        _RUN.reset(token)
