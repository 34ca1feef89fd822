"""PostgreSQL as a request meets it: Django's pool per process, or a connection per request."""

from serverlab.resources import ConnectionPool


class Database:
    """The connections PostgreSQL grants the app, pooled per process or opened per request.

    With a pool (db_pool = N > 0: Django's psycopg pool, min_size = max_size = N), each
    process holds its N connections from the start (Django opens the pool at the process's
    first query; the lab counts it open before the first request), processes in order,
    while PostgreSQL has any left for the app's role (max_connections minus
    superuser_reserved_connections): a pool holds what the server granted, possibly fewer
    than N, possibly none, and a request that finds none free waits up to the pool's
    timeout, then Django raises OperationalError, from psycopg_pool's PoolTimeout (an
    OperationalError subclass that Django's DatabaseErrorWrapper re-raises as its own):
    https://www.psycopg.org/psycopg3/docs/api/pool.html#psycopg_pool.ConnectionPool
    Without a pool (CONN_MAX_AGE = 0) each request opens its own connection on its first
    query, paying `connect_us`, and Django closes it when the request ends; one beyond the
    limit is refused at once, as scenario.FAILURES["too_many_clients"] words it ("FATAL:
    remaining connection slots are reserved for non-replication superuser connections",
    PostgreSQL 15; 16+ ends "...for roles with the SUPERUSER attribute").
    """

    __slots__ = ("connect_us", "limit", "open", "pools")

    def __init__(
        self,
        pool_size: int,
        available: int,
        timeout_us: int,
        connect_us: int,
        processes: int,
    ) -> None:
        self.limit = available  # connections the app's role may open
        self.open = 0  # of those, opened by requests without a pool
        self.connect_us = connect_us
        self.pools: list[ConnectionPool] = []
        if pool_size:
            for _ in range(processes):
                granted = min(pool_size, available)
                available -= granted
                self.pools.append(ConnectionPool(granted, timeout_us))

    def connect(self) -> bool:
        """Open a connection for one request (no pool): False when PostgreSQL refuses it."""
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def close(self) -> None:
        """A request without a pool ended: Django closed its connection."""
        self.open -= 1
