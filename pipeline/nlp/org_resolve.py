"""Settle the organisation candidates of one document.

Overlaps go to the stronger candidate; then names are made consistent across
the document (a genitive or "X i Y" spelling folds into the form used
elsewhere), bare head words ("Kvinnojouren") and abbreviations point at the
full name they stand for, and committees ("socialnämnden", "kommunen") get the
municipality or region the document is about.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from pipeline.nlp.org_cand import P_HEAD, P_LEGAL, Cand
from pipeline.nlp.org_data import OrgData, fold
from pipeline.nlp.org_text import UP

# A capitalised word or two, not glued to a word or "-" before it. The look-behind comes after the first
# letter (and so also spans it) so that `re` skips to capitals instead of testing it at every position.
_BARE_PLACE = re.compile(rf"([{UP}](?<![\w-][{UP}])[\w-]+(?: [{UP}][\w-]+)?)(?![\w-])")
_LINKS = re.compile(r" (?:i|in|på) ")
_STATUS_WORDS = {"Stiftelsen", "Foreningen", "Föreningen", "Stiftinga", "Fonden", "Fondet", "Selskabet", "Sällskapet"}


def _tier(prio: int) -> int:
    # Names grown from head words, legal forms and the known list compete by length:
    # "Stiftelsen Kirkens Bymisjon i Bergen" beats the known "Kirkens Bymisjon" inside it.
    return P_HEAD if P_HEAD <= prio <= P_LEGAL else prio


def select(cands: list[Cand]) -> list[Cand]:
    """Non-overlapping candidates, higher priority first, then longer."""
    starts: list[int] = []
    kept: list[Cand] = []
    for c in sorted(cands, key=lambda c: (-_tier(c.prio), -(c.end - c.start), -c.prio, c.start)):
        if c.end <= c.start:
            continue
        i = bisect.bisect_left(starts, c.start)
        if i < len(kept) and kept[i].start < c.end:
            continue
        if i > 0 and kept[i - 1].end > c.start:
            continue
        starts.insert(i, c.start)
        kept.insert(i, c)
    return kept


def _key(name: str) -> str:
    return " ".join(_LINKS.sub(" ", name).casefold().split())


def _harmonise(cands: list[Cand]) -> None:
    """One spelling per organisation inside a document."""
    loose = [c for c in cands if c.name and c.source in ("pattern", "context", "known", "legal", "alias")]
    names = Counter(c.name for c in cands if c.name)
    folded = {n.casefold(): n for n in names}
    key_count: dict[str, Counter] = {}
    for n, k in names.items():
        key_count.setdefault(_key(n), Counter())[n] += k
    best = {k: cnt.most_common(1)[0][0] for k, cnt in key_count.items()}
    status = [(n, _key(n.split(" ", 1)[1])) for n in names if n.split(" ", 1)[0] in _STATUS_WORDS and " " in n]
    tails: dict[str, set[str]] = {}  # "kvinnojouren vallentuna" -> {"Tjej- och Kvinnojouren Vallentuna"}
    for n in names:
        words = _key(n).split(" ")
        for i in range(1, len(words) - 1):
            tails.setdefault(" ".join(words[i:]), set()).add(n)
    target: dict[str, str] = {}
    for n in {c.name for c in loose}:
        t = n
        for cut in ("'s", "’s", "s"):  # genitive: "Kvinnojourens", "Stiftelsen Kirkens Bymisjon i Bergens"
            if t.endswith(cut) and t[: -len(cut)].casefold() in folded:
                t = folded[t[: -len(cut)].casefold()]
                break
        t = best[_key(t)]  # "Kvinnojouren i Sigtuna" and "Kvinnojouren Sigtuna": the commoner spelling
        k = _key(t)
        # "Kirkens Bymisjon" for "Stiftelsen Kirkens Bymisjon i Bergen"
        longer = {full for full, rest in status if rest.startswith(k) and _key(full) != k}
        if len(longer) == 1:
            t = longer.pop()
        elif len(k.split()) >= 2:
            # "Kvinnojouren Vallentuna" inside "Tjej- och Kvinnojouren Vallentuna"
            longer = tails.get(k, set())
            if len(longer) == 1:
                t = next(iter(longer))
        target[n] = t
    for c in loose:
        c.name = target[c.name]


def _forms(word: str) -> set[str]:
    """A head word and its indefinite form: "Bymisjonen" -> {"bymisjonen", "bymisjon"}."""
    w = word.casefold()
    out = {w}
    for suf in ("erne", "arna", "ene", "en", "et", "n", "t"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            out.add(w[: -len(suf)])
    return out


def _bare_heads(cands: list[Cand]) -> list[Cand]:
    """A bare "Kvinnojouren" stands for the one full name it heads; alone at a sentence start it is dropped."""
    full = {c.name for c in cands if c.name and c.head is None and c.kind in ("organisation", "company", "state")}
    full |= {c.name for c in cands if c.name and c.head is not None and c.source != "bare"}
    by_word: dict[str, set[str]] = {}
    for n in full:
        for w in n.split():
            by_word.setdefault(w.casefold(), set()).add(n)
    folded = {n.casefold(): n for n in full}
    out = []
    for c in cands:
        if c.head is None:
            out.append(c)
            continue
        forms = _forms(c.head)
        hits = {n for f in forms for n in by_word.get(f, ()) if n.casefold() not in forms}
        same = sorted(folded[f] for f in forms if f in folded)
        if len(hits) == 1:
            c.name, c.source = hits.pop(), "alias"
        elif same:
            c.name, c.source = same[0], "alias" if c.source == "bare" else c.source
        elif c.source == "bare":
            continue
        out.append(c)
    return out


def _default(cands: list[Cand], kind: str, text: str, data: OrgData, country: str | None) -> str | None:
    counts = Counter(c.name for c in cands if c.name and c.kind == kind and c.source in ("gazetteer", "list", "known"))
    counts.update(c.place for c in cands if c.place and kind == "municipality")
    if not counts and kind == "municipality" and country in ("DK", "SE", "NO", None):
        # No municipality by its full name: the one the text names most often ("Kvinnocentrum i Skellefteå").
        countries = (country,) if country else ("DK", "SE", "NO")
        # Each distinct phrase looked up once, in order of first occurrence (the order ties are broken by).
        for bare, n in Counter(_BARE_PLACE.findall(text)).items():
            for phrase in (bare, bare.split(" ")[0]):
                found = data.municipality(phrase, countries[0], countries)
                if found:
                    counts[found[0]] += n
                    break
    if not counts:
        return None
    first = {}
    for c in cands:
        if c.name in counts and c.name not in first:
            first[c.name] = c.start
    return max(counts, key=lambda n: (counts[n], -first.get(n, 10**9)))


def _committees(cands: list[Cand], text: str, data: OrgData, country: str | None) -> list[Cand]:
    defaults = {}
    out = []
    for c in cands:
        if c.source != "committee":
            out.append(c)
            continue
        name = c.place
        if name is None:
            if c.kind not in defaults:
                defaults[c.kind] = _default(cands, c.kind, text, data, country)
            name = defaults[c.kind]
        if name is None:
            continue
        c.name = name
        kind_country = data.canonical_kind.get(fold(name))
        if kind_country and kind_country[1]:
            c.country = kind_country[1]
        out.append(c)
    return out


def resolve(text: str, cands: list[Cand], data: OrgData, country: str | None = None) -> list[Cand]:
    kept = select(cands)
    _harmonise(kept)
    kept = _bare_heads(kept)
    kept = _committees(kept, text, data, country)
    return [c for c in kept if c.name]
