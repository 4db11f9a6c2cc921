"""Running the language pipelines over a document and collecting what they found.

A document is cut into units (sentences inside content blocks); every span a
component found becomes a `Mention` in the unit it falls in. Spans in chrome
(boilerplate blocks) are dropped here, so no later stage sees them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from pipeline import nlp
from pipeline.models import Document, Evidence
from pipeline.nlp.extensions import set_doc_text

SPAN_GROUPS = (
    "money", "date", "period", "duration", "term_review", "term_notice", "term_renewal",
    "phone", "email", "org", "person", "cue_type", "cue_status",
)
_LABELLED = {"cue_type", "cue_status"}  # categorical spans carry their value as the label
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”»']?\s+(?=[\"“«'–—-]?\s?[A-ZÆØÅÄÖÉÜ0-9§])|\n")
# A full stop after these ends an abbreviation, not a sentence ("Naturfond Gl. Rye").
_ABBREVIATIONS = {
    "gl", "st", "sct", "skt", "dr", "mr", "mrs", "ms", "hr", "fru", "nr", "no", "ca", "jf", "evt", "inkl",
    "ekskl", "bl.a", "m.fl", "f.eks", "t.ex", "d.v.s", "dvs", "mfl", "prof", "vs", "etc", "pga", "p.g.a",
}
_LAST_WORD = re.compile(r"([\w.]+)\.[\"”»']?\s*$")
_COUNTRY_WORDS = {
    "SE": re.compile(r"\b(Swed(en|ish)|Stockholm|SEK|kronor)\b"),
    "DK": re.compile(r"\b(Denmark|Danish|Copenhagen|DKK)\b"),
    "NO": re.compile(r"\b(Norw(ay|egian)|Oslo|NOK)\b"),
}
_COUNTRY_WORD = re.compile("|".join(f"(?P<{c}>{p.pattern})" for c, p in _COUNTRY_WORDS.items()))
LANG_COUNTRY = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "no": "NO"}


@dataclass
class Mention:
    kind: str
    start: int
    end: int
    text: str
    value: object
    doc_id: str

    def evidence(self) -> Evidence:
        return Evidence(doc=self.doc_id, start=self.start, end=self.end, quote=self.text)


@dataclass
class Unit:
    """One sentence (or line) of content."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    block_index: int
    block_kind: str
    mentions: list[Mention] = field(default_factory=list)

    _index: tuple | None = field(default=None, repr=False, compare=False)

    def of(self, kind: str) -> list[Mention]:
        """This unit's mentions of one kind (asked tens of times per unit: indexed once, again
        only when the list was replaced or grew)."""
        ms = self.mentions
        if not ms:
            return []
        index = self._index
        if index is None or index[0] is not ms or index[1] != len(ms):
            by_kind: dict[str, list[Mention]] = {}
            for m in ms:
                by_kind.setdefault(m.kind, []).append(m)
            index = self._index = (ms, len(ms), by_kind)
        return list(index[2].get(kind, ()))

    def evidence(self) -> Evidence:
        return Evidence(doc=self.doc_id, start=self.start, end=self.end, quote=self.text)


def country_for(lang: str | None, text: str) -> str:
    if lang in LANG_COUNTRY:
        return LANG_COUNTRY[lang]
    counts = dict.fromkeys(_COUNTRY_WORDS, 0)
    for m in _COUNTRY_WORD.finditer(text):  # one pass for all three countries
        counts[m.lastgroup] += 1
    best = max(counts, key=counts.get)
    return best if counts[best] else "GB"


def _sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        if m.group(0) != "\n":
            word = _LAST_WORD.search(text[max(0, m.start() - 12): m.start() + 1] if text[m.start() - 1:m.start()] == "." else text[max(0, m.start() - 12): m.start()])
            last = word.group(1).casefold() if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()) or "." in last:
                continue  # "Gl. Rye", "A. Hansen", "J.P. Johansson"
            if len(last) <= 3 and text[m.end(): m.end() + 1].isdigit():
                continue  # "kr. 440 000,-", "nr. 12", "ca. 30"
        pieces.append(text[start:m.start()])
        start = m.end()
    pieces.append(text[start:])
    return pieces


def _units(doc: Document) -> list[Unit]:
    units: list[Unit] = []
    for bi, block in enumerate(doc.blocks):
        if not block.is_content:
            continue
        pos = block.start
        # A table row is one unit, whatever punctuation its cells hold.
        for piece in block.text.split("\n") if block.kind == "table" else _sentences(block.text):
            offset = doc.content.find(piece, pos, block.end)
            if offset < 0 or not piece.strip():
                continue
            units.append(Unit(doc.id, len(units), offset, offset + len(piece), piece, bi, block.kind))
            pos = offset + len(piece)
    return units


# A table column that names the counterpart ("Idéburen part", "Organisation", "Modtager").
_PARTY_HEADER = re.compile(
    r"\b(part|parter|partner|organisation\w*|organisasjon\w*|forening\w*|förening\w*|mottag\w*|modtag\w*|"
    r"mottak\w*|recipient\w*|grantee\w*|tilskudsmodtager|bidragsmottagare|aktør|aktör|provider)\b",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\(.*?\)\s*$")


def _table_parties(doc: Document, units: list[Unit]) -> None:
    """Cells of a table's party column are organisations, named or not by the org finder."""
    for block in doc.blocks:
        if block.kind != "table" or not block.rows or len(block.rows) < 2:
            continue
        header = block.rows[0]
        column = next((i for i, cell in enumerate(header) if cell and _PARTY_HEADER.search(cell)), None)
        if column is None:
            continue
        pos = block.start
        for row in block.rows[1:]:
            if column >= len(row) or not row[column]:
                continue
            name = _PAREN.sub("", row[column]).strip()
            start = doc.content.find(name, pos, block.end)
            if start < 0 or len(name) < 2:
                continue
            pos = start + len(name)
            unit = next((u for u in units if u.start <= start < u.end), None)
            if unit is None:
                continue
            # Other cells of the row name activities or places, not parties.
            public = {"municipality", "region", "state"}
            unit.mentions = [
                m for m in unit.mentions
                if m.kind != "org" or (m.start < pos and start < m.end) or (m.value or {}).get("kind") in public
            ]
            if any(m.kind == "org" and m.start < pos and start < m.end for m in unit.mentions):
                continue
            value = {"name": name, "kind": "organisation", "country": None, "source": "table"}
            unit.mentions.append(Mention("org", start, pos, name, value, doc.id))


class Compact:
    """The document's content stretches joined into one text (chrome left out, a blank line where
    it was), and the way back to offsets in `doc.content`. The components read only this text;
    evidence keeps pointing into the document's own content."""

    def __init__(self, doc: Document):
        stretches: list[list[int]] = []
        last_end = 0
        for b in doc.blocks:
            if b.is_content:
                # Next to the previous stretch with no chrome between: one stretch.
                if stretches and last_end <= stretches[-1][1]:
                    stretches[-1][1] = max(stretches[-1][1], b.end)
                else:
                    stretches.append([b.start, b.end])
            last_end = max(last_end, b.end)
        self.starts: list[int] = []  # in the compact text
        self.origins: list[int] = []  # in doc.content
        self.lengths: list[int] = []
        parts, pos = [], 0
        for start, end in stretches:
            if parts:
                parts.append("\n\n")
                pos += 2
            parts.append(doc.content[start:end])
            self.starts.append(pos)
            self.origins.append(start)
            self.lengths.append(end - start)
            pos += end - start
        self.text = "".join(parts)

    def to_doc(self, start: int, end: int) -> tuple[int, int] | None:
        """Compact offsets to document offsets; None for a span that runs across left-out chrome."""
        return self._move(self.starts, self.origins, start, end)

    def to_compact(self, start: int, end: int) -> tuple[int, int] | None:
        """Document offsets to compact ones; None outside the content stretches."""
        return self._move(self.origins, self.starts, start, end)

    def _move(self, here: list[int], there: list[int], start: int, end: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(here, start) - 1
        if i < 0 or end > here[i] + self.lengths[i]:
            return None
        shift = there[i] - here[i]
        return start + shift, end + shift


def analyse(doc: Document, lang: str | None, published: date | None) -> tuple[list[Unit], dict]:
    """Units of `doc` with the mentions our components found in them."""
    units = _units(doc)
    if not units:
        return [], {}
    country = country_for(lang, doc.content)
    pipe = nlp.load(nlp.model_lang(lang))
    compact = Compact(doc)
    sdoc = set_doc_text(pipe.make_doc(compact.text), compact.text)
    # "page": the whole text with its chrome, for components that read who publishes it (site identity).
    sdoc._.context = {"lang": lang, "country": country, "published": published,
                      "page": (doc.content, compact.to_compact)}
    for _, proc in pipe.pipeline:
        sdoc = proc(sdoc)
    starts = [u.start for u in units]
    for group in SPAN_GROUPS:
        for span in sdoc.spans.get(group, []):
            where = compact.to_doc(span.start_char, span.end_char)
            if where is None:
                continue
            start, end = where
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or start >= units[i].end:
                continue  # between units
            value = span.label_ if group in _LABELLED else span._.value
            units[i].mentions.append(Mention(group, start, end, span.text, value, doc.id))
    _table_parties(doc, units)
    return units, {"lang": lang, "country": country, "published": published}
