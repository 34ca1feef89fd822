import asyncio


async def fetch(name):
    """Stands in for a call to another service: it waits 0.2 seconds."""
    await asyncio.sleep(0.2)
    return name


async def dashboard():
    """The view: the three calls start together and are awaited together."""
    return await asyncio.gather(fetch("user"), fetch("orders"), fetch("stock"))


print(await dashboard())
