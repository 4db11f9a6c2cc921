"""Finding and normalising calendar dates in Nordic, English and German text.

Every match keeps its character span so it can serve as evidence. Numeric dates
are read day-first (the Nordic and British order) unless that is impossible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    [
        "januar januari january jan jänner",
        "februar februari february feb",
        "marts mars march märz mar mrz",
        "april apr",
        "maj mai may",
        "juni june jun",
        "juli july jul",
        "august augusti aug",
        "september sept sep",
        "oktober october okt oct",
        "november nov",
        "december desember dezember dec des dez",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _n

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAYS = (
    "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|måndag|tisdag|lördag|söndag|"
    "tysdag|laurdag|sundag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|wed|thu|fri|sat|sun|man|tir|ons|tor|fre|lør|søn|mån|tis|lör|sön"
)

# 2024-01-15, 2024/01/15, 2021-04-20T12:05:00
_ISO = re.compile(r"(?<![\d/.-])(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?![\d/]|-\d|\.\d)")
# 12.03.2024, 03/02/23, 16/5-2023, 19/05-14, 3.2.2021, 03-02-2023
_NUMERIC = re.compile(
    r"(?<![\d/.,-])(\d{1,2})([./-])(\d{1,2})(?:\2|(?<=/\d)-|(?<=/\d\d)-)(\d{4}|\d{2})(?![\d/]|[.,-]\d)"
)
# 4. marts 2024, den 16 maj, 1st April 2023, Tysdag 13. april, 4 mars, 2024
_DAY_MONTH = re.compile(
    rf"(?<![\w.])(?:(?:{_WEEKDAYS})\.?,?\s+)?(?:(?:den|d\.)\s+)?(\d{{1,2}})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?"
    rf"({_MONTH_RE})\b\.?(?:,?\s+(\d{{4}})\b)?",
    re.IGNORECASE,
)
# Aug 20, 2007; December 5th; March 4 2024
_MONTH_DAY = re.compile(
    rf"(?<![\w.])({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\.\d|[:/-]\d)(?:,?\s+(\d{{4}})\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    day: int
    month: int
    year: int | None  # None when the text gives day and month only

    def value(self, default_year: int | None = None) -> date | None:
        year = self.year if self.year is not None else default_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def _full_year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n <= 50 else 1900 + n
    return n


def _valid(day: int, month: int, year: int | None) -> bool:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return False
    return year is None or 1900 <= year <= 2100


def find_dates(text: str) -> list[DateMatch]:
    """All day-and-month dates in `text`, left to right, without overlaps."""
    found: list[DateMatch] = []

    def add(m: re.Match, day: int, month: int, year: int | None) -> None:
        if _valid(day, month, year):
            found.append(DateMatch(m.start(), m.end(), m.group(0), day, month, year))

    for m in _ISO.finditer(text):
        add(m, int(m.group(4)), int(m.group(3)), int(m.group(1)))
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m.group(1)), int(m.group(3)), _full_year(m.group(4))
        if b > 12 and a <= 12:  # only month-first can be right
            a, b = b, a
        add(m, a, b, y)
    for m in _DAY_MONTH.finditer(text):
        year = int(m.group(3)) if m.group(3) else None
        add(m, int(m.group(1)), MONTHS[m.group(2).lower()], year)
    for m in _MONTH_DAY.finditer(text):
        year = int(m.group(3)) if m.group(3) else None
        add(m, int(m.group(2)), MONTHS[m.group(1).lower()], year)

    # Keep the longest match where two overlap (e.g. "4. marts 2024" vs "4. marts").
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DateMatch] = []
    for d in found:
        if kept and d.start < kept[-1].end:
            continue
        kept.append(d)
    return kept


def parse_date(text: str, default_year: int | None = None) -> date | None:
    """The first date in `text`, or None."""
    for d in find_dates(text):
        value = d.value(default_year)
        if value:
            return value
    return None
