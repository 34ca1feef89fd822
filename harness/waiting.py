"""Waiting for a condition instead of sleeping and hoping."""

import time
from collections.abc import Callable


def wait_until[T](
    condition: Callable[[], T], seconds: float = 10.0, explain: Callable[[], str] | None = None
) -> T:
    """Poll `condition` until it returns something true; return it, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(
                explain() if explain else f"still false after {seconds} s: {condition}"
            )
        time.sleep(0.02)
    return value
