"""Money amounts in Nordic and English text: finding them and normalising their value.

`find_amounts(text, lang, country)` returns every amount with its character span;
`parse_amount(text, ...)` normalises the first one. The word lists (currencies,
scale words, number words, "per year" phrases, hedges) live in
`pipeline/nlp/data/money_lexicon.json`; `AmountFinder(lexicon)` compiles them.

A number only counts as money when a currency (symbol, code, word, `,-`, `:-`)
or a scale word with a money reading (`2,5 miljoner till ...`) goes with it, so
years, dates, phone numbers, percentages and counts never match.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.dates import fold, phrase_pattern

LEXICON_PATH = Path(__file__).parent / "nlp" / "data" / "money_lexicon.json"

NORDIC = ("da", "sv", "nb", "nn", "no")
_KRONE_BY_LANG = {"da": "DKK", "sv": "SEK", "nb": "NOK", "nn": "NOK", "no": "NOK", "is": "ISK", "fo": "DKK"}
_KRONE_BY_COUNTRY = {"DK": "DKK", "SE": "SEK", "NO": "NOK", "IS": "ISK", "FO": "DKK", "GL": "DKK"}
_LOCAL_BY_COUNTRY = {**_KRONE_BY_COUNTRY, "GB": "GBP", "UK": "GBP", "US": "USD", "FI": "EUR", "DE": "EUR", "IE": "EUR"}

_SP = r"[ \t\u00a0\u202f\u2009]"  # space inside a line
# Nordic and English digit groups; the parser decides which separator is decimal.
# The lookbehinds sit after the first digit so the pattern starts with a digit
# (fast to scan): no word character, comma or slash before the number.
_NUM = (
    r"\d(?<![\w,/]\d)(?<!\d\.\d)(?:\d{0,2}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d{1,2})?"
    r"|\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?"
    r"|\d{0,2}(?:,\d{3})+(?:\.\d{1,2})?"
    r"|\d*(?:[.,]\d+)?)(?![.,]?\d)"
)
_TAIL = r",-+|,–|:-|\.-"
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_SPLIT_GROUP = re.compile(r"(?<![\w.,])(\d{1,3})[ \t]*\n[ \t]*$")
_WORD_OR_DOT = re.compile(r"[\w.]")
_WORD = re.compile(r"\w")
_CODE_LIKE = frozenset({"DKK", "SEK", "NOK", "ISK", "EUR", "GBP", "USD", "CHF", "KR"})


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    text: str
    value: int | float
    currency: str | None
    per: str | None  # "year", "month", "total" or None
    approx: bool

    def as_value(self) -> dict:
        return {"value": self.value, "currency": self.currency, "per": self.per, "approx": self.approx}


def to_number(x: float) -> int | float:
    """Whole currency units: an int when integral, else a float rounded to cents."""
    x = round(x, 2)
    return int(x) if x == int(x) else x


def parse_number(text: str, lang: str | None = None, scaled: bool = False) -> float | None:
    """A written number ("575 000", "1.250.000", "2,1", "28,931.30", "440.000,-") as a float.

    A lone separator before exactly three digits groups thousands ("75,000",
    "440.000") unless a scale word follows, where the language decides
    ("1,5 mio." in Danish, "1.5 million" in English)."""
    if not isinstance(text, str):
        return None
    s = re.sub(r"(?:,-+|,–|:-|\.-)$", "", text.strip())
    s = re.sub(r"[\s\u00a0\u202f\u2009]", "", s)
    if not s or not re.fullmatch(r"\d+(?:[.,]\d+)*", s):
        return None
    seps = [c for c in s if c in ".,"]
    if not seps:
        return float(s)
    last = max(s.rfind("."), s.rfind(","))
    tail = len(s) - last - 1
    if len(set(seps)) == 2:  # "1.250.000,50" / "28,931.30": the last one is decimal
        decimal = s[last] if tail != 3 else None
    elif len(seps) > 1:  # "1.250.000": grouping only
        decimal = None
    elif tail != 3:
        decimal = seps[0]
    elif scaled and lang is None:
        decimal = seps[0]
    elif scaled:  # the language's own decimal mark; the other one groups
        decimal = seps[0] if seps[0] == ("." if lang == "en" else ",") else None
    else:
        decimal = None
    if decimal is None:
        digits = s.replace(".", "").replace(",", "")
        return float(digits)
    whole, frac = s[:last], s[last + 1 :]
    whole = whole.replace(".", "").replace(",", "")
    try:
        return float(f"{whole}.{frac}")
    except ValueError:
        return None


def resolve_currency(code: str | None, lang: str | None = None, country: str | None = None) -> str | None:
    """An ISO code from a lexicon value: '@kr' is the krone of the language (then the
    country), '@kroner' the Danish or Norwegian one."""
    if code is None:
        return None
    country = (country or "").upper() or None
    if code == "@kr":
        return _KRONE_BY_LANG.get(lang or "") or _KRONE_BY_COUNTRY.get(country or "")
    if code == "@kroner":
        by_lang = _KRONE_BY_LANG.get(lang or "")
        if by_lang in ("DKK", "NOK"):
            return by_lang
        by_country = _KRONE_BY_COUNTRY.get(country or "")
        return by_country if by_country in ("DKK", "NOK") else None
    return code


def _words(words) -> str:
    """Lower-case phrases as a fast trie alternation that does not run on into a word."""
    return phrase_pattern(words) + r"(?!\w)"


# A table header that names the currency of a column: "Belopp (kr)", "Beløb i kr.", "Tilskudd (NOK)".
_CURRENCY_HEADER = re.compile(r"(?i)\((?:kr\.?|sek|nok|dkk)\)|\b(?:belopp|beløb|beløp|tilskud\w*|bidrag\w*|sum) i kr\b")
# A number opening a cell (or a cell's text, where two columns ran together): "| 45 000 Schackskola".
_CELL_NUMBER = re.compile(r"\|\s*(\d{1,3}(?:[ .\u00a0]\d{3})+|\d{4,7})(?![\d,.]\d)")


class AmountFinder:
    """Compiled money patterns for one lexicon (see money_lexicon.json)."""

    def __init__(self, lexicon: dict):
        self.lexicon = lexicon
        lx = lexicon
        self._cur = {k.lower(): v for k, v in lx["currencies"].items()}
        self._codes = dict(lx["codes"])
        self._scales = {k.lower(): float(v) for k, v in lx["scales"].items()}
        self._attached = {k.lower(): float(v) for k, v in lx["attached_scales"].items()}
        self._merged = {k.lower(): (float(v[0]), v[1]) for k, v in lx["merged"].items()}
        self._numbers = {lang: {k.lower(): float(v) for k, v in words.items()} for lang, words in lx["numbers"].items()}
        self._prefix = {p.lower() for p in lx["prefix"]}
        self._per = {p.lower(): label for label, phrases in lx["per"].items() for p in phrases}
        self._per_before = {p.lower(): label for label, phrases in lx["per_before"].items() for p in phrases}
        self._free = {w.lower() for w in lx["free_follow"]}
        self._money_words = {w.lower() for w in lx["money_words"]}
        self._span_units = {k.lower(): int(v) for k, v in lx["span_units"].items()}

        self._code_keys = {c.lower() for c in self._codes}
        symbols = [c for c in self._cur if not c[0].isalnum()]
        cur = f"(?:{_words([c for c in self._cur if c[0].isalnum()] + sorted(self._code_keys))}|{phrase_pattern(symbols)})"
        scale = _words(self._scales)
        attached = _words(self._attached)
        merged = _words(self._merged)
        all_numbers = {w for words in self._numbers.values() for w in words}
        # Matched on fold(text). Numbers first (a digit is fast to scan for); a currency
        # before one is read by _prefix, a number word by _word_numbers.
        self._amount = re.compile(
            rf"(?P<num>{_NUM})(?P<tail>{_TAIL})?(?:(?P<att>{attached})|{_SP}*(?P<merged>{merged})|{_SP}*(?P<scale>{scale}))?"
            rf"(?:{_SP}*(?P<cur>{cur}))?"
        )
        self._prefix_before = re.compile(rf"(?P<pcur>{phrase_pattern(self._prefix)}){_SP}*\Z")
        self._scale_word = re.compile(scale)
        self._number_word_before = re.compile(rf"(?<!\w)(?P<wnum>{phrase_pattern(all_numbers)}){_SP}+\Z")
        self._cur_after = re.compile(rf"{_SP}*(?P<cur>{cur})")
        self._number_after = re.compile(rf"{_SP}*[£€$]?\d")
        self._approx = re.compile(rf"(?<!\w){phrase_pattern(lx['approx'])}{_SP}*(?:på{_SP}+|of{_SP}+)?\Z")
        self._per_after = re.compile(rf"[\s,]*(?P<p>{_words(self._per)})")
        totals = [k for k, v in self._per_before.items() if v == "total"]
        self._per_total_before = re.compile(rf"(?<!\w){phrase_pattern(totals)}[\s:]*\Z")
        self._annual = re.compile(rf"(?<!\w){_words([k for k, v in self._per_before.items() if v == 'year'])}")
        span_num = phrase_pattern(all_numbers | {"ytterligere", "further"})
        self._over_span = re.compile(
            rf"\s*{phrase_pattern(lx['span_lead'])}\s+(?:de\s+|the\s+|next\s+|kommende\s+)?(?:\d+|{span_num})\s+{_words(self._span_units)}"
        )
        self._range_before = re.compile(
            rf"(?:(?P<lead>(?<!\w)(?:mellem|mellom|mellan|between|fra|från|frå|from)){_SP}+)?"
            rf"(?P<n1>{_NUM}){_SP}*(?P<sep>[-–—]|(?:til|till|to|og|och|and)(?!\w)){_SP}*\Z"
        )
        self._range_after = re.compile(rf"{_SP}*(?:[-–—]|(?:til|till|to)(?!\w)){_SP}*(?P<n2>{_NUM})(?P<tail>{_TAIL})?")
        # a line ending in a grouped number: "Scenkonst Kalmar 145 000"
        self._line_end_number = re.compile(rf"(?P<n>\d(?<![\w.,]\d)\d{{0,2}}(?:[ .\u00a0]\d{{3}})+)(?:{_TAIL})?{_SP}*$", re.M)

    # -- helpers -----------------------------------------------------------

    def _currency(self, word: str | None, lang, country) -> str | None:
        """The ISO code for a currency as written; a code must be in capitals ("SEK", not "sek")."""
        if word is None:
            return None
        key = re.sub(r"\s+", " ", word.lower())
        code = self._cur.get(key)
        if code is None and word.upper() == word:
            code = self._codes.get(word)
        return resolve_currency(code, lang, country)

    def _local(self, lang, country) -> str | None:
        return resolve_currency("@kr", lang, country) if lang in NORDIC else _LOCAL_BY_COUNTRY.get((country or "").upper())

    def _number_word(self, word: str, lang) -> float | None:
        key = re.sub(r"\s+", " ", word.lower())
        if lang in self._numbers:
            return self._numbers[lang].get(key)
        for table in self._numbers.values():  # unknown language: any reading
            if key in table:
                return table[key]
        return None

    def _free_follow(self, text: str, end: int) -> bool:
        """After a scale word without a currency: punctuation or a word that cannot be a counted noun."""
        m = re.match(r"[ \t\u00a0]*(\w+|\S|$)", text[end : end + 30])
        nxt = m.group(1).lower() if m else ""
        return nxt == "" or not nxt[0].isalnum() or nxt in self._free

    # -- finding -----------------------------------------------------------

    def find(self, text: str, lang: str | None = None, country: str | None = None) -> list[Amount]:
        if not isinstance(text, str) or not text:
            return []
        low = fold(text)
        found: list[Amount] = []
        for m in self._amount.finditer(low):
            found.extend(self._read(m, text, low, lang, country))
        found.extend(self._word_numbers(text, low, lang, country))
        found.sort(key=lambda a: (a.start, -a.end))
        kept: list[Amount] = []
        for a in found:  # a range end may also have been read on its own
            if not kept or a.start >= kept[-1].end:
                kept.append(a)
        kept.extend(self._table_numbers(text, lang, country, kept))
        if " | " in text:
            kept.extend(self._column_numbers(text, lang, country, kept))
        kept.sort(key=lambda a: a.start)
        return kept

    def _column_numbers(self, text: str, lang, country, found: list[Amount]) -> list[Amount]:
        """Bare sums in the cells of a table whose header names the currency ("Belopp (kr)" / "45 000")."""
        currency = self._local(lang, country)
        if currency is None:
            return []
        taken = [(a.start, a.end) for a in found]
        out: list[Amount] = []
        pos, in_table = 0, False
        for line in text.split("\n"):
            if " | " not in line:
                in_table = False
            elif _CURRENCY_HEADER.search(line):
                in_table = True
            elif in_table:
                for m in _CELL_NUMBER.finditer(line):
                    s, e = pos + m.start(1), pos + m.end(1)
                    value = parse_number(m.group(1), lang)
                    if value is not None and value >= 1000 and not any(s < te and ts < e for ts, te in taken):
                        out.append(Amount(s, e, m.group(1), to_number(value), currency, None, False))
            pos += len(line) + 1
        return out

    def _word_start(self, low: str, start: int, dot: bool = False) -> bool:
        return start == 0 or not (_WORD_OR_DOT if dot else _WORD).match(low, start - 1)

    def _prefix_currency(self, text: str, low: str, start: int, lang, country) -> tuple[int, str] | None:
        """A currency written before the number at `start` ("kr. 440 000", "£217,000", "SEK 1.2 billion")."""
        p = self._prefix_before.search(low, max(0, start - 8), start)
        if not p:
            return None
        written = text[p.start("pcur") : p.end("pcur")]
        if written[0].isalnum() and not self._word_start(low, p.start(), dot=True):
            return None
        if written in self._codes and _shouting(text, p.start(), start):
            return None
        currency = self._currency(written, lang, country)
        return (p.start(), currency) if currency else None

    def _read(self, m: re.Match, text: str, low: str, lang, country) -> list[Amount]:
        g = m.groupdict()
        start, num_text = m.start(), g["num"]
        scale = g["att"] or g["scale"]
        factor = self._factor(scale)
        currency = None
        prefix = self._prefix_currency(text, low, start, lang, country)
        if prefix:
            start, currency = prefix
        if g["merged"]:
            factor, code = self._merged[g["merged"]]
            currency = currency or resolve_currency(code, lang, country)
        cur = text[m.start("cur") : m.end("cur")] if g["cur"] else None
        if cur and cur in self._codes and _shouting(text, start, m.end()):
            cur = None
        if cur and not prefix:
            if cur.lower() in self._prefix and _YEAR_LIKE.fullmatch(num_text) and self._number_after.match(text, m.end()):
                return []  # "2019 SEK 750 000": the currency belongs to the next number
            currency = self._currency(cur, lang, country) or currency
        if currency is None and g["tail"]:
            currency = resolve_currency("@kr", lang, country)
        if currency is None:
            if not (g["scale"] and lang in NORDIC and self._free_follow(text, m.end())):
                return []
            currency = self._local(lang, country)
        split = _SPLIT_GROUP.search(text, max(0, start - 6), start) if not prefix and re.fullmatch(r"\d{3}", num_text) else None
        if split:  # "187\n500 kr": a group broken over two lines
            num_text, start = f"{split.group(1)} {num_text}", split.start(1)
        value = parse_number(num_text, lang, scaled=bool(scale or g["merged"]))
        if value is None:
            return []
        end = m.end()
        approx = bool(self._approx.search(low, max(0, start - 30), start))
        first = Amount(start, end, text[start:end], to_number(value * factor), currency, self._per_of(low, start, end), approx)
        return self._range(m, text, low, lang, first, factor, bool(prefix)) + [first]

    def _word_numbers(self, text: str, low: str, lang, country) -> list[Amount]:
        """Numbers written as words before a scale word: "tre mio. kr.", "fem millionar", "half a million pounds"."""
        out = []
        for sm in self._scale_word.finditer(low):
            if not self._word_start(low, sm.start()):
                continue
            w = self._number_word_before.search(low, max(0, sm.start() - 25), sm.start())
            value = self._number_word(w.group("wnum"), lang) if w else None
            if value is None:
                continue
            end = sm.end()
            c = self._cur_after.match(low, end)
            currency = self._currency(text[c.start("cur") : c.end("cur")], lang, country) if c else None
            if currency is not None:
                end = c.end()
            elif lang not in NORDIC or not self._free_follow(text, end):
                continue
            else:
                currency = self._local(lang, country)
            start = w.start()
            approx = bool(self._approx.search(low, max(0, start - 30), start))
            value *= self._factor(sm.group(0))
            out.append(Amount(start, end, text[start:end], to_number(value), currency, self._per_of(low, start, end), approx))
        return out

    def _factor(self, scale: str | None) -> float:
        if not scale:
            return 1.0
        key = scale.lower()
        return self._scales.get(key) or self._attached.get(key) or 1.0

    def _per_of(self, low: str, start: int, end: int) -> str | None:
        m = self._per_after.match(low, end)
        if m:
            return self._per[re.sub(r"\s+", " ", m.group("p"))]
        if self._over_span.match(low, end):
            return "total"
        if self._per_total_before.search(low, max(0, start - 25), start):
            return "total"
        window = low[max(0, start - 60) : start]
        cut = max(window.rfind(". "), window.rfind("\n"), window.rfind("! "), window.rfind("? "))
        if self._annual.search(window[cut + 1 :]):
            return "year"
        return None

    def _range(self, m: re.Match, text: str, low: str, lang, last: Amount, factor: float, prefixed: bool) -> list[Amount]:
        """The other end of "500.000-600.000 kr." (before) or "DKK 350.000-400.000" (after)."""
        if prefixed:
            r = self._range_after.match(low, m.end())
            if not r or _YEAR_LIKE.fullmatch(r.group("n2")):
                return []
            value = parse_number(r.group("n2"), lang, scaled=factor != 1.0)
            n2_factor = factor if value is not None and value < 1000 else 1.0
            if value is None or not _plausible_range(last.value, value * n2_factor):
                return []
            return [Amount(r.start("n2"), r.end(), text[r.start("n2") : r.end()], to_number(value * n2_factor),
                           last.currency, last.per, last.approx)]
        start = m.start()
        r = self._range_before.search(low, max(0, start - 40), start)
        if not r or (r.group("sep") in ("og", "och", "and") and not r.group("lead")):
            return []
        n1 = r.group("n1")
        if _YEAR_LIKE.fullmatch(n1) and not _YEAR_LIKE.fullmatch(m.group("num") or ""):
            return []
        value = parse_number(n1, lang, scaled=factor != 1.0)
        if value is None:
            return []
        n1_factor = factor if value < 1000 else 1.0
        if not _plausible_range(value * n1_factor, last.value):
            return []
        approx = last.approx or bool(self._approx.search(low, max(0, r.start() - 30), r.start()))
        return [Amount(r.start("n1"), r.end("n1"), n1, to_number(value * n1_factor), last.currency, last.per, approx)]

    def _table_numbers(self, text: str, lang, country, found: list[Amount]) -> list[Amount]:
        """Bare sums in a list under a money heading ("Bidrag 2016:" / "Scenkonst 145 000")."""
        currency = self._local(lang, country)
        if currency is None:
            return []
        taken = [(a.start, a.end) for a in found]
        runs: list[list[re.Match]] = []
        for lm in self._line_end_number.finditer(text):
            line_start = text.rfind("\n", 0, lm.start()) + 1
            if not any(c.isalpha() for c in text[line_start : lm.start()]):
                continue  # a number alone on its line is no labelled sum
            if runs and text.count("\n", runs[-1][-1].end(), lm.start()) == 1:
                runs[-1].append(lm)
            else:
                runs.append([lm])
        out: list[Amount] = []
        for run in runs:
            if len(run) < 2 or not self._money_heading(text, text.rfind("\n", 0, run[0].start()) + 1):
                continue
            for r in run:
                s, e = r.start("n"), r.end("n")
                value = parse_number(r.group("n"), lang)
                if value is not None and value >= 1000 and not any(s < te and ts < e for ts, te in taken):
                    out.append(Amount(s, e, r.group("n"), to_number(value), currency, None, False))
        return out

    def _money_heading(self, text: str, line_start: int) -> bool:
        before = text[max(0, line_start - 300) : line_start].rstrip("\n").split("\n")[-2:]
        words = set(re.findall(r"[\w€£]+", " ".join(before).lower()))
        return bool(words & self._money_words)


def _shouting(text: str, start: int, end: int) -> bool:
    """Capital words all around: "NOK" in "DET ER NOK 500 PLASSER" is a word, not a currency code."""
    window = text[max(0, start - 30) : end + 30]
    if any(c.islower() for c in window):
        return False
    return any(w not in _CODE_LIKE for w in re.findall(r"[^\W\d_]{2,}", window))


def _plausible_range(low: float, high: float) -> bool:
    # "500.000-600.000": the ends of a range are close; "£5 to 70070" is no range.
    return 0 < low < high <= 20 * low


def load_lexicon(path: str | Path = LEXICON_PATH) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_finder() -> AmountFinder:
    return AmountFinder(load_lexicon())


def find_amounts(text: str, lang: str | None = None, country: str | None = None) -> list[Amount]:
    """Every money amount in `text`, left to right (a range gives both ends)."""
    try:
        return default_finder().find(text, lang, country)
    except (TypeError, ValueError, KeyError, IndexError):  # odd input is no amount
        return []


def parse_amount(text: str, lang: str | None = None, country: str | None = None) -> dict | None:
    """The first amount in `text` as {"value", "currency", "per", "approx"}, or None."""
    found = find_amounts(text, lang, country)
    return found[0].as_value() if found else None
