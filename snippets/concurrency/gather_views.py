import asyncio


async def view(name, seconds):
    """An async Django view that waits `seconds` on the database or another service."""
    await asyncio.sleep(seconds)
    return f"{name}: answered after {seconds} s"


# Each view runs as a task with a name, so that the await tree beside the output says which.
views = [("profile", 0.3), ("orders", 0.5), ("recommendations", 0.7)]
tasks = [asyncio.create_task(view(name, seconds), name=name) for name, seconds in views]
for line in await asyncio.gather(*tasks):
    print(line)
