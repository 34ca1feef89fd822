import asyncio
import time


async def view(name):
    print(f"{name} starts")
    await asyncio.sleep(0.01)  # gives the loop back for 10 ms
    print(f"{name} done")


async def blocking_view(name):
    print(f"{name} starts, blocks the loop")
    time.sleep(0.05)  # holds the loop's thread for 50 ms
    print(f"{name} done")


await asyncio.gather(view("A"), blocking_view("B"), view("C"))
