"""Engines, transactions and migrations.

`open_registry(url)` returns an engine whose database has been created or
upgraded to the newest migration. URLs: `sqlite:///path/registry.sqlite` (a
bare path means the same), `postgresql://user@host/db` (driven by psycopg 3).

SQLite runs in WAL mode with a busy timeout and foreign keys on; SQLAlchemy
emits BEGIN itself (the sqlite3 module's own transaction handling is off), and
a write transaction starts with BEGIN IMMEDIATE, so concurrent writers queue
on the database lock instead of failing half-way. On PostgreSQL, writers take
transaction-scoped advisory locks on the keys they touch (`lock`).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from pipeline.registry.errors import RegistryError

BUSY_TIMEOUT_MS = 60_000
MIGRATIONS = Path(__file__).with_name("migrations")
T = TypeVar("T")


def normalise_url(url: str | URL) -> URL:
    """A SQLAlchemy URL; a bare path is a SQLite file; postgresql:// uses psycopg 3."""
    if isinstance(url, str) and "://" not in url:
        return URL.create("sqlite", database=url)
    try:
        u = make_url(url)
    except exc.ArgumentError as e:
        raise RegistryError(f"not a database URL: {url!r}") from e
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if not (u.drivername.startswith("sqlite") or u.drivername.startswith("postgresql")):
        raise RegistryError(f"unsupported database {u.drivername!r}: use sqlite:///FILE or postgresql://...")
    return u


def make_engine(url: str | URL) -> Engine:
    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:" and not u.database.startswith("file:"):
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        # The loader's statements vary with row counts: keep more of them prepared than the default 128.
        engine = create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "cached_statements": 512})
        _sqlite_events(engine)
        return engine
    return create_engine(u, pool_pre_ping=True)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("registry_write")
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed whole on success, rolled back on any error."""
    writer = engine.__dict__.get("_registry_writer")
    if writer is None:  # made once: execution_options() builds a new engine proxy each call
        writer = engine.__dict__["_registry_writer"] = engine.execution_options(registry_write=True)
    with writer.begin() as conn:
        yield conn


def lock(conn: Connection, names: Iterator[str] | list[str] | set[str]) -> None:
    """Serialise writers touching the same keys (PostgreSQL advisory locks, sorted: no deadlock).

    SQLite needs nothing: BEGIN IMMEDIATE already holds the one database write lock.
    """
    if conn.dialect.name != "postgresql":
        return
    keys = [int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)
            for name in sorted(set(names))]
    if keys:  # one statement; unnest takes them in this order
        conn.connection.driver_connection.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k",
                                                  (keys,))


def retrying(engine: Engine, work: Callable[[Connection], T], attempts: int = 10) -> T:
    """Run `work` in one write transaction; again from the start on a lock time-out, deadlock or key race."""
    dbapi = engine.dialect.loaded_dbapi  # the loader also runs statements on the bare DBAPI cursor
    retry = (exc.OperationalError, exc.IntegrityError, dbapi.OperationalError, dbapi.IntegrityError)
    for attempt in range(1, attempts + 1):
        try:
            with write_transaction(engine) as conn:
                return work(conn)
        except retry:
            if attempt == attempts:
                raise
            time.sleep(min(2.0, 0.02 * 2**attempt) * random.random())
    raise AssertionError("unreachable")


# --- Migrations ---------------------------------------------------------------


def alembic_config(connection: Connection | None = None):
    """An Alembic Config that needs no alembic.ini: the scripts ship inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision; safe when several processes start at once."""
    from alembic import command

    head = head_revision()
    if current_revision(engine) == head:
        return
    with write_transaction(engine) as conn:
        lock(conn, ["registry:migrate"])
        command.upgrade(alembic_config(conn), "head")


def _create_pg_database(u: URL) -> bool:
    """CREATE DATABASE through the server's `postgres` database; False when that cannot be done."""
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = u.database.replace('"', '""')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return True
    except exc.ProgrammingError:  # created meanwhile by another process
        return True
    except exc.DBAPIError:
        return False
    finally:
        admin.dispose()


def open_registry(url: str | URL) -> Engine:
    """An engine on a registry database that is created and migrated if needed.

    A PostgreSQL database that does not exist yet is created first (given the right to).
    """
    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        try:
            upgrade(engine)
        except exc.OperationalError as e:
            missing = engine.dialect.name == "postgresql" and "does not exist" in str(e.orig)
            if not (missing and _create_pg_database(engine.url)):
                raise
            upgrade(engine)
    except exc.OperationalError as e:
        engine.dispose()
        reason = str(e.orig).strip().splitlines()[0] if str(e.orig).strip() else type(e.orig).__name__
        raise RegistryError(f"cannot open registry {shown}: {reason}") from e
    return engine
