import asyncio
import contextvars
import threading

from asgiref.local import Local
from asgiref.sync import sync_to_async

# Three ways a middleware might remember "the current user" for code deeper down.
per_thread = threading.local()
per_context = contextvars.ContextVar("user")
per_asgiref = Local()


async def request(user, pause):
    """One request on the event loop: the middleware stores the user, the view reads it."""
    per_thread.user = user
    per_context.set(user)
    per_asgiref.user = user
    await asyncio.sleep(pause)  # the view awaits; the other request runs meanwhile
    seen = (per_thread.user, per_context.get(), per_asgiref.user)
    print(f"  request of {user}: threading.local={seen[0]}, ContextVar={seen[1]},", end=" ")
    print(f"asgiref Local={seen[2]}")


def legacy_helper():
    print(f"  sync helper sees: ContextVar={per_context.get()}, asgiref Local={per_asgiref.user}")
    per_context.set("carol, checked")
    per_asgiref.user = "carol, checked"


async def main():
    # Two requests in flight at once, on the one thread of the event loop. Each task
    # runs in a copy of the context, so a ContextVar (and asgiref's Local, which is
    # built on one) stays per request; threading.local is per thread, shared by both.
    print("Two requests, one event loop thread:")
    await asyncio.gather(request("alice", 0.02), request("bob", 0.01))

    # A sync helper called through sync_to_async runs in a copy of the caller's
    # context (on a thread of its own under a real server), and asgiref copies its
    # changes back: both context-based stores cross the hop, in both directions.
    print("Across sync_to_async:")
    per_context.set("carol")
    per_asgiref.user = "carol"
    await sync_to_async(legacy_helper)()
    print(f"  back in async code: ContextVar={per_context.get()}, asgiref Local={per_asgiref.user}")


await main()
