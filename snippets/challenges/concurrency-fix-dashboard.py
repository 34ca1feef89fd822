import asyncio


async def fetch(name):
    """Stands in for a call to another service: it waits 0.2 seconds."""
    await asyncio.sleep(0.2)
    return name


async def dashboard():
    """The view: three calls that do not depend on one another."""
    user = await fetch("user")
    orders = await fetch("orders")
    stock = await fetch("stock")
    return [user, orders, stock]


print(await dashboard())
