"""Views on PostgreSQL: a query that holds its connection for ?ms=N, and a read of orders."""

import os
import threading

from asgiref.sync import sync_to_async
from demo.views import MAX_MS, read_int
from django.db import connection
from django.http import JsonResponse

from shop.models import Order

MAX_ORDERS = 200
NO_DATABASE = (
    "no database configured: start the server with "
    "DATABASE_URL=postgres://user@host:port/name to use the /db/ views"
)


def has_database():
    """Whether DATABASE_URL named one: else Django stands its dummy backend in."""
    # Not settings.DATABASES: Django fills the empty dict with the dummy backend on first use.
    return connection.settings_dict["ENGINE"] != "django.db.backends.dummy"


def no_database():
    """503: the project runs without a database unless DATABASE_URL names one."""
    return JsonResponse({"error": "no_database", "message": NO_DATABASE}, status=503)


def hold_connection(ms):
    """Keep this thread's connection busy for ms in PostgreSQL; return its backend pid."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), pg_sleep(%s)", [ms / 1000])
        return cursor.fetchone()[0]


def orders_of_first_customer():
    return Order.objects.filter(customer__email="customer1@example.com")


def served(view, ms, orders, backend_pid):
    """Who served the view: process, thread, and the PostgreSQL connection it held."""
    return JsonResponse(
        {
            "view": view,
            "ms": ms,
            "orders": orders,
            "pid": os.getpid(),
            "thread": threading.current_thread().name,
            "backend_pid": backend_pid,
        }
    )


def db_sync(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    if not has_database():
        return no_database()
    orders = orders_of_first_customer().count()
    return served("db/sync", ms, orders, hold_connection(ms))


async def db_async(request):
    ms, error = read_int(request, "ms", 100, MAX_MS)
    if error:
        return error
    if not has_database():
        return no_database()
    orders = await orders_of_first_customer().acount()
    # Django 6.1 has no async cursor: acount() itself is sync_to_async(count), and a raw
    # query takes the same hop, onto the thread (and connection) acount() used.
    backend_pid = await sync_to_async(hold_connection)(ms)
    return served("db/async", ms, orders, backend_pid)


def db_orders(request):
    limit, error = read_int(request, "limit", 20, MAX_ORDERS)
    if error:
        return error
    if not has_database():
        return no_database()
    # Two queries whatever the limit: orders joined with their customer, then all their lines.
    orders = (Order.objects.select_related("customer").prefetch_related("lines").order_by("id"))[
        :limit
    ]
    return JsonResponse(
        {
            "orders": [
                {
                    "id": order.id,
                    "customer": {"name": order.customer.name, "email": order.customer.email},
                    "created": order.created.isoformat(),
                    "status": order.status,
                    "lines": [
                        {
                            "product": line.product,
                            "quantity": line.quantity,
                            "unit_price": str(line.unit_price),
                        }
                        for line in order.lines.all()
                    ],
                }
                for order in orders
            ],
            "pid": os.getpid(),
            "thread": threading.current_thread().name,
        }
    )
