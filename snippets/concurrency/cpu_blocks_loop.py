import asyncio

ticks = 0


async def heartbeat():
    """Another request on the same event loop: it only runs when the loop gets control."""
    global ticks
    while True:
        ticks += 1
        await asyncio.sleep(0)


async def compute(steps, yield_every=None):
    total = 0
    for i in range(steps):
        total += i * i  # pure Python work: holds the GIL and never awaits
        if yield_every and i % yield_every == 0:
            await asyncio.sleep(0)  # hand control back to the loop now and then
    return total


beat = asyncio.create_task(heartbeat())
for label, yield_every in (("never yields", None), ("yields every 10,000 steps", 10_000)):
    await asyncio.sleep(0)
    ticks = 0
    await compute(100_000, yield_every)
    print(f"{label}: other task ran during the computation: {ticks > 0}")
beat.cancel()
await asyncio.gather(beat, return_exceptions=True)
