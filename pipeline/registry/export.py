"""Exports: JSON, JSON Lines and CSV of agreements or organisations; OCDS release packages.

The OCDS export turns each agreement into one release (Open Contracting Data
Standard 1.1): `ocid` = prefix + agreement id; `parties` with roles (a public
body -- municipality, region, state -- is the `buyer`, or the `funder` of a
grant; its counterparts are `supplier`s, or `beneficiary` of a grant: the role
codelist is open); an award and a contract with `value` {amount, currency} and
`period`/`contractPeriod` {startDate, endDate}; the source documents as
`documents`.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone
from typing import Literal, TextIO

from sqlalchemy import Engine

from pipeline.registry.names import PUBLIC_KINDS, short_hash
from pipeline.registry.query import list_agreements, list_organisations
from pipeline.registry.views import AgreementFilter, AgreementView, AmountView, OrganisationFilter, OrganisationView

Format = Literal["json", "jsonl", "csv", "ocds"]
DEFAULT_OCID_PREFIX = "ocds-agreements"
GRANT_TYPES = {"grant", "grant_application"}

AGREEMENT_COLUMNS = [
    "id", "type", "status", "start", "end", "parties", "party_ids", "party_kinds", "amounts", "currencies",
    "duration_months", "review_every_months", "notice_months", "auto_renew", "sources", "corrected",
]
ORGANISATION_COLUMNS = ["id", "name", "kind", "country", "aliases", "agreements", "persons", "sources", "corrected"]


def amount_text(m: AmountView) -> str:
    per = f"/{m.per}" if m.per and m.per != "total" else (" total" if m.per == "total" else "")
    year = f" ({m.year})" if m.year else ""
    return f"{'~' if m.approx else ''}{m.value:,} {m.currency}{per}{year}".replace(",", " ")


def agreement_row(a: AgreementView) -> dict[str, object]:
    return {
        "id": a.id, "type": a.type, "status": a.status or "", "start": a.start or "", "end": a.end or "",
        "parties": "; ".join(p.name for p in a.parties),
        "party_ids": "; ".join(p.id for p in a.parties),
        "party_kinds": "; ".join(p.kind or "" for p in a.parties),
        "amounts": "; ".join(amount_text(m) for m in a.amounts),
        "currencies": "; ".join(sorted({m.currency for m in a.amounts})),
        **{k: "" if v is None else v for k, v in a.terms.model_dump().items()},
        "sources": "; ".join(s.document for s in a.sources),
        "corrected": "; ".join(a.corrected),
    }


def organisation_row(o: OrganisationView) -> dict[str, object]:
    return {
        "id": o.id, "name": o.name, "kind": o.kind or "", "country": o.country or "",
        "aliases": "; ".join(o.aliases), "agreements": "; ".join(o.agreements),
        "persons": "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in o.persons),
        "sources": "; ".join(o.sources), "corrected": "; ".join(o.corrected),
    }


# --- OCDS ---------------------------------------------------------------------------


def _datetime(d: date | None) -> str | None:
    return f"{d.isoformat()}T00:00:00Z" if d else None


def _value(a: AgreementView) -> dict | None:
    """The amount that best states the agreement's value: a total, else the first amount."""
    if not a.amounts:
        return None
    best = next((m for m in a.amounts if m.per == "total"), a.amounts[0])
    return {"amount": best.value, "currency": best.currency}


def roles(a: AgreementView) -> dict[str, list[str]]:
    grant = a.type in GRANT_TYPES
    lead = next((p for p in a.parties if p.kind in PUBLIC_KINDS), a.parties[0] if a.parties else None)
    out = {}
    for p in a.parties:
        if p is lead:
            out[p.id] = ["funder", "payer"] if grant else ["buyer"]
        else:
            out[p.id] = ["beneficiary", "payee"] if grant else ["supplier"]
    return out


_TAG = {"proposed": "planning", "applied": "planning", "approved": "award", "signed": "contract",
        "in_force": "contract", "ended": "contractTermination"}
_CONTRACT_STATUS = {"signed": "active", "in_force": "active", "ended": "terminated"}


def ocds_release(a: AgreementView, prefix: str = DEFAULT_OCID_PREFIX) -> dict:
    by_role = roles(a)
    lead = next((p for p in a.parties if {"buyer", "funder"} & set(by_role[p.id])), None)
    others = [{"id": p.id, "name": p.name} for p in a.parties if p is not lead]
    period = {k: v for k, v in (("startDate", _datetime(a.start)), ("endDate", _datetime(a.end))) if v}
    published = max((s.published for s in a.sources if s.published), default=None)
    value = _value(a)
    award = {
        "id": f"{a.id}-award",
        "status": "active" if a.status in ("approved", "signed", "in_force", "ended") else "pending",
        "suppliers": others,
        **({"value": value} if value else {}),
        **({"contractPeriod": period} if period else {}),
    }
    contract = {
        "id": a.id,
        "awardID": award["id"],
        "title": f"{a.type.replace('_', ' ')}: " + ", ".join(p.name for p in a.parties),
        "status": _CONTRACT_STATUS.get(a.status or "", "pending"),
        **({"value": value} if value else {}),
        **({"period": period} if period else {}),
        "documents": [
            {"id": s.document, "title": s.title or s.document, "format": s.format,
             **({"datePublished": _datetime(s.published)} if s.published else {})}
            for s in a.sources
        ],
    }
    body = {
        "ocid": f"{prefix}-{a.id}",
        "date": _datetime(published) or "1970-01-01T00:00:00Z",
        "tag": [_TAG.get(a.status or "", "contract")],
        "initiationType": "tender",
        "parties": [
            {"id": p.id, "name": p.name, "roles": by_role[p.id],
             "details": {k: v for k, v in (("kind", p.kind), ("country", p.country)) if v}}
            for p in a.parties
        ],
        **({"buyer": {"id": lead.id, "name": lead.name}} if lead else {}),
        "awards": [award],
        "contracts": [contract],
    }
    body["id"] = f"{a.id}-{short_hash(json.dumps(body, sort_keys=True, default=str), n=8)}"
    return body


def ocds_package(agreements: list[AgreementView], prefix: str = DEFAULT_OCID_PREFIX,
                 published: datetime | None = None) -> dict:
    when = (published or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "uri": f"urn:{prefix}:releases",
        "version": "1.1",
        "publishedDate": when,
        "publisher": {"name": "agreements registry"},
        "releases": [ocds_release(a, prefix) for a in agreements],
    }


# --- One entry point for the command line -------------------------------------------


def export(engine: Engine, fmt: Format, out: TextIO, entity: Literal["agreements", "organisations"] = "agreements",
           agreement_filter: AgreementFilter | None = None, organisation_filter: OrganisationFilter | None = None,
           ocid_prefix: str = DEFAULT_OCID_PREFIX) -> int:
    """Write the (filtered) agreements or organisations to `out`; returns how many."""
    if entity == "organisations":
        if fmt == "ocds":
            raise ValueError("the OCDS export is of agreements")
        items: list = list_organisations(engine, organisation_filter)
        columns, to_row = ORGANISATION_COLUMNS, organisation_row
    else:
        items = list_agreements(engine, agreement_filter, evidence=fmt in ("json", "jsonl"))
        columns, to_row = AGREEMENT_COLUMNS, agreement_row
    if fmt == "json":
        json.dump([i.model_dump(mode="json") for i in items], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for i in items:
            out.write(i.model_dump_json() + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for i in items:
            writer.writerow(to_row(i))
    elif fmt == "ocds":
        json.dump(ocds_package(items, ocid_prefix), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return len(items)
