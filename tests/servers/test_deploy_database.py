"""The database settings deploy.md shows reach PostgreSQL, on the throwaway server.

Its pool and its statement_timeout are read back from a Django connection built from the
shown DATABASES entry, with only the address changed to the throwaway server's.
"""

import django
import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from harness.paths import SNIPPETS
from harness.postgres import DATABASE, HOST, ROLE
from harness.snippet_files import assigned_by

ALIAS = "deploy"  # Django keeps pools per alias for the whole process: not "default"


def shown_database() -> dict:
    """The shown DATABASES["default"], pointed at the throwaway server by the fixture."""
    return assigned_by(SNIPPETS / "deploy" / "database_settings.txt")["DATABASES"]["default"]


@pytest.fixture
def connect(postgres, django_settings):
    """Factory: a Django connection with the shown settings, OPTIONS changed as asked."""
    django.setup()  # apps ready: a query now is a request's, not app initialisation's
    opened = []

    def connect_with(**options):
        database = shown_database()
        database.update(NAME=DATABASE, USER=ROLE, HOST=HOST, PORT=postgres.port)
        database["OPTIONS"].update(options)
        databases = {"default": {"ENGINE": "django.db.backends.dummy"}, ALIAS: database}
        connection = ConnectionHandler(databases)[ALIAS]
        opened.append(connection)
        return connection

    yield connect_with
    for connection in opened:
        connection.close()
        connection.close_pool()


def test_the_shown_statement_timeout_is_the_sessions(connect):
    with connect().cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)


def test_a_statement_past_its_timeout_reaches_the_view_as_operational_error(connect):
    connection = connect(options="-c statement_timeout=50ms")  # the shown form, shorter
    cancelled = pytest.raises(
        OperationalError, match="canceling statement due to statement timeout"
    )
    with cancelled, connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")


def test_the_shown_pool_reports_its_size_and_its_waits(connect):
    connection = connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    stats = connection.pool.get_stats()
    assert (stats["pool_min"], stats["pool_max"]) == (2, 8)
    assert stats["requests_num"] == 1  # what deploy.md#monitoring reads, with requests_wait_ms
