"""Deriving the merged registry from what the documents said, and the reviewers' corrections.

Everything here is a function of the stored claims and corrections alone,
never of the order documents were loaded in: the same documents give the same
registry whether loaded serially, concurrently, or again after a change.

Agreements. Claims with the same type and the same set of parties (by
organisation key) form a group. Within a group, claims whose periods overlap
(an open end overlaps everything on that side) are one agreement; a claim with
no period at all joins the agreement whose period is nearest its document's
publication date (the latest one when undated), or forms the one agreement
when nobody gave a period. Each agreement takes:
- status: the furthest along of proposed < applied < approved < signed < in_force < ended;
- start, end, terms: the first stated value, reading sources in order of
  authority: PDF, email, web page, text, then newest publication first;
- amounts: every distinct (currency, value, per) any source gave, with all
  their evidence; `year` when the agreement's period lies within one calendar year.
Agreement ids are `ag-<hash of group>`, `-2`, `-3`... for further periods of the
same group, in period order, so they stay put when more sources arrive.

Organisations take their most common spelling, kind and country; persons their
newest role and contact details. A row nobody refers to any more is removed.
Corrections (review.py) then override field by field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, delete, func, select

from pipeline.registry.names import agreement_key, canonical_name, country_of, org_norm
from pipeline.registry.schema import (
    Agreement,
    AgreementParty,
    AgreementSource,
    Amount,
    Document,
    Evidence,
    Organisation,
    OrganisationAlias,
    Person,
    PersonContact,
)
from pipeline.registry.sql import corrections_for, ensure_org, update_changed

LIFECYCLE = ["proposed", "applied", "approved", "signed", "in_force", "ended"]
FORMAT_AUTHORITY = {"pdf": 3, "email": 2, "html": 1, "text": 0}
TERMS = ("duration_months", "review_every_months", "notice_months", "auto_renew")
AGREEMENT_FIELDS = ("type", "status", "start", "end", *TERMS)
KIND_ORDER = ["municipality", "region", "state", "organisation", "company", "other"]


def refresh(conn: Connection, groups: Iterable[str] = (), org_norms: Iterable[str] = (),
            person_keys: Iterable[str] = ()) -> None:
    """Derive again what these keys name: agreements first, then persons, then organisations."""
    for g in sorted(set(groups)):
        derive_group(conn, g)
    for k in sorted(set(person_keys)):
        derive_person(conn, k)
    for n in sorted(set(org_norms)):
        derive_org(conn, n)


def agreement_keys_of(conn: Connection, doc_id: int) -> list[str]:
    rows = conn.scalars(
        select(Agreement.key).join(AgreementSource, AgreementSource.agreement_id == Agreement.id)
        .where(AgreementSource.document_id == doc_id).distinct()
    )
    return sorted(rows)


# --- Agreements ---------------------------------------------------------------


@dataclass
class ClaimRow:
    id: int
    document_id: int
    doc_key: str
    format: str | None
    published: date | None
    index: int
    type: str
    status: str | None
    start: date | None
    end: date | None
    data: dict

    @property
    def authority(self) -> tuple:
        """Sort key, most authoritative first."""
        return (-FORMAT_AUTHORITY.get(self.format or "", -1), -(self.published or date.min).toordinal(),
                self.doc_key, self.index)

    @property
    def interval(self) -> tuple[date, date] | None:
        if self.start is None and self.end is None:
            return None
        lo, hi = self.start or date.min, self.end or date.max
        return (lo, hi) if lo <= hi else (hi, lo)


@dataclass
class Cluster:
    lo: date
    hi: date
    claims: list[ClaimRow] = field(default_factory=list)


def cluster(claims: list[ClaimRow]) -> list[list[ClaimRow]]:
    """Claims of one group split into agreements by period (see the module docstring)."""
    dated = sorted((c for c in claims if c.interval), key=lambda c: (c.interval, c.authority))
    undated = sorted((c for c in claims if not c.interval), key=lambda c: c.authority)
    clusters: list[Cluster] = []
    for c in dated:
        lo, hi = c.interval
        if clusters and lo <= clusters[-1].hi:
            clusters[-1].hi = max(hi, clusters[-1].hi)
            clusters[-1].claims.append(c)
        else:
            clusters.append(Cluster(lo, hi, [c]))
    if not clusters:
        return [undated] if undated else []
    for c in undated:
        if c.published is None:
            target = clusters[-1]
        else:
            def distance(k: Cluster, day: date = c.published) -> tuple[int, int]:
                gap = 0 if k.lo <= day <= k.hi else min(abs((k.lo - day).days), abs((day - k.hi).days))
                return gap, -clusters.index(k)
            target = min(clusters, key=distance)
        target.claims.append(c)
    return [k.claims for k in clusters]


def _claims_of_group(conn: Connection, group: str) -> list[ClaimRow]:
    rows = conn.execute(
        select(AgreementSource.__table__, Document.doc_key, Document.format, Document.published)
        .join(Document, Document.id == AgreementSource.document_id)
        .where(AgreementSource.group_key == group)
    )
    return [
        ClaimRow(s.id, s.document_id, s.doc_key, s.format, s.published, s.claim_index, s.type, s.status,
                 s.start_date, s.end_date, s.claim)
        for s in rows
    ]


def _first(values: Iterable):
    return next((v for v in values if v is not None), None)


def _slot(currency: str, value: float, per: str | None, year: int | None) -> str:
    return f"{currency}|{float(value):.4f}|{per or ''}|{year or ''}"


def _merged(claims: list[ClaimRow]) -> dict:
    ranked = sorted(claims, key=lambda c: c.authority)
    statuses = [c.status for c in claims if c.status in LIFECYCLE]
    out = {
        "type": ranked[0].type,
        "status": max(statuses, key=LIFECYCLE.index) if statuses else None,
        "start": _first(c.start for c in ranked),
        "end": _first(c.end for c in ranked),
        "party_norms": list(ranked[0].data.get("party_norms") or []),
    }
    for t in TERMS:
        out[t] = _first((c.data.get("terms") or {}).get(t) for c in ranked)
    amounts: dict[tuple, dict] = {}
    for c in ranked:
        for a in c.data.get("amounts") or []:
            k = (a["currency"], float(a["value"]), a.get("per"))
            entry = amounts.setdefault(k, {"value": a["value"], "currency": a["currency"], "per": a.get("per"),
                                           "approx": True, "evidence": []})
            entry["approx"] = entry["approx"] and bool(a.get("approx"))
            for e in a.get("evidence") or []:
                ev = (c.document_id, e["doc"], e["start"], e["end"], e["quote"])
                if ev not in entry["evidence"]:
                    entry["evidence"].append(ev)
    out["amounts"] = list(amounts.values())
    return out


def _one_year(start: date | None, end: date | None) -> int | None:
    if start and end and start.year == end.year:
        return start.year
    return None


def _apply_agreement_corrections(conn: Connection, desired: dict, fixes: dict) -> None:
    for name in AGREEMENT_FIELDS:
        if name in fixes:
            value = fixes[name]
            desired[name] = date.fromisoformat(value) if name in ("start", "end") and value else value
    if "parties" in fixes:
        norms = []
        for name in fixes["parties"]:
            norm = org_norm(name)
            ensure_org(conn, norm, name, canonical_name(name)[1])
            if norm not in norms:
                norms.append(norm)
        desired["party_norms"] = norms
    if "amounts" in fixes:
        machine = {(a["currency"], float(a["value"]), a["per"]): a["evidence"] for a in desired["amounts"]}
        desired["amounts"] = [
            {"value": a["value"], "currency": a["currency"], "per": a.get("per"), "year": a.get("year"),
             "approx": bool(a.get("approx")),
             "evidence": machine.get((a["currency"], float(a["value"]), a.get("per")), [])}
            for a in fixes["amounts"]
        ]
    desired["deleted"] = bool(fixes.get("delete"))
    desired["corrected"] = sorted(k for k in fixes if k != "delete")


def derive_group(conn: Connection, group: str) -> None:
    claims = _claims_of_group(conn, group)
    existing = {a.key: a for a in conn.execute(select(Agreement.__table__).where(Agreement.group_key == group))}
    wanted: dict[str, list[ClaimRow]] = {agreement_key(group, i): cl for i, cl in enumerate(cluster(claims), 1)}
    for key in set(existing) - set(wanted):
        conn.execute(delete(Agreement).where(Agreement.id == existing[key].id))
    for key, members in wanted.items():
        desired = _merged(members)
        desired["deleted"], desired["corrected"] = False, []
        _apply_agreement_corrections(conn, desired, corrections_for(conn, "agreement", key))
        row = {
            "type": desired["type"], "status": desired["status"], "start_date": desired["start"],
            "end_date": desired["end"], **{t: desired[t] for t in TERMS},
            "deleted": desired["deleted"], "corrected": desired["corrected"],
        }
        current = existing.get(key)
        if current is None:
            agreement_id = conn.execute(
                Agreement.__table__.insert().values(key=key, group_key=group, **row).returning(Agreement.id)
            ).scalar_one()
        else:
            agreement_id = current.id
            update_changed(conn, Agreement.__table__, agreement_id,
                           {c: getattr(current, c) for c in row}, row)
        for c in members:
            conn.execute(AgreementSource.__table__.update()
                         .where(AgreementSource.id == c.id, AgreementSource.agreement_id.is_distinct_from(agreement_id))
                         .values(agreement_id=agreement_id))
        _sync_parties(conn, agreement_id, desired["party_norms"])
        year = _one_year(desired["start"], desired["end"])
        for a in desired["amounts"]:
            a.setdefault("year", year)  # a reviewer's amount keeps the year it was given
        _sync_amounts(conn, agreement_id, desired["amounts"])


def _sync_parties(conn: Connection, agreement_id: int, norms: list[str]) -> None:
    ids = dict(conn.execute(select(Organisation.norm, Organisation.id).where(Organisation.norm.in_(norms))).all())
    desired = {ids[n]: pos for pos, n in enumerate(norms) if n in ids}
    current = dict(conn.execute(
        select(AgreementParty.organisation_id, AgreementParty.position).where(AgreementParty.agreement_id == agreement_id)
    ).all())
    table = AgreementParty.__table__
    for org_id in set(current) - set(desired):
        conn.execute(table.delete().where(table.c.agreement_id == agreement_id, table.c.organisation_id == org_id))
    for org_id, pos in desired.items():
        if org_id not in current:
            conn.execute(table.insert().values(agreement_id=agreement_id, organisation_id=org_id, position=pos))
        elif current[org_id] != pos:
            conn.execute(table.update().where(table.c.agreement_id == agreement_id, table.c.organisation_id == org_id)
                         .values(position=pos))


def _sync_amounts(conn: Connection, agreement_id: int, amounts: list[dict]) -> None:
    desired = {}
    for a in amounts:
        slot = _slot(a["currency"], a["value"], a["per"], a["year"])
        desired.setdefault(slot, a)
    current = {a.slot: a for a in conn.execute(select(Amount.__table__).where(Amount.agreement_id == agreement_id))}
    for slot in set(current) - set(desired):
        conn.execute(delete(Amount).where(Amount.id == current[slot].id))
    for slot, a in desired.items():
        row = {"value": float(a["value"]), "currency": a["currency"], "per": a["per"], "year": a["year"],
               "approx": bool(a["approx"])}
        if slot in current:
            amount_id = current[slot].id
            update_changed(conn, Amount.__table__, amount_id, {c: getattr(current[slot], c) for c in row}, row)
        else:
            amount_id = conn.execute(
                Amount.__table__.insert().values(agreement_id=agreement_id, slot=slot, **row).returning(Amount.id)
            ).scalar_one()
        _sync_amount_evidence(conn, amount_id, a["evidence"])


def _sync_amount_evidence(conn: Connection, amount_id: int, evidence: list[tuple]) -> None:
    rows = conn.execute(
        select(Evidence.id, Evidence.document_id, Evidence.doc, Evidence.span_start, Evidence.span_end, Evidence.quote)
        .where(Evidence.amount_id == amount_id)
    ).all()
    current = {tuple(r[1:]): r[0] for r in rows}
    wanted = set(evidence)
    for ev, ev_id in current.items():
        if ev not in wanted:
            conn.execute(delete(Evidence).where(Evidence.id == ev_id))
    new = [
        {"document_id": d, "fact": "amount", "amount_id": amount_id, "doc": doc, "span_start": s, "span_end": e,
         "quote": q}
        for d, doc, s, e, q in evidence if (d, doc, s, e, q) not in current
    ]
    if new:
        conn.execute(Evidence.__table__.insert(), new)


# --- Persons -----------------------------------------------------------------


def derive_person(conn: Connection, key: str) -> None:
    person = conn.execute(select(Person.__table__).where(Person.key == key)).first()
    if person is None:
        return
    rows = conn.execute(
        select(PersonContact.__table__, Document.format, Document.published, Document.doc_key)
        .join(Document, Document.id == PersonContact.document_id)
        .where(PersonContact.person_id == person.id)
    ).all()
    fixes = corrections_for(conn, "contact", key)
    added = fixes.get("add") or {}
    if not rows and not added:
        conn.execute(delete(Person).where(Person.id == person.id))
        return
    newest = sorted(rows, key=lambda r: (-(r.published or date.min).toordinal(),
                                         -FORMAT_AUTHORITY.get(r.format or "", -1), r.doc_key, r.claim_index))
    names = Counter(c.name for c in newest)
    desired = {
        "name": max(names, key=lambda n: (names[n], n != n.upper(), n)) if names else person.name,
        "organisation_id": _first(c.organisation_id for c in newest) if newest else person.organisation_id,
        "role": _first(c.role for c in newest),
        "phone": _first(c.phone for c in newest),
        "email": _first(c.email for c in newest),
    }
    for name in ("name", "role", "phone", "email", "organisation"):
        value = fixes[name] if name in fixes else added.get(name)
        if name not in fixes and value is None:
            continue
        if name == "organisation":
            desired["organisation_id"] = ensure_org(conn, org_norm(value), value, canonical_name(value)[1]) if value else None
        else:
            desired[name] = value
    desired["deleted"] = bool(fixes.get("delete"))
    desired["corrected"] = sorted(k for k in fixes if k != "delete")
    update_changed(conn, Person.__table__, person.id, {c: getattr(person, c) for c in desired}, desired)


# --- Organisations --------------------------------------------------------------


def derive_org(conn: Connection, norm: str) -> None:
    org = conn.execute(select(Organisation.__table__).where(Organisation.norm == norm)).first()
    if org is None:
        return
    aliases = conn.execute(
        select(OrganisationAlias.alias, OrganisationAlias.kind, OrganisationAlias.party, Document.language)
        .join(Document, Document.id == OrganisationAlias.document_id)
        .where(OrganisationAlias.organisation_id == org.id)
    ).all()
    if not aliases and not _referenced(conn, org.id):
        conn.execute(delete(Organisation).where(Organisation.id == org.id))
        return
    desired: dict = {}
    if aliases:
        party = [a for a in aliases if a.party] or aliases
        names = Counter(canonical_name(a.alias, a.language)[0] for a in party)
        desired["name"] = max(names, key=lambda n: (names[n], n != n.upper(), n))
        kinds = Counter(a.kind for a in party if a.kind)
        if kinds:
            desired["kind"] = min(kinds, key=lambda k: (-kinds[k], KIND_ORDER.index(k) if k in KIND_ORDER else 99))
        else:
            desired["kind"] = canonical_name(desired["name"])[1]
        countries = Counter(c for c in (country_of(desired["name"], a.language) for a in aliases) if c)
        desired["country"] = min(countries, key=lambda c: (-countries[c], c)) if countries else None
    fixes = corrections_for(conn, "organisation", org.key)
    for name in ("name", "kind", "country"):
        if name in fixes:
            desired[name] = fixes[name]
    desired["corrected"] = sorted(fixes)
    update_changed(conn, Organisation.__table__, org.id, {c: getattr(org, c) for c in desired}, desired)


def _referenced(conn: Connection, org_id: int) -> bool:
    for model in (AgreementParty, Person, PersonContact):
        if conn.scalar(select(func.count()).select_from(model).where(model.organisation_id == org_id)):
            return True
    return False
