# Three requests; each computes 10 ms, waits 100 ms on the database, computes 10 ms.
# Time here is virtual (a counter), so the output is the same on every run.
def handle(name):
    yield ("cpu", 10)
    yield ("io", 100)  # like `await` in a coroutine: "wake me when the data is here"
    yield ("cpu", 10)


def one_at_a_time(names):
    """A worker that serves a request from start to finish (a sync worker, one thread)."""
    clock = 0
    for name in names:
        for _kind, ms in handle(name):
            clock += ms  # waiting on I/O still occupies this worker
        print(f"  t={clock:3} ms  {name} done")


def event_loop(names):
    """One thread that switches to another request whenever one waits on I/O."""
    clock, ready, waiting = 0, [(n, handle(n)) for n in names], []
    while ready or waiting:
        waiting.sort(key=lambda w: w[0])
        if not ready:  # everybody waits: the clock jumps to the next I/O completion
            clock = max(clock, waiting[0][0])
        while waiting and waiting[0][0] <= clock:
            ready.append(waiting.pop(0)[1:])
        name, task = ready.pop(0)
        for kind, ms in task:
            if kind == "io":
                waiting.append((clock + ms, name, task))
                break
            clock += ms  # CPU work holds the only thread: nobody else runs now
        else:
            print(f"  t={clock:3} ms  {name} done")


print("One request at a time:")
one_at_a_time(["A", "B", "C"])
print("Event loop, switching at each wait:")
event_loop(["A", "B", "C"])
