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

_WEEKDAYS = (
    "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|måndag|tisdag|lördag|söndag|"
    "tysdag|laurdag|sundag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|wed|thu|fri|sat|sun|man|tir|ons|tor|fre|lør|søn|mån|tis|lör|sön"
)


def fold(text: str) -> str:
    """`text` in lower case, every character kept at its offset (so spans carry over)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def phrase_pattern(phrases) -> str:
    """An alternation of lower-case phrases built as a trie, longest first.

    Python's regex engine skips ahead fast when a pattern starts with a known set
    of characters; a trie (and no IGNORECASE, so match `fold(text)`) keeps that.
    A space in a phrase matches any run of whitespace."""
    trie: dict = {}
    for phrase in {p.lower() for p in phrases if p}:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a phrase may end here; longer ones first

    return "(?:" + build(trie) + ")" if trie else "(?!)"


_MONTHS_TRIE = phrase_pattern(MONTHS)
_WEEKDAYS_TRIE = phrase_pattern(_WEEKDAYS.split("|"))
_WORD_OR_DOT = re.compile(r"[\w.]")

# The patterns start with a digit or a letter set (fast to scan); the lookbehinds
# that used to open them sit after the first character.
# 2024-01-15, 2024/01/15, 2021-04-20T12:05:00
_ISO = re.compile(r"(\d)(?<![\d/.-]\d)(\d{3})([-/])(\d{1,2})\3(\d{1,2})(?![\d/]|-\d|\.\d)")
# 12.03.2024, 03/02/23, 16/5-2023, 19/05-14, 3.2.2021, 03-02-2023
_NUMERIC = re.compile(
    r"(\d)(?<![\d/.,-]\d)(\d?)([./-])(\d{1,2})(?:\3|(?<=/\d)-|(?<=/\d\d)-)(\d{4}|\d{2})(?![\d/]|[.,-]\d)"
)
# 4. marts 2024, 1st April 2023, 4 mars, 2024 (matched on folded text; a weekday or
# "den" before it is added by _DAY_MONTH_LEAD): Tysdag 13. april, den 16 maj
_DAY_MONTH = re.compile(
    rf"(\d)(?<![\w.]\d)(\d?)(?:\.|st|nd|rd|th)?\s*(?:of\s+)?({_MONTHS_TRIE})\b\.?(?:,?\s+(\d{{4}})\b)?"
)
_DAY_MONTH_LEAD = re.compile(rf"(?<![\w.])(?:{_WEEKDAYS_TRIE}\.?,?\s+)?(?:(?:den|d\.)\s+)?\Z")
# Aug 20, 2007; December 5th; March 4 2024 (folded text; no word or dot just before)
_MONTH_DAY = re.compile(
    rf"({_MONTHS_TRIE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\.\d|[:/-]\d)(?:,?\s+(\d{{4}})\b)?"
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
    low = fold(text)

    def add(start: int, end: int, day: int, month: int, year: int | None) -> None:
        if _valid(day, month, year):
            found.append(DateMatch(start, end, text[start:end], day, month, year))

    for m in _ISO.finditer(text):
        add(m.start(), m.end(), int(m.group(5)), int(m.group(4)), int(m.group(1) + m.group(2)))
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m.group(1) + m.group(2)), int(m.group(4)), _full_year(m.group(5))
        if b > 12 and a <= 12:  # only month-first can be right
            a, b = b, a
        add(m.start(), m.end(), a, b, y)
    previous_end = 0
    for m in _DAY_MONTH.finditer(low):
        lead = _DAY_MONTH_LEAD.search(low, max(previous_end, m.start() - 30), m.start())
        start = lead.start() if lead else m.start()
        previous_end = m.end()
        year = int(m.group(4)) if m.group(4) else None
        add(start, m.end(), int(m.group(1) + m.group(2)), MONTHS[m.group(3)], year)
    for m in _MONTH_DAY.finditer(low):
        if m.start() and _WORD_OR_DOT.match(low, m.start() - 1):
            continue
        year = int(m.group(3)) if m.group(3) else None
        add(m.start(), m.end(), int(m.group(2)), MONTHS[m.group(1)], year)

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


# -- Months and years without a day (for agreement periods) --------------------

# On folded text, as above. "januar 2018", "April 2022"; a day before the month
# makes it a date instead (checked in find_month_years).
_MONTH_YEAR = re.compile(rf"({_MONTHS_TRIE})\.?,?\s+(\d{{4}})(?![\d/-])")
_DAY_BEFORE = re.compile(r"\d\.?\s\Z")
# 2024, not inside a number, a date, a case number ("UPN2024/118") or a fiscal year ("2022/23").
_YEAR = re.compile(r"([12])(?<![\w./:-][12])(?<!\d[.,][12])(?:(?<=1)9|(?<=2)0)\d\d(?![\w/]|[.,:]\d|-\d\d-)")
# "2023–2025", "2021 - 2024", "2022-24"
_YEAR_RANGE = re.compile(
    rf"([12])(?<![\w./:-][12])(?:(?<=1)9|(?<=2)0)\d\d\s*[-–—]\s*((?:19|20)\d\d|\d\d(?!\.?\s*(?:{_MONTHS_TRIE})\b))"
    r"(?![\w/]|[.,:-]\d)"
)


@dataclass(frozen=True)
class MonthMatch:
    start: int
    end: int
    text: str
    month: int
    year: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return last_day(self.year, self.month)


@dataclass(frozen=True)
class YearMatch:
    start: int
    end: int
    text: str
    year: int


@dataclass(frozen=True)
class YearRange:
    start: int
    end: int
    text: str
    first: int
    last: int


def last_day(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def add_months(day: date, months: int) -> date | None:
    """`day` moved by whole months, clamped to the month's end; None out of range."""
    try:
        index = day.year * 12 + day.month - 1 + months
        year, month = divmod(index, 12)
        return date(year, month + 1, min(day.day, last_day(year, month + 1).day))
    except (ValueError, OverflowError):
        return None


def find_month_years(text: str) -> list[MonthMatch]:
    """Month-and-year mentions without a day ("januar 2018"), left to right."""
    found = []
    low = fold(text)
    for m in _MONTH_YEAR.finditer(low):
        if m.start() and (_WORD_OR_DOT.match(low, m.start() - 1) or _DAY_BEFORE.search(low, max(0, m.start() - 3), m.start())):
            continue
        year = int(m.group(2))
        if 1900 <= year <= 2100:
            found.append(MonthMatch(m.start(), m.end(), text[m.start() : m.end()], MONTHS[m.group(1)], year))
    return found


def find_years(text: str) -> list[YearMatch]:
    """Four-digit years 1900-2099 standing alone (also the ends of "2023–2025")."""
    return [YearMatch(m.start(), m.end(), m.group(0), int(m.group(0))) for m in _YEAR.finditer(text)]


def find_year_ranges(text: str) -> list[YearRange]:
    """Spans of years such as "2023–2025" or "2022-24" (the second year after the first)."""
    found = []
    for m in _YEAR_RANGE.finditer(fold(text)):
        first, second = int(m.group(0)[:4]), m.group(2)
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if first < last <= first + 30:
            found.append(YearRange(m.start(), m.end(), text[m.start() : m.end()], first, last))
    return found
