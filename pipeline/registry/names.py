"""Keys that decide what is the same thing across documents.

An organisation is keyed by its normalised name: the canonical name that
extraction knows (`canonical_org`: "Aalborg Kommunes" -> "Aalborg Kommune"),
then case-folded, spacing around hyphens and '&' removed, a trailing legal form
(A/S, AB, AS, Ltd...) and a leading "the"/"Office of the" dropped, the linking
word of "X i Y" dropped, and a genitive -s on the last word removed -- the same
spellings `pipeline.nlp.orgs.same_org` treats as one organisation. The key is
computed here, frozen, so that a stored registry keeps matching when the
extraction's own helpers change.

Public ids (`org-…`, `ag-…`, `p-…`) are short hashes of keys: the same
documents give the same ids on every back-end and every run.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_JOINERS = re.compile(r"\s*([-&/])\s*")
_LEGAL_TAIL = re.compile(
    r"(?:[\s,]+(?:a/s|aps|as|asa|ab|ab \(publ\)|i/s|k/s|p/s|iks|ltd\.?|limited|plc|llp|inc\.?|gmbh|ggmbh|"
    r"e\.v\.|oy|oyj|rf|r\.f\.|ry|r\.y\.|cic))+$"
)
_LEAD = re.compile(r"^(?:the office of the |office of the |the )")
_LINK = re.compile(r" (?:i|in|på|for|för) ")
_POSSESSIVE = re.compile(r"['’]s$")
_EDGE = "\"'“”‘’«»„,;:. ()"

# Kinds a public body has; the other party of its agreement is the counterpart.
PUBLIC_KINDS = frozenset({"municipality", "region", "state"})
COUNTRY_OF_LANG = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "no": "NO"}


def fold(text: str | None) -> str:
    """NFKC, one space, case-folded, trimmed."""
    text = unicodedata.normalize("NFKC", text or "")
    return _WS.sub(" ", text).strip().casefold()


@lru_cache(maxsize=8192)  # pure; loading a result and merging ask again for the same names
def canonical_name(name: str, lang: str | None = None) -> tuple[str, str | None]:
    """(canonical spelling, kind or None) as the extraction stage would write it."""
    clean = _WS.sub(" ", unicodedata.normalize("NFKC", name or "")).strip(_EDGE + " ")
    try:
        from pipeline.nlp.orgs import canonical_org

        found = canonical_org(clean, lang)
    except Exception:  # noqa: BLE001 - the registry works without the gazetteers
        found = None
    return (found[0], found[1]) if found else (clean, None)


@lru_cache(maxsize=8192)
def org_norm(name: str, lang: str | None = None) -> str:
    """The organisation key: equal for spellings that name one organisation."""
    text = fold(_DASHES.sub("-", canonical_name(name, lang)[0]))
    text = _JOINERS.sub(r"\1", text).strip(_EDGE)
    stripped = _LEGAL_TAIL.sub("", text).strip(_EDGE)
    text = stripped or text
    text = _LEAD.sub("", text)
    text = _LINK.sub(" ", text)
    text = _POSSESSIVE.sub("", text).strip(_EDGE)
    words = text.split(" ")
    if len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]  # genitive: "kommunes" -> "kommune"
    return " ".join(words)


def person_norm(name: str) -> str:
    return fold(name).strip(_EDGE)


@lru_cache(maxsize=8192)
def country_of(name: str, lang: str | None) -> str | None:
    """ISO country from the gazetteers, else from a Nordic document language."""
    try:
        from pipeline.nlp.org_data import default_data
        from pipeline.nlp.org_data import fold as gz_fold

        known = default_data().canonical_kind.get(gz_fold(name))
        if known and known[1]:
            return known[1]
    except Exception:  # noqa: BLE001
        pass
    return COUNTRY_OF_LANG.get(lang or "")


def short_hash(*parts: object, n: int = 10) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def org_key(norm: str) -> str:
    return "org-" + short_hash(norm)


def person_key(name_norm: str, org: str | None) -> str:
    return "p-" + short_hash(name_norm, org or "")


def group_key(type_: str, party_norms: list[str]) -> str:
    """Agreements that may be one: same type, same set of parties."""
    key = type_ + ":" + "|".join(sorted(set(party_norms)))
    return key if len(key) <= 400 else f"{type_}:#{short_hash(key, n=32)}"


def agreement_key(group: str, ordinal: int) -> str:
    base = "ag-" + short_hash(group)
    return base if ordinal == 1 else f"{base}-{ordinal}"
