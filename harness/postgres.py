"""A throwaway PostgreSQL: `initdb` into a temporary folder, served on a free loopback port.

    with start_postgres(max_connections=100) as database:
        database.url          # postgres://demo@127.0.0.1:PORT/demo, an ordinary role
        database.restart(max_connections=5)

`stop()` (also on failure, at the end of the `with` and at interpreter exit) stops the server
and removes its folder; the postmaster is recorded by harness.started, so the test session
names it if it is left behind. `migrate_and_seed(url)` gives the demo project its tables
and rows there.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import psycopg

from harness import started
from harness.paths import PROJECT
from harness.server_commands import HOST
from harness.servers import free_port

# The role and database the demo project connects as: not a superuser, so the connections
# PostgreSQL keeps for superusers (superuser_reserved_connections) are never the app's.
ROLE = "demo"
DATABASE = "demo"
SUPERUSER = "postgres"
# Debian keeps PostgreSQL's programs off PATH, in one folder per major version.
DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"
MISSING = (
    "PostgreSQL's initdb and pg_ctl were found neither on PATH nor in "
    f"{DEBIAN_BINDIRS}: install Debian's postgresql (apt-get install postgresql, "
    "or run scripts/system-packages as root)"
)
# Settings of a server whose data is thrown away: durability only costs time here.
THROWAWAY = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
_PORT_TAKEN = re.compile(r"could not bind|address already in use", re.IGNORECASE)


class PostgresMissing(RuntimeError):
    """initdb or pg_ctl is not installed."""


class PostgresError(RuntimeError):
    """The server did not initialise, start or stop; the message ends with its log."""


def find_programs() -> tuple[Path, Path]:
    """(initdb, pg_ctl): from PATH, else from the newest of Debian's version folders."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb), Path(pg_ctl)
    bindirs = sorted(glob(DEBIAN_BINDIRS), key=_major_version, reverse=True)
    for bindir in map(Path, bindirs):
        if os.access(bindir / "initdb", os.X_OK) and os.access(bindir / "pg_ctl", os.X_OK):
            return bindir / "initdb", bindir / "pg_ctl"
    raise PostgresMissing(MISSING)


def _major_version(bindir: str) -> int:
    version = Path(bindir).parent.name
    return int(version) if version.isdigit() else -1


def _as_owner() -> list[str]:
    """The prefix that runs a command as the `postgres` user: PostgreSQL refuses root."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", SUPERUSER, "--"]


@dataclass(eq=False)
class Postgres:
    """A running throwaway server: its folder, port and the starts of its postmasters."""

    folder: Path
    pg_ctl: Path
    port: int
    max_connections: int
    starts: list[started.Start] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    @property
    def url(self) -> str:
        """The demo project's DATABASE_URL: the ordinary role, its own database."""
        return f"postgres://{ROLE}@{HOST}:{self.port}/{DATABASE}"

    def connect(self, *, superuser: bool = False, **options) -> psycopg.Connection:
        """A psycopg connection as the app's role, or as the superuser to its database."""
        user = SUPERUSER if superuser else ROLE
        return psycopg.connect(
            host=HOST, port=self.port, user=user, dbname=DATABASE, autocommit=True, **options
        )

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def left_behind(self) -> list[started.Leftover]:
        """What of its postmasters still runs or listens: nothing once stopped."""
        return started.left_behind(self.starts)

    def restart(self, *, max_connections: int) -> None:
        """Stop, change max_connections (it needs a restart), start again on the same port."""
        self._pg_ctl("stop", "-m", "fast")
        self.max_connections = max_connections
        self._write_settings()
        self._start_postmaster()

    def stop(self) -> None:
        """A fast shutdown (an immediate one if that fails), then the folder is removed."""
        try:
            if (self.data / "postmaster.pid").exists():
                try:
                    self._pg_ctl("stop", "-m", "fast")
                except PostgresError:
                    with contextlib.suppress(PostgresError):
                        self._pg_ctl("stop", "-m", "immediate")
            started.end(self.left_behind())
        finally:
            _running.discard(self)
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Postgres:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _write_settings(self) -> None:
        """Our settings in their own file, which postgresql.conf includes (the last wins)."""
        settings = {
            "port": str(self.port),
            "listen_addresses": f"'{HOST}'",
            "unix_socket_directories": f"'{self.folder}'",
            "max_connections": str(self.max_connections),
            **THROWAWAY,
        }
        text = "".join(f"{name} = {value}\n" for name, value in settings.items())
        (self.data / "harness.conf").write_text(text, encoding="utf-8")

    def _start_postmaster(self) -> None:
        """`pg_ctl start -w`: it returns once the server accepts connections, or fails."""
        command = [*_as_owner(), str(self.pg_ctl), "start", "-w", "-t", "60", "-D",
                   str(self.data), "-l", str(self.log_path)]  # fmt: skip
        # The postmaster inherits the harness's mark from pg_ctl, though it leaves its group.
        process, start = started.spawn(
            "postgres", command, ports=[self.port], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.starts.append(start)
        output, _ = process.communicate(timeout=90)
        if process.returncode != 0:
            raise PostgresError(f"pg_ctl start failed: {output}\n--- log ---\n{self.log()}")

    def _pg_ctl(self, *arguments: str) -> None:
        command = [*_as_owner(), str(self.pg_ctl), *arguments, "-w", "-D", str(self.data)]
        result = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90
        )
        if result.returncode != 0:
            raise PostgresError(
                f"pg_ctl {' '.join(arguments)} failed: {result.stdout}{result.stderr}"
            )


_running: set[Postgres] = set()


@atexit.register
def _stop_everything() -> None:
    for database in list(_running):
        database.stop()


def start_postgres(*, max_connections: int = 100, attempts: int = 5) -> Postgres:
    """initdb a fresh folder, start the server on a free port, create the app's role."""
    initdb, pg_ctl = find_programs()
    folder = Path(tempfile.mkdtemp(prefix="wsgi-asgi-postgres-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam(SUPERUSER)
        except KeyError:
            shutil.rmtree(folder)
            message = f"as root, PostgreSQL runs as the {SUPERUSER} user: there is none. "
            raise PostgresMissing(message + MISSING) from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    database = Postgres(folder, pg_ctl, port=0, max_connections=max_connections)
    _running.add(database)
    try:
        _initdb(initdb, database.data)
        with (database.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("include 'harness.conf'\n")
        for _ in range(attempts):
            database.port = free_port()
            database._write_settings()
            database.log_path.unlink(missing_ok=True)  # the reason is this attempt's alone
            try:
                database._start_postmaster()
                break
            except PostgresError as error:
                if not _PORT_TAKEN.search(str(error)):
                    raise
        else:
            raise PostgresError(f"no free port after {attempts} attempts")
        _create_role_and_database(database)
    except BaseException:
        database.stop()
        raise
    return database


def _initdb(initdb: Path, data: Path) -> None:
    # --no-sync: nothing written here needs to survive a crash of the machine.
    command = [*_as_owner(), str(initdb), "-D", str(data), "--auth=trust", "-U", SUPERUSER,
               "--encoding=UTF8", "--locale=C", "--no-sync"]  # fmt: skip
    result = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise PostgresError(f"initdb failed: {result.stdout}{result.stderr}")


def _create_role_and_database(database: Postgres) -> None:
    admin = psycopg.connect(
        host=HOST, port=database.port, user=SUPERUSER, dbname="postgres", autocommit=True
    )
    with admin:
        admin.execute(f"CREATE ROLE {ROLE} LOGIN")
        admin.execute(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")


def migrate_and_seed(url: str) -> None:
    """`manage.py migrate` then `manage.py seed` of the demo project, against `url`."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = url
    for command in (["migrate", "--no-input"], ["seed"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=PROJECT, env=env,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise PostgresError(f"manage.py {command[0]} failed:\n{result.stdout}{result.stderr}")
