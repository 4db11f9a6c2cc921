"""Forgetting a person: their contact records, and their name in every quote.

The registry keeps only a hash of a forgotten name, so later loads of the same
documents drop the person again without the registry holding the name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, select

from pipeline.models import Result
from pipeline.privacy import _pattern, mask, name_hash, person_norm, redact
from pipeline.registry import merge
from pipeline.registry.db import lock, retrying
from pipeline.registry.schema import Agreement, AgreementSource, Correction, Evidence, Person, PersonContact
from pipeline.registry.sql import Raw, insert_ignore

FORGET = ("person", "forget")


@dataclass
class ForgetReport:
    contacts: int = 0
    persons: int = 0
    quotes: int = 0
    files: list[str] = field(default_factory=list)


def forgotten_hashes(conn: Connection) -> set[str]:
    rows = Raw(conn).all("SELECT target_key FROM corrections WHERE target = ? AND field = ?", FORGET)
    return {r[0] for r in rows}


def apply_forgotten(conn: Connection, result: Result) -> Result:
    """`result` without the persons the registry was told to forget."""
    hashes = forgotten_hashes(conn)
    names = [c.name for c in result.contacts if name_hash(c.name) in hashes] if hashes else []
    return redact(result, names=names) if names else result


def _mask_claim(value, pattern):
    if isinstance(value, str):
        return mask(value, pattern)
    if isinstance(value, list):
        return [_mask_claim(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _mask_claim(v, pattern) for k, v in value.items()}
    return value


def _forget_in_registry(conn: Connection, name: str, report: ForgetReport) -> None:
    target = person_norm(name)
    pattern = _pattern([name])
    contacts = [r for r in conn.execute(select(PersonContact.id, PersonContact.name, PersonContact.person_id)) if person_norm(r.name) == target]
    person_ids = {r.person_id for r in contacts}
    keys = [k for (k,) in conn.execute(select(Person.key).where(Person.id.in_(person_ids)))] if person_ids else []
    claims = []
    for row in conn.execute(select(AgreementSource.id, AgreementSource.group_key, AgreementSource.agreement_id,
                                   AgreementSource.claim)).all():
        masked = _mask_claim(row.claim, pattern)
        if masked != row.claim:
            claims.append((row, masked))
    # Loaders update persons and agreements from their merge_state under these locks (PostgreSQL).
    lock(conn, [f"grp:{row.group_key}" for row, _ in claims] + [f"per:{k}" for k in keys])
    if contacts:
        ids = [r.id for r in contacts]
        conn.execute(delete(Evidence).where(Evidence.contact_id.in_(ids)))
        conn.execute(delete(PersonContact).where(PersonContact.id.in_(ids)))
    # A contact a reviewer added by hand goes too.
    for row in conn.execute(select(Correction.id, Correction.value).where(Correction.target == "contact", Correction.field == "add")).all():
        if isinstance(row.value, dict) and person_norm(str(row.value.get("name", ""))) == target:
            conn.execute(delete(Correction).where(Correction.id == row.id))
    merge.refresh(conn, person_keys=keys)
    report.contacts += len(contacts)
    report.persons += len(person_ids)
    first_word = target.split()[0] if target else ""
    for row in conn.execute(select(Evidence.id, Evidence.quote).where(Evidence.quote.ilike(f"%{first_word}%"))).all():
        masked = mask(row.quote, pattern)
        if masked != row.quote:
            conn.execute(Evidence.__table__.update().where(Evidence.id == row.id).values(quote=masked))
            report.quotes += 1
    for row, masked in claims:
        conn.execute(AgreementSource.__table__.update().where(AgreementSource.id == row.id).values(claim=masked))
        if row.agreement_id is not None:  # its agreement is derived from all its claims next time
            conn.execute(Agreement.__table__.update().where(Agreement.id == row.agreement_id).values(merge_state=None))
    insert_ignore(conn, Correction.__table__, {
        "target": FORGET[0], "target_key": name_hash(name), "field": FORGET[1], "value": None,
        "source": "forget-person", "applied_at": datetime.now(timezone.utc).replace(tzinfo=None),
    }, ["target", "target_key", "field"])


def forget_in_results(folder: str | Path, name: str, report: ForgetReport | None = None) -> list[str]:
    """Rewrite every result file under `folder` without the person (atomically, file by file)."""
    from pipeline.run import write_json_atomic

    changed = []
    for path in sorted(Path(folder).rglob("*.json")):
        try:
            result = Result.model_validate_json(path.read_bytes())
        except ValueError:
            continue  # not a result (an export, a review file)
        cleaned = redact(result, names=[name])
        if cleaned != result:
            write_json_atomic(path, cleaned)
            changed.append(str(path))
    if report is not None:
        report.files += changed
    return changed


def forget_person(engine: Engine | None, name: str, results: str | Path | None = None) -> ForgetReport:
    """Remove a person and their name from the registry and from the result files."""
    if not person_norm(name):
        raise ValueError("a name to forget is needed")
    report = ForgetReport()
    if engine is not None:
        retrying(engine, lambda conn: _forget_in_registry(conn, name, report))
    if results is not None:
        forget_in_results(results, name, report)
    return report
