"""The demo project on a real, throwaway PostgreSQL: its views, its pool, its limits."""

import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness import postgres as postgres_module
from harness.load import fire_sync
from harness.postgres import PostgresError, PostgresMissing, start_postgres
from harness.scenarios import run_scenario
from harness.server_clients import get, get_json
from harness.servers import start_server
from harness.waiting import wait_until

pytestmark = pytest.mark.servers

MS = 300
SLEEP_QUERY = "SELECT pg_backend_pid(), pg_sleep("


@pytest.fixture(scope="module")
def db_server(database_url):
    """Factory: db_server(kind, threads=1, **env) -> a Server on the session's database.

    One server per set of arguments for the whole module; extra keyword arguments are
    added to its environment (DB_POOL_SIZE="2").
    """
    servers = {}

    def get_server(kind, *, threads=1, **env):
        key = (kind, threads, tuple(sorted(env.items())))
        if key not in servers:
            servers[key] = start_server(
                kind, threads=threads, env={"DATABASE_URL": database_url, **env}
            )
        return servers[key]

    yield get_server
    for server in servers.values():
        server.stop()


@pytest.fixture
def five_connections(postgres):
    """The session's PostgreSQL restarted with max_connections=5 for one test, then 100."""
    postgres.restart(max_connections=5)
    try:
        yield postgres
    finally:
        postgres.restart(max_connections=100)


def sleeping_backends(postgres):
    """PostgreSQL's pids of the demo role's connections now running the views' pg_sleep."""
    with postgres.connect(superuser=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE usename = 'demo' AND state = 'active'"
            " AND starts_with(query, %s)",
            [SLEEP_QUERY],
        ).fetchall()
    return {pid for (pid,) in rows}


def temporary_folders():
    return set(Path(tempfile.gettempdir()).glob("wsgi-asgi-postgres-*"))


def test_the_throwaway_postgresql_serves_the_app_as_an_ordinary_role_on_loopback(postgres):
    assert postgres.url == f"postgres://demo@127.0.0.1:{postgres.port}/demo"
    with postgres.connect() as connection:
        role, superuser, address = connection.execute(
            "SELECT current_user, rolsuper, inet_server_addr()::text"
            " FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert (role, superuser, address) == ("demo", False, "127.0.0.1/32")


def test_a_postgresql_stopped_by_a_failing_block_leaves_no_process_port_or_folder():
    with pytest.raises(KeyboardInterrupt), start_postgres() as database:
        assert database.port in {leftover.port for leftover in database.left_behind()}
        assert database.folder.is_dir()
        raise KeyboardInterrupt  # a test interrupted mid-way
    assert database.left_behind() == []
    assert not database.folder.exists()


def test_a_postgresql_that_cannot_start_is_cleaned_up_and_its_log_names_the_reason():
    before = temporary_folders()
    # PostgreSQL keeps 3 connections for superusers: 2 in all leaves none, and it refuses.
    with pytest.raises(PostgresError, match="superuser_reserved_connections"):
        start_postgres(max_connections=2)
    assert temporary_folders() <= before


def test_without_postgresql_installed_the_error_says_to_install_debians_package(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(postgres_module, "DEBIAN_BINDIRS", str(tmp_path / "none" / "*"))
    with pytest.raises(PostgresMissing, match=r"install Debian's postgresql"):
        start_postgres()


@pytest.mark.parametrize("kind", ["gunicorn-sync", "gunicorn-gthread", "uvicorn", "mod_wsgi"])
@pytest.mark.parametrize("view", ["sync", "async"])
def test_db_views_hold_one_postgresql_connection_for_ms_while_answering(
    db_server, postgres, kind, view
):
    server = db_server(kind)
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        reply = pool.submit(get, f"{server.base_url}/db/{view}?ms={MS}")
        sleeping = wait_until(lambda: sleeping_backends(postgres))
        status, _, body = reply.result()
        elapsed_ms = (time.monotonic() - started) * 1000
    assert status == 200, body
    answer = json.loads(body)
    assert answer["view"] == f"db/{view}" and answer["orders"] == 4  # customer 1's, seeded
    assert sleeping == {answer["backend_pid"]}
    assert elapsed_ms >= MS


def test_db_orders_reads_orders_with_their_customer_and_lines(db_server):
    orders = get_json(f"{db_server('gunicorn-sync').base_url}/db/orders?limit=5")["orders"]
    assert [order["id"] for order in orders] == sorted(order["id"] for order in orders)
    assert len(orders) == 5
    assert {order["customer"]["email"] for order in orders[:4]} == {"customer1@example.com"}
    for order in orders:
        assert 1 <= len(order["lines"]) <= 4
        assert all(
            line["quantity"] >= 1 and float(line["unit_price"]) > 0 for line in order["lines"]
        )


@pytest.mark.parametrize(
    "query, message",
    [
        ("sync?ms=soon", "ms must be a whole number from 0 to 60000, got 'soon'"),
        ("sync?ms=-5", "ms must be a whole number from 0 to 60000, got '-5'"),
        ("async?ms=60001", "ms must be a whole number from 0 to 60000, got '60001'"),
        ("orders?limit=201", "limit must be a whole number from 0 to 200, got '201'"),
        ("orders?limit=1.5", "limit must be a whole number from 0 to 200, got '1.5'"),
    ],
)
def test_bad_ms_or_limit_answers_400_saying_what_is_allowed(db_server, query, message):
    status, _, body = get(f"{db_server('uvicorn').base_url}/db/{query}")
    assert (status, body.strip()) == (400, message)


@pytest.mark.parametrize("path", ["/db/sync", "/db/async", "/db/orders"])
def test_without_database_url_the_db_views_answer_503_naming_it(shared_server, path):
    status, content_type, body = get(shared_server("uvicorn").base_url + path)
    assert (status, content_type) == (503, "application/json")
    assert json.loads(body)["error"] == "no_database"
    assert "DATABASE_URL=postgres://" in json.loads(body)["message"]


def test_a_pool_of_two_gives_500s_naming_pool_timeout_to_requests_waiting_too_long(
    start, database_url
):
    env = {"DATABASE_URL": database_url, "DB_POOL_SIZE": "2", "DB_POOL_TIMEOUT": "0.5"}
    server = start("uvicorn", env=env)
    # Six queries of 300 ms on two connections: two wait 300 ms and are served, two would
    # wait 600 ms and give up after 500 ms.
    load = fire_sync(server.base_url, f"/db/async?ms={MS}", 6)
    assert load.statuses == {200: 4, 500: 2}, load.bodies
    assert "psycopg_pool.PoolTimeout: couldn't get a connection after 0.50 sec" in server.log()
    served = [body for body in load.bodies if body is not None]
    assert len({body["backend_pid"] for body in served}) == 2  # the pool's two, reused


def test_postgresql_refuses_connections_beyond_max_connections_and_the_log_says_why(
    five_connections, database_url, start
):
    server = start("gunicorn-gthread", threads=4, env={"DATABASE_URL": database_url})
    # 5 connections, 3 of them kept for superusers: the demo role gets 2 of the 4 it asks.
    load = fire_sync(server.base_url, f"/db/sync?ms={MS}", 4)
    assert load.statuses == {200: 2, 500: 2}, load.bodies
    # Below max_connections but without a free ordinary slot, PostgreSQL 15 says this; it
    # says "sorry, too many clients already" once the superusers' slots are taken too.
    refusal = "remaining connection slots are reserved for non-replication superuser"
    refused = [
        line
        for line in server.log().splitlines()
        if line.startswith("psycopg.OperationalError: connection failed:") and refusal in line
    ]
    assert len(refused) == 2, server.log()


def test_one_gevent_worker_runs_ten_database_waits_at_once_without_psycogreen(start, database_url):
    server = start("gunicorn-gevent", env={"DATABASE_URL": database_url})
    load = fire_sync(server.base_url, f"/db/sync?ms={MS}", 10)
    assert load.statuses == {200: 10}
    assert load.makespan_ms < 3 * MS  # one after another would take 10 x 300 ms
    assert len({body["pid"] for body in load.bodies}) == 1
    assert len({body["backend_pid"] for body in load.bodies}) == 10


def test_psycopgs_c_wait_function_under_gevent_runs_the_queries_one_after_another(
    start, database_url
):
    # psycopg picks its pure-Python wait when gevent has patched `select`; forcing its C
    # wait blocks the whole worker in libpq, as psycopg2 did without psycogreen.
    env = {"DATABASE_URL": database_url, "PSYCOPG_WAIT_FUNC": "wait_c"}
    server = start("gunicorn-gevent", env=env)
    load = fire_sync(server.base_url, f"/db/sync?ms={MS}", 4)
    assert load.statuses == {200: 4}
    assert load.makespan_ms >= 4 * MS


def test_gevent_with_preload_breaks_djangos_database_connections(start, database_url):
    # --preload loads Django in the arbiter, before the worker's gevent patches `threading`.
    env = {"DATABASE_URL": database_url}
    server = start("gunicorn-gevent", env=env, extra_args=["--preload"])
    load = fire_sync(server.base_url, "/db/sync?ms=10", 1)
    assert load.statuses == {500: 1}
    assert "DatabaseWrapper objects created in a thread can only be used in that same thread" in (
        server.log()
    )


def test_a_lab_scenario_with_a_pool_runs_on_the_real_database_with_that_pool(database_url):
    scenario = {"server": "gunicorn-gthread", "view": "sync-db", "workers": 1, "threads": 4,
                "requests": 4, "ms": MS, "db_pool": 2, "db_pool_timeout_ms": 5000}  # fmt: skip
    result = run_scenario(scenario, database_url=database_url)
    assert result["statuses"] == {"200": 4}, result
    # Four threads, two pooled connections: the queries run in two rounds.
    assert 2 * MS <= result["makespan_ms"] < 3 * MS, result


def test_a_database_scenario_without_a_database_is_refused_before_starting_a_server():
    scenario = {"server": "uvicorn", "view": "async-db", "requests": 1, "ms": 10}
    with pytest.raises(ValueError, match="'async-db' needs a database_url"):
        run_scenario(scenario)


@pytest.mark.parametrize("max_age, same_connection", [("0", False), ("60", True)])
def test_conn_max_age_decides_whether_the_next_request_reuses_the_connection(
    db_server, max_age, same_connection
):
    server = db_server("gunicorn-sync", DB_CONN_MAX_AGE=max_age)
    first, second = (get_json(f"{server.base_url}/db/sync?ms=0") for _ in range(2))
    assert (first["backend_pid"] == second["backend_pid"]) is same_connection
