import asyncio
import time

log = []


async def polite(name):
    log.append(f"{name} starts waiting")
    await asyncio.sleep(0.01)  # gives the event loop back while waiting
    log.append(f"{name} done")


async def rude(name):
    log.append(f"{name} starts waiting")
    time.sleep(0.01)  # blocks the whole event loop
    log.append(f"{name} done")


for view in (polite, rude):
    log.clear()
    await asyncio.gather(view("A"), view("B"), view("C"))
    print(f"{view.__name__}: " + " | ".join(log))
