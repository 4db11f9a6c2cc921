"""Extraction: a `Document` (with its attachments) to the facts of the gold format.

Every fact keeps the evidence it was read from: the (child) document id, the
character span in that document's content and the quoted text.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pipeline.extract.agreements import _LOCATIVE, _PUBLIC, adjust_for_mood, build_drafts, document_mood, finish, funding_year
from pipeline.extract.mentions import Mention, Unit, analyse
from pipeline.models import Amount, Contact, DateFact, Document, Facts, Party

_PUBLIC_ROLE = (
    "udvalg", "nämnd", "utval", "kommun", "borgmester", "borgmästare", "ordfører", "ordførar", "rådmand", "byråd",
    "kommunalråd", "socialchef", "kommunaldirektør", "rådmann", "councillor", "mayor", "council", "fylkes",
    "kommunestyre", "regionråd", "minister", "chef", "leder", "direktør", "sekreterare", "informatör",
)



def _signature_text(doc) -> str:
    """Contact blocks, where signature lines ("Signed on ...", "For X: Name") stand apart from the units."""
    return "\n".join(doc.content[b.start:b.end] for b in doc.blocks if b.kind == "contact")

def _org_value(m: Mention) -> dict:
    return m.value if isinstance(m.value, dict) else {}


def _alias_resolver(units: list[Unit]):
    """Map short mentions ("Kvinnojouren") to the fuller name the document uses ("Kvinnojouren i Sigtuna")."""
    names = Counter(_org_value(m).get("name") for u in units for m in u.of("org") if _org_value(m).get("name"))
    # One written form per name: headers in capitals ("KULTURMINISTERIET") yield to running text.
    written: dict[str, str] = {}
    for name, _ in sorted(names.items(), key=lambda kv: (kv[0].isupper(), -kv[1])):
        written.setdefault(name.casefold(), name)
    full = sorted(dict.fromkeys(written.values()), key=len, reverse=True)  # ties in the document's order, not a set's

    def alias(m: Mention) -> str | None:
        name = _org_value(m).get("name")
        if not name:
            return None
        name = written.get(name.casefold(), name)
        low = name.casefold()
        for other in full:
            o = other.casefold()
            if o != low and len(o) > len(low) and (o.startswith(low + " ") or o.endswith(" " + low)):
                return other
        return name

    return alias


def _publisher_match(name: str, publisher: str) -> bool:
    """Does the sender or site ("Kulturministeriets nyhedsservice") name this body?"""
    low = name.casefold()
    return bool(publisher) and (low in publisher or low.rstrip("s") + "s" in publisher)


def _home(units: list[Unit], title: str | None, alias, publisher: str = "") -> str | None:
    """The public body the document is about: the publisher where it is a public
    body, else the most mentioned one, title first."""
    public = {alias(m) for u in units for m in u.of("org") if _org_value(m).get("kind") in _PUBLIC}
    by_publisher = [n for n in public if n and _publisher_match(n, publisher)]
    if by_publisher:
        return max(by_publisher, key=len)
    score: Counter[str] = Counter()
    for i, u in enumerate(units):
        for m in u.of("org"):
            v = _org_value(m)
            if v.get("kind") in _PUBLIC or v.get("committee"):
                # "14 projekter i Region Midtjylland": a place, not an actor.
                where = _LOCATIVE.search(u.text[max(0, m.start - u.start - 4): m.start - u.start])
                weight = 0.2 if where and not v.get("committee") else 1.0
                score[alias(m)] += weight * (1 + (3 if u.block_kind == "title" else 0) + (1 if i < 5 else 0))
    return score.most_common(1)[0][0] if score else None


def extract(doc: Document) -> Facts:
    published = doc.published
    units: list[Unit] = []
    for d in doc.walk():
        if d.container or not d.content:
            continue
        found, _ = analyse(d, d.language or doc.language, published)
        units += found
    alias = _alias_resolver(units)
    kinds: dict[str, str] = {}
    for u in units:
        for m in u.of("org"):
            v = _org_value(m)
            if v.get("name"):
                kinds.setdefault(alias(m), v.get("kind") or "other")
    publisher = " ".join(doc.metadata.get(k, "") for k in ("from", "site", "pdf_author")).casefold()
    home = _home(units, doc.title, alias, publisher)

    drafts = build_drafts(units, home, kinds, alias)
    year = funding_year(units)
    agreements = [finish(d, published, year) for d in drafts if len(d.parties) >= 1]
    adjust_for_mood(agreements, document_mood(units, _signature_text(doc)))

    parties: dict[str, Party] = {}
    evidence_of = {}
    for u in units:
        for m in u.of("org"):
            evidence_of.setdefault(alias(m), m.evidence())
    for a in agreements:
        for name in a.parties:
            if name.casefold() not in parties:
                ev = evidence_of.get(name)
                parties[name.casefold()] = Party(name=name, kind=kinds.get(name, "other"), evidence=[ev] if ev else [])

    return Facts(
        parties=list(parties.values()),
        agreements=agreements,
        amounts=_amounts(units),
        dates=_dates(units, published),
        contacts=_contacts(units, home),
    )


def _amounts(units: list[Unit]) -> list[Amount]:
    out: dict[tuple, Amount] = {}
    for u in units:
        for m in u.of("money"):
            v = m.value if isinstance(m.value, dict) else {}
            if v.get("value") is None or not v.get("currency"):
                continue
            key = (round(float(v["value"]), 2), v["currency"])
            if key in out:
                out[key].evidence.append(m.evidence())
            else:
                out[key] = Amount(value=v["value"], currency=v["currency"], per=v.get("per"), approx=bool(v.get("approx")), evidence=[m.evidence()])
    return list(out.values())


def _dates(units: list[Unit], published: date | None) -> list[DateFact]:
    out: dict[date, DateFact] = {}
    for u in units:
        for m in u.of("date"):
            try:
                value = date.fromisoformat(m.value) if isinstance(m.value, str) else m.value
            except ValueError:
                continue
            if not isinstance(value, date):
                continue
            out.setdefault(value, DateFact(value=value)).evidence.append(m.evidence())
    return list(out.values())


def _contacts(units: list[Unit], home: str | None) -> list[Contact]:
    out: dict[str, Contact] = {}
    for u in units:
        for m in u.of("person"):
            v = m.value if isinstance(m.value, dict) else {}
            if not v.get("contact", True) or not v.get("name"):
                continue
            key = v["name"].casefold()
            c = out.get(key)
            if c is None:
                org = v.get("organisation")
                role = v.get("role")
                if org is None and home and role and any(w in role.casefold() for w in _PUBLIC_ROLE):
                    org = home
                c = out[key] = Contact(name=v["name"], role=role, organisation=org, evidence=[])
            c.role = c.role or v.get("role")
            c.organisation = c.organisation or v.get("organisation")
            c.phone = c.phone or v.get("phone")
            c.email = c.email or (v.get("email") or None)
            c.evidence.append(m.evidence())
    return list(out.values())
