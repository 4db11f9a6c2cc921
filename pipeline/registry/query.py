"""Reading the registry: agreements and organisations, listed with filters or shown one by one.

Every answer is the merged registry with the reviewers' corrections already
applied (merge.py); agreements and contacts a reviewer deleted are left out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from pipeline.models import Terms
from pipeline.registry.errors import NotFound
from pipeline.registry.names import fold, org_norm
from pipeline.registry.schema import (
    Agreement,
    AgreementParty,
    AgreementSource,
    Document,
    Evidence,
    Organisation,
    OrganisationAlias,
    Person,
    PersonContact,
)
from pipeline.registry.views import (
    AgreementFilter,
    AgreementView,
    AmountView,
    EvidenceView,
    OrganisationFilter,
    OrganisationView,
    PartyView,
    PersonView,
    SourceView,
)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _evidence(session: Session, column, ids: list[int]) -> dict[int, list[EvidenceView]]:
    out: dict[int, list[EvidenceView]] = defaultdict(list)
    if not ids:
        return out
    rows = session.execute(
        select(column, Document.doc_key, Evidence.doc, Evidence.span_start, Evidence.span_end, Evidence.quote)
        .join(Document, Document.id == Evidence.document_id)
        .where(column.in_(ids))
        .order_by(Document.doc_key, Evidence.doc, Evidence.span_start, Evidence.span_end)
    )
    for ref, key, doc, start, end, quote in rows:
        out[ref].append(EvidenceView(document=key, doc=doc, start=start, end=end, quote=quote))
    return out


def _party(org: Organisation) -> PartyView:
    return PartyView(id=org.key, name=org.name, kind=org.kind, country=org.country)


def _source(doc: Document) -> SourceView:
    return SourceView(document=doc.doc_key, path=doc.path, sha256=doc.sha256, format=doc.format,
                      language=doc.language, published=doc.published, title=doc.title)


def _agreements(session: Session, where=None, evidence: bool = False) -> list[AgreementView]:
    stmt = (
        select(Agreement).where(Agreement.deleted.is_(False))
        .options(
            selectinload(Agreement.parties).selectinload(AgreementParty.organisation),
            selectinload(Agreement.amounts),
            selectinload(Agreement.sources).selectinload(AgreementSource.document),
        )
    )
    if where is not None:
        stmt = stmt.where(where)
    rows = session.scalars(stmt).all()
    source_ev = _evidence(session, Evidence.source_id, [s.id for a in rows for s in a.sources]) if evidence else {}
    amount_ev = _evidence(session, Evidence.amount_id, [m.id for a in rows for m in a.amounts])
    views = []
    for a in rows:
        docs = sorted({s.document.id: s.document for s in a.sources}.values(), key=lambda d: d.doc_key)
        views.append(AgreementView(
            id=a.key, type=a.type, status=a.status, start=a.start_date, end=a.end_date,
            terms=Terms(duration_months=a.duration_months, review_every_months=a.review_every_months,
                        notice_months=a.notice_months, auto_renew=a.auto_renew),
            parties=[_party(p.organisation) for p in a.parties],
            amounts=[
                AmountView(value=_number(m.value), currency=m.currency, per=m.per, year=m.year, approx=m.approx,
                           evidence=amount_ev.get(m.id, []) if evidence else [])
                for m in sorted(a.amounts, key=lambda m: (m.currency, -m.value, m.per or "", m.year or 0))
            ],
            sources=[_source(d) for d in docs],
            evidence=[e for s in sorted(a.sources, key=lambda s: (s.document.doc_key, s.claim_index))
                      for e in source_ev.get(s.id, [])],
            corrected=list(a.corrected or []),
        ))
    views.sort(key=lambda v: (fold(v.parties[0].name) if v.parties else "", v.start or date.min, v.id))
    return views


def _party_matches(session: Session, text: str) -> set[str]:
    """Keys of organisations whose name or any alias contains `text`, or that `text` names."""
    want, norm = fold(text), org_norm(text)
    keys = set()
    for key, onorm, name, alias in session.execute(
        select(Organisation.key, Organisation.norm, Organisation.name, OrganisationAlias.alias)
        .outerjoin(OrganisationAlias, OrganisationAlias.organisation_id == Organisation.id)
    ):
        if onorm == norm or want in fold(name) or (alias and want in fold(alias)):
            keys.add(key)
    return keys


def _touches_year(a: AgreementView, year: int) -> bool:
    lo, hi = a.start or a.end, a.end or a.start
    if lo is None:
        return any(m.year == year for m in a.amounts)
    lo, hi = min(lo, hi), max(lo, hi)
    return lo.year <= year <= hi.year


def _keep(a: AgreementView, f: AgreementFilter, party_keys: set[str] | None) -> bool:
    return (
        (f.type is None or a.type == f.type)
        and (f.status is None or a.status == f.status)
        and (f.currency is None or any(m.currency == f.currency.upper() for m in a.amounts))
        and (f.kind is None or any(p.kind == f.kind for p in a.parties))
        and (f.year is None or _touches_year(a, f.year))
        and (party_keys is None or any(p.id in party_keys for p in a.parties))
    )


def list_agreements(engine: Engine, flt: AgreementFilter | None = None, evidence: bool = False) -> list[AgreementView]:
    f = flt or AgreementFilter()
    with Session(engine) as session:
        party_keys = _party_matches(session, f.party) if f.party else None
        return [a for a in _agreements(session, evidence=evidence) if _keep(a, f, party_keys)]


def get_agreement(engine: Engine, ident: str) -> AgreementView:
    """One agreement, with the evidence of every source; `ident` is its id (ag-...) or row number."""
    cond = Agreement.id == int(ident) if str(ident).isdigit() else Agreement.key == ident
    with Session(engine) as session:
        found = _agreements(session, where=cond, evidence=True)
    if not found:
        raise NotFound(f"no agreement {ident!r} in the registry")
    return found[0]


# --- Organisations and persons --------------------------------------------------


def _persons(session: Session, where=None, evidence: bool = False) -> list[PersonView]:
    stmt = select(Person).where(Person.deleted.is_(False)).options(
        selectinload(Person.organisation), selectinload(Person.contacts).selectinload(PersonContact.document)
    )
    if where is not None:
        stmt = stmt.where(where)
    rows = session.scalars(stmt).all()
    ev = _evidence(session, Evidence.contact_id, [c.id for p in rows for c in p.contacts]) if evidence else {}
    views = [
        PersonView(
            id=p.key, name=p.name, organisation=p.organisation.name if p.organisation else None,
            organisation_id=p.organisation.key if p.organisation else None,
            role=p.role, phone=p.phone, email=p.email,
            sources=sorted({c.document.doc_key for c in p.contacts}),
            evidence=[e for c in sorted(p.contacts, key=lambda c: (c.document.doc_key, c.claim_index))
                      for e in ev.get(c.id, [])],
            corrected=list(p.corrected or []),
        )
        for p in rows
    ]
    return sorted(views, key=lambda v: (fold(v.organisation or ""), fold(v.name), v.id))


def list_persons(engine: Engine, evidence: bool = False) -> list[PersonView]:
    with Session(engine) as session:
        return _persons(session, evidence=evidence)


def _organisations(session: Session, where=None, evidence: bool = False) -> list[OrganisationView]:
    stmt = select(Organisation).options(selectinload(Organisation.aliases).selectinload(OrganisationAlias.document))
    if where is not None:
        stmt = stmt.where(where)
    orgs = session.scalars(stmt).all()
    ids = [o.id for o in orgs]
    agreements: dict[int, list[str]] = defaultdict(list)
    for org_id, key in session.execute(
        select(AgreementParty.organisation_id, Agreement.key).join(Agreement, Agreement.id == AgreementParty.agreement_id)
        .where(AgreementParty.organisation_id.in_(ids), Agreement.deleted.is_(False)).order_by(Agreement.key)
    ):
        agreements[org_id].append(key)
    persons: dict[str, list[PersonView]] = defaultdict(list)
    for p in _persons(session, where=Person.organisation_id.in_(ids), evidence=evidence):
        persons[p.organisation_id].append(p)
    alias_ev = _evidence(session, Evidence.alias_id, [a.id for o in orgs for a in o.aliases]) if evidence else {}
    views = [
        OrganisationView(
            id=o.key, name=o.name, kind=o.kind, country=o.country,
            aliases=sorted({a.alias for a in o.aliases} - {o.name}),
            agreements=agreements.get(o.id, []), persons=persons.get(o.key, []),
            sources=sorted({a.document.doc_key for a in o.aliases}),
            evidence=[e for a in sorted(o.aliases, key=lambda a: (a.document.doc_key, a.alias))
                      for e in alias_ev.get(a.id, [])],
            corrected=list(o.corrected or []),
        )
        for o in orgs
    ]
    return sorted(views, key=lambda v: (fold(v.name), v.id))


def list_organisations(engine: Engine, flt: OrganisationFilter | None = None,
                       evidence: bool = False) -> list[OrganisationView]:
    f = flt or OrganisationFilter()
    with Session(engine) as session:
        orgs = _organisations(session, evidence=evidence)
        keys = _party_matches(session, f.party) if f.party else None
    if f.year is not None or f.type or f.status or f.currency:
        af = AgreementFilter(year=f.year, type=f.type, status=f.status, currency=f.currency)
        wanted = {a.id for a in list_agreements(engine, af)}
        orgs = [o for o in orgs if wanted.intersection(o.agreements)]
    return [
        o for o in orgs
        if (keys is None or o.id in keys)
        and (f.kind is None or o.kind == f.kind)
        and (f.country is None or (o.country or "").upper() == f.country.upper())
    ]


def get_organisation(engine: Engine, ident: str) -> OrganisationView:
    """One organisation with its aliases, agreements, persons and evidence; by id (org-...), row number or name."""
    if str(ident).isdigit():
        cond = Organisation.id == int(ident)
    elif str(ident).startswith("org-"):
        cond = Organisation.key == ident
    else:
        cond = Organisation.norm == org_norm(ident)
    with Session(engine) as session:
        found = _organisations(session, where=cond, evidence=True)
    if not found:
        raise NotFound(f"no organisation {ident!r} in the registry")
    return found[0]
