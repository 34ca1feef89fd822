import serverlab

# 10 requests arrive at once; each view waits 100 ms on I/O. One Uvicorn worker.
for view in ("async-io", "async-blocking", "sync-io"):
    result = serverlab.simulate(server="uvicorn", view=view, requests=10, ms=100)
    print(f"{view:>14}: all 10 answered after {result.summary.makespan_ms:g} ms")
