import asyncio

TIMEOUT = 0.6  # seconds the view gives each service


async def call(service, seconds):
    """Stands in for a request to another service, made with httpx.AsyncClient say."""
    await asyncio.sleep(seconds)
    return f"{service}: ok"


async def fetch(service, seconds):
    call_task = asyncio.create_task(call(service, seconds), name=service)
    try:
        return await asyncio.wait_for(call_task, TIMEOUT)
    except TimeoutError:
        return f"{service}: no answer within {TIMEOUT} s, cancelled: {call_task.cancelled()}"


async def dashboard_view():
    """One request that asks three services at once and answers with what came in time."""
    return await asyncio.gather(fetch("users", 0.3), fetch("orders", 0.4), fetch("search", 2))


for part in await dashboard_view():
    print(part)
