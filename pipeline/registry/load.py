"""Loading results into the registry: one document, one transaction.

`load_result(engine, result)`:
- the same document (same id and sha256, or same id and path) with the same
  facts is left alone: loading twice changes nothing;
- a document whose bytes or facts changed has everything it contributed
  removed and its new facts stored, in the same transaction;
- then the merged registry is derived again for exactly what the document
  touched (its agreement groups, organisations and persons: `merge.py`).

Concurrent loaders (processes, or machines on one PostgreSQL) are safe: on
SQLite each document's transaction holds the database write lock
(BEGIN IMMEDIATE, waiting up to the busy timeout); on PostgreSQL it takes
advisory locks on the document and on every key it touches, in sorted order,
and unique keys catch anything else (the transaction is then retried whole).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, delete, select

from pipeline.models import Evidence as EvidenceModel
from pipeline.models import Result
from pipeline.registry import merge
from pipeline.registry.db import lock, retrying
from pipeline.registry.errors import RegistryError
from pipeline.registry.names import canonical_name, group_key, org_norm, person_key, person_norm
from pipeline.registry.schema import (
    AgreementSource,
    Document,
    DocumentDate,
    Evidence,
    Organisation,
    OrganisationAlias,
    Person,
    PersonContact,
)
from pipeline.registry.sql import ensure_org, ensure_person, insert_id


class LoadOutcome(BaseModel):
    document: str
    action: Literal["inserted", "replaced", "unchanged", "skipped"]
    agreements: list[str] = []  # public ids of the agreements it contributes to


# --- What one result says, worked out before the transaction ------------------


@dataclass
class OrgMention:
    norm: str
    alias: str
    kind: str | None
    party: bool
    evidence: list[EvidenceModel] = field(default_factory=list)


@dataclass
class Claim:
    index: int
    group: str
    type: str
    status: str | None
    start: date | None
    end: date | None
    party_norms: list[str]
    data: dict
    evidence: list[EvidenceModel]


@dataclass
class ContactClaim:
    index: int
    name: str
    name_norm: str
    org_norm: str | None
    role: str | None
    phone: str | None
    email: str | None
    evidence: list[EvidenceModel]


@dataclass
class Plan:
    facts_hash: str
    orgs: dict[tuple[str, str], OrgMention]
    claims: list[Claim]
    contacts: list[ContactClaim]
    dates: dict[date, list[EvidenceModel]]

    @property
    def org_norms(self) -> set[str]:
        return {norm for norm, _ in self.orgs}

    @property
    def groups(self) -> set[str]:
        return {c.group for c in self.claims}

    @property
    def person_keys(self) -> set[str]:
        return {person_key(c.name_norm, c.org_norm) for c in self.contacts}


FACT_FIELDS = {
    "format", "language", "published", "title", "source", "parties", "agreements",
    "amounts", "dates", "date_evidence", "contacts",
}


def facts_hash(result: Result) -> str:
    data = result.model_dump(mode="json", include=FACT_FIELDS)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def plan(result: Result) -> Plan:
    lang = result.language
    orgs: dict[tuple[str, str], OrgMention] = {}

    def mention(name: str, kind: str | None, party: bool, evidence: list[EvidenceModel]) -> str | None:
        if not name or not name.strip():
            return None
        norm = org_norm(name, lang)[:400]
        if not norm:
            return None
        alias = " ".join(name.split())[:400]
        m = orgs.setdefault((norm, alias), OrgMention(norm, alias, kind, party))
        m.kind = m.kind or kind
        m.party = m.party or party
        m.evidence.extend(e for e in evidence if e not in m.evidence)
        return norm

    kinds = {}
    for p in result.parties:
        mention(p.name, p.kind, True, p.evidence)
        kinds[" ".join(p.name.split())] = p.kind
    claims = []
    for i, a in enumerate(result.agreements):
        norms = []
        for name in a.parties:
            norm = mention(name, kinds.get(" ".join(name.split())), True, [])
            if norm and norm not in norms:
                norms.append(norm)
        group = group_key(a.type, norms) if norms else f"{a.type}:?{result.id}#{i}"
        data = a.model_dump(mode="json")
        claims.append(Claim(i, group, a.type, a.status, a.start, a.end, norms, data, a.evidence))
    contacts = []
    for i, c in enumerate(result.contacts):
        if not c.name or not person_norm(c.name):
            continue
        onorm = mention(c.organisation, canonical_name(c.organisation, lang)[1], False, []) if c.organisation else None
        contacts.append(ContactClaim(i, " ".join(c.name.split())[:300], person_norm(c.name)[:300], onorm, c.role,
                                     (c.phone or "")[:40] or None, (c.email or "")[:300] or None, c.evidence))
    dates: dict[date, list[EvidenceModel]] = {d: [] for d in result.dates}
    for fact in result.date_evidence:
        dates.setdefault(fact.value, []).extend(fact.evidence)
    return Plan(facts_hash(result), orgs, claims, contacts, dates)


# --- The transaction -------------------------------------------------------


def load_result(engine: Engine, result: Result) -> LoadOutcome:
    """Store one result's facts and merge them into the registry, all or nothing."""
    if result.status != "ok" or result.source is None:
        return LoadOutcome(document=result.id, action="skipped")
    p = plan(result)
    return retrying(engine, lambda conn: _load(conn, result, p))


def load_results(engine: Engine, results: Iterable[Result]) -> list[LoadOutcome]:
    return [load_result(engine, r) for r in results]


def read_result_files(paths: Iterable[str | Path], skipped: list[Path] | None = None) -> Iterable[tuple[Path, Result]]:
    """Results written by `agreements run`: files, or folders of *.json (read in name order).

    A file named explicitly must be a result; other JSON found in a folder (an export, a
    review file) is passed over and listed in `skipped`.
    """
    for item in paths:
        item = Path(item)
        walked = item.is_dir()
        for f in sorted(item.rglob("*.json")) if walked else [item]:
            try:
                yield f, Result.model_validate_json(f.read_bytes())
            except (OSError, ValueError) as exc:
                if walked and not isinstance(exc, OSError):
                    if skipped is not None:
                        skipped.append(f)
                    continue
                raise RegistryError(f"{f}: not a result file: {str(exc).splitlines()[0]}") from exc


def _find_document(conn: Connection, result: Result):
    src = result.source
    for cond in (Document.sha256 == src.sha256, Document.path == src.path):
        row = conn.execute(
            select(Document.__table__).where(Document.doc_key == result.id, cond).order_by(Document.id)
        ).first()
        if row:
            return row
    return None


def _load(conn: Connection, result: Result, p: Plan) -> LoadOutcome:
    from pipeline.registry.forget import apply_forgotten

    kept = apply_forgotten(conn, result)  # persons forgotten earlier stay forgotten
    if kept is not result:
        result, p = kept, plan(kept)
    lock(conn, [f"doc:{result.id}"])
    doc = _find_document(conn, result)
    if doc is not None and doc.facts_hash == p.facts_hash:
        keys = merge.agreement_keys_of(conn, doc.id)
        return LoadOutcome(document=result.id, action="unchanged", agreements=keys)

    old_groups: set[str] = set()
    old_orgs: set[str] = set()
    old_persons: set[str] = set()
    if doc is not None:
        old_groups, old_orgs, old_persons = _contributions(conn, doc.id)
    groups = old_groups | p.groups
    orgs = old_orgs | p.org_norms
    persons = old_persons | p.person_keys
    lock(conn, [f"grp:{g}" for g in groups] + [f"org:{o}" for o in orgs] + [f"per:{k}" for k in persons])

    values = _document_values(result, p)
    if doc is None:
        doc_id = insert_id(conn, Document.__table__, {"doc_key": result.id, "path": result.source.path, **values})
        action = "inserted"
    else:
        doc_id = doc.id
        _forget(conn, doc_id)
        conn.execute(Document.__table__.update().where(Document.id == doc_id).values(**values))
        action = "replaced"

    _store(conn, doc_id, p)
    merge.refresh(conn, groups=groups, org_norms=orgs, person_keys=persons)
    return LoadOutcome(document=result.id, action=action, agreements=merge.agreement_keys_of(conn, doc_id))


def _document_values(result: Result, p: Plan) -> dict:
    return {
        "sha256": result.source.sha256, "size": result.source.size, "format": result.format or result.source.format,
        "language": result.language, "published": result.published, "title": result.title,
        "pipeline_version": result.pipeline_version, "facts_hash": p.facts_hash,
        "loaded_at": datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
    }


def _contributions(conn: Connection, doc_id: int) -> tuple[set[str], set[str], set[str]]:
    groups = set(conn.scalars(select(AgreementSource.group_key).where(AgreementSource.document_id == doc_id)))
    orgs = set(conn.scalars(
        select(Organisation.norm).join(OrganisationAlias, OrganisationAlias.organisation_id == Organisation.id)
        .where(OrganisationAlias.document_id == doc_id)
    ))
    persons = set(conn.scalars(
        select(Person.key).join(PersonContact, PersonContact.person_id == Person.id)
        .where(PersonContact.document_id == doc_id)
    ))
    return groups, orgs, persons


def _forget(conn: Connection, doc_id: int) -> None:
    """Remove every fact the document contributed (the merged registry is derived again afterwards)."""
    for model in (Evidence, PersonContact, AgreementSource, OrganisationAlias, DocumentDate):
        conn.execute(delete(model).where(model.document_id == doc_id))


def _evidence_rows(doc_id: int, fact: str, evidence: list[EvidenceModel], **ref: int) -> list[dict]:
    return [
        {"document_id": doc_id, "fact": fact, "alias_id": None, "source_id": None, "amount_id": None,
         "contact_id": None, "date_id": None, **ref,
         "doc": e.doc, "span_start": e.start, "span_end": e.end, "quote": e.quote}
        for e in evidence
    ]


def _store(conn: Connection, doc_id: int, p: Plan) -> None:
    evidence: list[dict] = []
    org_ids: dict[str, int] = {}
    for (norm, alias), m in sorted(p.orgs.items()):
        if norm not in org_ids:
            org_ids[norm] = ensure_org(conn, norm, alias, m.kind)
        alias_id = insert_id(conn, OrganisationAlias.__table__, {
            "organisation_id": org_ids[norm], "document_id": doc_id, "alias": alias, "kind": m.kind, "party": m.party,
        })
        evidence += _evidence_rows(doc_id, "party", m.evidence, alias_id=alias_id)
    for c in p.claims:
        source_id = insert_id(conn, AgreementSource.__table__, {
            "agreement_id": None, "document_id": doc_id, "claim_index": c.index, "group_key": c.group,
            "type": c.type, "status": c.status, "start_date": c.start, "end_date": c.end,
            "claim": {**c.data, "party_norms": c.party_norms},
        })
        evidence += _evidence_rows(doc_id, "agreement", c.evidence, source_id=source_id)
    for c in p.contacts:
        org_id = org_ids.get(c.org_norm) if c.org_norm else None
        person_id = ensure_person(conn, c.name_norm, c.org_norm, c.name, org_id)
        contact_id = insert_id(conn, PersonContact.__table__, {
            "person_id": person_id, "document_id": doc_id, "claim_index": c.index, "name": c.name,
            "role": c.role, "organisation_id": org_id, "phone": c.phone, "email": c.email,
        })
        evidence += _evidence_rows(doc_id, "contact", c.evidence, contact_id=contact_id)
    for value, ev in sorted(p.dates.items()):
        date_id = insert_id(conn, DocumentDate.__table__, {"document_id": doc_id, "value": value})
        evidence += _evidence_rows(doc_id, "date", ev, date_id=date_id)
    if evidence:
        conn.execute(Evidence.__table__.insert(), evidence)


def load_files(url: str, paths: Iterable[str | Path]) -> list[LoadOutcome]:
    """Open the registry at `url` and load result files into it (a whole loader process in one call)."""
    from pipeline.registry.db import open_registry

    engine = open_registry(url)
    try:
        return [load_result(engine, result) for _path, result in read_result_files(paths)]
    finally:
        engine.dispose()
