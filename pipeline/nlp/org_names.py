"""Canonical organisation names and a spelling-tolerant comparison.

`canonical_org("Sønderborg Kommunes", "da")` -> ("Sønderborg Kommune", "municipality");
`same_org("Linde Gas A/S", "linde gas")` -> True. Both reuse the recogniser of
pipeline.nlp.org_find, so the extraction and registry stages agree with the
spaCy component.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.nlp.org_data import COUNTRY_OF_LANG, default_data, fold
from pipeline.nlp.org_text import collapse

_LEGAL_TAIL = re.compile(
    r"(?:[\s,]+(?:a/s|aps|as|asa|ab|ab \(publ\)|i/s|k/s|p/s|iks|ltd\.?|limited|plc|llp|inc\.?|gmbh|ggmbh|e\.v\.|"
    r"oy|oyj|rf|r\.f\.|ry|r\.y\.|cic))+$"
)
_LEAD = re.compile(r"^(?:the office of the |office of the |the )")
_LINK = re.compile(r" (?:i|in|på) ")


@lru_cache(maxsize=1)
def _finder():
    from pipeline.nlp.org_find import OrgFinder

    return OrgFinder(default_data())


def canonical_org(name: str, lang: str | None = None) -> tuple[str, str] | None:
    """(canonical name, kind) when `name` as a whole is an organisation we can recognise, else None."""
    try:
        return _canonical(name, lang)
    except Exception:  # a normaliser never raises on odd input
        return None


@lru_cache(maxsize=4096)
def _canonical(name: str, lang: str | None) -> tuple[str, str] | None:
    if not isinstance(name, str):
        return None
    text = collapse(name).strip(" ,.;:()\"'«»")
    if not text:
        return None
    from pipeline.nlp.org_resolve import select

    finder = _finder()
    data = finder.data
    country = COUNTRY_OF_LANG.get(lang or "")
    whole = [c for c in select(finder.find(text, lang, country)) if c.start == 0 and c.end == len(text)]
    for c in whole:
        if c.source == "committee":
            continue
        if c.source == "bare":
            return c.head, c.kind
        if c.name:
            return c.name, c.kind
    known = data.canonical_names.get(fold(text))
    if known:
        return known, data.canonical_kind[fold(known)][0]
    if text[0].isupper():
        found = data.municipality(text, country)
        if found:
            return found[0], "municipality"
    return None


def org_key(name: str) -> str:
    """Comparison key: case-folded, spacing collapsed, no trailing legal form, no leading 'Office of the'."""
    text = collapse(name or "").casefold()
    text = re.sub(r"\s*([-&])\s*", r"\1", text)
    text = _LEGAL_TAIL.sub("", text)
    text = _LEAD.sub("", text)
    text = _LINK.sub(" ", text)
    return re.sub(r"['’]s$", "", text).strip(" ,.")


def same_org(a: str, b: str) -> bool:
    """Whether two spellings name the same organisation (case, genitive, legal form, spacing)."""
    try:
        if not a or not b:
            return False
        ka, kb = (org_key((canonical_org(x) or (x,))[0]) for x in (a, b))
        if not ka or not kb:
            return False
        return ka == kb or ka == kb + "s" or kb == ka + "s"
    except Exception:
        return False
