"""The primed tokenizer gives spaCy's own tokens, and does fill the chunk cache."""

import spacy

from pipeline.nlp.temporal import split_number_ranges
from pipeline.nlp.tokenize import PrimedTokenizer

TEXTS = [
    "Aftalen gælder f.eks. fra kl. 10 den 1. januar 2026 (jf. § 3) og koster ca. 2,4 mio. kr. om året.",
    "Avtalet gäller t.ex. 2026–2028, dvs. tre år; kontakt: anna.lindqvist@norrvik.se, tel. 070-123 45 67.",
    "Kommunen og foreningen (bl.a. Røde Kors) mødes :) hvert kvartal – 01.01.2024–31.12.2027.",
    "«Vi er glade», sier ordfører Kari Vik. Avtalen gjelder frå 1.1.2026 til 31.12.2028.",
]


def _tokens(doc):
    return [(t.text, t.whitespace_, t.norm_, t.idx) for t in doc]


def _pair(lang):
    plain = spacy.blank(lang)
    split_number_ranges(plain)
    primed = spacy.blank(lang)
    split_number_ranges(primed)
    return plain.tokenizer, PrimedTokenizer(primed.tokenizer)


def test_same_tokens_as_spacy():
    for lang in ("da", "sv", "nb", "en"):
        plain, primed = _pair(lang)
        for _ in range(2):  # first call primes, second reads the cache
            for text in TEXTS:
                assert _tokens(primed(text)) == _tokens(plain(text))


def test_knows_which_chunks_reach_a_special_case():
    _, primed = _pair("da")
    assert primed.hits_special("f.eks.")
    assert primed.hits_special("(f.eks.")
    assert primed.hits_special("kl.")
    assert not primed.hits_special("Hansen.")
    assert not primed.hits_special("kommunen,")


def test_chunks_are_split_once():
    # A text that hits a special case first: spaCy alone then caches none of the rest, and
    # splits every chunk with its affix searches again on the next call.
    text = "f.eks. " + " ".join(f"ord{i}-x,y{i}." for i in range(300))
    calls = {}
    for name, tok in zip(("plain", "primed"), _pair("da")):
        inner = getattr(tok, "tokenizer", tok)
        search = inner.suffix_search
        count = [0]

        def counting(s, search=search, count=count):
            count[0] += 1
            return search(s)

        inner.suffix_search = counting  # set before any call: spaCy resets its caches here
        tok(text)
        first, count[0] = count[0], 0
        tok(text)
        calls[name] = (first, count[0])
    assert calls["plain"][0] >= 300 and calls["plain"][1] >= 300
    assert calls["primed"][0] >= 300 and calls["primed"][1] == 0
