import asyncio

in_flight = 0
peak = 0


async def call_api(name, seconds):
    """Stands in for an HTTP call made with an async client such as httpx.AsyncClient."""
    global in_flight, peak
    in_flight += 1
    peak = max(peak, in_flight)
    await asyncio.sleep(seconds)
    in_flight -= 1
    return f"{name}: ok"


calls = [("weather", 0.03), ("exchange-rate", 0.01), ("shipping", 0.02)]

peak = 0
one_by_one = [await call_api(name, s) for name, s in calls]
print("one by one:", one_by_one, "| calls waiting at once:", peak)

peak = 0
together = await asyncio.gather(*(call_api(name, s) for name, s in calls))
print("gather:    ", together, "| calls waiting at once:", peak)
