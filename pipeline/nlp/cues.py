"""Agreement cue words: what kind of instrument a sentence talks about and where it stands.

Adds doc.spans["cue_type"] (label: agreement type) and doc.spans["cue_status"]
(label: status). The word lists live in data/cues.json and are stored inside
the built model, so a loaded pipeline needs no source files.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from re import _parser

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import content_ranges, doc_text, read_data, write_data

DATA = Path(__file__).parent / "data" / "cues.json"


_MODAL_BEFORE = re.compile(r"(?<!\w)(?:kan|kann|can|may|må|får)\s+(?:\w+\s+)?\Z", re.IGNORECASE)


def _compile(table: dict[str, list[str]], flags: int = 0) -> list[tuple[str, re.Pattern]]:
    return [
        (label, re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?!\w)", flags))
        for label, patterns in table.items()
    ]


_LEAD = 6  # literal characters of a pattern's start used to pick where to try it


def _lead(pattern: str) -> str:
    """The literal characters (up to _LEAD) every match of `pattern` starts with; "" if none is fixed."""
    parsed = _parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return ""
    lead = ""
    for op, av in parsed.data[:_LEAD]:
        if op is not _parser.LITERAL:
            break
        lead += chr(av)
    return lead


def _alternation(words) -> str:
    """A regex for any of `words`, branching one character at a time (`re` tries alternatives in turn)."""
    first: dict[str, list[str]] = {}
    for w in words:
        first.setdefault(w[:1], []).append(w[1:])
    alts = [re.escape(c) + (f"(?:{_alternation(rest)})" if any(rest) else "") for c, rest in sorted(first.items()) if c]
    return "|".join(alts + ([""] if "" in first else []))


class _Starts:
    """Where in a lower-cased text a cue can start, and which labels' patterns can match there.

    Every pattern starts after a character that is neither a word character nor "-" (or at the start)
    and with the literal lead of one of its alternatives; one scan for such a character followed by a
    lead picks the few positions each label's regex is tried at, instead of running every regex over
    the whole text.
    """

    def __init__(self, tables: list[dict[str, list[str]]]):
        by_lead: dict[str, list[tuple[int, int]]] = {}
        for t, table in enumerate(tables):
            for i, patterns in enumerate(table.values()):
                for pattern in patterns:
                    lead = _lead(pattern)
                    if not lead:
                        raise ValueError(f"no fixed start: {pattern!r}")
                    if (t, i) not in by_lead.setdefault(lead, []):
                        by_lead[lead].append((t, i))
        self.by_lead = by_lead
        self.lengths = sorted({len(k) for k in by_lead})
        # Only the character before the lead is consumed, so no later start is skipped.
        self.rx = re.compile(rf"[^\w-](?=(?:{_alternation(by_lead)}))")

    def positions(self, text: str) -> dict[tuple[int, int], list[int]]:
        """(table, label) -> ascending positions where that label's pattern may match."""
        out: dict[tuple[int, int], list[int]] = {}
        by_lead, lengths = self.by_lead, self.lengths
        for m in self.rx.finditer(" " + text):  # the space stands for the start of the text
            p = m.start()  # the lead's position in `text`
            for n in lengths:
                for key in by_lead.get(text[p:p + n], ()):
                    found = out.setdefault(key, [])
                    if not found or found[-1] != p:
                        found.append(p)
        return out


def _matches(pattern: re.Pattern, text: str, ranges, positions: list[int]):
    """pattern.finditer(text, start, end) over the ranges, trying only `positions` (a superset of the
    match starts): leftmost first, each search going on where the last match ended."""
    for start, end in ranges:
        at = start
        for p in positions[bisect.bisect_left(positions, start):]:
            if p >= end:
                break
            if p < at:
                continue
            m = pattern.match(text, p, end)
            if m:
                yield m
                at = m.end()


class CueFinder:
    def __init__(self, cues: dict):
        self.cues = {"type": cues["type"], "status": cues["status"]}
        # The word lists are lower case: matched against the lower-cased text (several times faster
        # than re.IGNORECASE); a text whose lower case changes its length is matched ignoring case.
        self._type = _compile(self.cues["type"])
        self._status = _compile(self.cues["status"])
        self._type_ic = _compile(self.cues["type"], re.IGNORECASE)
        self._status_ic = _compile(self.cues["status"], re.IGNORECASE)
        try:
            self._starts = _Starts([self.cues["type"], self.cues["status"]])
        except ValueError:  # a pattern without a fixed start: every regex over the whole text
            self._starts = None

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        # Cues are only read in content (no pattern matches a line break), so chrome is not searched.
        ranges = content_ranges(doc, text)
        low = text.lower()
        if len(low) == len(text):
            tables, search = (("cue_type", self._type), ("cue_status", self._status)), low
            starts = self._starts.positions(low) if self._starts else None
        else:
            tables, search = (("cue_type", self._type_ic), ("cue_status", self._status_ic)), text
            starts = None
        for t, (key, table) in enumerate(tables):
            spans = []
            taken = bytearray(len(text))  # characters already claimed: a linear overlap test
            for i, (label, pattern) in enumerate(table):  # earlier labels win where matches overlap
                if starts is None:
                    found = (m for start, end in ranges for m in pattern.finditer(search, start, end))
                else:
                    found = _matches(pattern, search, ranges, starts.get((t, i), []))
                for m in found:
                    if any(taken[m.start():m.end()]):
                        continue
                    if label == "ended" and _MODAL_BEFORE.search(search, max(0, m.start() - 20), m.start()):
                        continue  # "der kan opsiges med 6 måneders varsel": a term, not an ending
                    # The label, not `span._.value`: extension values are keyed by
                    # offsets, so a word that is both a type and a status cue would clash.
                    span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
                    if span is None:
                        continue
                    spans.append(span)
                    taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            doc.spans[key] = sorted(spans, key=lambda s: s.start_char)
        return doc

    def to_disk(self, path, exclude=tuple()):
        write_data(path, "cues.json", self.cues)

    def from_disk(self, path, exclude=tuple()):
        self.__init__(read_data(path, "cues.json"))
        return self


@Language.factory("agreements_cues", default_config={"lang": "da"})
def make_cues(nlp: Language, name: str, lang: str) -> CueFinder:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return CueFinder({"type": data["type"], "status": data["status"]})
