"""Agreement terms in running text: stated lengths, review intervals, notice, renewal.

`TermFinder(lexicon).find(text, lang)` returns `Terms` whose lists hold
`Term(start, end, value)`: months (int) for durations, reviews and notice;
True/False for automatic renewal. The word lists are the "temporal" lexicon
(data/temporal_lexicon.json).

Speed: one scan of the folded text finds anchors (time units such as "år",
"months", "årlig", "automat..."); the detailed patterns then run only in a
small window around each anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.dates import fold, phrase_pattern

_UNIT_RUNS_ON = re.compile(r"[\w']")
MAX_MONTHS = 300  # longer stated spans ("i drift i 27 år") are history, not agreement terms

# Stems that announce a review interval or automatic renewal without a time unit.
_REVIEW_STEMS = ("årlig", "årleg", "annual", "yearly", "quarterly", "monthly", "månedlig", "månatlig", "månadsvis",
                 "månadleg", "kvartalsvis", "halvårlig", "halvårleg", "halvårsvis", "biennial", "semi-annual",
                 "semiannual", "half-yearly", "quarter", "året")
_RENEW_STEMS = ("automat", "auto-renew", "auto renew", "stiltiend", "stilltiend", "stillteiand", "tacit", "tyst")


@dataclass(frozen=True)
class Term:
    start: int
    end: int
    value: int | bool


@dataclass
class Terms:
    durations: list[Term] = field(default_factory=list)
    reviews: list[Term] = field(default_factory=list)
    notices: list[Term] = field(default_factory=list)
    renewals: list[Term] = field(default_factory=list)


_REPORTS_AFTER = re.compile(
    r"\s*(?:\w+\s+)?(?:reports?|reporting|rapport\w*|redovisning\w*|regnskap\w*|regnskab\w*)\b")


def phrases(words, boundary: bool = True) -> str:
    """Lower-case phrases as a trie alternation (match on `fold(text)`); optionally not
    running on into a word."""
    return phrase_pattern(words) + (r"(?!\w)" if boundary else "")


def _drop_overlaps(terms: list[Term]) -> list[Term]:
    terms = sorted(set(terms), key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[Term] = []
    for t in terms:
        if not kept or t.start >= kept[-1].end:
            kept.append(t)
    return kept


def sentence_window(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """Up to `reach` characters either side of [start, end), not crossing a sentence end."""
    lo = max(0, start - reach)
    before = text[lo:start]
    cut = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind("\n"), before.rfind(";"))
    lo = lo + cut + 1 if cut >= 0 else lo
    after = text[end : end + reach]
    stops = [i for i in (after.find(". "), after.find("! "), after.find("? "), after.find("\n"), after.find(";")) if i >= 0]
    hi = end + (min(stops) if stops else len(after))
    return lo, hi


class TermFinder:
    def __init__(self, lexicon: dict):
        lx = self._lx = lexicon
        self._numbers = {lang: {k.lower(): float(v) for k, v in t.items()} for lang, t in lx["numbers"].items()}
        self._units = {k.lower(): float(v) for k, v in lx["units"].items()}
        self._review = {phrase.lower(): int(months) for months, ps in lx["review_every"].items() for phrase in ps}
        self._unit = phrase_pattern(self._units) + r"(?![\w'])"
        self._review_stems = set(_REVIEW_STEMS)
        self._renew_stems = set(_RENEW_STEMS)
        # one trie without groups scans fastest; the kind is looked up afterwards
        self._anchor_kind = {**{w: "renew" for w in _RENEW_STEMS}, **{w: "review" for w in _REVIEW_STEMS},
                             "årig": "adj", **{u: "unit" for u in self._units}}
        self._anchor = re.compile(phrase_pattern(self._anchor_kind))
        self._review_kw = re.compile(r"(?<!\w)" + phrases(lx["review_keywords"], boundary=False))
        self._review_freq = re.compile(r"(?<!\w)" + phrases(self._review))
        # the words before a time unit in a frequency: "hvert andet" (år), "every six" (months)
        heads = {p.rsplit(" ", 1)[0] for p in self._review if " " in p and p.rsplit(" ", 1)[1] in self._units}
        self._freq_head = re.compile(rf"(?<!\w){phrase_pattern(heads)}\s+\Z")
        self._negation = re.compile(r"(?<!\w)" + phrases(lx["negations"]))
        verbs, auto = phrases(lx["renew_verbs"]), phrases(lx["renew_auto"])
        gap = r"(?:\s+[\w']+){0,3}?\s+"
        self._renew = re.compile(
            rf"(?<!\w)(?:{verbs}{gap}(?:{auto}|{phrases(lx['renew_increment'])})|{auto}{gap}{verbs}|{phrases(lx['renew_nouns'])})"
        )
        self._increment_after = re.compile(r"\s+(?:i\s+taget|ad\s+gangen|af\s+gangen|av\s+gangen|om\s+gongen|åt\s+gången|i\s+s[æä]nder|at\s+a\s+time)")
        self._notice_verbs = re.compile(r"(?<!\w)" + phrases(lx["notice_verbs"], boundary=False))
        self._cache: dict[str | None, dict[str, re.Pattern]] = {}

    def _patterns(self, lang: str | None) -> dict[str, re.Pattern]:
        if lang not in self._cache:
            self._cache[lang] = self._compile(lang)
        return self._cache[lang]

    def _compile(self, lang: str | None) -> dict[str, re.Pattern]:
        lx = self._lx
        words = self._number_words(lang)
        # "sex (6) månaders", "tre (3) år": the figure in brackets repeats the word
        num = rf"(?P<n>\d{{1,3}}(?:[.,]5)?|{phrases(words)})(?:\s*\(\d{{1,3}}\))?"
        num_bound = rf"(?P<n>\d{{1,3}}|{phrase_pattern(words)})"  # "toårig", "3-årig"
        counted = phrase_pattern([w for w in words if w not in ("a", "an")])
        unit = rf"(?P<u>{self._unit})"
        lead = rf"(?:{phrases(lx['duration_verbs'])}\s+(?:{phrases(lx['duration_preps'])}\s+)?|{phrases(lx['duration_preps'])}\s+)"
        filler = rf"(?:{phrases(lx['duration_fillers'])}\s+)?"
        # "3 år til 2028" is no length; "løber i 3 år til og med den 29. februar 2028" is one
        not_after = rf"(?!\s+(?!til og med|till och med|to and including){phrases(lx['duration_not_after'])})"
        nouns = phrases(lx["duration_nouns"], boundary=False)
        notice_nouns = phrases(lx["notice_nouns"])
        notice_definite = phrases(lx["notice_nouns"], boundary=False) + r"(?:en|et|a)?(?!\w)"  # "oppsigelsesfristen"
        return {
            "number_before": re.compile(rf"(?:\d\)?|(?<!\w){phrase_pattern(words)})[\s-]*\Z"),
            "lead": re.compile(rf"(?<!\w){lead}{filler}{num}\s+{unit}{not_after}"),
            "adjective": re.compile(rf"(?<!\w){num_bound}-?årig(?:e|t|a)?(?!\w)"),
            # "three-year fund", "10 year licence" (an attribute, so a noun follows)
            "adjective_en": re.compile(
                rf"(?<!\w)(?P<n>\d{{1,3}}(?=[-\s]year)|{counted}(?=-year))[-\s]year(?:-long)?(?=\s+[a-z])"
            ),
            "genitive": re.compile(rf"(?<!\w){num}\s+(?P<u>års|måneders|månaders|months'?|years'?)\s+{nouns}"),
            "label": re.compile(rf"(?<!\w){phrases(lx['duration_labels'])}\s*[:|–-]?\s*{num}\s+{unit}{not_after}"),
            "not_before": re.compile(rf"(?<!\w){phrases(lx['duration_not_before'])}\s*\Z"),
            "notice_after": re.compile(rf"(?<!\w){num}[\s-]+{unit}\s+(?:\w+\s+){{0,2}}?{notice_nouns}"),  # "six-month notice"
            "notice_before": re.compile(
                rf"(?<!\w){notice_definite}\s+(?:er|är|is|of|på|av|will\s+be|shall\s+be|skal\s+være|ska\s+vara|skal\s+vere)\s+"
                rf"(?:\w+\s+)?{num}\s+{unit}"
            ),
            "notice_deadline": re.compile(
                rf"(?<!\w){phrases(lx['notice_deadline_lead'])}\s+{num}\s+{unit}\s+{phrases(lx['notice_deadline_after'])}"
            ),
        }

    def _number_words(self, lang: str | None) -> dict[str, float]:
        if lang == "en":
            return self._numbers["en"]
        if lang in self._numbers:
            return {**self._numbers["en"], **self._numbers[lang]}
        merged: dict[str, float] = {}
        for table in self._numbers.values():
            merged.update(table)
        return merged

    def _months(self, m: re.Match, lang: str | None, unit_months: float | None = None) -> int | None:
        n = re.sub(r"\s+", " ", m.group("n"))
        count = float(n.replace(",", ".")) if n[0].isdigit() else self._number_words(lang).get(n)
        if count is None:
            return None
        if unit_months is None:
            u = re.sub(r"\s+", " ", m.group("u"))
            unit_months = self._units.get(u) or self._units.get(u.rstrip("'"))
        if not unit_months:
            return None
        months = int(round(count * unit_months))
        return months if 0 < months <= MAX_MONTHS else None

    # -- finding -----------------------------------------------------------

    def find(self, text: str, lang: str | None = None) -> Terms:
        out = Terms()
        if not isinstance(text, str) or not text:
            return out
        low = fold(text)
        p = self._patterns(lang)
        for a in self._anchor.finditer(low):
            kind = self._anchor_kind.get(re.sub(r"\s+", " ", a.group(0)))
            if kind == "unit" and _UNIT_RUNS_ON.match(low, a.end()):
                continue  # "århus", "yearbook"
            if kind in ("unit", "adj") and p["number_before"].search(low, max(0, a.start() - 40), a.start()):
                lo, hi = max(0, a.start() - 100), min(len(low), a.end() + 60)
                self._durations(low, lo, hi, a, p, lang, out.durations)
                if kind == "unit":
                    self._notices(low, lo, hi, p, lang, out.notices)
            if kind == "review" or (kind == "unit" and self._freq_head.search(low, max(0, a.start() - 25), a.start())):
                self._reviews(low, a, out.reviews)
            if kind == "renew" or (kind == "unit" and self._increment_after.match(low, a.end())):
                self._renewals(low, a, out.renewals)
        durations = _drop_overlaps(out.durations)
        out.notices = _drop_overlaps(out.notices)
        out.durations = [d for d in durations if not any(d.start < n.end and n.start < d.end for n in out.notices)]
        out.reviews = _drop_overlaps(out.reviews)
        out.renewals = _drop_overlaps(out.renewals)
        return out

    def _durations(self, low: str, lo: int, hi: int, anchor: re.Match, p, lang, out: list[Term]) -> None:
        keys = ("adjective", "adjective_en") if anchor.group(0) == "årig" else ("label", "genitive", "lead", "adjective_en")
        for key in keys:
            for m in p[key].finditer(low, lo, hi):
                if m.end() < anchor.end() - 1 or m.start() > anchor.start():
                    continue  # belongs to another anchor
                if p["not_before"].search(low, max(0, m.start() - 40), m.start()):
                    continue
                months = self._months(m, lang, 12.0 if key.startswith("adjective") else None)
                if months:
                    out.append(Term(m.start(), m.end(), months))

    def _notices(self, low: str, lo: int, hi: int, p, lang, out: list[Term]) -> None:
        for key in ("notice_after", "notice_before", "notice_deadline"):
            for m in p[key].finditer(low, lo, hi):
                if key == "notice_deadline":
                    start, _ = sentence_window(low, m.start(), m.end(), 120)
                    if not self._notice_verbs.search(low, start, m.start()):
                        continue
                months = self._months(m, lang)
                if months:
                    out.append(Term(m.start(), m.end(), months))

    def _reviews(self, low: str, anchor: re.Match, out: list[Term]) -> None:
        for f in self._review_freq.finditer(low, max(0, anchor.start() - 30), min(len(low), anchor.end() + 25)):
            if not (f.start() <= anchor.start() and anchor.end() <= f.end()):
                continue
            if _REPORTS_AFTER.match(low, f.end()):
                continue  # "quarterly monitoring reports": how often it reports, not how often it is reviewed
            lo, hi = sentence_window(low, f.start(), f.end(), 80)
            keywords = list(self._review_kw.finditer(low, lo, hi))
            if keywords:
                k = min(keywords, key=lambda k: abs(k.start() - f.start()))
                months = self._review[re.sub(r"\s+", " ", f.group(0))]
                out.append(Term(min(k.start(), f.start()), max(k.end(), f.end()), months))

    def _renewals(self, low: str, anchor: re.Match, out: list[Term]) -> None:
        lo, hi = sentence_window(low, anchor.start(), anchor.end(), 60)
        for m in self._renew.finditer(low, lo, hi):
            start, _ = sentence_window(low, m.start(), m.end(), 20)
            before = low[start : m.start()]
            before = before[max(before.rfind(","), before.rfind(":")) + 1 :]
            negated = bool(self._negation.search(before) or self._negation.search(m.group(0)))
            out.append(Term(m.start(), m.end(), not negated))
