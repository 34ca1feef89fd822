import sys
import types

import django
from django.conf import settings
from django.conf.global_settings import TASKS as DJANGO_DEFAULT
from django.tasks import task
from django.test import override_settings

if not settings.configured:
    settings.configure()
    django.setup()

outbox = []


def send_receipt(order_id):
    outbox.append(order_id)  # stands for the slow part: an e-mail, a PDF, an API call
    return f"receipt {order_id} sent"


# A backend finds a task again by its import path, so it must live in a module: in a
# project, shop/tasks.py with @task above the function. Here, a module built in memory.
sys.modules["shop_tasks"] = types.ModuleType("shop_tasks")
send_receipt.__module__ = "shop_tasks"
send_receipt = sys.modules["shop_tasks"].send_receipt = task(send_receipt)


print("Django's default TASKS:", DJANGO_DEFAULT["default"]["BACKEND"])
BACKENDS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "dummy": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
}
with override_settings(TASKS=BACKENDS):
    result = send_receipt.enqueue(41)
    # The task already ran, inside enqueue(), in the caller's thread: in a view,
    # inside the request, which waits for it.
    print("ImmediateBackend:", result.status, repr(result.return_value), "outbox:", outbox)

    result = send_receipt.using(backend="dummy").enqueue(42)
    # Stored and never run: no worker will ever pick it up.
    print("DummyBackend:    ", result.status, "outbox:", outbox)
