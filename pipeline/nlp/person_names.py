"""Candidate person names: runs of capitalised words cut into names.

A run ("Ib Kristensen Michael Mathiesen", "Housing Märta Stenevi") is cut at
words that cannot be part of a name (role words, organisation and place words,
months) and where a known first name follows a surname (two signatures on one
PDF line). A piece of two or more words is a candidate; whether it is a person
is decided with its context (see person_context).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.nlp.person_lexicon import PARTICLES, Lexicon

_PARTICLES = set(PARTICLES)
_INITIAL = re.compile(r"^\w\.(?:-?\w\.)?$")
_WS = re.compile(r"\s+")


@dataclass
class Candidate:
    start: int
    end: int
    name: str  # as written, whitespace collapsed
    strength: str  # "strong" / "weak": starts with a known first name; "unknown": does not
    tokens: int

    @property
    def key(self) -> str:
        return self.name.casefold()


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _tokens(lex: Lexicon, text: str, offset: int) -> list[tuple[int, int, str]]:
    return [(m.start() + offset, m.end() + offset, m.group(0)) for m in lex.token_re.finditer(text)]


def _segments(lex: Lexicon, text: str, toks: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Cut a run at blocking words and at line breaks (a lone first name may wrap)."""
    segs: list[list] = []
    cur: list = []
    for tok in toks:
        word = tok[2]
        if word in _PARTICLES:
            if cur:
                cur.append(tok)
            continue
        if lex.blocks_name(word) or (word.endswith(("'s", "’s")) and len(word) > 3):
            if word.endswith(("'s", "’s")) and not lex.blocks_name(word[:-2]):
                cur.append((tok[0], tok[1] - 2, word[:-2]))
            segs.append(cur)
            cur = []
            continue
        if cur and "\n" in text[cur[-1][1]:tok[0]]:
            lone_first = len(cur) == 1 and lex.first_name(cur[0][2])
            if not lone_first:
                segs.append(cur)
                cur = []
        cur.append(tok)
    segs.append(cur)
    out = []
    for seg in segs:
        while seg and seg[-1][2] in _PARTICLES:
            seg = seg[:-1]
        if seg:
            out.append(seg)
    return out


def _split_columns(lex: Lexicon, seg: list) -> list[list]:
    """'Ole Bondo Christensen Birgit Ritter' -> two names (a new first name after a surname)."""
    pieces, cur = [], []
    for i, tok in enumerate(seg):
        if (
            len(cur) >= 2
            and lex.first_name(tok[2]) == "strong"
            and not lex.first_name(cur[-1][2])
            and not _INITIAL.match(cur[-1][2])
            and cur[-1][2] not in _PARTICLES
        ):
            pieces.append(cur)
            cur = []
        cur.append(tok)
    pieces.append(cur)
    return pieces


def find_candidates(lex: Lexicon, text: str) -> list[Candidate]:
    """Candidates of two to five words (runs of one word are not even looked at)."""
    cands: list[Candidate] = []
    for m in lex.name_sequence.finditer(text):
        toks = _tokens(lex, m.group(0), m.start())
        for seg in _segments(lex, text, toks):
            first = next((i for i, t in enumerate(seg) if lex.first_name(t[2]) and i < len(seg) - 1), None)
            if first:
                seg = seg[first:]  # "Housing Märta Stenevi": the name starts at the first name
            for piece in _split_columns(lex, seg):
                words = [t for t in piece if t[2] not in _PARTICLES]
                if len(words) == 1 or len(words) > 5:
                    continue
                start, end = piece[0][0], piece[-1][1]
                head = lex.first_name(piece[0][2]) or "unknown"
                cands.append(Candidate(start, end, collapse(text[start:end]), head, len(words)))
    return cands
