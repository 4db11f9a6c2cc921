"""Contacts are personal data: redacting them from outputs and forgetting a person.

Masks keep their length (each character becomes MASK), so every character
offset of evidence stays valid and a reviewer still sees where a name stood.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from pipeline.models import Document, Evidence, Result

MASK = "█"
REDACTED = "[redacted]"


def person_norm(name: str) -> str:
    """Case, accents and spacing folded: the identity of a name to forget."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(text.split())


def name_hash(name: str) -> str:
    """What the registry keeps of a forgotten name: never the name itself."""
    return hashlib.sha256(person_norm(name).encode("utf-8")).hexdigest()[:40]


def _pattern(needles: Iterable[str]) -> re.Pattern | None:
    parts = sorted({" ".join(n.split()) for n in needles if n and n.strip()}, key=len, reverse=True)
    if not parts:
        return None
    # Spacing inside a name may differ from the normalised form ("Anne-Marie  Krafft").
    alts = [r"\s+".join(re.escape(w) for w in p.split()) for p in parts]
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def mask(text: str | None, pattern: re.Pattern | None) -> str | None:
    if not text or pattern is None:
        return text
    return pattern.sub(lambda m: MASK * len(m.group(0)), text)


def _phones_and_mails(doc: Document) -> list[str]:
    """The phone numbers and addresses as written in a document's content."""
    from pipeline.extract.mentions import LANG_COUNTRY
    from pipeline.nlp.contacts import find_emails, find_phones

    region = LANG_COUNTRY.get(doc.language or "", "GB")
    found = [doc.content[s:e] for s, e, _ in find_phones(doc.content, region)]
    found += [doc.content[s:e] for s, e, _ in find_emails(doc.content)]
    return found


def _mask_document(doc: Document, pattern: re.Pattern | None, extra: bool) -> None:
    own = _pattern(_phones_and_mails(doc)) if extra else None
    for p in (pattern, own):
        if p is None:
            continue
        doc.content = mask(doc.content, p)
        for block in doc.blocks:
            block.text = mask(block.text, p)
            if block.rows:
                block.rows = [[mask(cell, p) for cell in row] for row in block.rows]
        doc.title = mask(doc.title, p)
        doc.metadata = {k: mask(v, p) for k, v in doc.metadata.items()}
    for child in doc.children:
        _mask_document(child, pattern, extra)


def _mask_evidence(items: Iterable[Evidence], pattern: re.Pattern | None) -> None:
    for ev in items:
        ev.quote = mask(ev.quote, pattern)


def redact(result: Result, *, names: Iterable[str] = (), all_contacts: bool = False) -> Result:
    """A copy of `result` without the given persons (or, with `all_contacts`, without
    any contact's name, phone or email); roles and organisations stay."""
    out = result.model_copy(deep=True)
    targets = {person_norm(n) for n in names}
    chosen = [c for c in out.contacts if all_contacts or person_norm(c.name) in targets]
    needles = [c.name for c in chosen] + list(names)
    if all_contacts:
        needles += [c.email for c in out.contacts if c.email]
    pattern = _pattern(needles)
    if out.document is not None:
        _mask_document(out.document, pattern, extra=all_contacts)
    everything = [e for group in (out.parties, out.agreements, out.amounts, out.contacts, out.date_evidence) for item in group for e in item.evidence]
    _mask_evidence(everything, pattern)
    if all_contacts and out.document is not None:
        # Quotes are slices of the content: take them again from the masked text.
        contents = {d.id: d.content for d in out.document.walk()}
        for ev in everything:
            if ev.doc in contents:
                ev.quote = contents[ev.doc][ev.start:ev.end]
    out.title = mask(out.title, pattern)
    if all_contacts:
        for c in out.contacts:
            c.name, c.phone, c.email = REDACTED, None, None
    else:
        out.contacts = [c for c in out.contacts if c not in chosen]
    return out
