"""The shortcuts taken for speed in the organisation and cue finders give the plain answers.

Each shortcut is compared with the straightforward computation it replaces, on
hand-picked edge cases and on generated texts built from the characters the
patterns care about (word characters, joiners, spaces, line breaks, capitals).
"""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.org_committees import COORD_BEFORE, coord_before
from pipeline.nlp.org_data import default_data
from pipeline.nlp.org_find import _token_starts
from pipeline.nlp.org_recipients import _LINE_END, line_ends_after_sum
from pipeline.nlp.org_resolve import _BARE_PLACE, _default
from pipeline.nlp.org_scan import WORD, vocabulary
from pipeline.nlp.org_text import UP

# what the patterns turn on: letters of both cases, digits, "_", joiners, spaces and breaks, odd whitespace
ALPHABET = "aåbkKoÅÖØÆgsSnd_7-'’/,. \n\t\u00a0\u2003&(" + "Ñé"
texts = st.text(alphabet=ALPHABET, max_size=80)
words = st.sampled_from(["Vallentuna", "Kultur-", "och", "og", "and", "fritidsnämnden", "Social-,", "-", " ", "\n",
                         "A/S", "Huddinge-Botkyrka", "Council's", "_x", "Æ", "2024", "Ystads", "kommun", "\u00a0"])
phrases = st.lists(st.one_of(words, texts), max_size=14).map(" ".join)


def _plain_vocabulary(text):
    return set(WORD.findall(text))


def _plain_bare_place(text):
    return [(m.span(), m.group(1)) for m in
            re.finditer(rf"(?<![\w-])([{UP}][\w-]+(?: [{UP}][\w-]+)?)(?![\w-])", text)]


EDGES = ["", "-", "a", "A-", "-A", "x-Aa", "_Ab", "Ab", " Ab Cd", "Ab-Cd Ef-", "a--b c-'d' /e/ 'f", "Tjej- och Kvinnojouren",
         "Social-, Senior- og Handicapudvalget", "kultur- och\nfritidsnämnden", "x-\n", "ab- \n", "Ab\u00a0Cd",
         "Ab\u2003Cd", "Øster Å-Å", "9Ab", "Ab Cd Ef"]


def test_vocabulary_is_every_word_token():
    for text in EDGES:
        assert vocabulary(text) == _plain_vocabulary(text), text


@settings(max_examples=400, deadline=None)
@given(phrases)
def test_vocabulary_property(text):
    assert vocabulary(text) == _plain_vocabulary(text)


def test_bare_place_regex_is_the_plain_one():
    for text in EDGES:
        assert [(m.span(), m.group(1)) for m in _BARE_PLACE.finditer(text)] == _plain_bare_place(text), text


@settings(max_examples=400, deadline=None)
@given(phrases)
def test_bare_place_property(text):
    assert [(m.span(), m.group(1)) for m in _BARE_PLACE.finditer(text)] == _plain_bare_place(text)


def _coord_plain(text, pos):
    return COORD_BEFORE.search(text, max(0, pos - 100), pos)


def _span(m):
    return m and (m.span(), m.group())


def test_coord_before_at_every_position():
    for text in EDGES + ["Barne-, ungdoms- og familiedirektoratet", "Kultur- ,og x", "ab-, och \nKultur"]:
        for pos in range(len(text) + 1):
            assert _span(coord_before(text, pos)) == _span(_coord_plain(text, pos)), (text, pos)


@settings(max_examples=300, deadline=None)
@given(phrases)
def test_coord_before_property(text):
    for pos in range(len(text) + 1):
        assert _span(coord_before(text, pos)) == _span(_coord_plain(text, pos))


def _default_plain(text, data, country):
    """The municipality a text names most often, match by match (as before the distinct-phrase count)."""
    countries = (country,) if country else ("DK", "SE", "NO")
    counts = Counter()
    for _span_, bare in _plain_bare_place(text):
        for phrase in (bare, bare.split(" ")[0]):
            found = data.municipality(phrase, countries[0], countries)
            if found:
                counts[found[0]] += 1
                break
    return max(counts, key=lambda n: (counts[n], 0)) if counts else None


PLACES = st.sampled_from(["Vallentuna", "Ystads", "Ystad", "Bergen", "Aarhus", "Voss", "Oslo", "Skellefteå",
                          "Vallentuna Kommun", "Bergens", "Lund", "Nordfriesland", "Stiftelsen", "Region Skåne"])


def test_default_municipality_counts_each_mention():
    data = default_data()
    for text in ["Lund. Ystad, Ystad.", "Ystad. Lund, Lund och Ystad.", "Lund Ystad, Ystad Lund.", "Aarhus og Voss"]:
        for country in ("DK", "SE", "NO", None):
            assert _default([], "municipality", text, data, country) == _default_plain(text, data, country)
    assert _default([], "municipality", "Lund. Ystad, Ystad.", data, "SE") == "Ystads kommun"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PLACES, words), max_size=20).map(", ".join), st.sampled_from(["DK", "SE", "NO", None]))
def test_default_municipality_property(text, country):
    data = default_data()
    assert _default([], "municipality", text, data, country) == _default_plain(text, data, country)


def test_token_starts_are_the_word_tokens():
    for text in EDGES + ["kommunen kommune -kommune kommune- x-kommune kommune's ’kommune/kommune_ kommune2"]:
        tokens = [(m.start(), m.group()) for m in WORD.finditer(text)]
        for word in {w for _, w in tokens} | {"kommune", "A"}:
            assert list(_token_starts(text, word)) == [p for p, w in tokens if w == word], (text, word)


@settings(max_examples=300, deadline=None)
@given(phrases)
def test_token_starts_property(text):
    tokens = [(m.start(), m.group()) for m in WORD.finditer(text)]
    for word in {w for _, w in tokens}:
        assert list(_token_starts(text, word)) == [p for p, w in tokens if w == word]


def test_capitals_of_abbreviations_are_upper_case():
    # _abbreviations tests w.isupper() before _ALLCAPS: every letter the pattern takes must be upper case
    assert all(c.isupper() for c in map(chr, range(0x3000)) if re.fullmatch(f"[{UP}]", c))


SUM_LINES = ["Scenkonst Kalmar 145 000", "Musikkåren Lyran 65 000 kronor ", "x 1000kr.", "x 100 kr.\t", "12345",
             "Föreningen 12 000:-", "200 000 SEK\r", "5 000 euro", "1 000 EUR", "12", "abc 123 kr 456", "\u0663\u0664\u0665",
             "123 kronar\n456 kroner", "", "\n", "999\n", "kr 100", "100 :-x", "100 Kr"]
sums = st.lists(st.sampled_from(SUM_LINES + ["Ab", " ", "\t", "\n", "kr", ".", "7", "12 "]), max_size=14).map("".join)


def test_line_ends_after_sum_are_line_end_matches():
    for text in SUM_LINES + ["\n".join(SUM_LINES), " \n".join(SUM_LINES), "\n" + "\n".join(SUM_LINES) + "\n"]:
        assert line_ends_after_sum(text) == [m.end() for m in _LINE_END.finditer(text)], text


@settings(max_examples=400, deadline=None)
@given(st.one_of(sums, texts))
def test_line_ends_after_sum_property(text):
    assert line_ends_after_sum(text) == [m.end() for m in _LINE_END.finditer(text)]


# ---------------------------------------------------------------------- cue words

def _cue_finder():
    import json

    from pipeline.nlp.cues import DATA, CueFinder

    return CueFinder(json.loads(DATA.read_text(encoding="utf-8")))


CUES = _cue_finder()
CUE_ALTERNATIVES = [p for table in ("type", "status") for ps in CUES.cues[table].values() for p in ps]
cue_words = st.sampled_from(CUE_ALTERNATIVES).flatmap(lambda p: st.from_regex(p, fullmatch=True))
cue_texts = st.lists(st.one_of(cue_words, cue_words.map(str.upper), words, texts,
                               st.sampled_from(["-", "_", "x", "ø", " ", "\n", "i", "har", "sam", "2024"])),
                     max_size=16).map("".join)


def _plain_cue_matches(text, ranges):
    low = text.lower()
    return [[[m.span() for start, end in ranges for m in pattern.finditer(low, start, end)]
             for _label, pattern in table] for table in (CUES._type, CUES._status)]


def _cue_matches(text, ranges):
    from pipeline.nlp.cues import _matches

    low = text.lower()
    starts = CUES._starts.positions(low)
    return [[[m.span() for m in _matches(pattern, low, ranges, starts.get((t, i), []))]
             for i, (_label, pattern) in enumerate(table)] for t, table in enumerate((CUES._type, CUES._status))]


def _ranges(text, cuts):
    cuts = sorted({min(c, len(text)) for c in cuts})
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b] or [(0, len(text))]


def test_every_cue_pattern_has_a_fixed_lead():
    assert CUES._starts is not None


def test_cues_tried_at_their_leads_match_as_the_whole_text_search():
    samples = ["Avtalet är ingånget. Kommunen har tecknat ett IOP-avtal och ett iop med -avtal, x-avtal.",
               "i kraft i kraftig, har haft fått fåt, den tidigare samarbeidsavtale_ samarbeid med", "", "avtal",
               "Aftaleaftale aftale-aftale (aftale) «aftale» 2aftale _aftale", "sedan 2024 sedan 20 siden",
               "samarbejde med\nsamarbejde\nmed twin city twin cities"]
    for text in samples:
        for ranges in ([(0, len(text))], _ranges(text, [0, 10, 15, 40]), _ranges(text, [3, 30, 31, 60])):
            assert _cue_matches(text, ranges) == _plain_cue_matches(text, ranges), (text, ranges)


@settings(max_examples=300, deadline=None)
@given(cue_texts, st.lists(st.integers(0, 200), max_size=6))
def test_cue_leads_property(text, cuts):
    ranges = _ranges(text, cuts) if cuts else [(0, len(text))]
    assert _cue_matches(text, ranges) == _plain_cue_matches(text, ranges)


@settings(max_examples=100, deadline=None)
@given(cue_texts)
def test_cue_spans_are_those_of_the_plain_search(text):
    import spacy

    from pipeline.nlp.cues import CueFinder

    nlp = spacy.blank("da")
    plain = CueFinder(CUES.cues)
    plain._starts = None  # every regex over the whole text
    got, want = CUES(nlp(text)), plain(nlp(text))
    for key in ("cue_type", "cue_status"):
        assert [(s.start_char, s.end_char, s.label_) for s in got.spans[key]] == \
               [(s.start_char, s.end_char, s.label_) for s in want.spans[key]]
