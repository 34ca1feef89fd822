import asyncio
import time


async def view(name, wait):
    print(f"{name} starts, waits {wait * 1000:.0f} ms for I/O")
    await asyncio.sleep(wait)  # gives the event loop back while waiting
    print(f"{name} done")


async def blocking_view(name, wait):
    print(f"{name} starts, blocks {wait * 1000:.0f} ms")
    time.sleep(wait)  # never gives the loop back: every other task is frozen
    print(f"{name} done")


print("Three async views on one event loop (one thread):")
await asyncio.gather(view("A", 0.03), view("B", 0.01), view("C", 0.02))

print("The same with a blocking call inside async def:")
await asyncio.gather(blocking_view("A", 0.03), view("B", 0.01), view("C", 0.02))
