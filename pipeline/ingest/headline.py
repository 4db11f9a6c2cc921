"""Headline, publication date and contact blocks from a run of paragraphs.

Used where a document has no markup to tell us (plain text, PDF, mail bodies)
and as the fallback for HTML pages without metadata.
"""

from __future__ import annotations

import re
from datetime import date

from pipeline.dates import find_dates
from pipeline.models import Block

_SENTENCE_END = re.compile(r"[.!?:;…]\s*$")
_CAPTION = re.compile(r"\b(foto|photo|bilde|bild|illustration|illustrasjon|kilde|källa|credit)\s*:", re.IGNORECASE)
_PUBLISH_LABEL = re.compile(
    r"\b(publiceret|publicerad|publicerades|publisert|publisera|published|posted|udgivet|utgiven"
    r"|first published|pressemeddelelse|pressmeddelande|pressemelding|press release)\b",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"(?<![\w-])(dato|date|datum|dateret|daterad|datert|mødedato|møtedato)\b", re.IGNORECASE)
_UPDATED_LABEL = re.compile(
    r"\b(sidst opdateret|senast uppdaterad|sist endret|sist oppdatert|last updated|updated|opdateret|uppdaterad)\b",
    re.IGNORECASE,
)
_SIGNATURE_DATE = re.compile(r"(?:^|\n|\s{2,}|\t|\|\s*)[A-ZÆØÅÄÖ][\w-]+,?\s+(?:den\s+)?$")
_PERSON_LINE = re.compile(
    r"^(?:[A-ZÆØÅÄÖÉÜ][a-zæøåäöéüß]+\.?(?:[ -](?:af |von |van |de )?[A-ZÆØÅÄÖÉÜ][a-zæøåäöéüß]+)+)(?:,|$| \()",
    re.MULTILINE,
)
_ORG_WORDS = re.compile(
    r"\b(kommune|kommun|kommunes|region|regionen|stad|fylkeskommune|amt|council|county|ministry|ministeriet|"
    r"forening|förening|förbund|jouren|centre|center|senter|sentral|krisecenter|krisesenter|foundation|stiftelse|"
    r"fond|organisation|organisasjon|university|universitet|skole|skola|as|ab|a/s|ltd|inc)\b",
    re.IGNORECASE,
)
_CONTACT_LABEL = re.compile(
    r"^(kontakt\w*|contact\w*|press\w*kontakt|pressekontakt|yderligere oplysninger|flere oplysninger|"
    r"för mer information|mer information|mer informasjon|meir informasjon|for further information|"
    r"further information|for more information|media enquiries|kontaktperson\w*|kontaktinformation|"
    r"saksbehandler|sagsbehandler|handläggare)\b",
    re.IGNORECASE,
)
_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_DIGITS = re.compile(r"\+?\d[\d ()-]{6,}\d")
_PHONE_LABEL = re.compile(r"\b(tlf|tel|telefon|phone|mobil|mob|tfn|direkte)\b\.?:?\s*\+?[\d(]", re.IGNORECASE)


def _phone_or_mail(text: str) -> bool:
    # Cheap substring checks first: this runs on every paragraph of every page.
    if "@" in text and _MAIL.search(text):
        return True
    if _DIGITS.search(text):
        return True
    low = text.lower()
    return any(w in low for w in ("tlf", "tel", "phone", "mob", "tfn", "direkte")) and bool(_PHONE_LABEL.search(text))


def is_caption(text: str) -> bool:
    return bool(_CAPTION.search(text)) and len(text) < 400


def is_contact(text: str) -> bool:
    """A press-contact or signature block: a labelled one, or a named person with a phone or mail."""
    if _CONTACT_LABEL.search(text) and (_phone_or_mail(text) or _named_person(text) or len(text) < 30):
        return True
    return bool(_phone_or_mail(text) and _named_person(text) and text.count("\n") <= 8)


def _named_person(text: str) -> bool:
    return any(not _ORG_WORDS.search(m.group(0)) for m in _PERSON_LINE.finditer(text))


def _is_body(text: str) -> bool:
    return len(text) >= 100 and bool(_SENTENCE_END.search(text) or text.count(". ") >= 1)


# A case or file number under a heading ("§ 12 Verksamhetsbidrag ...\nDnr KFN 2024/311").
_REFERENCE_LINE = re.compile(
    r"\n(?:dnr|diarienr\w*|diarienummer|saksnr|sak nr|sagsnr|arkivsak\w*|journalnr|j\.nr\.?|ärendenr|vår ref\w*)\b[^\n]*$",
    re.IGNORECASE,
)


def headline_text(text: str) -> str:
    """The headline of a block: without a case number on the lines under it."""
    while (m := _REFERENCE_LINE.search(text)) is not None:
        text = text[: m.start()]
    return text


def _title_like(text: str) -> bool:
    text = headline_text(text)
    if "\n" in text or len(text) < 8 or len(text) > 250 or len(text.split()) < 2:
        return False
    if text.endswith((".", ":", ";", "!", ",")) and not re.search(r"\b(kr|mio|mia|mill|nr|st)\.$", text):
        return False
    return not find_dates(text) or len(text) > 40


_TITLE_LABEL = re.compile(
    r"^(?:(?:decision|report|document|item) title|title|subject|titel|tittel|rubrik|ärende|sak|emne)\s*:\s*(\S.{6,240})$",
    re.IGNORECASE | re.MULTILINE,
)


def labelled_title(blocks: list[Block]) -> tuple[Block, str] | None:
    """A headline given with a label before the text starts ("Title: ...", "Decision title: ...")."""
    for b in blocks:
        if b.kind == "boilerplate":
            continue
        if b.kind == "body" and _is_body(b.text):
            return None
        m = _TITLE_LABEL.search(b.text)
        if m:
            return b, m.group(1).strip()
    return None


_SITE_LABEL = re.compile(
    r"(?:[–|·-]\s*(?:news|nyheder|nyheter|nyheiter|aktuelt|aktuellt|press releases?|pressemeddelelser|pressmeddelanden)"
    r"|news in english)\s*(?:[–|·-].*)?$",
    re.IGNORECASE,
)


def choose_title(blocks: list[Block]) -> Block | None:
    """The headline: walk back from the first body paragraph over headline-ish
    paragraphs (skipping date lines and captions); the earliest one wins."""
    content = [b for b in blocks if b.kind != "boilerplate"]
    first_body = next((i for i, b in enumerate(content) if b.kind == "body" and _is_body(b.text) and not is_caption(b.text)), None)
    if first_body is None:
        likely = [b for b in content if _title_like(b.text)]
        return next((b for b in likely if not _SITE_LABEL.search(b.text)), likely[0] if likely else None)
    best = None
    for b in reversed(content[:first_body]):
        text = b.text
        if best is not None and _SITE_LABEL.search(text):
            continue  # "Stockport Council – News" above the headline
        if is_caption(text) or (find_dates(text) and len(text) < 80) or _PUBLISH_LABEL.search(text) and len(text) < 80:
            continue
        if _title_like(text):
            best = b
            continue
        if text.endswith(".") and len(text) < 200:  # a photo caption without its label
            continue
        break
    return best


def _first_dated(blocks: list[Block], label: re.Pattern, window: int = 60) -> date | None:
    """The first full date within `window` characters after a label (labels
    and their dates often sit in neighbouring paragraphs or table cells)."""
    text = "\n\n".join(b.text for b in blocks)
    for m in label.finditer(text):
        for d in find_dates(text[m.end(): m.end() + window]):
            if d.year is not None and d.value():
                return d.value()
    return None


def choose_published(blocks: list[Block], title: Block | None = None) -> date | None:
    """Publication date: a labelled date, else a dated line in the header zone
    around the headline, else the latest signature date ("Malmö den 15 januari 2019")."""
    content = [b for b in blocks if b.kind != "boilerplate"]
    for label in (_PUBLISH_LABEL, _DATE_LABEL):
        found = _first_dated(content, label)
        if found:
            return found
    header: list[Block] = []
    for b in content:
        if b.kind == "body" and _is_body(b.text) and not is_caption(b.text) and b is not title:
            break
        header.append(b)
    for b in header:
        for d in find_dates(b.text):
            if d.year is not None and d.value():
                return d.value()
    found = _first_dated(content, _UPDATED_LABEL)
    if found:
        return found
    signed = []
    for b in content:
        for d in find_dates(b.text):
            if d.year is not None and _SIGNATURE_DATE.search(b.text[max(0, d.start - 40): d.start]):
                signed.append(d.value())
    return max((s for s in signed if s), default=None)
