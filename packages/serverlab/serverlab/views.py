"""Views: the built-in kinds and running any view callable into a trace on virtual time."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from serverlab import vclock
from serverlab.errors import LabError
from serverlab.model import CPU, DB, HOLD, IO, Trace
from serverlab.vloop import run_coroutine

# The code each built-in kind stands for; {seconds} and {ms} are filled in.
VIEW_SOURCES = {
    "sync-io": "def view(request):\n    time.sleep({seconds})\n",
    "async-io": "async def view(request):\n    await asyncio.sleep({seconds})\n",
    "async-blocking": "async def view(request):\n    time.sleep({seconds})  # blocks the loop\n",
    "sync-cpu": "def view(request):\n    cpu({ms})\n",
    "async-cpu": "async def view(request):\n    cpu({ms})  # holds the loop and the GIL\n",
    "sync-db": "def view(request):\n"
    "    orders = list(Order.objects.all()[:10])  # takes a connection\n"
    "    with connection.cursor() as cursor:  # the same connection\n"
    '        cursor.execute("SELECT pg_sleep(%s)", [{seconds}])\n',
    "async-db": "async def view(request):\n"
    "    def query():\n"
    "        orders = list(Order.objects.all()[:10])\n"
    "        with connection.cursor() as cursor:\n"
    '            cursor.execute("SELECT pg_sleep(%s)", [{seconds}])\n'
    "\n"
    "    # what the async ORM does: one sync_to_async hop to the request's thread\n"
    "    await sync_to_async(query)()\n",
}
VIEW_KINDS = tuple(VIEW_SOURCES)

# (is_async, step kind) of each built-in kind, equal to what running its source records.
_BUILTIN = {
    "sync-io": (False, IO),
    "async-io": (True, IO),
    "async-blocking": (True, HOLD),
    "sync-cpu": (False, CPU),
    "async-cpu": (True, CPU),
    "sync-db": (False, DB),
    "async-db": (True, DB),
}


@dataclass(frozen=True, slots=True)
class LabRequest:
    """The `request` a view receives: just enough of Django's HttpRequest to tell calls apart."""

    id: int
    path: str = "/"
    method: str = "GET"
    GET: dict[str, str] = field(default_factory=dict)


def view_source(kind: str, ms: float) -> str:
    """The Python source a built-in view kind stands for."""
    return VIEW_SOURCES[kind].format(seconds=_short(ms / 1000), ms=_short(ms))


def _short(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def builtin_trace(kind: str, ms: float) -> Trace:
    """The trace of a built-in kind, without running anything."""
    is_async, step = _BUILTIN[kind]
    us = round(ms * 1000)
    # A query takes its connection however short it is.
    return Trace(is_async, ((step, us),) if us > 0 or step == DB else ())


def is_async_view(view: Callable) -> bool:
    """True for `async def` views, the test Django itself applies."""
    return inspect.iscoroutinefunction(view)


def trace_view(view: Callable, request: LabRequest) -> Trace:
    """Call `view(request)` on virtual time (time module must be patched) and return its trace."""
    is_async = is_async_view(view)
    clock = vclock.VirtualClock(in_async=is_async)
    try:
        with vclock.running(clock):
            if is_async:
                run_coroutine(lambda: view(request), clock)
            else:
                returned = view(request)
                if inspect.iscoroutine(returned):
                    returned.close()
                    raise LabError("the view returned a coroutine; declare it with `async def`")
    except LabError:
        raise
    except Exception as exc:
        name = getattr(view, "__name__", type(view).__name__)
        raise LabError(f"the view {name}() raised {type(exc).__name__}: {exc}") from exc
    return Trace(is_async, tuple(clock.steps))
