"""The server lab's predicted makespan (and failed requests) match real servers and PostgreSQL."""

import pytest
import serverlab

from benchmarks.matrix import racy_range, scenario, scenario_id
from harness.scenarios import fastest_run, simulate_kwargs

pytestmark = pytest.mark.servers

TOLERANCE = 0.25


# I/O scenarios: the lab and the machine must agree within 25 %.
SCENARIOS = [
    scenario("gunicorn-sync", "sync-io", workers=2, requests=6, ms=200, threads=1),
    scenario("gunicorn-sync", "async-io", workers=1, requests=4, ms=150, threads=1),
    scenario("gunicorn-gthread", "sync-io", workers=1, requests=8, ms=100, threads=4),
    scenario("uvicorn", "async-io", workers=1, requests=10, ms=200, threads=1),
    scenario("uvicorn", "sync-io", workers=1, requests=10, ms=200, threads=1),
    scenario("uvicorn", "async-blocking", workers=1, requests=4, ms=150, threads=1),
    # Uvicorn workers share one listening socket and the first loop to wake accepts what is
    # waiting: usually the whole burst, but which loop wins is a race (CI measured 613 ms,
    # a 6/4 split), so this row is judged against the range between the lab's two rules.
    scenario("uvicorn", "async-blocking", workers=2, requests=10, ms=100, threads=1),
    scenario("gunicorn-gevent", "sync-io", workers=1, requests=10, ms=200),
    scenario("gunicorn-asgi", "async-io", workers=1, requests=10, ms=150),
    scenario("uwsgi", "sync-io", workers=1, requests=8, ms=150, threads=4),
    scenario("granian-wsgi", "sync-io", workers=1, requests=8, ms=100, threads=4),
    scenario("granian-asgi", "async-io", workers=1, requests=10, ms=150),
    scenario("hypercorn", "sync-io", workers=1, requests=6, ms=200),
    scenario("daphne", "async-io", workers=1, requests=10, ms=150),
]

# Database scenarios, on the session's PostgreSQL: makespans and failed requests.
DB_SCENARIOS = [
    scenario("gunicorn-sync", "sync-db", workers=2, requests=6, ms=200),
    # psycopg 3 waits through gevent's patched select: four queries at once on one process.
    scenario("gunicorn-gevent", "sync-db", workers=1, requests=10, ms=300, db_pool=4),
    scenario("uvicorn", "async-db", workers=1, requests=8, ms=200, db_pool=2),
    # A pool of 2 that waits 0.5 s: two of six 300 ms queries give up with a PoolTimeout.
    scenario(
        "uvicorn", "async-db", workers=1, requests=6, ms=300, db_pool=2, db_pool_timeout_ms=500
    ),
]

# PostgreSQL with max_connections 10 leaves 7 for the app's role: 16 threads, 9 refused.
SMALL_SERVER = 10
REFUSED = scenario(
    "gunicorn-gthread",
    "sync-db",
    workers=2,
    requests=16,
    ms=500,
    threads=8,
    db_max_connections=SMALL_SERVER,
)


def prediction(setup):
    """The lab's makespan and failed requests for the setup."""
    summary = serverlab.simulate(**simulate_kwargs(setup)).to_dict()
    return summary["makespan_ms"], summary["failed"]


def assert_the_lab_matches(setup, database_url=None):
    predicted, failed = prediction(setup)
    # Where the accept is a race, both ends of it, as make bench judges (benchmarks/matrix.py).
    low, high = racy_range(simulate_kwargs(setup), setup["workers"]) or (predicted, predicted)
    measured = fastest_run(
        setup, upper_ms=high * (1 + TOLERANCE), database_url=database_url, failed=failed
    )
    makespan = measured["makespan_ms"]
    assert low * (1 - TOLERANCE) <= makespan <= high * (1 + TOLERANCE), ((low, high), measured)


@pytest.fixture
def small_server(postgres):
    """The session's PostgreSQL restarted with a small max_connections for one test."""
    default = postgres.max_connections
    postgres.restart(max_connections=SMALL_SERVER)
    try:
        yield postgres
    finally:
        postgres.restart(max_connections=default)


@pytest.mark.parametrize("setup", SCENARIOS, ids=scenario_id)
def test_the_lab_predicts_the_real_makespan_within_a_quarter(setup):
    assert_the_lab_matches(setup)


@pytest.mark.parametrize("setup", DB_SCENARIOS, ids=scenario_id)
def test_the_lab_predicts_real_database_views_and_their_failures(setup, database_url):
    assert_the_lab_matches(setup, database_url)


def test_the_lab_predicts_which_requests_postgresql_refuses(database_url, small_server):
    assert prediction(REFUSED)[1] == 9
    assert_the_lab_matches(REFUSED, database_url)
