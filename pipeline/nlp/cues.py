"""Agreement cue words: what kind of instrument a sentence talks about and where it stands.

Adds doc.spans["cue_type"] (label: agreement type) and doc.spans["cue_status"]
(label: status). The word lists live in data/cues.json and are stored inside
the built model, so a loaded pipeline needs no source files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import content_ranges, doc_text, read_data, write_data

DATA = Path(__file__).parent / "data" / "cues.json"


def _compile(table: dict[str, list[str]], flags: int = 0) -> list[tuple[str, re.Pattern]]:
    return [
        (label, re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?!\w)", flags))
        for label, patterns in table.items()
    ]


class CueFinder:
    def __init__(self, cues: dict):
        self.cues = {"type": cues["type"], "status": cues["status"]}
        # The word lists are lower case: matched against the lower-cased text (several times faster
        # than re.IGNORECASE); a text whose lower case changes its length is matched ignoring case.
        self._type = _compile(self.cues["type"])
        self._status = _compile(self.cues["status"])
        self._type_ic = _compile(self.cues["type"], re.IGNORECASE)
        self._status_ic = _compile(self.cues["status"], re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        # Cues are only read in content (no pattern matches a line break), so chrome is not searched.
        ranges = content_ranges(doc, text)
        low = text.lower()
        if len(low) == len(text):
            tables, search = (("cue_type", self._type), ("cue_status", self._status)), low
        else:
            tables, search = (("cue_type", self._type_ic), ("cue_status", self._status_ic)), text
        for key, table in tables:
            spans = []
            taken = bytearray(len(text))  # characters already claimed: a linear overlap test
            for label, pattern in table:  # earlier labels win where matches overlap
                for m in (m for start, end in ranges for m in pattern.finditer(search, start, end)):
                    if any(taken[m.start():m.end()]):
                        continue
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
