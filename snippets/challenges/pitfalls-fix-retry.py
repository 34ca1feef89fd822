import asyncio
import time

attempts = []


async def call_payment_api():
    """Stands in for an HTTP call that fails the first time and succeeds the second."""
    attempts.append(len(attempts) + 1)
    await asyncio.sleep(0.05)
    return "ok" if len(attempts) % 2 == 0 else "busy"


async def checkout():
    """The view: retries the payment API once, after a pause of 0.15 seconds."""
    answer = await call_payment_api()
    if answer == "busy":
        time.sleep(0.15)  # back off before the retry
        answer = await call_payment_api()
    return answer


print(await checkout())
