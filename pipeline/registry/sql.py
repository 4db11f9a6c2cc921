"""Small SQL helpers shared by the loader, the merge and the review."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Connection, select
from sqlalchemy.sql.schema import Table

from pipeline.registry.names import org_key, person_key
from pipeline.registry.schema import Correction, Organisation, Person


def _insert(conn: Connection):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def insert_ignore(conn: Connection, table: Table, values: dict, conflict: list[str]) -> None:
    """INSERT ... ON CONFLICT (conflict) DO NOTHING: a concurrent loader may have inserted it first."""
    conn.execute(_insert(conn)(table).values(**values).on_conflict_do_nothing(index_elements=conflict))


def insert_id(conn: Connection, table: Table, values: dict) -> int:
    return conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()


def ensure_org(conn: Connection, norm: str, name: str, kind: str | None = None) -> int:
    """The id of the organisation with this key, created if new."""
    org_id = conn.scalar(select(Organisation.id).where(Organisation.norm == norm))
    if org_id is None:
        insert_ignore(conn, Organisation.__table__, {
            "key": org_key(norm), "norm": norm, "name": name, "kind": kind, "country": None, "corrected": [],
        }, ["norm"])
        org_id = conn.scalar(select(Organisation.id).where(Organisation.norm == norm))
    return org_id


def ensure_person(conn: Connection, name_norm: str, org_norm: str | None, name: str, org_id: int | None) -> int:
    key = person_key(name_norm, org_norm)
    pid = conn.scalar(select(Person.id).where(Person.key == key))
    if pid is None:
        insert_ignore(conn, Person.__table__, {
            "key": key, "name": name, "organisation_id": org_id, "deleted": False, "corrected": [],
        }, ["key"])
        pid = conn.scalar(select(Person.id).where(Person.key == key))
    return pid


def corrections_for(conn: Connection, target: str, key: str) -> dict[str, object]:
    rows = conn.execute(
        select(Correction.field, Correction.value).where(Correction.target == target, Correction.target_key == key)
    )
    return {field: value for field, value in rows}


def update_changed(conn: Connection, table: Table, row_id: int, current: dict, desired: dict) -> bool:
    """UPDATE only the columns whose value differs; nothing at all when none does."""
    changed = {k: v for k, v in desired.items() if current.get(k) != v}
    if changed:
        conn.execute(table.update().where(table.c.id == row_id).values(**changed))
    return bool(changed)


# --- The loader's hot path: plain DBAPI statements ---------------------------------


class Raw:
    """The DBAPI cursor under a SQLAlchemy connection, in the same transaction.

    A Core statement costs ~40-200 µs to build and run here, the bare cursor a few µs, and the
    loader issues dozens per document. SQL is written with `?` (PostgreSQL gets `%s`); values
    are converted as SQLAlchemy's types store them (dates, timestamps, JSON), so rows written
    here read back the same through the ORM.
    """

    def __init__(self, conn: Connection):
        self.pg = conn.dialect.name == "postgresql"
        self.cur = conn.connection.driver_connection.cursor()
        if self.pg:
            from psycopg.types.json import Json

            self._json = Json

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.pg else sql

    def all(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        self.cur.execute(self._sql(sql), params)
        return self.cur.fetchall()

    def one(self, sql: str, params: tuple | list = ()) -> tuple | None:
        self.cur.execute(self._sql(sql), params)
        return self.cur.fetchone()

    def run(self, sql: str, params: tuple | list = ()) -> None:
        self.cur.execute(self._sql(sql), params)

    def many(self, sql: str, rows: list) -> None:
        if rows:
            self.cur.executemany(self._sql(sql), rows)

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple], returning: str = "",
               conflict: str = "") -> list[tuple]:
        """Multi-row INSERTs; RETURNING rows come back in no promised order.

        Chunks of 200 rows; on PostgreSQL small enough for psycopg to cache the parsed statement
        (at most 50 parameters and 4 KB; a bigger one is parsed afresh every time, ~1 ms).
        """
        out: list[tuple] = []
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = "(" + ", ".join("?" * len(columns)) + ")"
        tail = (f" ON CONFLICT ({conflict}) DO NOTHING" if conflict else "") + (f" RETURNING {returning}" if returning else "")
        size = max(1, min(50 // len(columns), 4000 // (len(one) + 2))) if self.pg else 200
        for i in range(0, len(rows), size):
            chunk = rows[i:i + size]
            params = [v for row in chunk for v in row]
            self.cur.execute(self._sql(head + ", ".join([one] * len(chunk)) + tail), params)
            if returning:
                out += self.cur.fetchall()
        return out

    def in_(self, column: str, values) -> tuple[str, list]:
        """`column IN (...)` for a list of values: (SQL, parameters)."""
        values = list(values)
        if self.pg:
            return f"{column} = ANY(?)", [values]
        return f"{column} IN ({', '.join('?' * len(values))})", values

    # Values in and out, as SQLAlchemy's Date, DateTime and JSON types store them.

    def date(self, value: date | None):
        return value if self.pg or value is None else f"{value.year:04d}-{value.month:02d}-{value.day:02d}"

    def timestamp(self, value: datetime):
        if self.pg:
            return value
        return (f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
                f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}")

    def json(self, value):
        return self._json(value) if self.pg else json.dumps(value)

    def read_date(self, value) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else value

    def read_json(self, value):
        return value if self.pg or value is None else json.loads(value)
