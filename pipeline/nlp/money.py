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

from pipeline.amounts import LEXICON_PATH, AmountFinder
from pipeline.nlp.extensions import doc_text, put_spans, read_data, write_data

SPAN_KEY = "money"
_FILE = "money_lexicon.json"


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
        write_data(path, _FILE, self.lexicon)

    def from_disk(self, path, exclude=tuple()):
        self.__init__(read_data(path, _FILE), self.lang)
        return self


@Language.factory("agreements_money", default_config={"lang": "da"})
def make_money(nlp: Language, name: str, lang: str) -> MoneyFinder:
    return MoneyFinder(json.loads(LEXICON_PATH.read_text(encoding="utf-8")), lang)
