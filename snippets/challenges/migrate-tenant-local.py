import asyncio
import contextvars
import threading

# Where a middleware keeps "the current tenant" for code deeper down.
tenant_thread = threading.local()
tenant_context = contextvars.ContextVar("tenant")


async def request(tenant, query_s):
    """One request on the event loop: the middleware stores the tenant, the view awaits."""
    tenant_thread.name = tenant
    tenant_context.set(tenant)
    await asyncio.sleep(query_s)  # the view awaits; other requests run meanwhile
    print(f"{tenant}: threading.local={tenant_thread.name}, ContextVar={tenant_context.get()}")


# Three requests in flight at once, started in the order a, b, c.
await asyncio.gather(request("a", 0.03), request("b", 0.01), request("c", 0.02))
