"""Settings for the demo: no middleware, loopback only, PostgreSQL when DATABASE_URL is set."""

import os
from urllib.parse import unquote, urlsplit

SECRET_KEY = "demo-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = ["channels", "demo", "shop"]
MIDDLEWARE = []
ROOT_URLCONF = "config.urls"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
USE_TZ = True


def database_from_url(url):
    """Django's DATABASES entry for a postgres://user:password@host:port/name URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL must start with postgres://, got {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


# --8<-- [start:database]
# No DATABASE_URL: no database at all, and the /db/* views answer 503 saying so.
DATABASES = {}
if os.environ.get("DATABASE_URL"):
    DATABASES["default"] = database_from_url(os.environ["DATABASE_URL"])
    # Seconds a connection stays open after its request: 0 closes it at the end of each
    # request, as Django does by default; None keeps it for ever (one per thread). With a
    # pool it must stay 0 (Django refuses otherwise): the pool keeps the connections.
    max_age = os.environ.get("DB_CONN_MAX_AGE", "0")
    DATABASES["default"]["CONN_MAX_AGE"] = None if max_age == "None" else int(max_age)
    # DB_POOL_SIZE=N: psycopg's pool of exactly N connections per process; a request that
    # finds them all busy waits up to DB_POOL_TIMEOUT seconds, then fails: Django raises
    # OperationalError, from psycopg_pool's PoolTimeout.
    pool_size = int(os.environ.get("DB_POOL_SIZE", "0"))
    if pool_size > 0:
        pool_timeout = float(os.environ.get("DB_POOL_TIMEOUT", "10"))
        DATABASES["default"]["OPTIONS"] = {
            "pool": {"min_size": pool_size, "max_size": pool_size, "timeout": pool_timeout}
        }
# --8<-- [end:database]

# Errors of a view (OperationalError from a pool timeout or from PostgreSQL refusing a
# connection) go to stderr, where the server's log shows them with their class and
# message; Django answers 500.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"reason": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "reason"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
