"""Small SQL helpers shared by the loader, the merge and the review."""

from __future__ import annotations

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
