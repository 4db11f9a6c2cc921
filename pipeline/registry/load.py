"""Loading results into the registry: one document, one transaction.

`load_result(engine, result)`:
- the same document (same id and sha256, or same id and path) with the same
  facts is left alone: loading twice changes nothing;
- a document whose bytes or facts changed has everything it contributed
  removed and its new facts stored, in the same transaction;
- then the merged registry is derived again for exactly what the document
  touched (its agreement groups, organisations and persons: `merge.py`).

Statements run on the DBAPI cursor (`sql.Raw`), a few per table, and merging
uses what the load itself added (`merge.Change`), so a load costs about the same
in a registry of any size.

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
from sqlalchemy import Connection, Engine

from pipeline.models import Evidence as EvidenceModel
from pipeline.models import Result
from pipeline.registry import merge
from pipeline.registry.db import lock, retrying
from pipeline.registry.errors import RegistryError
from pipeline.registry.names import canonical_name, group_key, org_key, org_norm, person_key, person_norm
from pipeline.registry.sql import Raw


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


def facts_hash(result: Result, facts: dict | None = None) -> str:
    data = result.model_dump(mode="json", include=FACT_FIELDS) if facts is None else facts
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def plan(result: Result) -> Plan:
    lang = result.language
    facts = result.model_dump(mode="json", include=FACT_FIELDS)
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
        data = facts["agreements"][i]  # = a.model_dump(mode="json")
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
    return Plan(facts_hash(result, facts), orgs, claims, contacts, dates)


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


def _find_document(db: Raw, result: Result) -> tuple | None:
    """(id, facts_hash, language) of the stored document: same id and sha256, else same id and path."""
    src = result.source
    return db.one("SELECT id, facts_hash, language FROM documents WHERE doc_key = ? AND (sha256 = ? OR path = ?) "
                  "ORDER BY CASE WHEN sha256 = ? THEN 0 ELSE 1 END, id LIMIT 1",
                  (result.id, src.sha256, src.path, src.sha256))


def _load(conn: Connection, result: Result, p: Plan) -> LoadOutcome:
    from pipeline.registry.forget import apply_forgotten

    db = Raw(conn)
    if result.contacts:
        kept = apply_forgotten(conn, result)  # persons forgotten earlier stay forgotten
        if kept is not result:
            result, p = kept, plan(kept)
    lock(conn, [f"doc:{result.id}"])
    doc = _find_document(db, result)
    if doc is not None and doc[1] == p.facts_hash:
        return LoadOutcome(document=result.id, action="unchanged", agreements=merge.agreement_keys_of(conn, doc[0]))

    old_groups: set[str] = set()
    old_aliases: list[tuple] = []
    old_persons: set[str] = set()
    if doc is not None:
        old_groups, old_aliases, old_persons = _contributions(db, doc[0])
    groups = old_groups | p.groups
    orgs = {a[0] for a in old_aliases} | p.org_norms
    persons = old_persons | p.person_keys
    lock(conn, [f"grp:{g}" for g in groups] + [f"org:{o}" for o in orgs] + [f"per:{k}" for k in persons])

    values = _document_values(db, result, p)
    if doc is None:
        columns = ("doc_key", "path", *values)
        doc_id = db.insert("documents", columns, [(result.id, result.source.path, *values.values())], returning="id")[0][0]
        action = "inserted"
    else:
        doc_id = doc[0]
        _forget(db, doc_id)
        db.run(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?", [*values.values(), doc_id])
        action = "replaced"

    change = merge.Change(doc_id, removed_groups=old_groups, removed_persons=old_persons)
    for _norm, org_id, alias, kind, party in old_aliases:
        change.aliases[(org_id, alias, doc[2], kind, bool(party))] -= 1
    _store(db, doc_id, result, p, change)
    merge.refresh(conn, groups=groups, org_norms=orgs, person_keys=persons, change=change)
    return LoadOutcome(document=result.id, action=action, agreements=sorted(change.agreement_keys))


def _document_values(db: Raw, result: Result, p: Plan) -> dict:
    return {
        "sha256": result.source.sha256, "size": result.source.size, "format": result.format or result.source.format,
        "language": result.language, "published": db.date(result.published), "title": result.title,
        "pipeline_version": result.pipeline_version, "facts_hash": p.facts_hash,
        "loaded_at": db.timestamp(datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)),
    }


def _contributions(db: Raw, doc_id: int) -> tuple[set[str], list[tuple], set[str]]:
    """The document's groups, aliases (norm, organisation id, alias, kind, party) and person keys."""
    groups = {r[0] for r in db.all("SELECT group_key FROM agreement_sources WHERE document_id = ?", (doc_id,))}
    aliases = db.all("SELECT o.norm, a.organisation_id, a.alias, a.kind, a.party FROM organisation_aliases a "
                     "JOIN organisations o ON o.id = a.organisation_id WHERE a.document_id = ?", (doc_id,))
    persons = {r[0] for r in db.all("SELECT p.key FROM person_contacts c JOIN persons p ON p.id = c.person_id "
                                    "WHERE c.document_id = ?", (doc_id,))}
    return groups, aliases, persons


def _forget(db: Raw, doc_id: int) -> None:
    """Remove every fact the document contributed (the merged registry is derived again afterwards)."""
    for table in ("evidence", "person_contacts", "agreement_sources", "organisation_aliases", "document_dates"):
        db.run(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))


EVIDENCE_COLUMNS = ("document_id", "fact", "alias_id", "source_id", "amount_id", "contact_id", "date_id",
                    "doc", "span_start", "span_end", "quote")


def _evidence_rows(doc_id: int, fact: str, evidence: list[EvidenceModel], alias_id: int | None = None,
                   source_id: int | None = None, contact_id: int | None = None, date_id: int | None = None) -> list[tuple]:
    return [(doc_id, fact, alias_id, source_id, None, contact_id, date_id, e.doc, e.start, e.end, e.quote)
            for e in evidence]


def _ensure(db: Raw, table: str, column: str, wanted: dict[str, tuple], columns: tuple[str, ...]) -> dict[str, int]:
    """Ids of the rows whose unique `column` has these values; the missing ones inserted (in order) first."""
    where, params = db.in_(column, list(wanted))
    ids = dict(db.all(f"SELECT {column}, id FROM {table} WHERE {where}", params))
    missing = [values for key, values in wanted.items() if key not in ids]
    if missing:
        ids.update(db.insert(table, columns, missing, returning=f"{column}, id", conflict=column))
        rest = [key for key in wanted if key not in ids]  # inserted meanwhile by a concurrent loader
        if rest:
            where, params = db.in_(column, rest)
            ids.update(db.all(f"SELECT {column}, id FROM {table} WHERE {where}", params))
    return ids


def _store(db: Raw, doc_id: int, result: Result, p: Plan, change: merge.Change) -> None:
    """Insert the document's facts, a few statements per table; note in `change` what was added."""
    lang = result.language
    fmt = result.format or result.source.format
    orgs = sorted(p.orgs.items())
    first: dict[str, tuple] = {}
    for (norm, alias), m in orgs:
        first.setdefault(norm, (org_key(norm), norm, alias, m.kind, None, db.json([])))
    org_ids = _ensure(db, "organisations", "norm", first, ("key", "norm", "name", "kind", "country", "corrected")) if first else {}
    change.org_ids.update(org_ids)
    party_ev, claim_ev, contact_ev, date_ev = [], [], [], []
    if orgs:
        rows = [(org_ids[norm], doc_id, alias, m.kind, m.party) for (norm, alias), m in orgs]
        alias_ids = {(o, a): i for i, o, a in db.insert("organisation_aliases", (
            "organisation_id", "document_id", "alias", "kind", "party"), rows, returning="id, organisation_id, alias")}
        for (norm, alias), m in orgs:
            party_ev += _evidence_rows(doc_id, "party", m.evidence, alias_id=alias_ids[(org_ids[norm], alias)])
            change.aliases[(org_ids[norm], alias, lang, m.kind, m.party)] += 1
    if p.claims:
        rows = [(None, doc_id, c.index, c.group, c.type, c.status, db.date(c.start), db.date(c.end),
                 db.json({**c.data, "party_norms": c.party_norms})) for c in p.claims]
        source_ids = dict((i, s) for s, i in db.insert("agreement_sources", (
            "agreement_id", "document_id", "claim_index", "group_key", "type", "status", "start_date", "end_date",
            "claim"), rows, returning="id, claim_index"))
        for c in p.claims:
            claim_ev += _evidence_rows(doc_id, "agreement", c.evidence, source_id=source_ids[c.index])
            change.claims.append(merge.ClaimRow(
                source_ids[c.index], doc_id, result.id, fmt, result.published, c.index, c.type, c.status, c.start,
                c.end, {**c.data, "party_norms": c.party_norms}, None, c.group))
    if p.contacts:
        people: dict[str, tuple] = {}
        for c in p.contacts:
            key = person_key(c.name_norm, c.org_norm)
            org_id = org_ids.get(c.org_norm) if c.org_norm else None
            people.setdefault(key, (key, c.name, org_id, False, db.json([])))
        person_ids = _ensure(db, "persons", "key", people, ("key", "name", "organisation_id", "deleted", "corrected"))
        rows = []
        for c in p.contacts:
            key = person_key(c.name_norm, c.org_norm)
            org_id = org_ids.get(c.org_norm) if c.org_norm else None
            rows.append((person_ids[key], doc_id, c.index, c.name, c.role, org_id, c.phone, c.email))
            change.contacts.setdefault(key, []).append(merge.ContactRow(
                person_ids[key], c.name, org_id, c.role, c.phone, c.email, fmt, result.published, result.id, c.index))
        contact_ids = dict((i, s) for s, i in db.insert("person_contacts", (
            "person_id", "document_id", "claim_index", "name", "role", "organisation_id", "phone", "email"),
            rows, returning="id, claim_index"))
        for c in p.contacts:
            contact_ev += _evidence_rows(doc_id, "contact", c.evidence, contact_id=contact_ids[c.index])
    if p.dates:
        dates = sorted(p.dates.items())
        date_ids = {db.read_date(v): i for i, v in db.insert(
            "document_dates", ("document_id", "value"), [(doc_id, db.date(v)) for v, _ in dates], returning="id, value")}
        for value, ev in dates:
            date_ev += _evidence_rows(doc_id, "date", ev, date_id=date_ids[value])
    evidence = party_ev + claim_ev + contact_ev + date_ev
    if evidence:
        db.insert("evidence", EVIDENCE_COLUMNS, evidence)


def load_files(url: str, paths: Iterable[str | Path]) -> list[LoadOutcome]:
    """Open the registry at `url` and load result files into it (a whole loader process in one call)."""
    from pipeline.registry.db import open_registry

    engine = open_registry(url)
    try:
        return [load_result(engine, result) for _path, result in read_result_files(paths)]
    finally:
        engine.dispose()
