"""Phone numbers and e-mail addresses.

doc.spans["phone"]: value is the number in E.164 ("+4527903718"), read with the
`phonenumbers` library for the document's country (else the language's).
doc.spans["email"]: value is the address in lower case; "name [at] host.dk"
spellings are read too.

The phone matcher also accepts things that only look like numbers (dates,
year ranges, case and organisation numbers, sums of money); `is_phone_context`
throws those out.
"""

from __future__ import annotations

import re

import phonenumbers
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import doc_text, put_spans

LANG_REGION = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "no": "NO", "en": "GB", "de": "DE", "fi": "FI"}
_REGIONS = phonenumbers.SUPPORTED_REGIONS

_DATE = re.compile(r"^\(?\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b|^\d{4}-\d{1,2}-\d{1,2}$")
_YEARS = re.compile(r"^(?:19|20)\d\d\s*[-–/ ]\s*(?:19|20)\d\d$")
# Labels of numbers that are not phones: case, organisation, account numbers.
_NUMBER_LABEL = re.compile(
    r"(?:org(?:anisations|anisasjons)?\.?\s*-?\s*n(?:umme)?r|organisationsnummer|organisasjonsnummer|cvr|se-nr|"
    r"ean|p-nr|sags?\s*-?\s*nr|saks?\s*-?\s*nr|sak\b|sag\b|arkivsak|arkivsaksnr|løpenr|j\.?\s*nr|journal\s*-?\s*nr|"
    r"dnr|diarienummer|dnr\.|reg(?:istered|istrerings)?\.?\s*(?:charity|company)?\s*(?:no|nr|number)|"
    r"konto(?:nummer|nr)?|bankgiro|plusgiro|iban|swift|bic|faktura\s*-?\s*nr|ordre\s*-?\s*nr|ref(?:erence)?\.?\s*(?:no|nr)?|"
    r"company\s+no|charity\s+no|vat|moms|isbn|issn)[.:]?\s*$",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:kr\.?|dkk|sek|nok|eur|euro|usd|gbp|[€£$]|mio\.?|mill\.?)\s*$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:,-|kr\b|kr\.|kroner|kronor|kronur|dkk|sek|nok|euro|eur|€|mio|mia|mill|millioner|miljoner|tkr|"
    r"t\.kr|%|procent|prosent|percent|stk|pcs|indbyggere|invånare|innbyggere|inhabitants)",
    re.IGNORECASE,
)

_DIGIT_RUN = re.compile(r"[+(]?\d[\d \u00a0().\-–/]*\d")
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@-])"
)
# "anna.berg [at] kommune.se", "anna(at)kommune(dot)se"
_EMAIL_AT = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.+-]*)\s?[\[(]\s?(?:at|snabel-a|snabela)\s?[\])]\s?"
    r"([A-Za-z0-9-]+(?:(?:\.|\s?[\[(]\s?(?:dot|punkt|punktum)\s?[\])]\s?)[A-Za-z0-9-]+)+)",
    re.IGNORECASE,
)
_AT_WORD = re.compile(r"[\[(]\s?(?:at|snabel)", re.IGNORECASE)
_DOT = re.compile(r"\s?[\[(]\s?(?:dot|punkt|punktum)\s?[\])]\s?", re.IGNORECASE)


def region_for(context: dict | None, fallback_lang: str = "da") -> str:
    """The phone region: the document's country, else its language's."""
    ctx = context or {}
    country = str(ctx.get("country") or "").upper()
    if country in _REGIONS:
        return country
    return LANG_REGION.get(str(ctx.get("lang") or fallback_lang), LANG_REGION.get(fallback_lang, "GB"))


def is_phone_context(text: str, start: int, end: int) -> bool:
    """False where a matched number is a date, year range, case/org number or sum."""
    raw = text[start:end]
    if "/" in raw or _DATE.search(raw) or _YEARS.match(raw.strip()):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40):start]
    if _NUMBER_LABEL.search(before) or _CURRENCY_BEFORE.search(before):
        return False
    if before and (before[-1] in "-–§#" or before.rstrip().endswith("§")):
        return False
    if _CURRENCY_AFTER.match(text[end:end + 20]):
        return False
    return True


def _digit_windows(text: str):
    """Stretches of a line around runs of 7+ digits: the only places a phone number can be.
    The matcher is slow on long text full of sums and dates, so it only reads these."""
    for m in _DIGIT_RUN.finditer(text):
        if sum(c.isdigit() for c in m.group(0)) < 7:
            continue
        lo = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 4)
        hi = text.find("\n", m.end())
        yield lo, min(m.end() + 4, len(text) if hi < 0 else hi)


def find_phones(text: str, region: str) -> list[tuple[int, int, str]]:
    """(start, end, E.164) for every phone number in `text`."""
    out, seen = [], set()
    try:
        for lo, hi in _digit_windows(text):
            for m in phonenumbers.PhoneNumberMatcher(text[lo:hi], region, leniency=phonenumbers.Leniency.VALID):
                start, end = lo + m.start, lo + m.end
                if start in seen or not is_phone_context(text, start, end):
                    continue
                seen.add(start)
                out.append((start, end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)))
    except Exception:  # the library must never take a document down
        return out
    return out


def normalise_phone(raw: str, region: str) -> str | None:
    """One number as written to E.164, or None."""
    try:
        num = phonenumbers.parse(raw, region)
    except Exception:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def find_emails(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = text.find("@")
    while pos >= 0:  # read around each "@" only: scanning all the text is slow
        lo = max(text.rfind("\n", 0, pos) + 1, pos - 80)
        m = _EMAIL.search(text, lo, min(len(text), pos + 260))
        while m and m.end() <= pos:
            m = _EMAIL.search(text, m.end(), min(len(text), pos + 260))
        if m and m.start() < pos:
            out.append((m.start(), m.end(), m.group(0).rstrip(".").lower()))
            pos = text.find("@", m.end())
        else:
            pos = text.find("@", pos + 1)
    taken = [(s, e) for s, e, _ in out]
    if not _AT_WORD.search(text):
        return out
    for m in _EMAIL_AT.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        host = _DOT.sub(".", m.group(2))
        out.append((m.start(), m.end(), f"{m.group(1)}@{host}".lower()))
    return sorted(out)


class ContactFinder:
    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        region = region_for(doc._.context, self.lang)
        put_spans(doc, "phone", find_phones(text, region))
        put_spans(doc, "email", find_emails(text))
        return doc


@Language.factory("agreements_contacts", default_config={"lang": "da"})
def make_contacts(nlp: Language, name: str, lang: str) -> ContactFinder:
    return ContactFinder(lang)
