import asyncio
import time


async def view(name, seconds):
    await asyncio.sleep(seconds)
    print(f"{name}: answered")


async def report_view():
    await asyncio.sleep(0.1)
    time.sleep(1)  # a sync call inside async def: the whole event loop stops here
    print("report: answered, after holding the event loop for 1 s")


await asyncio.gather(
    asyncio.create_task(view("profile", 0.3), name="profile"),
    asyncio.create_task(view("orders", 0.4), name="orders"),
    asyncio.create_task(report_view(), name="report"),
)
