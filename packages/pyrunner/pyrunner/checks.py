"""The checks of "fix the view" challenges: run the reader's view again, watch how it waits.

A check runs after the reader's code, in the same namespace, and returns a verdict as data:
whether it passed and why, in both languages (the page shows its own). Each check calls the
view the challenge names, so it judges what the code does, not how it is written.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypedDict

# How long the loop may go without running other tasks before the check calls it blocked:
# far above the scheduling delay of a loop on a busy phone or test machine (tens of ms at
# worst), below the blocking waits the challenges' starters make (0.15 s and more).
BLOCKED_S = 0.1
TICK_S = 0.005  # how often the watching task asks to run


class Verdict(TypedDict):
    """A check's answer: passed or not, and the reason in each language."""

    passed: bool
    messages: dict[str, str]


def _vi(seconds: float, digits: int = 1) -> str:
    """A figure as Vietnamese writes it, with a decimal comma: 0,6."""
    return f"{seconds:.{digits}f}".replace(".", ",")


def _verdict(passed: bool, vi: str, en: str) -> Verdict:
    return {"passed": passed, "messages": {"vi": vi, "en": en}}


def _missing(namespace: dict, names: tuple[str, ...]) -> Verdict | None:
    """A failing verdict if the code no longer defines the functions the check calls."""
    absent = [name for name in names if not callable(namespace.get(name))]
    if not absent:
        return None
    listed = ", ".join(f"`{name}`" for name in absent)
    return _verdict(
        False,
        f"Không tìm thấy {listed}: hãy giữ tên hàm như đề bài, vì phần kiểm tra gọi đúng tên đó.",
        f"{listed} not found: keep the function names the challenge gives, the check calls them.",
    )


async def waits_overlap(namespace: dict, view: str, call: str, expected: list[Any]) -> Verdict:
    """Pass when `view()` still returns `expected` and all its calls to `call` wait at once."""
    if failed := _missing(namespace, (view, call)):
        return failed
    original: Callable[..., Awaitable[Any]] = namespace[call]
    waiting, peak, calls = 0, 0, 0

    async def watched(*args, **kwargs):
        nonlocal waiting, peak, calls
        calls += 1
        waiting += 1
        peak = max(peak, waiting)
        try:
            return await original(*args, **kwargs)
        finally:
            waiting -= 1

    namespace[call] = watched
    started = time.perf_counter()
    try:
        result = await namespace[view]()
    finally:
        namespace[call] = original
    seconds = time.perf_counter() - started
    if result != expected:
        return _verdict(
            False,
            f"`{view}()` phải trả về {expected!r} như cũ, nhưng lại trả về {result!r}.",
            f"`{view}()` must still return {expected!r}, but it returned {result!r}.",
        )
    if calls != len(expected):
        return _verdict(
            False,
            f"`{view}()` phải gọi `{call}` {len(expected)} lần như cũ, nhưng đã gọi {calls} lần.",
            f"`{view}()` must still call `{call}` {len(expected)} times; it called it {calls}.",
        )
    if peak < calls:
        return _verdict(
            False,
            f"Các lần chờ vẫn nối đuôi nhau (tối đa {peak} lần chờ cùng lúc), "
            f"mất {_vi(seconds)} s. Hãy cho chúng bắt đầu cùng lúc.",
            f"The waits still ran one after another (at most {peak} at once) and took "
            f"{seconds:.1f} s. Start them together.",
        )
    return _verdict(
        True,
        f"Cả {calls} lần chờ đã chồng lên nhau: `{view}()` chỉ mất {_vi(seconds)} s.",
        f"All {calls} waits overlapped: `{view}()` took only {seconds:.1f} s.",
    )


async def longest_block(awaitable: Awaitable[Any]) -> tuple[float, float]:
    """Await `awaitable` beside a task that asks to run every TICK_S: the longest time that
    task waited for its turn (the loop was blocked), and how long the awaitable took."""
    longest, last, running = 0.0, time.perf_counter(), True

    async def heartbeat():
        nonlocal longest, last
        while running:
            await asyncio.sleep(TICK_S)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now

    beat = asyncio.ensure_future(heartbeat())
    await asyncio.sleep(0)  # the heartbeat's first turn, before the view starts
    started = time.perf_counter()
    try:
        await awaitable
    finally:
        running = False
        await beat
    return longest, time.perf_counter() - started


async def loop_stays_free(namespace: dict, view: str, wait_s: float) -> Verdict:
    """Pass when `view()` still waits about `wait_s` seconds without blocking the event loop."""
    if failed := _missing(namespace, (view,)):
        return failed
    longest, seconds = await longest_block(namespace[view]())
    if longest > BLOCKED_S:
        return _verdict(
            False,
            f"Event loop bị chặn {_vi(longest, 2)} s liền: "
            "trong lúc đó không task nào khác chạy được.",
            f"The event loop was blocked for {longest:.2f} s in one go: no other task could run.",
        )
    if seconds < wait_s * 0.8:
        return _verdict(
            False,
            f"`{view}()` chỉ mất {_vi(seconds, 2)} s: "
            f"nó vẫn phải chờ khoảng {_vi(wait_s, 2)} s như cũ.",
            f"`{view}()` took only {seconds:.2f} s: it must still wait about {wait_s} s.",
        )
    return _verdict(
        True,
        f"`{view}()` vẫn chờ {_vi(seconds)} s, nhưng event loop không bị chặn lúc nào.",
        f"`{view}()` still waits {seconds:.1f} s, and the event loop was never blocked.",
    )


CHECKS: dict[str, Callable[..., Awaitable[Verdict]]] = {
    "waits-overlap": waits_overlap,
    "loop-stays-free": loop_stays_free,
}


async def verify(namespace: dict, name: str, arguments: dict[str, Any]) -> Verdict:
    """Run the check `name` with the challenge's arguments; an unknown name is a fault.

    The reader's view may raise: that fails the check, with the error's own words.
    """
    try:
        return await CHECKS[name](namespace, **arguments)
    except Exception as error:  # the reader's code, whatever it raises
        words = f"{type(error).__name__}: {error}"
        return _verdict(False, f"Khi kiểm tra, code báo lỗi {words}", f"The check hit {words}")
