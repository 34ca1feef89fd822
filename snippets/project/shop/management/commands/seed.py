"""manage.py seed: the same customers, orders and lines on every run (a fixed random seed)."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.models import Customer, Order, OrderLine

PRODUCTS = ("cà phê", "trà", "bánh mì", "phở", "notebook", "pen", "mug", "T-shirt")
START = datetime(2026, 1, 1, tzinfo=UTC)


class Command(BaseCommand):
    help = "Fill the shop with deterministic customers, orders and order lines."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=50)
        parser.add_argument("--orders-per-customer", type=int, default=4)
        parser.add_argument("--reset", action="store_true", help="delete the shop's rows first")

    @transaction.atomic
    def handle(self, *args, customers, orders_per_customer, reset, **options):
        if reset:
            Customer.objects.all().delete()  # cascades to orders and their lines
        elif Customer.objects.exists():
            count = Customer.objects.count()
            self.stdout.write(f"already seeded: {count} customers (--reset to start over)")
            return
        rng = random.Random(12)
        people = Customer.objects.bulk_create(
            Customer(name=f"Customer {n}", email=f"customer{n}@example.com")
            for n in range(1, customers + 1)
        )
        orders = Order.objects.bulk_create(
            Order(
                customer=person,
                created=START + timedelta(hours=rng.randrange(24 * 365)),
                status=rng.choice(Order.Status.values),
            )
            for person in people
            for _ in range(orders_per_customer)
        )
        lines = OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=rng.choice(PRODUCTS),
                quantity=rng.randint(1, 5),
                unit_price=Decimal(rng.randrange(100, 10_000)) / 100,
            )
            for order in orders
            for _ in range(rng.randint(1, 4))
        )
        self.stdout.write(
            f"seeded {len(people)} customers, {len(orders)} orders, {len(lines)} lines"
        )
