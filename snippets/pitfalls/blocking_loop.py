import asyncio
import time


async def view_await(name, ms):
    print(f"  {name} start")
    await asyncio.sleep(ms / 1000)  # gives the event loop back while waiting
    print(f"  {name} done")


async def view_blocking(name, ms):
    print(f"  {name} start")
    time.sleep(ms / 1000)  # like requests.get(): the whole loop stops here
    print(f"  {name} done")


async def view_no_await(name, ms):
    print(f"  {name} start")
    total = sum(range(ms * 20_000))  # async def, but never awaits: same as blocking
    print(f"  {name} done")
    return total


for view in (view_await, view_blocking, view_no_await):
    print(f"{view.__name__}: A waits 30 ms, B waits 10 ms, both arrive together")
    await asyncio.gather(view("A", 30), view("B", 10))
