"""Agreement periods: ranges, open starts and ends, whole years.

`PeriodFinder(lexicon).find(text, published, durations)` returns `Period`s with
start/end dates (either may be None) and the stated length when a duration
stands in the same sentence; a start plus a length implies the end (and the
other way round). Year-less dates take their year from the other end of their
range, else from `default_year`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.dates import (
    DateMatch,
    add_months,
    find_dates,
    find_month_years,
    find_year_ranges,
    find_years,
    fold,
    last_day,
)
from pipeline.nlp.terms import Term, phrases

_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÆØÅÄÖ\"“”«–-])|[\n;]")
_NEW_YEAR = re.compile(r"årsskift|nyår|nytår|nyttår|new\s+year|turn\s+of\s+the\s+year")


@dataclass
class Atom:
    """A date-like mention: a day ("date"), a month ("month"), a year or a span of years."""

    start: int
    end: int
    kind: str  # "date", "month", "year", "years"
    year: int | None
    month: int = 1
    day: int = 1
    last_year: int | None = None  # "years" only

    def first(self, year: int | None = None) -> date | None:
        year = self.year if year is None else year
        if year is None:
            return None
        try:
            return date(year, self.month if self.kind in ("date", "month") else 1, self.day if self.kind == "date" else 1)
        except ValueError:
            return None

    def last(self, year: int | None = None) -> date | None:
        year = (self.last_year or self.year) if year is None else year
        if year is None:
            return None
        try:
            if self.kind == "date":
                return date(year, self.month, self.day)
            if self.kind == "month":
                return last_day(year, self.month)
            return date(year, 12, 31)
        except ValueError:
            return None


@dataclass
class Period:
    start: int
    end: int
    first: date | None
    last: date | None
    months: int | None = None

    def value(self) -> dict:
        return {
            "start": self.first.isoformat() if self.first else None,
            "end": self.last.isoformat() if self.last else None,
            "duration_months": self.months,
        }


def atoms(text: str, dates: list[DateMatch] | None = None) -> list[Atom]:
    """Dates, month-years, year spans and lone years, left to right, without overlaps."""
    dates = find_dates(text) if dates is None else dates
    found = [Atom(d.start, d.end, "date", d.year, d.month, d.day) for d in dates]
    found += [Atom(m.start, m.end, "month", m.year, m.month) for m in find_month_years(text)]
    found += [Atom(r.start, r.end, "years", r.first, last_year=r.last) for r in find_year_ranges(text)]
    found += [Atom(y.start, y.end, "year", y.year) for y in find_years(text)]
    kept: list[Atom] = []
    taken: list[tuple[int, int]] = []  # sorted spans of kept atoms
    for a in found:  # earlier kinds win: a date beats the year inside it
        i = bisect_right(taken, (a.start, a.end))
        if (i and taken[i - 1][1] > a.start) or (i < len(taken) and taken[i][0] < a.end):
            continue
        taken.insert(i, (a.start, a.end))
        kept.append(a)
    return sorted(kept, key=lambda a: a.start)


def sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


class PeriodFinder:
    def __init__(self, lexicon: dict):
        lx = lexicon
        tail = r"\s*(?:den\s+|d\.\s+|the\s+|on\s+)?\Z"
        self._lead = re.compile(rf"(?<!\w){phrases(lx['range_lead'], False)}{tail}")
        self._sep = re.compile(rf"\s*,?\s*(?P<sep>{phrases(lx['range_sep'], False)})\s*(?:den\s+|d\.\s+|the\s+)?")
        self._sep_needs_lead = {w.lower() for w in lx["range_sep_needs_lead"]}
        self._start_cue = re.compile(rf"(?<![\w.]){phrases(lx['start_cues'], False)}{tail}")
        self._end_cue = re.compile(rf"(?<![\w.]){phrases(lx['end_cues'], False)}{tail}")
        # "samarbejdsaftalen af 1. januar 2011", "Agreement dated 1st October 2005"
        self._dated = re.compile(
            rf"(?<!\w){phrases(lx['agreement_nouns'], False)}\s+{phrases(lx['dated_words'], False)}{tail}"
        )
        # "blev senest forlænget med ét år til januar 2018"
        self._extended = re.compile(
            rf"(?<!\w){phrases(lx['extend_verbs'])}[^.;:!?\n]{{0,40}}?\s{phrases(lx['extend_to'], False)}{tail}"
        )
        self._year_cue = re.compile(rf"(?<![\w.]){phrases(lx['year_cues'], False)}\s*\Z")
        self._consecutive = re.compile(rf"(?<![\w.]){phrases(lx['consecutive_year_leads'], False)}\s*\Z")
        self._and = re.compile(r"\s*(?:og|och|and|&)\s*\Z")
        self._since_new_year = re.compile(rf"(?<!\w){phrases(lx['new_year']['start'])}")
        self._next_new_year = re.compile(rf"(?<!\w){phrases(lx['new_year']['next_start'])}")
        self._turn = re.compile(rf"(?<!\w){phrases(lx['turn_of_year'])}\s+((?:19|20)\d\d)\s*/\s*((?:19|20)?\d\d)(?!\d)")
        self._turn_end = re.compile(rf"(?<!\w){phrases(lx['turn_end_cues'])}")
        self._turn_start = re.compile(rf"(?<!\w){phrases(lx['turn_start_cues'])}")

    def find(self, text: str, published: date | None = None, durations: list[Term] = (),
             default_year: int | None = None, items: list[Atom] | None = None) -> list[Period]:
        """Periods in `text`; `items` are its atoms when the caller has them already."""
        if default_year is None and published is not None:
            default_year = published.year
        items = atoms(text) if items is None else items
        starts = sentence_starts(text)
        text = fold(text)  # the cue patterns are lower case
        periods: list[Period] = []
        used: set[int] = set()

        def duration_near(pos: int) -> Term | None:
            sentence = bisect_right(starts, pos)
            near = [d for d in durations if bisect_right(starts, d.start) == sentence]
            return min(near, key=lambda d: abs(d.start - pos)) if near else None

        # 1. ranges: "1. april 2025 til 31. marts 2029", "2023-01-01–2025-12-31", "2023–2025"
        for i, a in enumerate(items):
            if i in used:
                continue
            lead = self._lead.search(text, max(0, a.start - 40), a.start)
            if a.kind == "years":
                used.add(i)
                periods.append(Period(lead.start() if lead else a.start, a.end, a.first(), a.last()))
                continue
            if i + 1 >= len(items) or items[i + 1].kind == "years":
                continue
            b = items[i + 1]
            sep = self._sep.fullmatch(text, a.end, b.start)
            if not sep or not self._range_ok(a, b, sep.group("sep").lower(), lead):
                continue
            span_start = lead.start() if lead else a.start
            first, last = self._range_dates(a, b, default_year, duration_near(span_start))
            if first is None and last is None:
                continue
            used.update((i, i + 1))
            periods.append(Period(span_start, b.end, first, last))

        # 2. "i 2022 og 2023"
        for i, a in enumerate(items[:-1]):
            b = items[i + 1]
            if i in used or i + 1 in used or a.kind != "year" or b.kind != "year" or b.year != a.year + 1:
                continue
            lead = self._consecutive.search(text, max(0, a.start - 12), a.start)
            if lead and self._and.fullmatch(text, a.end, b.start):
                used.update((i, i + 1))
                periods.append(Period(lead.start(), b.end, a.first(), b.last()))

        # 3. open starts and ends, whole years
        for i, a in enumerate(items):
            if i in used:
                continue
            window = max(0, a.start - 40)
            year = a.year if a.year is not None else default_year
            if cue := (self._start_cue.search(text, window, a.start) or self._dated.search(text, window, a.start)):
                periods.append(Period(cue.start(), a.end, a.first(year), None))
            elif cue := (self._end_cue.search(text, window, a.start) or self._extended.search(text, max(0, a.start - 70), a.start)):
                periods.append(Period(cue.start(), a.end, None, a.last(year)))
            elif a.kind == "year" and (cue := self._year_cue.search(text, window, a.start)):
                periods.append(Period(cue.start(), a.end, a.first(), a.last()))

        periods += self._new_year(text, published)
        for p in periods:
            self._add_duration(p, duration_near(p.start))
        return sorted((p for p in periods if p.first or p.last), key=lambda p: p.start)

    def _range_ok(self, a: Atom, b: Atom, sep: str, lead) -> bool:
        if sep in self._sep_needs_lead and not lead:
            return False
        if a.kind == "year" or b.kind == "year":
            # "fra 2018 til 2022"; a bare "2019 - 2020" is a year span found earlier
            return bool(lead) and a.kind == b.kind
        return True

    def _range_dates(self, a: Atom, b: Atom, default_year: int | None, duration: Term | None):
        a_year, b_year = a.year, b.year
        if a_year is None and b_year is None:
            a_year = b_year = default_year
        elif a_year is None:
            a_year = b_year
            if duration is not None and (first := _back(b.last(b_year), duration.value)) and (first.month, first.day) == (a.month, a.day):
                a_year = first.year  # "i fire år, fra 1. januar til 31. december 2016"
            elif (a.first(a_year) or date.min) > (b.last(b_year) or date.max):
                a_year -= 1
        elif b_year is None:
            b_year = a_year
            if (b.last(b_year) or date.max) < (a.first(a_year) or date.min):
                b_year += 1
        if a_year is None:
            return None, None
        return a.first(a_year), b.last(b_year)

    def _new_year(self, text: str, published: date | None) -> list[Period]:
        """"sedan årsskiftet", "fra nytår", "löpte ut vid årsskiftet 2018/2019"."""
        out = []
        for anchor in _NEW_YEAR.finditer(text):
            lo, hi = max(0, anchor.start() - 30), anchor.end() + 20
            if published is not None:
                for m in self._since_new_year.finditer(text, lo, hi):
                    out.append(Period(m.start(), m.end(), date(published.year, 1, 1), None))
                for m in self._next_new_year.finditer(text, lo, hi):
                    year = published.year + 1 if published.month >= 7 else published.year
                    out.append(Period(m.start(), m.end(), date(year, 1, 1), None))
            for m in self._turn.finditer(text, lo, hi):
                year = int(m.group(1))
                before = re.split(r"[.!?;\n]", text[max(0, m.start() - 60) : m.start()])[-1]
                if self._turn_end.search(before):
                    out.append(Period(m.start(), m.end(), None, date(year, 12, 31)))
                elif self._turn_start.search(before):
                    out.append(Period(m.start(), m.end(), date(year + 1, 1, 1), None))
        return out

    @staticmethod
    def _add_duration(p: Period, duration: Term | None) -> None:
        if duration is None:
            return
        p.months = duration.value
        if p.first and not p.last:
            end = add_months(p.first, duration.value)
            p.last = end - timedelta(days=1) if end else None
        elif p.last and not p.first:
            p.first = _back(p.last, duration.value)


def _back(last: date | None, months: int) -> date | None:
    """The first day of a span of `months` that ends on `last`."""
    if last is None:
        return None
    return add_months(last + timedelta(days=1), -months)
