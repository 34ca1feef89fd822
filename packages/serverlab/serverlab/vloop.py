"""An asyncio event loop on virtual time: no sockets, no threads, idling advances the clock."""

import asyncio
import asyncio.events

from serverlab.errors import LabError
from serverlab.vclock import VirtualClock

MAX_TICKS = 100_000  # loop iterations per request; catches `while True: await sleep(0)`


class _VirtualSelector:
    """Stands in for a selector: 'waiting for I/O' just moves virtual time to the next timer."""

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock

    def select(self, timeout: float | None) -> list:
        if timeout is None:  # nothing ready and no timer: a real loop would wait forever
            raise LabError(
                "the async view awaits something that never finishes"
                " (only timers such as asyncio.sleep exist in the lab)"
            )
        self._clock.wait(round(timeout * 1_000_000))
        return []

    def close(self) -> None:
        pass


class VirtualLoop(asyncio.BaseEventLoop):
    """BaseEventLoop with a virtual clock; works where socketpair and threads do not (Pyodide)."""

    def __init__(self, clock: VirtualClock) -> None:
        super().__init__()
        self._clock = clock
        self._selector = _VirtualSelector(clock)
        # Half a microsecond absorbs float rounding of timer deadlines, never a real tick.
        self._clock_resolution = 5e-7
        self._ticks = 0

    def time(self) -> float:
        return self._clock.now_us / 1_000_000

    def _run_once(self) -> None:
        self._ticks += 1
        if self._ticks > MAX_TICKS:
            raise LabError(
                f"the async view kept the event loop spinning for {MAX_TICKS} iterations"
                " without virtual time moving"
            )
        super()._run_once()

    def _process_events(self, event_list: list) -> None:
        pass

    def _write_to_self(self) -> None:
        pass

    def run_in_executor(self, executor, func, *args):
        raise LabError(
            "run_in_executor / asyncio.to_thread is not modelled; write a sync view instead"
        )


def run_coroutine(coro_factory, clock: VirtualClock) -> None:
    """Run `coro_factory()` to completion on a fresh VirtualLoop, even inside a running loop."""
    loop = VirtualLoop(clock)
    # Pyodide and notebooks already run a loop, and since 3.14 the running task is tracked
    # per thread; ours runs synchronously inside that task, so step out of both meanwhile.
    outer = asyncio.events._get_running_loop()
    outer_task = asyncio.current_task(outer) if outer is not None else None
    if outer_task is not None:
        asyncio.tasks._leave_task(outer, outer_task)
    asyncio.events._set_running_loop(None)
    try:
        loop.run_until_complete(coro_factory())
    finally:
        clock.recording = False  # cleanup after the response is not part of the request
        leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in leftovers:
            task.cancel()
        try:
            if leftovers:
                loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
        finally:
            loop.close()
            asyncio.events._set_running_loop(outer)
            if outer_task is not None:
                asyncio.tasks._enter_task(outer, outer_task)
