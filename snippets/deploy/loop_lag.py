import asyncio
import time

INTERVAL_S = 0.01  # how often the probe asks to wake up
ALERT_S = 0.1  # asyncio debug mode's slow_callback_duration is 0.1 s too


async def watch_loop_lag(worst: list[float]):
    """Sleep INTERVAL_S again and again; every wake-up that comes late measures the loop's lag.

    Nothing else is needed: a callback that holds the loop delays this probe by as long.
    In production, report worst[0] to your metrics every minute, then reset it.
    """
    loop = asyncio.get_running_loop()
    while True:
        asked = loop.time() + INTERVAL_S
        await asyncio.sleep(INTERVAL_S)
        worst[0] = max(worst[0], loop.time() - asked)


async def polite_view():
    await asyncio.sleep(0.05)  # waits on the loop: other tasks run meanwhile


async def blocking_view():
    time.sleep(0.2)  # blocks the loop: every other task of the process waits


for view in (polite_view, blocking_view):
    worst = [0.0]
    probe = asyncio.ensure_future(watch_loop_lag(worst))
    await asyncio.sleep(INTERVAL_S)  # let the probe start
    await view()
    await asyncio.sleep(2 * INTERVAL_S)  # let it wake up once after the view
    probe.cancel()
    print(f"{view.__name__}: loop lag above {ALERT_S * 1000:.0f} ms: {worst[0] > ALERT_S}")
