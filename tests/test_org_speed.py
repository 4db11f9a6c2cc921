"""The shortcuts taken for speed in the organisation and cue finders give the plain answers.

Each shortcut is compared with the straightforward computation it replaces, on
hand-picked edge cases and on generated texts built from the characters the
patterns care about (word characters, joiners, spaces, line breaks, capitals).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.org_committees import COORD_BEFORE, coord_before
from pipeline.nlp.org_scan import WORD, vocabulary

# what the patterns turn on: letters of both cases, digits, "_", joiners, spaces and breaks, odd whitespace
ALPHABET = "aåbkKoÅÖØÆgsSnd_7-'’/,. \n\t\u00a0\u2003&(" + "Ñé"
texts = st.text(alphabet=ALPHABET, max_size=80)
words = st.sampled_from(["Vallentuna", "Kultur-", "och", "og", "and", "fritidsnämnden", "Social-,", "-", " ", "\n",
                         "A/S", "Huddinge-Botkyrka", "Council's", "_x", "Æ", "2024", "Ystads", "kommun", "\u00a0"])
phrases = st.lists(st.one_of(words, texts), max_size=14).map(" ".join)


def _plain_vocabulary(text):
    return set(WORD.findall(text))


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
