import django
from django.conf import settings
from django.core.exceptions import SynchronousOnlyOperation
from django.utils.asyncio import async_unsafe

if not settings.configured:
    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    django.setup()

from django.db import connection


@async_unsafe  # the same guard Django puts on the ORM's connection methods
def load_profile(user_id):
    return {"id": user_id}


def helper():
    """A plain sync function; who calls it decides whether it is safe."""
    return connection.cursor()


async def profile_view():
    calls = {
        "load_profile(1)": lambda: load_profile(1),
        "connection.cursor()": connection.cursor,  # every ORM query starts here
        "helper()": helper,
    }
    for name, call in calls.items():
        try:
            call()
        except SynchronousOnlyOperation as error:
            print(f"{name} -> SynchronousOnlyOperation: {error}")


await profile_view()
