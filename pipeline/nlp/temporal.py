"""Dates, agreement periods and terms as spans.

Span groups (value in span._.value):
  "date"          ISO "YYYY-MM-DD" for every calendar date with day and month
                  (None when no year can be found)
  "period"        {"start": ISO|None, "end": ISO|None, "duration_months": int|None}
  "duration"      months (int): "2 års projekttid", "treårig", "runs for three years"
  "term_review"   months (int): "revideres hvert andet år" -> 24
  "term_notice"   months (int): "seks måneders varsel" -> 6
  "term_renewal"  bool: "förlängs automatiskt" / "forlænges ikke automatisk"

A date without a year takes it from the other end of its range, else from
doc._.context["published"], else from the year the document mentions most.
The word lists (data/temporal_lexicon.json) are stored inside the built model.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from pipeline.dates import find_dates, fold
from pipeline.nlp.extensions import doc_text, put_spans, read_data, write_data
from pipeline.nlp.periods import Atom, Period, PeriodFinder, atoms
from pipeline.nlp.terms import TermFinder, phrases, sentence_window

LEXICON_PATH = Path(__file__).parent / "data" / "temporal_lexicon.json"
_FILE = "temporal_lexicon.json"


# Dashes between digits ("01.01.2024–31.12.2027", "500.000-600.000") split tokens, so the
# two ends get spans of their own: span._.value is stored per character span.
RANGE_INFIXES = (r"(?<=[0-9])[-–—](?=[0-9])",)


def split_number_ranges(nlp: Language) -> Language:
    """Make `nlp`'s tokenizer split number ranges (kept when the pipeline is saved)."""
    infixes = list(nlp.Defaults.infixes or ())
    if RANGE_INFIXES[0] not in infixes:
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes + list(RANGE_INFIXES)).finditer
    return nlp


def document_year(items: list[Atom]) -> int | None:
    """The year a text is about when it carries no publication date: its most
    mentioned year (the latest on a tie)."""
    years = Counter(a.year for a in items if a.year is not None and a.kind != "years")
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


class TemporalFinder:
    def __init__(self, lexicon: dict, lang: str):
        self.lexicon = lexicon
        self.lang = lang
        self.terms = TermFinder(lexicon)
        self.periods = PeriodFinder(lexicon)
        self._recurring = re.compile(r"(?<!\w)" + phrases(lexicon["recurring"]))

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.context if isinstance(doc._.context, dict) else {}
        lang = context.get("lang") or self.lang
        published = context.get("published")
        if not isinstance(published, date):
            published = None
        text = doc_text(doc)
        found = find_dates(text)
        items = atoms(text, found)
        default_year = published.year if published else document_year(items)

        terms = self.terms.find(text, lang)
        periods = self.periods.find(text, published, terms.durations, default_year, items)

        dates = []
        for d in found:
            year = d.year if d.year is not None else _year_from_period(d, periods, default_year)
            if d.year is None and self._recurs(text, d):
                year = None  # "fristen er altid den 1. februar": a date of every year
            value = d.value(year)
            dates.append((d.start, d.end, value.isoformat() if value else None))

        put_spans(doc, "date", dates)
        put_spans(doc, "period", [(p.start, p.end, p.value()) for p in periods])
        put_spans(doc, "duration", [(t.start, t.end, t.value) for t in terms.durations])
        put_spans(doc, "term_review", [(t.start, t.end, t.value) for t in terms.reviews])
        put_spans(doc, "term_notice", [(t.start, t.end, t.value) for t in terms.notices])
        put_spans(doc, "term_renewal", [(t.start, t.end, t.value) for t in terms.renewals])
        return doc

    def _recurs(self, text: str, d) -> bool:
        lo, hi = sentence_window(text, d.start, d.end, 60)
        return bool(self._recurring.search(fold(text[lo:hi])))

    def to_disk(self, path, exclude=tuple()):
        write_data(path, _FILE, self.lexicon)

    def from_disk(self, path, exclude=tuple()):
        self.__init__(read_data(path, _FILE), self.lang)
        return self


def _year_from_period(d, periods: list[Period], default_year: int | None) -> int | None:
    """The year a range gave this year-less date ("1. januar til 31. december 2016")."""
    for p in periods:
        if p.start <= d.start and d.end <= p.end:
            for bound in (p.first, p.last):
                if bound and (bound.month, bound.day) == (d.month, d.day):
                    return bound.year
    return default_year


@Language.factory("agreements_dates", default_config={"lang": "da"})
def make_temporal(nlp: Language, name: str, lang: str) -> TemporalFinder:
    return TemporalFinder(json.loads(LEXICON_PATH.read_text(encoding="utf-8")), lang)
