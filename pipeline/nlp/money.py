"""Money amounts as spans: doc.spans["money"], value {"value", "currency", "per", "approx"}.

The finding itself is `pipeline.amounts` (regexes over doc.text); this component
maps the matches to tokens and reads the language and country from
doc._.context. Its word lists (data/money_lexicon.json) are stored inside the
built model, so a loaded pipeline needs no source files.
"""

from __future__ import annotations

import json

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from pipeline.amounts import LEXICON_PATH, AmountFinder

SPAN_KEY = "money"
_FILE = "money_lexicon.json"
_TEXT_KEY = ("agreements", "text")


def doc_text(doc: Doc) -> str:
    """doc.text, computed once per Doc: spaCy rebuilds it from every token on each
    access, which costs more than all our patterns together. A Doc's text never changes."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def put_spans(doc: Doc, key: str, items) -> None:
    """doc.spans[key] from (start_char, end_char, value) triples, widened to whole tokens.

    span._.value is stored per character span, so two facts widened to the same
    tokens ("500.000-600.000" as one token) would share one value: the later one
    is left out rather than given a wrong value (see temporal.split_number_ranges)."""
    spans = []
    for start, end, value in items:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if span._.value is not None and span._.value != value:
            continue
        span._.value = value
        spans.append(span)
    doc.spans[key] = spans


class MoneyFinder:
    def __init__(self, lexicon: dict, lang: str):
        self.lexicon = lexicon
        self.lang = lang
        self.finder = AmountFinder(lexicon)

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.context if isinstance(doc._.context, dict) else {}
        lang = context.get("lang") or self.lang
        found = self.finder.find(doc_text(doc), lang, context.get("country"))
        put_spans(doc, SPAN_KEY, [(a.start, a.end, a.as_value()) for a in found])
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _FILE).write_text(json.dumps(self.lexicon, ensure_ascii=False, indent=1), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self.__init__(json.loads((ensure_path(path) / _FILE).read_text(encoding="utf-8")), self.lang)
        return self


@Language.factory("agreements_money", default_config={"lang": "da"})
def make_money(nlp: Language, name: str, lang: str) -> MoneyFinder:
    return MoneyFinder(json.loads(LEXICON_PATH.read_text(encoding="utf-8")), lang)
