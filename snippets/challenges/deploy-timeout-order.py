import asyncio
import time


async def report(request):
    """A view: a blocking step, then an awaited one."""
    time.sleep(0.05)  # a sync client call: nothing can interrupt it
    print("blocking step done")
    await asyncio.sleep(0.05)  # an async call: the timeout can cancel it here
    print("awaited step done")
    return "200 OK"


async def with_timeout(view, request):
    """What a view-timeout middleware does: answer 504 once the view runs too long."""
    try:
        async with asyncio.timeout(0.01):
            return await view(request)
    except TimeoutError:
        return "504 Gateway Timeout"


print(await with_timeout(report, "GET /report/"))
