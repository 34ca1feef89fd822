import asyncio

from asgiref.sync import ThreadSensitiveContext, sync_to_async


def fetch_rates():
    """Stands in for a blocking call of a sync-only library, such as requests.get()."""
    return "rates"


def fetch_stock():
    return "stock"


# Watch where asgiref hands each call: sync_to_async and asyncio.to_thread both end in
# loop.run_in_executor(executor, ...), and the executor decides which thread runs it.
loop = asyncio.get_running_loop()
handed_to = []
real_run_in_executor = loop.run_in_executor


def spy(executor, func, *args):
    handed_to.append(executor)
    return real_run_in_executor(executor, func, *args)


def describe(executor):
    if executor is None:
        return "the loop's default executor (a pool shared by the whole process)"
    return f"an executor of {executor._max_workers} thread"


async def request(label, make_calls):
    """One request as Django's ASGIHandler runs it: inside a ThreadSensitiveContext."""
    handed_to.clear()
    try:
        async with ThreadSensitiveContext():
            await asyncio.gather(*make_calls())
    except RuntimeError as error:
        # Browser only: leaving the context starts a thread to shut its executor down,
        # and Pyodide has no threads.
        if "can't start new thread" not in str(error):
            raise
    first, second = handed_to
    print(label)
    print("  fetch_rates ->", describe(first))
    print("  fetch_stock ->", describe(second))
    if first is not None and first is second:
        print("  one executor, one thread: fetch_stock waits until fetch_rates is done")


loop.run_in_executor = spy
try:
    await request(
        "sync_to_async (thread_sensitive=True, the default):",
        lambda: (sync_to_async(fetch_rates)(), sync_to_async(fetch_stock)()),
    )
    await request(
        "sync_to_async(..., thread_sensitive=False):",
        lambda: (
            sync_to_async(fetch_rates, thread_sensitive=False)(),
            sync_to_async(fetch_stock, thread_sensitive=False)(),
        ),
    )
    await request(
        "asyncio.to_thread:",
        lambda: (asyncio.to_thread(fetch_rates), asyncio.to_thread(fetch_stock)),
    )
finally:
    loop.run_in_executor = real_run_in_executor
