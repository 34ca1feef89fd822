import sys
import types

import django
from django.conf import settings
from django.tasks import task
from django.test import override_settings

if not settings.configured:
    settings.configure()
    django.setup()


def send_invoice(order_id):
    print(f"  task: invoice {order_id} rendered and sent")
    return order_id


# A backend finds a task by its import path, so it lives in a module built in memory.
sys.modules["shop_tasks"] = types.ModuleType("shop_tasks")
send_invoice.__module__ = "shop_tasks"
send_invoice = sys.modules["shop_tasks"].send_invoice = task(send_invoice)


def checkout(order_id):
    """A sync view: it saves the order and hands the invoice to a task."""
    print("view: order saved")
    result = send_invoice.enqueue(order_id)
    print(f"view: enqueue() returned, task {result.status}")
    return "200 OK"


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
with override_settings(TASKS=IMMEDIATE):
    print(checkout(7))
