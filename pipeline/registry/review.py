"""The review round-trip: export the registry's facts with their evidence, take corrections back.

`export_review(engine)` gives a `ReviewFile`: every agreement, organisation and
contact with its public id, its values and the evidence they were read from.
A reviewer edits values in place, sets `"delete": true` on an agreement or
contact that is wrong, and adds a missing contact as a new entry without an
`id`. Evidence, sources and aliases are for reading; edits to them are ignored.

`apply_review(engine, path)` validates the whole file first (pydantic, then
every id against the registry); any problem rejects the file with messages
that name the file, the path inside it and the reason, and nothing is changed.
Otherwise each value that differs from the registry becomes a correction keyed
by the public id and field; corrections are stored and applied in one
transaction, and `merge.py` applies them again whenever it derives the
registry, so they survive re-runs and re-loads.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationError, field_serializer
from sqlalchemy import Engine, select

from pipeline.models import Agreement as AgreementFact
from pipeline.models import Party
from pipeline.registry import merge
from pipeline.registry.db import lock, retrying
from pipeline.registry.errors import RegistryError
from pipeline.registry.names import canonical_name, org_norm, person_key, person_norm
from pipeline.registry.query import list_agreements, list_organisations, list_persons
from pipeline.registry.schema import Agreement, Correction, Organisation, Person
from pipeline.registry.sql import ensure_org, ensure_person, insert_id
from pipeline.registry.views import AgreementView, EvidenceView, OrganisationView, PersonView

FORMAT = "agreements-review/1"
Number = Annotated[float, Strict()]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
# The same vocabularies as the extraction's contracts.
Kind = Party.model_fields["kind"].annotation
AgreementType = AgreementFact.model_fields["type"].annotation
Status = AgreementFact.model_fields["status"].annotation


class ReviewError(RegistryError):
    """A review file that cannot be applied; `problems` holds one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewTerms(_Strict):
    duration_months: Annotated[int, Strict()] | None = None
    review_every_months: Annotated[int, Strict()] | None = None
    notice_months: Annotated[int, Strict()] | None = None
    auto_renew: Annotated[bool, Strict()] | None = None


class ReviewAmount(_Strict):
    value: Number
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    per: Literal["year", "month", "total"] | None = None
    year: Annotated[int, Strict(), Field(ge=1900, le=2200)] | None = None
    approx: Annotated[bool, Strict()] = False
    evidence: list[EvidenceView] = Field(default_factory=list)  # read-only

    @field_serializer("value")
    def _whole(self, value: float) -> float | int:
        return int(value) if float(value).is_integer() else value


class ReviewAgreement(_Strict):
    id: Text
    delete: Annotated[bool, Strict()] = False
    type: AgreementType
    status: Status = None
    parties: list[Text] = Field(default_factory=list)
    start: date | None = None
    end: date | None = None
    terms: ReviewTerms = Field(default_factory=ReviewTerms)
    amounts: list[ReviewAmount] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # read-only: the documents' ids
    evidence: list[EvidenceView] = Field(default_factory=list)  # read-only
    corrected: list[str] = Field(default_factory=list)  # read-only


class ReviewOrganisation(_Strict):
    id: Text
    name: Text
    kind: Kind | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    aliases: list[str] = Field(default_factory=list)  # read-only
    agreements: list[str] = Field(default_factory=list)  # read-only
    sources: list[str] = Field(default_factory=list)  # read-only
    evidence: list[EvidenceView] = Field(default_factory=list)  # read-only
    corrected: list[str] = Field(default_factory=list)  # read-only


class ReviewContact(_Strict):
    id: Text | None = None  # none: a contact the reviewer adds
    delete: Annotated[bool, Strict()] = False
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    organisation: Text | None = None
    role: str | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{4,}$")] | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    sources: list[str] = Field(default_factory=list)  # read-only
    evidence: list[EvidenceView] = Field(default_factory=list)  # read-only
    corrected: list[str] = Field(default_factory=list)  # read-only


class ReviewFile(_Strict):
    format: Literal["agreements-review/1"] = FORMAT
    exported: datetime | None = None
    agreements: list[ReviewAgreement] = Field(default_factory=list)
    organisations: list[ReviewOrganisation] = Field(default_factory=list)
    contacts: list[ReviewContact] = Field(default_factory=list)


class ApplyReport(BaseModel):
    file: str
    corrections: int  # corrections stored or changed
    agreements: list[str] = Field(default_factory=list)  # ids changed
    organisations: list[str] = Field(default_factory=list)
    contacts: list[str] = Field(default_factory=list)


# --- Export -------------------------------------------------------------------------------


def _agreement_item(a: AgreementView) -> ReviewAgreement:
    return ReviewAgreement(
        id=a.id, type=a.type, status=a.status, parties=[p.name for p in a.parties], start=a.start, end=a.end,
        terms=ReviewTerms(**a.terms.model_dump()),
        amounts=[ReviewAmount(value=m.value, currency=m.currency, per=m.per, year=m.year, approx=m.approx,
                              evidence=m.evidence) for m in a.amounts],
        sources=[s.document for s in a.sources], evidence=a.evidence, corrected=a.corrected,
    )


def _organisation_item(o: OrganisationView) -> ReviewOrganisation:
    return ReviewOrganisation(id=o.id, name=o.name, kind=o.kind, country=o.country, aliases=o.aliases,
                              agreements=o.agreements, sources=o.sources, evidence=o.evidence, corrected=o.corrected)


def _contact_item(p: PersonView) -> ReviewContact:
    return ReviewContact.model_construct(
        id=p.id, delete=False, name=p.name, organisation=p.organisation, role=p.role, phone=p.phone, email=p.email,
        sources=p.sources, evidence=p.evidence, corrected=p.corrected,
    )


def export_review(engine: Engine) -> ReviewFile:
    """Every fact of the registry with its evidence, as a reviewer edits it."""
    return ReviewFile(
        exported=datetime.now(timezone.utc).replace(microsecond=0),
        agreements=[_agreement_item(a) for a in list_agreements(engine, evidence=True)],
        organisations=[_organisation_item(o) for o in list_organisations(engine, evidence=True)],
        contacts=[_contact_item(p) for p in list_persons(engine, evidence=True)],
    )


def write_review(engine: Engine, out: Path) -> ReviewFile:
    review = export_review(engine)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(review.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return review


# --- Apply --------------------------------------------------------------------------------


def _json_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReviewError([f"{path}: cannot read: {exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise ReviewError([f"{path}: not UTF-8 text: {exc.reason}"]) from exc
    except json.JSONDecodeError as exc:
        raise ReviewError([f"{path}: line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}"]) from exc


def _schema_problems(path: Path, data) -> list[str]:  # noqa: ANN001
    try:
        ReviewFile.model_validate(data)
    except ValidationError as exc:
        return [f"{path}: {_json_path(tuple(err['loc']))}: {err['msg']}" for err in exc.errors()]
    return []


def _id_problems(path: Path, data, engine: Engine) -> list[str]:  # noqa: ANN001
    """Every id must name something in the registry, once; read from the raw file, so the
    problems come out together with the schema's."""
    if not isinstance(data, dict):
        return []
    with engine.connect() as conn:
        known = {
            "agreements": set(conn.scalars(select(Agreement.key))),
            "organisations": set(conn.scalars(select(Organisation.key))),
            "contacts": set(conn.scalars(select(Person.key))),
        }
    what = {"agreements": "agreement", "organisations": "organisation", "contacts": "contact"}
    problems = []
    for section in known:
        items = data.get(section)
        seen: dict[str, int] = {}
        for i, item in enumerate(items if isinstance(items, list) else []):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident not in known[section]:
                problems.append(f"{path}: {section}[{i}].id: no {what[section]} {ident!r} in the registry")
            elif ident in seen:
                problems.append(f"{path}: {section}[{i}].id: {ident!r} is also {section}[{seen[ident]}]")
            seen.setdefault(ident, i)
    return problems


def read_review(path: str | Path, engine: Engine | None = None) -> ReviewFile:
    """Parse and validate a review file (and its ids, given the registry).

    ReviewError lists every problem, each naming the file, the path inside it and the reason.
    """
    path = Path(path)
    data = _load_json(path)
    problems = _schema_problems(path, data) + (_id_problems(path, data, engine) if engine is not None else [])
    if problems:
        raise ReviewError(problems)
    return ReviewFile.model_validate(data)


def _amount_key(m) -> tuple:
    return (m.currency, float(m.value), m.per, m.year, bool(m.approx))


def _agreement_changes(item: ReviewAgreement, now: AgreementView | None) -> dict[str, object]:
    if item.delete:
        return {"delete": True}
    if now is None:  # deleted by an earlier review and listed again: undelete
        return {"delete": False}
    out: dict[str, object] = {}
    for name in ("type", "status", "start", "end"):
        mine = getattr(item, name)
        if mine != getattr(now, name):
            out[name] = mine.isoformat() if isinstance(mine, date) else mine
    for name, value in item.terms.model_dump().items():
        if value != getattr(now.terms, name):
            out[name] = value
    if [org_norm(p) for p in item.parties] != [org_norm(p.name) for p in now.parties]:
        out["parties"] = list(item.parties)
    if sorted(map(_amount_key, item.amounts)) != sorted(map(_amount_key, now.amounts)):
        out["amounts"] = [m.model_dump(exclude={"evidence"}) for m in item.amounts]
    return out


def _plan_corrections(path: Path, review: ReviewFile, engine: Engine) -> list[tuple[str, str, str, object]]:
    """(target, key, field, value) for every value that differs from the registry now."""
    agreements = {a.id: a for a in list_agreements(engine)}
    orgs = {o.id: o for o in list_organisations(engine)}
    persons = {p.id: p for p in list_persons(engine)}
    out, problems = [], []
    for i, item in enumerate(review.agreements):
        changes = _agreement_changes(item, agreements.get(item.id))
        if ("start" in changes or "end" in changes) and item.start and item.end and item.start > item.end:
            problems.append(f"{path}: agreements[{i}].end: {item.end} is before start {item.start}")
        out += [("agreement", item.id, name, value) for name, value in changes.items()]
    for item in review.organisations:
        now = orgs[item.id]
        out += [("organisation", item.id, name, getattr(item, name))
                for name in ("name", "kind", "country") if getattr(item, name) != getattr(now, name)]
    for item in review.contacts:
        fields = {k: getattr(item, k) for k in ("name", "organisation", "role", "phone", "email")}
        if item.id is None:
            key = person_key(person_norm(item.name), org_norm(item.organisation) if item.organisation else None)
            out.append(("contact", key, "add", fields))
        elif item.delete:
            out.append(("contact", item.id, "delete", True))
        elif item.id not in persons:  # deleted by an earlier review and listed again
            out.append(("contact", item.id, "delete", False))
        else:
            out += [("contact", item.id, name, value)
                    for name, value in fields.items() if value != getattr(persons[item.id], name)]
    if problems:
        raise ReviewError(problems)
    with engine.connect() as conn:
        stored = {(t, k, f): v for t, k, f, v in conn.execute(
            select(Correction.target, Correction.target_key, Correction.field, Correction.value))}
    return [c for c in out if (c[0], c[1], c[2]) not in stored or stored[c[:3]] != c[3]]


def apply_review(engine: Engine, path: str | Path) -> ApplyReport:
    """Validate a review file whole, then store its corrections and apply them, in one transaction."""
    path = Path(path)
    review = read_review(path, engine)
    planned = _plan_corrections(path, review, engine)
    report = ApplyReport(file=str(path), corrections=len(planned))

    def work(conn) -> None:  # noqa: ANN001
        groups = set(conn.scalars(select(Agreement.group_key).where(
            Agreement.key.in_([k for t, k, _, _ in planned if t == "agreement"]))))
        person_keys = {k for t, k, _, _ in planned if t == "contact"}
        org_keys = {k for t, k, _, _ in planned if t == "organisation"}
        org_norms = set(conn.scalars(select(Organisation.norm).where(Organisation.key.in_(org_keys))))
        lock(conn, [f"grp:{g}" for g in groups] + [f"per:{k}" for k in person_keys] + [f"org:{n}" for n in org_norms])
        now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
        for target, key, field, value in planned:
            conn.execute(Correction.__table__.delete().where(
                Correction.target == target, Correction.target_key == key, Correction.field == field))
            if field == "delete" and value is False:
                continue  # undoing a deletion: no correction left
            insert_id(conn, Correction.__table__, {"target": target, "target_key": key, "field": field,
                                                   "value": value, "source": str(path), "applied_at": now})
            if field == "add":
                onorm = org_norm(value["organisation"]) if value.get("organisation") else None
                org_id = ensure_org(conn, onorm, value["organisation"],
                                    canonical_name(value["organisation"])[1]) if onorm else None
                ensure_person(conn, person_norm(value["name"]), onorm, value["name"], org_id)
        merge.refresh(conn, groups=groups, org_norms=org_norms, person_keys=person_keys)

    if planned:
        retrying(engine, work)
    report.agreements = sorted({k for t, k, _, _ in planned if t == "agreement"})
    report.organisations = sorted({k for t, k, _, _ in planned if t == "organisation"})
    report.contacts = sorted({k for t, k, _, _ in planned if t == "contact"})
    return report
