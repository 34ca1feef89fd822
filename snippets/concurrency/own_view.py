import asyncio
import time

import serverlab


# Your own view: edit it and run again. Two awaited calls at once, then a blocking one.
async def view(request):
    await asyncio.gather(asyncio.sleep(0.05), asyncio.sleep(0.05))
    time.sleep(0.01)


result = serverlab.simulate(server="uvicorn", view=view, requests=5)
serverlab.show(result)
